/**
 * The session: sign-in, the tokens and who is signed in, kept in localStorage so the installed PWA
 * reopens OFFLINE into the last session. Never signs out because the device is offline or the access
 * token expired: it refreshes when the network is back. Only a refused refresh token ends the session
 * (then the user signs in again; their local documents stay until they sign out explicitly).
 * Framework-free (Node tests use it); the Solid app wraps it in a signal (src/sync/app-state.ts).
 */
import { z } from 'zod';
import { Principal, type LoginResponse } from '../domain/schemas';
import { isPasswordChange, type PasswordChangeRequired } from '../protocol/auth';
import { ApiError, type Api } from './api';

export const StoredSession = z.object({
  token: z.string(),
  refreshToken: z.string(),
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
  api: Api;
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
        const r = StoredSession.safeParse(JSON.parse(raw));
        if (r.success) this.s = r.data;
        else this.storage.removeItem(this.key);
      }
    } catch { /* unreadable: no session */ }
  }

  get current(): StoredSession | null { return this.s; }
  get principal() { return this.s?.principal ?? null; }
  get token(): string | null { return this.s?.token ?? null; }
  /** the access token is still valid for at least `marginMs` */
  tokenFresh(marginMs = 5_000): boolean { return !!this.s && this.s.expiresAt - marginMs > this.now(); }

  subscribe(fn: (s: StoredSession | null, why: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(s: StoredSession | null, why: string): void {
    this.s = s;
    try {
      if (s) this.storage.setItem(this.key, JSON.stringify(s));
      else this.storage.removeItem(this.key);
    } catch { /* quota: the session lives in memory only */ }
    for (const l of this.listeners) l(s, why);
  }

  private fromResponse(r: LoginResponse): StoredSession {
    const { token, refreshToken, expiresIn, ...rest } = r;
    return { token, refreshToken, principal: Principal.parse(rest), expiresAt: this.now() + expiresIn * 1000, ttl: expiresIn };
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

  private start(r: LoginResponse, why: string): StoredSession {
    const s = this.fromResponse(r);
    this.expired = false;
    this.set(s, why);
    this.schedule();
    return s;
  }

  /**
   * Exchange the refresh token for new tokens (single flight). 'offline' leaves the session as it is
   * (try again later); 'invalid' marks the session expired (sign in again) but keeps local data.
   */
  refresh(): Promise<RefreshResult> {
    if (!this.s) return Promise.resolve('invalid');
    if (this.refreshing) return this.refreshing;
    const rt = this.s.refreshToken;
    this.refreshing = (async (): Promise<RefreshResult> => {
      try {
        const r = await this.o.api.refresh(rt);
        // a sign-out during the request wins
        if (!this.s || this.s.refreshToken !== rt) return 'invalid';
        this.set(this.fromResponse(r), 'refresh');
        this.schedule();
        return 'ok';
      } catch (e) {
        // a new session arrived meanwhile (a password change ends the old refresh token): not expired
        if (this.s && this.s.refreshToken !== rt) return 'ok';
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
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.isOnline()) return; // the 'online' event calls resume()
      void this.refresh();
    }, Math.min(at, 2 ** 31 - 1));
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
    this.set(null, 'signout');
    if (s) { try { await this.o.api.logout(s.refreshToken); } catch { /* offline: the token expires by itself */ } }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
