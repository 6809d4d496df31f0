/**
 * Sign-in, sessions and a user's own password.
 *   POST /api/login {username, password}  → LoginResponse, or PasswordChangeRequired for a one-time password
 *                                           (400 bad body, 401 bad_credentials, 429 rate_limited)
 *   POST /api/refresh {refreshToken}      → LoginResponse (rotated)  (401 bad_refresh_token)
 *   POST /api/logout {refreshToken}       → {ok: true}
 *   GET  /api/me (Bearer)                 → Principal
 *   POST /api/password {currentPassword, newPassword} (Bearer: an access token, or the password-change token
 *        of a one-time-password sign-in) → LoginResponse for this device; every other session of the user ends
 *        (400 weak_password / wrong_password, 401, 429 rate_limited)
 *   GET  /api/instance (public)           → InstanceInfo: demo or production; a demo lists its demo accounts
 */
import { z } from 'zod';
import { LoginRequest, type LoginResponse } from '../../src/domain/schemas';
import type { Clock } from '../clock';
import { PasswordChangeRequest, type InstanceInfo, type PasswordChangeRequired } from '../../src/protocol/auth';
import { errors, HttpError, readJson, sendJson, type Bilingual, type Router } from '../http/router';
import type { UserRow } from '../store/directory';
import { PASSWORD_CHANGE_TTL_SECONDS, type TokenService, type RefreshTokens } from './tokens';
import type { FailureLimiter } from './ratelimit';
import { dummyHash, verifyPassword } from './passwords';
import { principalOf, type Accounts } from './accounts';
import { bearerOf, bearerToken } from '../api/bearer';
import { DEMO_PASSWORD } from '../seed/constants';
import type { Metrics } from '../metrics';
import type { Logger } from '../log';

export interface AuthDeps {
  accounts: Accounts;
  tokens: TokenService;
  refresh: RefreshTokens;
  /** failed sign-ins and wrong current passwords share these: one budget of guesses per account and IP */
  failsByAccount: FailureLimiter;
  failsByIp: FailureLimiter;
  metrics: Metrics;
  log: Logger;
  mode: 'demo' | 'production';
  /** the server's clock: /api/instance tells the app its time when CLOCK_NOW set it */
  clock: Pick<Clock, 'iso' | 'startedAt'>;
  /** open sync sessions of a user end when their password changes (the relay) */
  sessions: { endSessionsOf(userId: string): number };
}

const RefreshRequest = z.object({ refreshToken: z.string().min(16).max(200) });

const BAD_CREDENTIALS = { zh: '用户名或密码错误', en: 'Wrong user name or password' };
const BAD_REFRESH = { zh: '登录已失效，请重新登录', en: 'This session is no longer valid; sign in again' };

const rateLimited = (seconds: number, what: Bilingual) => {
  const min = Math.ceil(seconds / 60);
  return new HttpError(429, 'rate_limited', { zh: `${what.zh}，请 ${min} 分钟后再试`, en: `${what.en}; try again in ${min} min` }, { 'Retry-After': String(seconds) });
};

