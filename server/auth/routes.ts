/**
 * Sign-in, sessions and a user's own password.
 *   POST /api/login {username, password}  → SessionResponse + the refresh cookie, or PasswordChangeRequired for a
 *                                           one-time password (400 bad body, 401 bad_credentials, 429 rate_limited)
 *   POST /api/auth/refresh {} (cookie)    → SessionResponse, the refresh cookie rotated (401 bad_refresh_token)
 *   POST /api/auth/logout {} (cookie)     → {ok: true}; the user's access tokens and sync sessions end
 *   GET  /api/me (Bearer)                 → Principal
 *   POST /api/password {currentPassword, newPassword} (Bearer: an access token, or the password-change token
 *        of a one-time-password sign-in) → SessionResponse for this device; every other session of the user ends
 *        (400 weak_password / wrong_password, 401, 429 rate_limited)
 *   POST /api/sync/ticket (Bearer)        → SyncTicket: opens one WebSocket within 30 s (server/auth/tickets.ts)
 *   GET  /api/instance (public)           → InstanceInfo: demo or production; a demo lists its demo accounts
 *
 * The refresh token lives in an HttpOnly cookie (server/auth/cookies.ts), never in a body. Refresh and logout
 * take a JSON body (readJson refuses any other content type): with SameSite=Strict, another site's form can
 * neither send the cookie nor a JSON request without a CORS preflight, which this server never grants.
 *
 * Guessing passwords (no race around the limiter, no forged addresses): an attempt takes its slot in every limiter before the password is
 * checked, and gives it back only when the password was right, so a burst of concurrent guesses is counted
 * as it arrives. Limits per account AND client address, per address, and per account from everywhere; past
 * the last, only an address or device this account signed in from before may still try (server/auth/known.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import {
  EmptyRequest,
  LoginRequest,
  PasswordChangeRequest,
  type InstanceInfo,
  type LogoutResponse,
  type PasswordChangeRequired,
  type SessionResponse,
  type SyncTicket,
} from '../../src/protocol/auth';
import { readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors, HttpError, type Bilingual } from '../http/errors';
import type { UserRow } from '../directory/store';
import type { DB } from '../store/db';
import { PASSWORD_CHANGE_TTL_SECONDS, type TokenService, type RefreshTokens } from './tokens';
import type { FailureLimiter } from './ratelimit';
import { dummyHash, hashPassword, needsRehash, PasswordsBusy, verifyPassword } from './passwords';
import { principalOf, type Accounts } from './accounts';
import { bearerOf, bearerToken } from './bearer';
import { DEMO_PASSWORD } from '../seed/constants';
import type { Metrics } from '../metrics';
import type { Logger } from '../log';
import { cookieOf, DEVICE_COOKIE, DEVICE_COOKIE_PATH, DEVICE_COOKIE_SECONDS, REFRESH_COOKIE, REFRESH_COOKIE_PATH, setCookie } from './cookies';
import { KnownClients } from './known';
import { TicketStore } from './tickets';
import { watchAccounts } from './watch';

export interface AuthDeps {
  db: DB;
  accounts: Accounts;
  tokens: TokenService;
  refresh: RefreshTokens;
  tickets: TicketStore;
  /** failed sign-ins and wrong current passwords share these budgets of guesses */
  limits: {
    /** per account from one client address */
    accountIp: FailureLimiter;
    /** per client address, every account together */
    ip: FailureLimiter;
    /** per account from every address together: past it only known addresses and devices may try */
    account: FailureLimiter;
  };
  metrics: Metrics;
  log: Logger;
  mode: 'demo' | 'production';
  /** the server's clock: /api/instance tells the app its time when CLOCK_NOW set it */
  clock: Pick<Clock, 'iso' | 'startedAt'>;
  /** open sync sessions of a user end when their password changes, they sign out or are disabled (the relay) */
  sessions: { endSessionsOf(userId: string): number };
  /** how often the users table is checked for changes made by another process (the admin command), ms */
  watchMs?: number;
  /** the unified sign-in's button text, when it is set up (server/auth/oidc.ts) */
  oidcLabel?: Bilingual;
}

const BAD_CREDENTIALS = { zh: '用户名或密码错误', en: 'Wrong user name or password' };
const BAD_REFRESH = { zh: '登录已失效，请重新登录', en: 'This session is no longer valid; sign in again' };
const BUSY = { zh: '登录请求过多，请稍后再试', en: 'Too many sign-ins at this moment; try again shortly' };

const rateLimited = (seconds: number, what: Bilingual) => {
  const min = Math.ceil(seconds / 60);
  return new HttpError(
    429,
    'rate_limited',
    { zh: `${what.zh}，请 ${min} 分钟后再试`, en: `${what.en}; try again in ${min} min` },
    { 'Retry-After': String(seconds) },
  );
};

