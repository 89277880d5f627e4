import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { create } from "@bufbuild/protobuf";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { AccountService, UpdateMeRequestSchema } from "../gen/looklook/bff/v1/account_pb.js";
import { Sex } from "../gen/looklook/bff/v1/types_pb.js";
import { ErrorNotice, FormError, Img, Loading, SelectField, TextArea, TextField, usePageTitle } from "../components/ui.js";
import { useRpcForm } from "../components/form.js";
import { useMe } from "../api/me.js";

export function ProfilePage() {
  usePageTitle("Your profile");
  const me = useMe();
  if (!me.signedIn) return <SignInPrompt what="edit your profile" next="/me" />;
  if (me.isLoading) return <Loading />;
  if (me.error || !me.user) return <ErrorNotice error={me.error} />;
  return <ProfileForm key={me.user.id.toString()} />;
}

export function SignInPrompt({ what, next }: { what: string; next: string }) {
  return (
    <section className="narrow">
      <h1>Please sign in</h1>
      <p>
        <Link to={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link> or <Link to="/signup">create an account</Link> to {what}.
      </p>
    </section>
  );
}

function ProfileForm() {
  const me = useMe();
  const user = me.user!;
  const queryClient = useQueryClient();
  const [nickname, setNickname] = useState(user.nickname);
  const [avatar, setAvatar] = useState(user.avatar);
  const [info, setInfo] = useState(user.info);
  const [sex, setSex] = useState<Sex>(user.sex);
  const [saved, setSaved] = useState(false);
  const form = useRpcForm();
  const updateMe = useMutation(AccountService.method.updateMe);

  useEffect(() => setSaved(false), [nickname, avatar, info, sex]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const req = create(UpdateMeRequestSchema, { nickname: nickname.trim(), avatar: avatar.trim(), info, sex });
    const ok = await form.submit(UpdateMeRequestSchema, req, (m) => updateMe.mutateAsync(m));
    if (ok) {
      setSaved(true);
      await queryClient.invalidateQueries();
    }
  }

  return (
    <section className="narrow" aria-labelledby="profile-title">
      <h1 id="profile-title">Your profile</h1>
      <div className="landlord-card">
        <Img src={user.avatar} alt="" label={user.nickname} className="avatar" />
        <div>
          <p className="landlord-name">{user.nickname}</p>
          <p className="muted">
            {user.mobile} · {user.roles.join(", ")}
          </p>
        </div>
      </div>
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Nickname" name="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} error={form.errors.nickname} />
        <TextField label="Avatar URL" name="avatar" type="url" value={avatar} onChange={(e) => setAvatar(e.target.value)} error={form.errors.avatar} hint="An http(s) picture address, or empty for none." />
        <TextArea label="About you" name="info" value={info} onChange={(e) => setInfo(e.target.value)} error={form.errors.info} rows={3} />
        <SelectField label="Sex" name="sex" value={sex} onChange={(e) => setSex(Number(e.target.value) as Sex)} error={form.errors.sex}>
          <option value={Sex.UNSPECIFIED}>Not saying</option>
          <option value={Sex.FEMALE}>Female</option>
          <option value={Sex.MALE}>Male</option>
        </SelectField>
        <FormError message={form.formError} />
        {saved && (
          <p className="notice notice-ok" role="status">
            Saved.
          </p>
        )}
        <button type="submit" disabled={form.busy}>
          {form.busy ? "Saving…" : "Save profile"}
        </button>
      </form>
    </section>
  );
}
