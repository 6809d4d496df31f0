/**
 * The draws' read routes (server/draws/reads.ts). Registered before the lifecycle routes, so that
 * `/api/draws/coverage` and `/api/draws/mine` are not taken for `/api/draws/:id`.
 *   GET /api/draws/coverage?year=&agencyId=   an agency admin: its own (another agencyId: 403); supervisors: all or one
 *   GET /api/draws/mine                       an enterprise: its own results (every other role: 403)
 *   GET /api/public/draws?year=               no sign-in
 *   GET /api/public/draws/:id                 no sign-in; whole once published
 *   GET /api/public/draws/:id/population      no sign-in; 404 until published
 */
import { Id } from '../../src/domain/schemas';
import { CoverageQuery, PublicDrawListQuery } from '../../src/protocol/draws';
import { parseQuery, sendJson, type Router } from '../http/router';
import { errors } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import { adminScope } from '../auth/rights';
import type { TokenService } from '../auth/tokens';
import type { DrawReads } from './reads';

export interface DrawReadRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  reads: DrawReads;
}

/** draws change at each step: a public answer may be cached briefly, never long */
const PUBLIC_CACHE = { 'Cache-Control': 'public, max-age=5' };
const noSuchDraw = () => errors.notFound({ zh: '没有这次抽取，或尚未公开', en: 'No such draw, or not published yet' });

const drawParam = (s: string | undefined) => {
  const r = Id.safeParse(s);
  if (!r.success) throw errors.badRequest('bad_draw', { zh: '抽取编号格式不正确', en: 'Not a valid draw id' });
  return r.data;
};

export function registerDrawReadRoutes(router: Router, d: DrawReadRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/draws/coverage', async (ctx) => {
    const p = await bearer(ctx);
    const own = adminScope(p);
    const q = parseQuery(ctx.url, CoverageQuery);
    if (own && q.agencyId && q.agencyId !== own) throw errors.forbidden();
    const wanted = own ?? q.agencyId;
    const agencies = d.reads.d.dir.enforcementAgencies().filter((a) => !wanted || a.id === wanted);
    if (wanted && !agencies.length) throw errors.notFound({ zh: '没有这个执法部门', en: 'No such enforcement agency' });
    sendJson(ctx.res, 200, await d.reads.coverage(q.year, agencies));
  });

  router.get('/api/draws/mine', async (ctx) => {
    const p = await bearer(ctx);
    if (p.role !== 'enterprise' || !p.uscc) throw errors.forbidden();
    sendJson(ctx.res, 200, await d.reads.mine(p.uscc));
  });

  router.get('/api/public/draws', async (ctx) => {
    const q = parseQuery(ctx.url, PublicDrawListQuery);
    sendJson(ctx.res, 200, await d.reads.publicList(q.year), PUBLIC_CACHE);
  });

  router.get('/api/public/draws/:id', async (ctx) => {
    const draw = await d.reads.publicDraw(drawParam(ctx.params.id));
    if (!draw) throw noSuchDraw();
    sendJson(ctx.res, 200, draw, PUBLIC_CACHE);
  });

  router.get('/api/public/draws/:id/population', async (ctx) => {
    const text = await d.reads.publicPopulation(drawParam(ctx.params.id));
    if (text === null) throw noSuchDraw();
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', ...PUBLIC_CACHE });
    ctx.res.end(text);
  });
}
