/**
 * Who sees which statistics, and the filters as applied (src/protocol/stats.ts): a supervisor any agency or the
 * whole city; an agency admin its own agency only (naming another is 403); every other role 403.
 */
import type { Principal } from '../../src/domain/schemas';
import type { StatsFilter, StatsQuery } from '../../src/protocol/stats';
import { adminScope } from '../auth/rights';
import { errors } from '../http/errors';

export interface StatsScope {
  filter: StatsFilter;
  /** `city`: a supervisor; `agency`: an agency admin (its own figures, small groups suppressed) */
  scope: 'city' | 'agency';
}

/** `year` (the clock's current year) → January to December; `from` alone runs to its year's December, `to` alone from its January */
export function resolveStats(p: Principal, q: StatsQuery, currentYear: number): StatsScope {
  const own = adminScope(p);
  if (own && q.agencyId && q.agencyId !== own) throw errors.forbidden();
  const year = q.year ?? Number((q.from ?? q.to)?.slice(0, 4) ?? currentYear);
  const from = q.from ?? (q.to && !q.year ? `${q.to.slice(0, 4)}-01` : `${year}-01`);
  const to = q.to ?? (q.from && !q.year ? `${q.from.slice(0, 4)}-12` : `${year}-12`);
  const agencyId = own ?? q.agencyId;
  return {
    scope: own ? 'agency' : 'city',
    filter: {
      from,
      to,
      ...(agencyId ? { agencyId } : {}),
      ...(q.division ? { division: q.division } : {}),
      ...(q.industry ? { industry: q.industry } : {}),
    },
  };
}
