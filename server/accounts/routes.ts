/**
 * Account administration and enterprise activation (src/protocol/accounts.ts lists each route):
 *   GET  /api/accounts?q=&role=&agencyId=&disabled=&limit=&offset=   supervisors: all; agency admins: their inspectors
 *   POST /api/accounts                       create (one-time password, shown once)
 *   POST /api/accounts/:userId/disable|enable|reset|rebind
 *   GET  /api/staff?agencyId=                an agency's inspector records with their accounts
 *   POST /api/staff                          a new inspector record and its account
 *   POST /api/staff/:inspectorId/active      a record (and its account) active or not
 *   POST /api/activation-codes               supervisors: a code for one enterprise
 *   POST /api/activation-codes/bulk          supervisors: codes for many, as CSV for the letters
 *   POST /api/activate                       public: the enterprise's own account, answered with a session
 * Rights live in server/accounts/service.ts and activation.ts; inspectors, enterprises and callers without
 * a token are refused everywhere but /api/activate.
 */
import {
  AccountQuery,
  ActivateRequest,
  BulkActivationRequest,
  CreateStaffRequest,
  IssueActivationRequest,
  NoBody,
  RebindRequest,
  StaffActiveRequest,
  StaffQuery,
  ACTIVATION_BULK_MAX,
} from '../../src/protocol/accounts';
import { CreateUserRequest, type SessionResponse } from '../../src/protocol/auth';
import { parseQuery, readJson, sendJson, type Router } from '../http/router';
import { sendCsv } from '../http/csv';
import { bearerOf } from '../auth/bearer';
import { principalOf } from '../auth/accounts';
import type { RefreshTokens, TokenService } from '../auth/tokens';
import { REFRESH_COOKIE, REFRESH_COOKIE_PATH, setCookie } from '../auth/cookies';
import type { Logger } from '../log';
import type { AccountAdmin } from './service';
import type { Activation } from './activation';

export interface AccountRouteDeps {
  tokens: Pick<TokenService, 'verify' | 'sign' | 'ttlSeconds'>;
  refresh: Pick<RefreshTokens, 'issue' | 'ttlSeconds'>;
  admin: AccountAdmin;
  activation: Activation;
  log: Logger;
}

export function registerAccountRoutes(router: Router, d: AccountRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/accounts', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.admin.list(p, parseQuery(ctx.url, AccountQuery)));
  });
  router.post('/api/accounts', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CreateUserRequest);
    sendJson(ctx.res, 200, await d.admin.create(p, body));
  });
  router.post('/api/accounts/:userId/disable', async (ctx) => {
    const p = await bearer(ctx);
    await readJson(ctx.req, NoBody);
    sendJson(ctx.res, 200, d.admin.setDisabled(p, ctx.params.userId, true));
  });
  router.post('/api/accounts/:userId/enable', async (ctx) => {
    const p = await bearer(ctx);
    await readJson(ctx.req, NoBody);
    sendJson(ctx.res, 200, d.admin.setDisabled(p, ctx.params.userId, false));
  });
  router.post('/api/accounts/:userId/reset', async (ctx) => {
    const p = await bearer(ctx);
    await readJson(ctx.req, NoBody);
    sendJson(ctx.res, 200, await d.admin.reset(p, ctx.params.userId));
  });
  router.post('/api/accounts/:userId/rebind', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, RebindRequest);
    sendJson(ctx.res, 200, d.admin.rebind(p, ctx.params.userId, body));
  });

  router.get('/api/staff', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.admin.staff(p, parseQuery(ctx.url, StaffQuery).agencyId));
  });
  router.post('/api/staff', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CreateStaffRequest);
    sendJson(ctx.res, 200, await d.admin.createStaff(p, body));
  });
  router.post('/api/staff/:inspectorId/active', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, StaffActiveRequest);
    sendJson(ctx.res, 200, await d.admin.setStaffActive(p, ctx.params.inspectorId, body.active));
  });

  router.post('/api/activation-codes', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, IssueActivationRequest);
    sendJson(ctx.res, 200, d.activation.issue(p, body.uscc));
  });
  router.post('/api/activation-codes/bulk', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, BulkActivationRequest);
    const r = d.activation.issueMany(p, body, ACTIVATION_BULK_MAX);
    sendCsv(ctx.res, 'activation-codes.csv', ['uscc', 'name', 'code', 'expires_at'], r.rows);
  });

  router.post('/api/activate', async (ctx) => {
    const body = await readJson(ctx.req, ActivateRequest);
    const user = await d.activation.activate(ctx.ip, body);
    d.log.info('enterprise activated', { userId: user.userId, ip: ctx.ip });
    // a session, as a sign-in answers it: the access token in the body, the refresh token in its cookie
    const u = d.admin.account(user.userId);
    const principal = principalOf(u);
    const session: SessionResponse = { ...principal, token: await d.tokens.sign(principal, u.token_epoch), expiresIn: d.tokens.ttlSeconds };
    sendJson(ctx.res, 200, session, { 'Set-Cookie': setCookie(REFRESH_COOKIE, d.refresh.issue(u.id), REFRESH_COOKIE_PATH, d.refresh.ttlSeconds) });
  });
}
