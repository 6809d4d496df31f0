/** Statistics of warnings, ratings and complaints, and plans (see service.ts). */
import type { StatsFeedback, StatsPlans, StatsWarnings } from '../../src/protocol/stats';
import type { StatsDeps } from './service';
import type { StatsScope } from './scope';

const todo = (): never => {
  throw new Error('not built yet');
};
export async function warnings(_d: StatsDeps, _s: StatsScope): Promise<StatsWarnings> {
  return todo();
}
export async function feedback(_d: StatsDeps, _s: StatsScope): Promise<StatsFeedback> {
  return todo();
}
export async function plans(_d: StatsDeps, _s: StatsScope): Promise<StatsPlans> {
  return todo();
}
