import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { AccountService, LoginRequestSchema, RegisterRequestSchema } from "../gen/looklook/bff/v1/account_pb.js";
import type { AuthTokens } from "../gen/looklook/bff/v1/types_pb.js";
import { FormError, TextField, usePageTitle } from "../components/ui.js";
import { useRpcForm } from "../components/form.js";
import { sessionFromTokens, setSession } from "../api/session.js";

/** mobileMessage replaces the regular expression in a pattern violation with an example. */
export function mobileMessage(msg: string | undefined): string | undefined {
  if (msg && msg.includes("regex")) return "Enter an 11-digit mobile number, such as 13800138000.";
  return msg;
}

function useSignedIn() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (tokens: AuthTokens | undefined) => {
    // Whatever was cached belonged to the previous visitor.
    queryClient.clear();
    setSession(sessionFromTokens(tokens));
    const next = params.get("next");
    navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/");
  };
}

export function SignInPage() {
  usePageTitle("Sign in");
  const [mobile, setMobile] = useState("");
  const [password, setPassword] = useState("");
  const form = useRpcForm();
  const login = useMutation(AccountService.method.login);
  const signedIn = useSignedIn();
  const [params] = useSearchParams();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const req = create(LoginRequestSchema, { mobile: mobile.trim(), password });
    await form.submit(LoginRequestSchema, req, async (m) => signedIn((await login.mutateAsync(m)).tokens), {
      onError: (err) => {
        if (err.code === Code.Unauthenticated) {
          form.setFormError("Wrong mobile number or password.");
          return true;
        }
        return false;
      },
    });
  }

  return (
    <section className="narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Mobile number" name="mobile" type="tel" inputMode="numeric" autoComplete="tel" value={mobile} onChange={(e) => setMobile(e.target.value)} error={mobileMessage(form.errors.mobile)} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.errors.password} />
        <FormError message={form.formError} />
        <button type="submit" disabled={form.busy}>
          {form.busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        New here? <Link to={`/signup${params.get("next") ? `?next=${encodeURIComponent(params.get("next") ?? "")}` : ""}`}>Create an account</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  usePageTitle("Sign up");
  const [mobile, setMobile] = useState("");
  const [password, setPassword] = useState("");
  const [nickname, setNickname] = useState("");
  const form = useRpcForm();
  const register = useMutation(AccountService.method.register);
  const signedIn = useSignedIn();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const req = create(RegisterRequestSchema, { mobile: mobile.trim(), password, nickname: nickname.trim() });
    await form.submit(RegisterRequestSchema, req, async (m) => signedIn((await register.mutateAsync(m)).tokens), {
      onError: (err) => {
        if (err.code === Code.AlreadyExists) {
          form.setErrors({ mobile: "This mobile number is already registered. Sign in instead." });
          return true;
        }
        return false;
      },
    });
  }

  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Mobile number" name="mobile" type="tel" inputMode="numeric" autoComplete="tel" value={mobile} onChange={(e) => setMobile(e.target.value)} error={mobileMessage(form.errors.mobile)} hint="11 digits, such as 13800138000." />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.errors.password} hint="8 to 72 characters." />
        <TextField label="Nickname" name="nickname" autoComplete="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} error={form.errors.nickname} hint="Shown with your reviews. Up to 32 characters." />
        <FormError message={form.formError} />
        <button type="submit" disabled={form.busy}>
          {form.busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}
