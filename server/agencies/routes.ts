/**
 * The city's divisions and agencies (src/protocol/agencies.ts lists each route); supervisors only, the rights
 * in server/agencies/service.ts. Reading them is public: GET /api/directory.
 *   POST /api/divisions            POST /api/divisions/:code
 *   POST /api/agencies             POST /api/agencies/:id
 */
import { CreateAgencyRequest, CreateDivisionRequest, UpdateAgencyRequest, UpdateDivisionRequest } from '../../src/protocol/agencies';
import { readJson, sendJson, type Router } from '../http/router';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { AgencyAdmin } from './service';

export function registerAgencyRoutes(router: Router, d: { tokens: Pick<TokenService, 'verify'>; agencies: AgencyAdmin }): void {
  const bearer = bearerOf(d.tokens);
  router.post('/api/divisions', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.agencies.createDivision(p, await readJson(ctx.req, CreateDivisionRequest)));
  });
  router.post('/api/divisions/:code', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.agencies.updateDivision(p, ctx.params.code, await readJson(ctx.req, UpdateDivisionRequest)));
  });
  router.post('/api/agencies', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, await d.agencies.createAgency(p, await readJson(ctx.req, CreateAgencyRequest)));
  });
  router.post('/api/agencies/:id', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, await d.agencies.updateAgency(p, ctx.params.id, await readJson(ctx.req, UpdateAgencyRequest)));
  });
}
