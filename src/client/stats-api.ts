/**
 * Supervision statistics (server/stats/routes.ts) through the API agent. Sections revalidate with the
 * server's ETag (`cache: 'no-cache'`), so polling them for fresh figures costs a 304 while nothing changed.
 */
import {
  EnterpriseFile,
  StatsAgencies,
  StatsEnterprises,
  StatsFeedback,
  StatsMonthly,
  StatsPlans,
  StatsRecords,
  StatsSummary,
  StatsWarnings,
  type StatsQuery,
} from '../protocol/stats';
import { agent as browserAgent, type Agent } from './agent';

const S = 'session' as const;
const SECTIONS = {
  summary: StatsSummary,
  monthly: StatsMonthly,
  agencies: StatsAgencies,
  enterprises: StatsEnterprises,
  warnings: StatsWarnings,
  feedback: StatsFeedback,
  plans: StatsPlans,
} as const;
export type StatsSection = keyof typeof SECTIONS;

export function createStatsApi(agent: Agent) {
  const { call } = agent;
  const section =
    <K extends StatsSection>(k: K) =>
    (q: StatsQuery) =>
      call(SECTIONS[k], `/api/stats/${k}`, { query: { ...q }, auth: S, cache: 'no-cache' });
  return {
    summary: section('summary'),
    monthly: section('monthly'),
    agencies: section('agencies'),
    enterprises: section('enterprises'),
    warnings: section('warnings'),
    feedback: section('feedback'),
    plans: section('plans'),
    /** one page of the ledger's rows for export; `after` is the previous page's `next` */
    records: (q: StatsQuery, after?: string, limit?: number) => call(StatsRecords, '/api/stats/records', { query: { ...q, after, limit }, auth: S }),
    /** 一企一档 (supervisors) */
    enterpriseFile: (uscc: string) => call(EnterpriseFile, `/api/stats/enterprise/${encodeURIComponent(uscc)}`, { auth: S }),
  };
}

export const statsApi = createStatsApi(browserAgent);
