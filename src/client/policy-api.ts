/** The city policy's routes (server/policy/routes.ts) through the API agent, which owns the token. */
import type { PolicyConfig } from '../domain/schemas';
import { PolicyState } from '../protocol/policy';
import { agent as browserAgent, type Agent } from './agent';

export function createPolicyApi(agent: Agent) {
  return {
    /** the policy in force today and the changes scheduled */
    state: () => agent.call(PolicyState, '/api/policy', { auth: 'session' }),
    /** the whole policy in force from `effectiveFrom` (today or later) */
    schedule: (effectiveFrom: string, policy: PolicyConfig) =>
      agent.call(PolicyState, '/api/policy', { method: 'POST', body: { effectiveFrom, policy }, auth: 'session' }),
    /** withdraw a change not yet in force */
    withdraw: (effectiveFrom: string) => agent.call(PolicyState, '/api/policy/withdraw', { method: 'POST', body: { effectiveFrom }, auth: 'session' }),
  };
}

export const policyApi = createPolicyApi(browserAgent);