export function registerAuthRoutes(router: Router, d: AuthDeps): void {
  const known = new KnownClients(d.db, Date.now);
  watchAccounts(d.db, d.sessions, d.log, d.watchMs);
  const bearer = bearerOf(d.tokens);
  const L = d.limits;

  const refreshCookie = (token: string) => setCookie(REFRESH_COOKIE, token, REFRESH_COOKIE_PATH, d.refresh.ttlSeconds);
  const clearRefresh = setCookie(REFRESH_COOKIE, '', REFRESH_COOKIE_PATH, 0);
  /** a session for `u`: the access token in the body, the refresh token in its cookie */
  const issue = async (ctx: Ctx, u: UserRow, extraCookies: string[] = []): Promise<void> => {
    const p = principalOf(u);
    const body: SessionResponse = { ...p, token: await d.tokens.sign(p, u.token_epoch), expiresIn: d.tokens.ttlSeconds };
    sendJson(ctx.res, 200, body, { 'Set-Cookie': [refreshCookie(d.refresh.issue(u.id)), ...extraCookies] as unknown as string });
  };

  /**
   * Take a guess's slot in each limiter now, before the password is checked (429 when none is left);
   * `right()` gives the slots back, a wrong password keeps them.
   */
  const attempt = (accountKey: string, ip: string, knownClient: boolean, what: Bilingual, scope = ip) => {
    const aip = `${accountKey}\n${scope}`;
    const wait = Math.max(L.accountIp.retryAfter(aip), L.ip.retryAfter(ip), knownClient ? 0 : L.account.retryAfter(accountKey));
    if (wait > 0) {
      d.metrics.loginFailures.inc({ reason: 'rate_limited' });
      throw rateLimited(wait, what);
    }
    const t = [L.accountIp.reserve(aip), L.ip.reserve(ip), L.account.reserve(accountKey)] as const;
    return {
      right: () => {
        L.accountIp.release(aip, t[0]);
        L.ip.release(ip, t[1]);
        L.account.release(accountKey, t[2]);
      },
      wrong: (reason: string) => d.metrics.loginFailures.inc({ reason }),
    };
  };

  const busy = (e: unknown): never => {
    if (e instanceof PasswordsBusy) throw new HttpError(503, 'busy', BUSY, { 'Retry-After': '5' });
    throw e;
  };

  /** a stored hash of older parameters gets today's, once the password has proven right (N = 2^17) */
  const rehash = (u: UserRow, password: string) => {
    if (!needsRehash(u.password_hash)) return;
    void hashPassword(password)
      .then((h) => {
        // only if nothing changed the password meanwhile; the token epoch stays: no session ends
        d.accounts.upgradeHash(u.id, u.password_hash, h);
        d.log.info('password hash upgraded to current parameters', { userId: u.id });
      })
      .catch((err: unknown) => d.log.warn('password rehash failed', { userId: u.id, err }));
  };

  router.post('/api/login', async (ctx) => {
    const body = await readJson(ctx.req, LoginRequest);
    const accountKey = body.username.toLowerCase();
    const u = d.accounts.byUsername(body.username);
    const device = cookieOf(ctx.req, DEVICE_COOKIE);
    const a = attempt(accountKey, ctx.ip, !!u && known.known(u.id, ctx.ip, device), { zh: '登录失败次数过多', en: 'Too many failed sign-ins' });
    // an unknown or disabled account costs the same scrypt as a real one: no user-name oracle by timing
    const ok = await (u && !u.disabled
      ? verifyPassword(body.password, u.password_hash)
      : verifyPassword(body.password, await dummyHash()).then(() => false)
    ).catch(busy);
    if (!ok || !u) {
      a.wrong('bad_credentials');
      d.log.info('login failed', { username: body.username.slice(0, 64), ip: ctx.ip });
      throw new HttpError(401, 'bad_credentials', BAD_CREDENTIALS);
    }
    a.right();
    rehash(u, body.password);
    if (u.must_change_password) {
      // a one-time password opens no session: its token is good for POST /api/password only
      d.log.info('login with a one-time password', { userId: u.id, role: u.role, ip: ctx.ip });
      const r: PasswordChangeRequired = {
        passwordChangeRequired: true,
        passwordChangeToken: await d.tokens.signPasswordChange(u.id, u.token_epoch),
        expiresIn: PASSWORD_CHANGE_TTL_SECONDS,
        username: u.username,
        role: principalOf(u).role,
        name: u.name,
      };
      sendJson(ctx.res, 200, r);
      return;
    }
    const dev = device ?? randomBytes(24).toString('base64url');
    known.remember(u.id, ctx.ip, dev);
    d.metrics.logins.inc();
    d.log.info('login', { userId: u.id, role: u.role, ip: ctx.ip });
    await issue(ctx, u, [setCookie(DEVICE_COOKIE, dev, DEVICE_COOKIE_PATH, DEVICE_COOKIE_SECONDS)]);
  });

  router.post('/api/auth/refresh', async (ctx) => {
    await readJson(ctx.req, EmptyRequest);
    const rt = cookieOf(ctx.req, REFRESH_COOKIE);
    const userId = rt ? d.refresh.consume(rt) : null;
    const u = userId ? d.accounts.byId(userId) : undefined;
    if (!u || u.disabled || u.must_change_password) throw new HttpError(401, 'bad_refresh_token', BAD_REFRESH, { 'Set-Cookie': clearRefresh });
    await issue(ctx, u);
  });

  router.post('/api/auth/logout', async (ctx) => {
    await readJson(ctx.req, EmptyRequest);
    const rt = cookieOf(ctx.req, REFRESH_COOKIE);
    let userId = rt ? d.refresh.revoke(rt) : null;
    if (!userId) {
      const v = await d.tokens.verify(bearerToken(ctx));
      if (v.ok) userId = v.principal.userId;
    }
    if (userId) {
      // the access token of this session (and any other of the user's) stops working now; other devices
      // keep their refresh tokens and get a new access token at their next refresh
      d.accounts.raiseEpoch(userId);
      const ended = d.sessions.endSessionsOf(userId);
      d.log.info('logout', { userId, ip: ctx.ip, socketsClosed: ended });
    }
    sendJson(ctx.res, 200, { ok: true } satisfies LogoutResponse, { 'Set-Cookie': clearRefresh });
  });

  router.get('/api/me', async (ctx) => {
    sendJson(ctx.res, 200, await bearer(ctx));
  });

  router.post('/api/sync/ticket', async (ctx) => {
    const token = bearerToken(ctx);
    const v = await d.tokens.verify(token);
    if (!v.ok || !token) throw v.ok || v.reason !== 'expired' ? errors.unauthorized() : errors.tokenExpired();
    const ticket = d.tickets.issue(token, v.principal.userId);
    if (!ticket)
      throw new HttpError(
        429,
        'rate_limited',
        { zh: '同步连接请求过多，请稍后再试', en: 'Too many sync connections requested; try again shortly' },
        { 'Retry-After': '30' },
      );
    const body: SyncTicket = { ticket, expiresIn: d.tickets.ttlSeconds };
    sendJson(ctx.res, 200, body);
  });

  router.post('/api/password', async (ctx) => {
    const token = bearerToken(ctx);
    if (!token) throw errors.unauthorized();
    // an access token, or the password-change token of a one-time-password sign-in
    const v = await d.tokens.verify(token);
    if (!v.ok && v.reason === 'expired') throw errors.tokenExpired();
    const userId = v.ok ? v.principal.userId : await d.tokens.verifyPasswordChange(token);
    if (!userId) throw errors.unauthorized();
    const body = await readJson(ctx.req, PasswordChangeRequest);
    const u = d.accounts.byId(userId);
    if (!u || u.disabled) throw errors.unauthorized();
    // the caller holds a session of this account (its owner, or whoever stole an access token): wrong current
    // passwords are limited per account from every address together, and do not touch the owner's sign-ins
    const a = attempt(u.username.toLowerCase(), ctx.ip, true, { zh: '密码错误次数过多', en: 'Too many wrong passwords' }, 'password-change');
    let changed: UserRow;
    try {
      changed = await d.accounts.changePassword(userId, body.currentPassword, body.newPassword);
    } catch (e) {
      if (e instanceof HttpError && e.code === 'wrong_password') {
        a.wrong('wrong_password');
        d.log.info('password change refused: wrong current password', { userId, ip: ctx.ip });
      } else {
        a.right();
      }
      busy(e);
      throw e;
    }
    a.right();
    const ended = d.sessions.endSessionsOf(userId);
    d.log.info('password changed', { userId, ip: ctx.ip, socketsClosed: ended });
    d.metrics.logins.inc();
    await issue(ctx, changed);
  });

  router.get('/api/instance', (ctx) => {
    const info: InstanceInfo =
      d.mode === 'demo' ? { mode: 'demo', demoAccounts: d.accounts.demoAccounts(), demoPassword: DEMO_PASSWORD } : { mode: 'production' };
    if (d.clock.startedAt) info.serverClock = { now: d.clock.iso(), startedAt: d.clock.startedAt };
    if (d.oidcLabel) info.oidc = { label: d.oidcLabel };
    sendJson(ctx.res, 200, info);
  });
}
