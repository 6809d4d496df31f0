/**
 * Rectification follow-ups over HTTP (src/protocol/evidence.ts):
 *   GET /api/followups?agencyId=&status=&limit=&offset= (Bearer) → FollowUpPage
 *     an agency's inspectors and admins: their own agency's (another agencyId → 403); supervisors: every
 *     agency's or one; enterprises 403; without a token 401. `pending`: every follow-up not accepted.
 */
import { FollowUpQuery, type FollowUpPage } from '../../src/protocol/evidence';
import type { TokenService } from '../auth/tokens';
import { bearerOf } from '../auth/bearer';
import { parseQuery, sendJson, type Router } from '../http/router';
import type { FollowUpService } from './service';

export interface FollowUpRouteDeps {
  tokens: TokenService;
  followUps: FollowUpService;
}

export function registerFollowUpRoutes(router: Router, d: FollowUpRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  router.get('/api/followups', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, FollowUpQuery);
    sendJson(ctx.res, 200, d.followUps.list(p, q) satisfies FollowUpPage);
  });
}
