/** Statistics of inspections and results (see service.ts). */
import type { StatsAgencies, StatsEnterprises, StatsMonthly, StatsRecords, StatsSummary } from '../../src/protocol/stats';
import type { StatsDeps } from './service';
import type { StatsScope } from './scope';

const todo = (): never => {
  throw new Error('not built yet');
};
export function summary(_d: StatsDeps, _s: StatsScope): StatsSummary {
  return todo();
}
export function monthly(_d: StatsDeps, _s: StatsScope): StatsMonthly {
  return todo();
}
export function agencies(_d: StatsDeps, _s: StatsScope): StatsAgencies {
  return todo();
}
export function enterprises(_d: StatsDeps, _s: StatsScope): StatsEnterprises {
  return todo();
}
export function records(_d: StatsDeps, _s: StatsScope, _after: string | undefined, _limit: number): StatsRecords {
  return todo();
}
