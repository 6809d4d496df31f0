/**
 * The ledger's quarantine over HTTP:
 *   GET  /api/quarantine?uscc=&limit=&offset= (supervisors) → {total, limit, offset, items}: ledger records
 *        that failed device-signature vetting (server/ledger/quarantine.ts), newest first, without their bytes.
 * (What a check code stands for is POST /api/check-code/details in server/codes/routes.ts; the handbooks
 * are GET /api/handbooks in server/directory/routes.ts.)
 */
import { QuarantineQuery, type QuarantinePage } from '../../src/protocol/ledger';
import { parseQuery, sendJson, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import type { QuarantineStore } from './quarantine';
import { bearerOf } from '../auth/bearer';

export interface LedgerRouteDeps {
  tokens: TokenService;
  quarantine: QuarantineStore;
}

export function registerLedgerRoutes(router: Router, d: LedgerRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/quarantine', async (ctx) => {
    const p = await bearer(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const q = parseQuery(ctx.url, QuarantineQuery);
    const r = await d.quarantine.list(q);
    sendJson(ctx.res, 200, { total: r.total, limit: q.limit, offset: q.offset, items: r.items } satisfies QuarantinePage);
  });
}
