/**
 * The browser's sync state as Solid signals: the session (restored from localStorage, so the app
 * reopens offline into it), the DocPool of the signed-in user, and their statuses. Pages call
 * `useDoc(room)` and never build providers themselves.
 */
import { createSignal, onCleanup, createEffect, createMemo, createRoot, untrack, type Accessor } from 'solid-js';
import { api } from './api';
import { SessionManager, type StoredSession } from './session';
import { DocPool, syncUrlOf, wipeUserData, type DocHandle, type DocStatus, type PoolStatus } from './docpool';
import type { Principal } from '../domain/schemas';
import { isPasswordChange, type PasswordChangeRequired } from '../protocol/auth';
import { deviceKey, refreshJwks } from './trust';

export const session = new SessionManager({ api });

const [current, setCurrent] = createSignal<StoredSession | null>(session.current);
const [expired, setExpired] = createSignal(false);
export const currentSession = current;
export const sessionExpired = expired;
/** who is signed in; stable across token refreshes (same content → no change), so pages do not reopen */
export const principal: Accessor<Principal | null> = createRoot(() =>
  createMemo(() => current()?.principal ?? null, null, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) }));
const userId: Accessor<string | null> = createRoot(() => createMemo(() => principal()?.userId ?? null));

const EMPTY: PoolStatus = { online: true, network: true, open: 0, sockets: 0, pending: 0, loading: { done: 0, total: 0 }, denied: [], unauthorized: false };
const [poolStatus, setPoolStatus] = createSignal<PoolStatus>(EMPTY, { equals: false });
export { poolStatus };

let pool: DocPool | null = null;
let poolUnsub: (() => void) | null = null;

function ensurePool(s: StoredSession | null): DocPool | null {
  if (!s) return null;
  if (pool && pool.userId === s.principal.userId) return pool;
  if (pool) { poolUnsub?.(); void pool.dispose(); }
  pool = new DocPool({
    userId: s.principal.userId,
    wsUrl: syncUrlOf(location),
    getToken: () => session.token,
    onUnauthorized: () => session.refresh(),
  });
  poolUnsub = pool.subscribe((st) => setPoolStatus(st));
  setPoolStatus(pool.status());
  return pool;
}

session.subscribe((s, why) => {
  setCurrent(s);
  setExpired(session.expired);
  // a refresh, or a password change (the server closed the old sessions' sockets): the pool's next token
  if ((why === 'refresh' || why === 'password') && s && pool) pool.setToken(s.token);
});

export function getPool(): DocPool | null { return ensurePool(current()); }

/** Start: restore the session (offline too), refresh when online, follow the network. */
export function startSession(): void {
  ensurePool(session.current);
  session.resume();
  if (session.current) void refreshJwks();
  window.addEventListener('online', () => { session.resume(); void refreshJwks(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') session.resume(); });
}

/** Sign in: a session, or (a one-time password) the token with which the user must set a new password first */
export async function signIn(username: string, password: string): Promise<StoredSession | PasswordChangeRequired> {
  const r = await session.login(username, password);
  return isPasswordChange(r) ? r : opened(r);
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
  ensurePool(s);
  pool?.setToken(s.token);
  setExpired(false);
  // platform keys for offline code verification; the device key (registered when possible)
  void refreshJwks();
  if (s.principal.role === 'inspector' || s.principal.role === 'enterprise') void deviceKey(s.principal.userId, s.token).catch(() => {});
  return s;
}

/** Sign out: end the session and delete this user's local documents and caches (shared phones). */
export async function signOut(): Promise<void> {
  const s = session.current;
  const p = pool;
  pool = null;
  poolUnsub?.();
  poolUnsub = null;
  setPoolStatus(EMPTY);
  await session.signOut();
  if (p) await p.wipe();
  else if (s) await wipeUserData(s.principal.userId);
  if (s) {
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const k = localStorage.key(i);
        if (k && k.startsWith(`eicp.cache.${s.principal.userId}.`)) localStorage.removeItem(k);
      }
      localStorage.removeItem(`eicp.storageNotice.${s.principal.userId}`);
    } catch { /* ignore */ }
  }
}

export interface UseDoc {
  handle: Accessor<DocHandle | null>;
  status: Accessor<DocStatus | null>;
  loaded: Accessor<boolean>;
}

/** Open a room for the lifetime of the calling component (reactive: a new room name reopens). */
export function useDoc(room: Accessor<string | null>): UseDoc {
  const [handle, setHandle] = createSignal<DocHandle | null>(null);
  const [status, setStatus] = createSignal<DocStatus | null>(null);
  const [loaded, setLoaded] = createSignal(false);
  createEffect(() => {
    const r = room();
    userId(); // reopen for another user, not for a refreshed token
    const p = untrack(getPool);
    if (!r || !p) { setHandle(null); setStatus(null); return; }
    const h = p.open(r);
    setLoaded(false);
    setHandle(h);
    setStatus(h.status());
    const off = h.onStatus((s) => { setStatus(s); if (s.loaded) setLoaded(true); });
    void h.whenLoaded.then(() => { if (handle() === h) { setLoaded(true); setStatus(h.status()); } });
    onCleanup(() => { off(); h.release(); });
  });
  return { handle, status, loaded };
}

/** A small cache of JSON in localStorage, per user (wiped on sign-out). */
export function cacheGet<T>(key: string): T | null {
  const p = principal();
  if (!p) return null;
  try { const v = localStorage.getItem(`eicp.cache.${p.userId}.${key}`); return v ? (JSON.parse(v) as T) : null; } catch { return null; }
}
export function cacheSet(key: string, value: unknown): void {
  const p = principal();
  if (!p) return;
  try { localStorage.setItem(`eicp.cache.${p.userId}.${key}`, JSON.stringify(value)); } catch { /* quota */ }
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
  } catch { r = 'refused'; }
  setPersistResult(r);
  return r;
}
