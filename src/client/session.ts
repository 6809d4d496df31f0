/**
 * The session: sign-in, the access token and who is signed in, kept in localStorage so the installed PWA
 * reopens OFFLINE into the last session. The refresh token is not here: the server keeps it in an HttpOnly
 * cookie that no script can read (an XSS cannot carry off a 30-day credential), and the browser sends it
 * with `api.refresh()` only. Never signs out because the device is offline or the access
 * token expired: it refreshes when the network is back. Only a refused refresh token ends the session
 * (then the user signs in again; their local documents stay until they sign out explicitly).
 * Framework-free (Node tests use it); the Solid app wraps it in a signal (src/client/app-state.ts).
 */
import { z } from 'zod';
import { Principal } from '../domain/schemas';
import { isPasswordChange, type PasswordChangeRequired, type SessionResponse } from '../protocol/auth';
import { ApiError, type AuthApi } from './agent';

/** (a session stored by an older version also held its refresh token: parsing drops it, and it is rewritten) */
export const StoredSession = z.object({
  token: z.string(),
  principal: Principal,
  /** ms since epoch when the access token expires (client clock, from `expiresIn`) */
  expiresAt: z.number(),
  /** the access token lifetime in seconds, to plan the next refresh */
  ttl: z.number(),
});
export type StoredSession = z.infer<typeof StoredSession>;

export interface KV {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

export type RefreshResult = 'ok' | 'offline' | 'invalid';

export interface SessionOptions {
  /** the sign-in routes (agent.ts; `createApi(…)` has them too) */
  api: AuthApi;
  storage?: KV;
  now?: () => number;
  isOnline?: () => boolean;
  /** key in storage */
  key?: string;
}

const memoryKV = (): KV => {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
};

export class SessionManager {
  private s: StoredSession | null = null;
  private readonly listeners = new Set<(s: StoredSession | null, why: string) => void>();
  private refreshing: Promise<RefreshResult> | null = null;
  /** a new session (sign-in, password, sign-out) raises it: a refresh that was under way then loses */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly storage: KV;
  private readonly now: () => number;
  private readonly isOnline: () => boolean;
  private readonly key: string;
  /** set when the server refused the refresh token: the UI asks for a new sign-in */
  expired = false;

  constructor(private readonly o: SessionOptions) {
    this.storage = o.storage ?? (typeof localStorage !== 'undefined' ? localStorage : memoryKV());
    this.now = o.now ?? Date.now;
    this.isOnline = o.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
    this.key = o.key ?? 'eicp.session';
    try {
      const raw = this.storage.getItem(this.key);
      if (raw) {
        const stored = JSON.parse(raw) as unknown;
        const r = StoredSession.safeParse(stored);
        if (r.success) {
          this.s = r.data;
          // an older version kept the refresh token here: write the session back without it
          if (stored && typeof stored === 'object' && 'refreshToken' in stored) this.storage.setItem(this.key, JSON.stringify(r.data));
        } else this.storage.removeItem(this.key);
      }
    } catch {
      /* unreadable: no session */
    }
  }

  get current(): StoredSession | null {
    return this.s;
  }
  get principal() {
    return this.s?.principal ?? null;
  }
  get token(): string | null {
    return this.s?.token ?? null;
  }
  /** the access token is still valid for at least `marginMs` */
  tokenFresh(marginMs = 5_000): boolean {
    return !!this.s && this.s.expiresAt - marginMs > this.now();
  }

