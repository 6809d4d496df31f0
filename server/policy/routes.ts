/**
 * The city policy's routes (src/protocol/policy.ts):
 *   GET  /api/policy           everyone signed in: the policy in force today and the scheduled changes
 *   POST /api/policy           supervisors: {effectiveFrom, policy}, effectiveFrom today or later
 *   POST /api/policy/withdraw  supervisors: {effectiveFrom} of a change not yet in force
 */
import { SchedulePolicyRequest, WithdrawPolicyRequest, type PolicyState } from '../../src/protocol/policy';
import { readJson, sendJson, type Router } from '../http/router';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { PolicyService } from './service';

export interface PolicyRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  policy: PolicyService;
}

export function registerPolicyRoutes(router: Router, d: PolicyRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  router.get('/api/policy', async (ctx) => {
    await bearer(ctx);
    sendJson(ctx.res, 200, (await d.policy.state()) satisfies PolicyState);
  });
  router.post('/api/policy', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, SchedulePolicyRequest);
    sendJson(ctx.res, 200, (await d.policy.schedule(p, body.effectiveFrom, body.policy)) satisfies PolicyState);
  });
  router.post('/api/policy/withdraw', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, WithdrawPolicyRequest);
    sendJson(ctx.res, 200, (await d.policy.withdraw(p, body.effectiveFrom)) satisfies PolicyState);
  });
}
