/**
 * The directory API (sign-in, sessions and passwords: server/auth/routes.ts).
 *   GET  /api/directory (public)          → {divisions, agencies}
 *   GET  /api/enterprises?q=&division=&industry=&status=&limit=&offset= (agency, supervisor, inspector) → {total, limit, offset, items}
 *   GET  /api/enterprises/:uscc (that enterprise, agencies, inspectors, supervisors) → Enterprise  (404 not_found)
 *   GET  /api/inspectors?agencyId= (signed in) → {items}
 *   GET  /api/handbooks?industry= (public)  → {industry, chapters: [{agencyId, chapter}]} (一业一册: the
 *        handbook chapters that agencies keep in their `agency/<id>` docs for that industry)
 */
import { type Principal, UsccShape } from '../../src/domain/schemas';
// requests are parsed with the protocol's schemas; the answers' shapes are src/protocol/directory.ts (the store
// hands out its rows as stored JSON, unknown to the compiler: the integration tests check them)
import { EnterpriseQuery, InspectorQuery } from '../../src/protocol/directory';
import { HandbookQuery } from '../../src/protocol/ledger';
import { parseQuery, sendJson, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { Directory } from './store';
import type { TokenService } from '../auth/tokens';
import { bearerOf } from '../auth/bearer';
import type { Handbooks } from './service';

export interface ApiDeps {
  dir: Directory;
  tokens: TokenService;
  handbooks: Handbooks;
}

export function registerApi(router: Router, d: ApiDeps): void {
  const bearer = bearerOf(d.tokens);
  const requireRole = (p: Principal, roles: Principal['role'][]) => {
    if (!roles.includes(p.role)) throw errors.forbidden();
  };

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

  router.get('/api/handbooks', async (ctx) => {
    const q = parseQuery(ctx.url, HandbookQuery);
    sendJson(ctx.res, 200, { industry: q.industry, chapters: await d.handbooks(q.industry) }, { 'Cache-Control': 'public, max-age=60' });
  });
}
