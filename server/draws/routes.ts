/**
 * The draw lifecycle over HTTP (server/draws/service.ts does the work; src/protocol/draws.ts is the contract):
 *   POST /api/draws                  (organiser agency admins) → 200 DrawPreview (dryRun) | 201 DrawDetail
 *   GET  /api/draws?year=            (agencies: draws they are a party to; supervisors: all) → DrawList
 *   GET  /api/draws/:id              (parties, supervisors) → DrawDetail
 *   GET  /api/draws/:id/population   (parties, supervisors) → text/plain `<uscc> <class>\n`…
 *   POST /api/draws/:id/commit       (the party's people) → DrawDetail
 *   POST /api/draws/:id/reveal       (the party's people) → DrawDetail
 *   POST /api/draws/:id/cancel       (the organiser, while committing) → DrawDetail
 * Roles are checked before a body is read; enterprises and inspectors get 403 on every one.
 */
import type { z } from 'zod';
import { Id, type Principal } from '../../src/domain/schemas';
import {
  DrawCancelRequest,
  DrawCommitRequest,
  DrawCreateRequest,
  DrawListQuery,
  DrawRevealRequest,
  type DrawDetail,
  type DrawList,
} from '../../src/protocol/draws';
import { parseQuery, readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import { bearerOf } from '../auth/bearer';
import type { DrawService } from './service';

export interface DrawRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  draws: DrawService;
}

export function registerDrawRoutes(router: Router, d: DrawRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  const drawId = (ctx: Ctx): string => {
    const r = Id.safeParse(ctx.params.id);
    if (!r.success) throw errors.notFound({ zh: '没有这个抽查', en: 'No such draw' });
    return r.data;
  };

  router.post('/api/draws', async (ctx) => {
    const p = await bearer(ctx);
    d.draws.requireOrganiser(p);
    const body = await readJson(ctx.req, DrawCreateRequest);
    const r = await d.draws.create(p, body);
    sendJson(ctx.res, r.status, r.body);
  });

  router.get('/api/draws', async (ctx) => {
    const p = await bearer(ctx);
    d.draws.requireStaff(p);
    const q = parseQuery(ctx.url, DrawListQuery);
    sendJson(ctx.res, 200, { items: await d.draws.list(p, q.year) } satisfies DrawList);
  });

  router.get('/api/draws/:id', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, (await d.draws.get(p, drawId(ctx))) satisfies DrawDetail);
  });

  router.get('/api/draws/:id/population', async (ctx) => {
    const p = await bearer(ctx);
    const text = await d.draws.population(p, drawId(ctx));
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    ctx.res.end(text);
  });

  // the parties' steps and the organiser's cancel: a role check before the body, then the service decides who
  const steps = [
    ['commit', DrawCommitRequest, (p, id, b) => d.draws.commit(p, id, b as z.output<typeof DrawCommitRequest>)],
    ['reveal', DrawRevealRequest, (p, id, b) => d.draws.reveal(p, id, b as z.output<typeof DrawRevealRequest>)],
    ['cancel', DrawCancelRequest, (p, id, b) => d.draws.cancel(p, id, b as z.output<typeof DrawCancelRequest>)],
  ] as const satisfies readonly (readonly [string, z.ZodType, (p: Principal, id: string, b: unknown) => Promise<DrawDetail>])[];
  for (const [step, schema, run] of steps) {
    router.post(`/api/draws/:id/${step}`, async (ctx) => {
      const p = await bearer(ctx);
      d.draws.requireStaff(p);
      const id = drawId(ctx);
      const body = await readJson(ctx.req, schema);
      sendJson(ctx.res, 200, (await run(p, id, body)) satisfies DrawDetail);
    });
  }
}
