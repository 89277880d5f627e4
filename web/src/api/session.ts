// The signed-in session: the token pair, kept in localStorage so a reload or a second tab stays
// signed in, with a tiny external store so React re-renders when it changes.
import { useSyncExternalStore } from "react";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { AuthTokens } from "../gen/looklook/bff/v1/types_pb.js";

export type Session = {
  accessToken: string;
  refreshToken: string;
  /** accessExpireMs is when the server stops accepting the access token (client clock). */
  accessExpireMs: number;
  /** obtainedMs is when this pair arrived, which bounds early refreshes under clock skew. */
  obtainedMs: number;
};

const storageKey = "looklook.session";
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.accessToken === "string" && typeof s.refreshToken === "string" ? s : null;
  } catch {
    return null;
  }
}

let current: Session | null = read();

function notify() {
  for (const l of listeners) l();
}

// Another tab signed in, refreshed or signed out.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (e) => {
    if (e.key === storageKey || e.key === null) {
      current = read();
      notify();
    }
  });
}

export function getSession(): Session | null {
  return current;
}

/** readStoredSession reads the session as last written by any tab. */
export function readStoredSession(): Session | null {
  current = read();
  return current;
}

export function setSession(s: Session | null) {
  current = s;
  try {
    if (s) localStorage.setItem(storageKey, JSON.stringify(s));
    else localStorage.removeItem(storageKey);
  } catch {
    // Private browsing may refuse storage; the session then lives in memory only.
  }
  notify();
}

export function sessionFromTokens(t: AuthTokens | undefined): Session {
  if (!t) throw new Error("the server sent no tokens");
  const now = Date.now();
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    accessExpireMs: t.accessExpireTime ? timestampMs(t.accessExpireTime) : now + 5 * 60_000,
    obtainedMs: now,
  };
}

function subscribe(fn: () => void) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}