export function registerAuthRoutes(router: Router, d: AuthDeps): void {
  const issue = async (u: UserRow): Promise<LoginResponse> => {
    const p = principalOf(u);
    return { ...p, token: await d.tokens.sign(p, u.token_epoch), expiresIn: d.tokens.ttlSeconds, refreshToken: d.refresh.issue(u.id) };
  };
  const bearer = bearerOf(d.tokens);
  /** seconds until this account or IP may guess again, or 0 */
  const waitFor = (accountKey: string, ip: string) => Math.max(d.failsByAccount.retryAfter(accountKey), d.failsByIp.retryAfter(ip));
  const failed = (accountKey: string, ip: string, reason: string) => {
    d.failsByAccount.fail(accountKey);
    d.failsByIp.fail(ip);
    d.metrics.loginFailures.inc({ reason });
  };

  router.post('/api/login', async (ctx) => {
    const body = await readJson(ctx.req, LoginRequest);
    const accountKey = body.username.toLowerCase();
    const wait = waitFor(accountKey, ctx.ip);
    if (wait > 0) {
      d.metrics.loginFailures.inc({ reason: 'rate_limited' });
      throw rateLimited(wait, { zh: '登录失败次数过多', en: 'Too many failed sign-ins' });
    }
    const u = d.accounts.byUsername(body.username);
    // an unknown or disabled account costs the same scrypt as a real one: no user-name oracle by timing
    const ok = u && !u.disabled ? await verifyPassword(body.password, u.password_hash) : (await verifyPassword(body.password, await dummyHash()), false);
    if (!ok || !u) {
      failed(accountKey, ctx.ip, 'bad_credentials');
      d.log.info('login failed', { username: body.username.slice(0, 64), ip: ctx.ip });
      throw new HttpError(401, 'bad_credentials', BAD_CREDENTIALS);
    }
    d.failsByAccount.reset(accountKey);
    if (u.must_change_password) {
      // a one-time password opens no session: its token is good for POST /api/password only
      d.log.info('login with a one-time password', { userId: u.id, role: u.role, ip: ctx.ip });
      const r: PasswordChangeRequired = {
        passwordChangeRequired: true, passwordChangeToken: await d.tokens.signPasswordChange(u.id, u.token_epoch),
        expiresIn: PASSWORD_CHANGE_TTL_SECONDS, username: u.username, role: principalOf(u).role, name: u.name,
      };
      sendJson(ctx.res, 200, r);
      return;
    }
    d.metrics.logins.inc();
    d.log.info('login', { userId: u.id, role: u.role, ip: ctx.ip });
    sendJson(ctx.res, 200, await issue(u));
  });

  router.post('/api/refresh', async (ctx) => {
    const body = await readJson(ctx.req, RefreshRequest);
    const userId = d.refresh.consume(body.refreshToken);
    const u = userId ? d.accounts.byId(userId) : undefined;
    if (!u || u.disabled || u.must_change_password) throw new HttpError(401, 'bad_refresh_token', BAD_REFRESH);
    sendJson(ctx.res, 200, await issue(u));
  });

  router.post('/api/logout', async (ctx) => {
    const body = await readJson(ctx.req, RefreshRequest);
    d.refresh.revoke(body.refreshToken);
    sendJson(ctx.res, 200, { ok: true });
  });

  router.get('/api/me', async (ctx) => {
    sendJson(ctx.res, 200, await bearer(ctx));
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
    const accountKey = u.username.toLowerCase();
    const wait = waitFor(accountKey, ctx.ip);
    if (wait > 0) {
      d.metrics.loginFailures.inc({ reason: 'rate_limited' });
      throw rateLimited(wait, { zh: '密码错误次数过多', en: 'Too many wrong passwords' });
    }
    let changed: UserRow;
    try {
      changed = await d.accounts.changePassword(userId, body.currentPassword, body.newPassword);
    } catch (e) {
      if (e instanceof HttpError && e.code === 'wrong_password') {
        failed(accountKey, ctx.ip, 'wrong_password');
        d.log.info('password change refused: wrong current password', { userId, ip: ctx.ip });
      }
      throw e;
    }
    d.failsByAccount.reset(accountKey);
    const ended = d.sessions.endSessionsOf(userId);
    d.log.info('password changed', { userId, ip: ctx.ip, socketsClosed: ended });
    d.metrics.logins.inc();
    sendJson(ctx.res, 200, await issue(changed));
  });

  router.get('/api/instance', (ctx) => {
    const info: InstanceInfo = d.mode === 'demo'
      ? { mode: 'demo', demoAccounts: d.accounts.demoAccounts(), demoPassword: DEMO_PASSWORD }
      : { mode: 'production' };
    if (d.clock.startedAt) info.serverClock = { now: d.clock.iso(), startedAt: d.clock.startedAt };
    sendJson(ctx.res, 200, info);
  });
}