  subscribe(fn: (s: StoredSession | null, why: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(s: StoredSession | null, why: string): void {
    this.s = s;
    try {
      if (s) this.storage.setItem(this.key, JSON.stringify(s));
      else this.storage.removeItem(this.key);
    } catch {
      /* quota: the session lives in memory only */
    }
    for (const l of this.listeners) l(s, why);
  }

  private fromResponse(r: SessionResponse): StoredSession {
    const { token, expiresIn, ...rest } = r;
    return { token, principal: Principal.parse(rest), expiresAt: this.now() + expiresIn * 1000, ttl: expiresIn };
  }

  /**
   * Sign in; throws ApiError (wrong password, rate limited, offline). A one-time password opens no session:
   * the answer is the token for `changePassword`, the one thing it allows.
   */
  async login(username: string, password: string): Promise<StoredSession | PasswordChangeRequired> {
    const r = await this.o.api.login(username, password);
    if (isPasswordChange(r)) return r;
    return this.start(r, 'login');
  }

  /**
   * Set a new password with the current one; `token`: the access token (default) or a password-change token.
   * The answer is a new session for this device (the server ended every other one).
   */
  async changePassword(currentPassword: string, newPassword: string, token = this.s?.token): Promise<StoredSession> {
    if (!token) throw new ApiError(401, 'unauthorized', { zh: '请先登录', en: 'Sign in first' });
    const r = await this.o.api.changePassword({ currentPassword, newPassword }, token);
    return this.start(r, 'password');
  }

  /**
   * A session from the refresh cookie alone: after a sign-in through the province's unified sign-in, the
   * server's redirect left that cookie and nothing else. Throws ApiError (401 when there is no valid cookie).
   */
  async fromCookie(): Promise<StoredSession> {
    return this.start(await this.o.api.refresh(), 'login');
  }

  private start(r: SessionResponse, why: string): StoredSession {
    this.generation++;
    const s = this.fromResponse(r);
    this.expired = false;
    this.set(s, why);
    this.schedule();
    return s;
  }

  /**
   * Exchange the refresh cookie for a new access token (single flight; the server rotates the cookie). 'offline' leaves the session as it is
   * (try again later); 'invalid' marks the session expired (sign in again) but keeps local data.
   */
  refresh(): Promise<RefreshResult> {
    if (!this.s) return Promise.resolve('invalid');
    if (this.refreshing) return this.refreshing;
    const gen = this.generation;
    this.refreshing = (async (): Promise<RefreshResult> => {
      try {
        const r = await this.o.api.refresh();
        // a sign-out during the request wins; so does a new session (its own cookie is newer)
        if (!this.s) return 'invalid';
        if (this.generation !== gen) return 'ok';
        this.set(this.fromResponse(r), 'refresh');
        this.schedule();
        return 'ok';
      } catch (e) {
        // a new session arrived meanwhile (a password change ends the old refresh token): not expired
        if (this.s && this.generation !== gen) return 'ok';
        if (e instanceof ApiError && !e.network && (e.status === 401 || e.status === 400 || e.status === 403)) {
          this.expired = true;
          for (const l of this.listeners) l(this.s, 'expired');
          return 'invalid';
        }
        this.schedule(30_000);
        return 'offline';
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Refresh a little before expiry (at 80% of the lifetime, at least 60 s ahead), when online. */
  schedule(retryMs?: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.s || this.expired) return;
    const lead = Math.max(Math.min(60_000, this.s.ttl * 1000 * 0.2), 1000);
    const at = retryMs !== undefined ? retryMs : Math.max(1000, this.s.expiresAt - lead - this.now());
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.isOnline()) return; // the 'online' event calls resume()
        void this.refresh();
      },
      Math.min(at, 2 ** 31 - 1),
    );
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** The network is back (or the app reopened): refresh now if the token is stale. */
  resume(): void {
    if (!this.s || this.expired) return;
    if (!this.tokenFresh(60_000)) void this.refresh();
    else this.schedule();
  }

  /** End the session here (the caller wipes the user's local documents). */
  async signOut(): Promise<void> {
    const s = this.s;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.expired = false;
    this.generation++;
    this.set(null, 'signout');
    // the server deletes the refresh cookie and ends the user's access tokens; offline, the cookie stays until
    // it expires (the app no longer holds the access token, and the next sign-in replaces the cookie)
    if (s) {
      try {
        await this.o.api.logout(s.token);
      } catch {
        /* offline */
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
