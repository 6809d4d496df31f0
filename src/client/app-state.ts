/**
 * The signed-in user's documents as Solid state: the DocPool of the signed-in user and `useDoc(room)`, so
 * pages never build providers themselves. Imported by signed-in pages only (it brings Yjs); the session
 * itself (who is signed in, sign-in and sign-out) is session-state.ts, which the first screen loads, and
 * is re-exported here for the pages that read both.
 */
import { createSignal, onCleanup, createEffect, createMemo, createRoot, untrack, type Accessor } from 'solid-js';
import { DocPool, syncUrlOf, type DocHandle, type DocStatus } from './docpool';
import type { StoredSession } from './session';
import { currentSession, onSignOutDetach, principal, session, setPoolStatus } from './session-state';

export {
  session,
  currentSession,
  sessionExpired,
  principal,
  poolStatus,
  startSession,
  signIn,
  changePassword,
  signOut,
  cacheGet,
  cacheSet,
  persistResult,
  requestPersistence,
  type PersistResult,
} from './session-state';

const userId: Accessor<string | null> = createRoot(() => createMemo(() => principal()?.userId ?? null));

let pool: DocPool | null = null;
let poolUnsub: (() => void) | null = null;

function ensurePool(s: StoredSession | null): DocPool | null {
  if (!s) return null;
  if (pool && pool.userId === s.principal.userId) return pool;
  if (pool) {
    poolUnsub?.();
    void pool.dispose();
  }
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
  // a new sign-in, a refresh, or a password change (the server closed the old sessions' sockets): the pool's next token
  if ((why === 'login' || why === 'refresh' || why === 'password') && s && pool && pool.userId === s.principal.userId) pool.setToken(s.token);
});

onSignOutDetach(() => {
  const p = pool;
  pool = null;
  poolUnsub?.();
  poolUnsub = null;
  return p ? () => p.wipe() : null;
});

export function getPool(): DocPool | null {
  return ensurePool(currentSession());
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
    if (!r || !p) {
      setHandle(null);
      setStatus(null);
      return;
    }
    const h = p.open(r);
    setLoaded(false);
    setHandle(h);
    setStatus(h.status());
    const off = h.onStatus((s) => {
      setStatus(s);
      if (s.loaded) setLoaded(true);
    });
    void h.whenLoaded.then(() => {
      if (handle() === h) {
        setLoaded(true);
        setStatus(h.status());
      }
    });
    onCleanup(() => {
      off();
      h.release();
    });
  });
  return { handle, status, loaded };
}
