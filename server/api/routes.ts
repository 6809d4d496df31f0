/**
 * The HTTP API.
 *   POST /api/login {username, password}  → LoginResponse            (400 bad body, 401 bad_credentials, 429 rate_limited)
 *   POST /api/refresh {refreshToken}      → LoginResponse (rotated)  (401 bad_refresh_token)
 *   POST /api/logout {refreshToken}       → {ok: true}
 *   GET  /api/me (Bearer)                 → Principal
 *   GET  /api/directory (public)          → {divisions, agencies}
 *   GET  /api/enterprises?q=&division=&industry=&limit=&offset= (agency, supervisor, inspector) → {total, limit, offset, items}
 *   GET  /api/enterprises/:uscc (that enterprise, agencies, inspectors, supervisors) → Enterprise  (404 not_found)
 *   GET  /api/inspectors?agencyId= (signed in) → {items}
 */
import { z } from 'zod';
import { LoginRequest, Principal, UsccShape, Id, type LoginResponse } from '../../src/domain/schemas';
import { errors, HttpError, parseQuery, readJson, sendJson, type Router } from '../http/router';
import type { Directory, UserRow } from '../store/directory';
import type { TokenService, RefreshTokens } from '../auth/tokens';
import type { FailureLimiter } from '../auth/ratelimit';
import { dummyHash, verifyPassword } from '../auth/passwords';
import type { Metrics } from '../metrics';
import type { Logger } from '../log';
import { bearerOf } from './bearer';

export interface ApiDeps {
  dir: Directory;
  tokens: TokenService;
  refresh: RefreshTokens;
  failsByAccount: FailureLimiter;
  failsByIp: FailureLimiter;
  metrics: Metrics;
  log: Logger;
}

const RefreshRequest = z.object({ refreshToken: z.string().min(16).max(200) });

const EnterpriseQuery = z.object({
  q: z.string().trim().max(100).optional(),
  division: z.string().regex(/^\d{6}$/, 'division: a 6-digit code').optional(),
  industry: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const InspectorQuery = z.object({ agencyId: Id.optional() });

const BAD_CREDENTIALS = { zh: '用户名或密码错误', en: 'Wrong user name or password' };

function principalOf(u: UserRow): Principal {
  return Principal.parse({
    userId: u.id, role: u.role, name: u.name,
    agencyId: u.agency_id ?? undefined, inspectorId: u.inspector_id ?? undefined, uscc: u.uscc ?? undefined,
  });
}

export function registerApi(router: Router, d: ApiDeps): void {
  const issue = async (u: UserRow): Promise<LoginResponse> => {
    const p = principalOf(u);
    return { ...p, token: await d.tokens.sign(p), expiresIn: d.tokens.ttlSeconds, refreshToken: d.refresh.issue(u.id) };
  };

  const bearer = bearerOf(d.tokens);
  const requireRole = (p: Principal, roles: Principal['role'][]) => { if (!roles.includes(p.role)) throw errors.forbidden(); };

  const rateLimited = (seconds: number) => new HttpError(429, 'rate_limited', {
    zh: `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`,
    en: `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} min`,
  }, { 'Retry-After': String(seconds) });

  router.post('/api/login', async (ctx) => {
    const body = await readJson(ctx.req, LoginRequest);
    const accountKey = body.username.toLowerCase();
    const wait = Math.max(d.failsByAccount.retryAfter(accountKey), d.failsByIp.retryAfter(ctx.ip));
    if (wait > 0) {
      d.metrics.loginFailures.inc({ reason: 'rate_limited' });
      throw rateLimited(wait);
    }
    const u = d.dir.userByUsername(body.username);
    const ok = u && !u.disabled ? await verifyPassword(body.password, u.password_hash) : (await verifyPassword(body.password, await dummyHash()), false);
    if (!ok || !u) {
      d.failsByAccount.fail(accountKey);
      d.failsByIp.fail(ctx.ip);
      d.metrics.loginFailures.inc({ reason: 'bad_credentials' });
      d.log.info('login failed', { username: body.username.slice(0, 64), ip: ctx.ip });
      throw new HttpError(401, 'bad_credentials', BAD_CREDENTIALS);
    }
    d.failsByAccount.reset(accountKey);
    d.metrics.logins.inc();
    d.log.info('login', { userId: u.id, role: u.role, ip: ctx.ip });
    sendJson(ctx.res, 200, await issue(u));
  });

  router.post('/api/refresh', async (ctx) => {
    const body = await readJson(ctx.req, RefreshRequest);
    const userId = d.refresh.consume(body.refreshToken);
    const u = userId ? d.dir.userById(userId) : undefined;
    if (!u || u.disabled) {
      throw new HttpError(401, 'bad_refresh_token', { zh: '登录已失效，请重新登录', en: 'This session is no longer valid; sign in again' });
    }
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

  router.get('/api/directory', (ctx) => {
    sendJson(ctx.res, 200, { divisions: d.dir.divisions(), agencies: d.dir.agencies() });
  });

  router.get('/api/enterprises', async (ctx) => {
    const p = await bearer(ctx);
    requireRole(p, ['agency', 'supervisor', 'inspector']);
    const q = parseQuery(ctx.url, EnterpriseQuery);
    const r = d.dir.enterprises(q);
    sendJson(ctx.res, 200, { total: r.total, limit: q.limit, offset: q.offset, items: r.items });
  });

  router.get('/api/enterprises/:uscc', async (ctx) => {
    const p = await bearer(ctx);
    const uscc = UsccShape.safeParse(ctx.params.uscc);
    if (!uscc.success) throw errors.badRequest('bad_uscc', { zh: '统一社会信用代码格式不正确', en: 'Not a valid unified social credit code (USCC)' });
    if (p.role === 'enterprise' && p.uscc !== uscc.data) throw errors.forbidden();
    const e = d.dir.enterprise(uscc.data);
    if (!e) throw errors.notFound({ zh: `未找到统一社会信用代码为 ${uscc.data} 的企业`, en: `No enterprise with USCC ${uscc.data}` });
    sendJson(ctx.res, 200, e);
  });

  router.get('/api/inspectors', async (ctx) => {
    await bearer(ctx);
    const q = parseQuery(ctx.url, InspectorQuery);
    sendJson(ctx.res, 200, { items: d.dir.inspectors(q.agencyId) });
  });
}
