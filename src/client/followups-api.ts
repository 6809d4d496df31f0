/** Rectification follow-ups over HTTP (GET /api/followups, src/protocol/evidence.ts) through the API agent. */
import { FollowUpPage, type FollowUpQuery } from '../protocol/evidence';
import { agent as browserAgent, type Agent } from './agent';

export function createFollowUpsApi(agent: Agent) {
  return {
    /** an agency's follow-ups (its staff), or every agency's (supervisors) */
    list: (q: Partial<FollowUpQuery>) => agent.call(FollowUpPage, '/api/followups', { query: q, auth: 'session' }),
  };
}
export const followUpsApi = createFollowUpsApi(browserAgent);
