/**
 * The session as Solid signals, for the first screen: who is signed in (restored from localStorage, so the
 * app reopens offline into it), sign-in and sign-out, the per-user JSON cache and storage persistence. It
 * loads no Yjs and no device-key crypto: the sign-in page needs neither. The documents (DocPool, `useDoc`)
 * live in app-state.ts, which signed-in pages import; the device key and the platform keys (trust.ts,
 * jose) are loaded on demand after sign-in.
 */
import { createSignal, createMemo, createRoot, type Accessor } from 'solid-js';
import { agent, authApi } from './agent';
import { SessionManager, type StoredSession } from './session';
import type { PoolStatus } from './docpool';
import type { Principal } from '../domain/schemas';
import { isPasswordChange, type PasswordChangeRequired } from '../protocol/auth';

export const session = new SessionManager({ api: authApi });
// the API agent attaches this session's token to signed-in calls and refreshes it on a 401
agent.useAuth(session);

const [current, setCurrent] = createSignal<StoredSession | null>(session.current);
const [expired, setExpired] = createSignal(false);
export const currentSession = current;
export const sessionExpired = expired;
/** who is signed in; stable across token refreshes (same content → no change), so pages do not reopen */
export const principal: Accessor<Principal | null> = createRoot(() =>
  createMemo(() => current()?.principal ?? null, null, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) }),
);

export const EMPTY_POOL: PoolStatus = {
  online: true,
  network: true,
  open: 0,
  sockets: 0,
  pending: 0,
  loading: { done: 0, total: 0 },
  denied: [],
  unauthorized: false,
};
const [poolStatus, setPoolStatus] = createSignal<PoolStatus>(EMPTY_POOL, { equals: false });
/** the DocPool's status (the app bar's sync chip); app-state.ts feeds it once signed-in pages load */
export { poolStatus, setPoolStatus };

/** set by app-state.ts when it loads: lets go of the pool at sign-out and returns how to wipe it (null: no pool) */
let detachPool: (() => (() => Promise<void>) | null) | null = null;
export function onSignOutDetach(fn: () => (() => Promise<void>) | null): void {
  detachPool = fn;
}

session.subscribe((s) => {
  setCurrent(s);
  setExpired(session.expired);
});

/** the device-key and platform-key module (jose), loaded on demand */
const trust = () => import('./trust');
const refreshJwks = () => {
  void trust()
    .then((m) => m.refreshJwks())
    .catch(() => {
      /* offline: the cached keys stay */
    });
};

/** Start: restore the session (offline too), refresh when online, follow the network. */
export function startSession(): void {
  session.resume();
  if (session.current) refreshJwks();
  window.addEventListener('online', () => {
    session.resume();
    if (session.current) refreshJwks();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') session.resume();
  });
}

/** Sign in: a session, or (a one-time password) the token with which the user must set a new password first */
export async function signIn(username: string, password: string): Promise<StoredSession | PasswordChangeRequired> {
  const r = await session.login(username, password);
  return isPasswordChange(r) ? r : opened(r);
}

/** After the unified sign-in's redirect back: the session its refresh cookie opens */
export async function signInFromCookie(): Promise<StoredSession> {
  return opened(await session.fromCookie());
}

/**
 * A new password. Signed in: the current password, and the session continues with new tokens. After a
 * one-time-password sign-in: that password and its password-change token, and the session starts here.
 */
export async function changePassword(currentPassword: string, newPassword: string, changeToken?: string): Promise<StoredSession> {
  const s = await session.changePassword(currentPassword, newPassword, changeToken);
  return changeToken ? opened(s) : s;
}

function opened(s: StoredSession): StoredSession {
  setExpired(false);
  // platform keys for offline code verification; the device key (registered when possible)
  refreshJwks();
  if (s.principal.role === 'inspector' || s.principal.role === 'enterprise') {
    void trust()
      .then((m) => m.deviceKey(s.principal.userId))
      .catch(() => {});
  }
  return s;
}

/** Sign out: end the session and delete this user's local documents and caches (shared phones). */
export async function signOut(): Promise<void> {
  const s = session.current;
  const wipe = detachPool?.() ?? null;
  setPoolStatus(EMPTY_POOL);
  await session.signOut();
  if (wipe) await wipe();
  else if (s) await (await import('./docpool')).wipeUserData(s.principal.userId);
  if (s) {
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const k = localStorage.key(i);
        if (k && k.startsWith(`eicp.cache.${s.principal.userId}.`)) localStorage.removeItem(k);
      }
      localStorage.removeItem(`eicp.storageNotice.${s.principal.userId}`);
    } catch {
      /* ignore */
    }
  }
}

/** A small cache of JSON in localStorage, per user (wiped on sign-out). */
export function cacheGet<T>(key: string): T | null {
  const p = principal();
  if (!p) return null;
  try {
    const v = localStorage.getItem(`eicp.cache.${p.userId}.${key}`);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}
export function cacheSet(key: string, value: unknown): void {
  const p = principal();
  if (!p) return;
  try {
    localStorage.setItem(`eicp.cache.${p.userId}.${key}`, JSON.stringify(value));
  } catch {
    /* quota */
  }
}

/** Ask for persistent storage once per sign-in; the result is shown by the app bar. */
export type PersistResult = 'granted' | 'refused' | 'unsupported';
const [persistResult, setPersistResult] = createSignal<PersistResult | null>(null);
export { persistResult };
export async function requestPersistence(): Promise<PersistResult> {
  let r: PersistResult = 'unsupported';
  try {
    if (navigator.storage?.persist) {
      const already = navigator.storage.persisted ? await navigator.storage.persisted() : false;
      r = already || (await navigator.storage.persist()) ? 'granted' : 'refused';
    }
  } catch {
    r = 'refused';
  }
  setPersistResult(r);
  return r;
}
