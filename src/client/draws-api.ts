/**
 * 双随机 draws (server/draws/routes.ts) through the API agent: creating, committing and revealing carry the
 * session; the public routes need no sign-in. Population texts come as plain text (`<uscc> <class>` lines).
 */
import { Coverage, DrawDetail, DrawList, DrawPreview, MyDrawResults, PublicDraw, PublicDrawList, type DrawCreateRequest } from '../protocol/draws';
import { agent as browserAgent, type Agent } from './agent';

const seg = encodeURIComponent;
const S = 'session' as const;

export function createDrawsApi(agent: Agent) {
  const { call, text } = agent;
  return {
    /** counts and checks a draw without storing it (dryRun) */
    preview: (body: DrawCreateRequest) => call(DrawPreview, '/api/draws', { body: { ...body, dryRun: true }, auth: S }),
    create: (body: DrawCreateRequest) => call(DrawDetail, '/api/draws', { body: { ...body, dryRun: false }, auth: S }),
    list: (year: number) => call(DrawList, '/api/draws', { query: { year }, auth: S }),
    get: (id: string) => call(DrawDetail, `/api/draws/${seg(id)}`, { auth: S }),
    population: (id: string) => text(`/api/draws/${seg(id)}/population`, { auth: S }),
    commit: (id: string, party: string, commitment: string) => call(DrawDetail, `/api/draws/${seg(id)}/commit`, { body: { party, commitment }, auth: S }),
    reveal: (id: string, party: string, secret: string) => call(DrawDetail, `/api/draws/${seg(id)}/reveal`, { body: { party, secret }, auth: S }),
    cancel: (id: string, reason: string) => call(DrawDetail, `/api/draws/${seg(id)}/cancel`, { body: { reason }, auth: S }),
    coverage: (year: number, agencyId?: string) => call(Coverage, '/api/draws/coverage', { query: { year, agencyId }, auth: S }),
    mine: () => call(MyDrawResults, '/api/draws/mine', { auth: S }),
    // ---------- public, no sign-in ----------
    publicList: (year?: number) => call(PublicDrawList, '/api/public/draws', { query: { year } }),
    publicGet: (id: string) => call(PublicDraw, `/api/public/draws/${seg(id)}`),
    publicPopulation: (id: string) => text(`/api/public/draws/${seg(id)}/population`),
  };
}

export const drawsApi = createDrawsApi(browserAgent);
