// The Connect transport: every call goes to the page's own origin (the BFF serves the app and
// the API), carries the access token, and refreshes the token pair transparently.
//
// Refresh tokens rotate and work once: presenting one twice ends the session. So refreshes are
// serialised: one in-flight refresh is shared by every caller in this tab, a Web Lock serialises
// tabs, and inside the lock the stored pair is read again so a pair another tab just obtained is
// used instead of replaying the old refresh token. The new pair is stored before any retry.
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AccountService } from "../gen/looklook/bff/v1/account_pb.js";
import { getSession, readStoredSession, sessionFromTokens, setSession, type Session } from "./session.js";

const baseUrl = typeof window !== "undefined" ? window.location.origin : "http://localhost:8080";

/** Methods that never carry a token: they are how a session starts or continues. */
const anonymous = new Set([
  AccountService.method.register,
  AccountService.method.login,
  AccountService.method.refreshTokens,
]);

/** Refresh this long before the access token expires. */
const refreshMarginMs = 30_000;

// The account client used for refreshing has no auth interceptor: it must not recurse.
const plainTransport = createConnectTransport({ baseUrl });
const refresher = createClient(AccountService, plainTransport);

let inflight: Promise<Session | null> | null = null;

/**
 * refreshSession exchanges the refresh token for a new pair once, however many callers ask at the
 * same time. When staleAccess is given and the session has already moved on from that access
 * token (someone else refreshed), the current session is returned without a new exchange.
 * Resolves to null when the session is over (the user must sign in again).
 */
export function refreshSession(staleAccess?: string): Promise<Session | null> {
  const s = getSession();
  if (!s) return Promise.resolve(null);
  if (staleAccess !== undefined && s.accessToken !== staleAccess) return Promise.resolve(s);
  if (!inflight) {
    const used = s.refreshToken;
    inflight = withLock(() => exchange(used)).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

async function exchange(used: string): Promise<Session | null> {
  const latest = readStoredSession();
  if (!latest) {
    setSession(null);
    return null;
  }
  if (latest.refreshToken !== used) {
    // Another tab rotated the pair while this one waited for the lock.
    setSession(latest);
    return latest;
  }
  try {
    const res = await refresher.refreshTokens({ refreshToken: used });
    const next = sessionFromTokens(res.tokens);
    setSession(next);
    return next;
  } catch (e) {
    const err = ConnectError.from(e);
    // A refused refresh token ends the session; a network failure keeps it for the next try.
    if (
      err.code === Code.Unauthenticated ||
      err.code === Code.PermissionDenied ||
      err.code === Code.InvalidArgument ||
      err.code === Code.NotFound
    ) {
      setSession(null);
      return null;
    }
    throw err;
  }
}

function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  // Web Locks exist only in secure contexts (https, localhost); elsewhere one tab is the unit.
  if (!locks) return fn();
  return locks.request("looklook-token-refresh", fn) as Promise<T>;
}

const auth: Interceptor = (next) => async (req) => {
  if (anonymous.has(req.method as never)) return next(req);
  let s = getSession();
  if (s) {
    const now = Date.now();
    // Refresh early, but not for a pair that just arrived: a client clock running ahead would
    // otherwise refresh on every call.
    if (s.accessExpireMs - now < refreshMarginMs && now - s.obtainedMs > refreshMarginMs) {
      s = (await refreshSession(s.accessToken)) ?? null;
    }
    if (s) req.header.set("Authorization", `Bearer ${s.accessToken}`);
  }
  try {
    return await next(req);
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code !== Code.Unauthenticated || !s) throw e;
    // The access token was refused (expired, or the clock is off): refresh once and retry.
    const fresh = await refreshSession(s.accessToken);
    if (!fresh) throw e;
    req.header.set("Authorization", `Bearer ${fresh.accessToken}`);
    return next(req);
  }
};

export const transport = createConnectTransport({ baseUrl, interceptors: [auth] });

/** signOutLocally forgets the session in every tab. */
export function signOutLocally() {
  setSession(null);
}
