/**
 * Joint-inspection suggestions (measure 8, "进一次门、查多项事"): planned on-site items of different
 * agencies whose targets reach the same enterprises in overlapping months are offered as a joint plan.
 */
import type { Enterprise, PlanItem, Targets } from './schemas';

/**
 * Does the enterprise fall under the targets? Each non-empty list must contain the enterprise's
 * value; an empty list means any. A division code covers its own sub-divisions: a city code
 * (`xxxx00`, e.g. 阳泉市 140300) covers every district and county code `xxxxNN` of that city, and a
 * province code (`xx0000`) covers the whole province.
 */
export function enterpriseMatchesTargets(
  e: Pick<Enterprise, 'industry' | 'division' | 'riskLevel'>,
  t: Pick<Targets, 'industries' | 'divisions' | 'riskLevels'> | Partial<Targets>,
): boolean {
  const industries = t.industries ?? [];
  const divisions = t.divisions ?? [];
  const risks = t.riskLevels ?? [];
  if (industries.length && !industries.includes(e.industry)) return false;
  if (risks.length && !risks.includes(e.riskLevel)) return false;
  if (divisions.length && !divisions.some((d) => divisionCovers(d, e.division))) return false;
  return true;
}

/** Does division code `outer` cover `inner` (equal, or a city/province code above it)? */
export function divisionCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (!/^\d{6}$/.test(outer) || !/^\d{6}$/.test(inner)) return false;
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return false;
}

export interface AgencyPlanInput {
  agencyId: string;
  items: readonly PlanItem[];
}

export interface JointSuggestion {
  /** the agencies, sorted */
  agencies: string[];
  /** agency id → its plan item ids in this suggestion */
  planItemIds: Record<string, string[]>;
  /** months (1..12) planned by every agency in the suggestion, ascending */
  months: number[];
  /** enterprises reached by every agency's items */
  enterpriseCount: number;
  /** up to `sampleSize` of those enterprises' USCCs, sorted */
  sampleUsccs: string[];
}

export interface JointSuggestOptions {
  sampleSize?: number;
  /** fewer shared enterprises than this is not worth suggesting (default 1) */
  minEnterprises?: number;
  /** methods that involve entering the enterprise (default on-site only) */
  methods?: readonly PlanItem['method'][];
}

/**
 * For every pair of plan items of two different agencies with overlapping months and at least
 * `minEnterprises` enterprises in both targets, one suggestion; suggestions are then merged per agency
 * pair and month set (so two agencies with several overlapping items get one suggestion listing all of
 * them, with the enterprises of every pair counted once). Sorted by enterpriseCount descending, then
 * by agencies and months, so the output is deterministic.
 */
export function suggestJointPlans(
  plans: readonly AgencyPlanInput[],
  enterprises: readonly Pick<Enterprise, 'uscc' | 'industry' | 'division' | 'riskLevel'>[],
  opts: JointSuggestOptions = {},
): JointSuggestion[] {
  const sampleSize = opts.sampleSize ?? 5;
  const minEnterprises = opts.minEnterprises ?? 1;
  const methods = new Set(opts.methods ?? ['onsite']);
  // each eligible item with the indices of the enterprises it reaches
  const items = plans.flatMap((p) =>
    p.items
      .filter((it) => methods.has(it.method))
      .map((it) => ({
        agencyId: p.agencyId,
        item: it,
        months: new Set(it.months),
        reach: new Set(enterprises.flatMap((e, i) => (enterpriseMatchesTargets(e, it.targets) ? [i] : []))),
      })),
  );
  const groups = new Map<string, { agencies: [string, string]; months: number[]; ids: Record<string, Set<string>>; reach: Set<number> }>();
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      let x = items[a],
        y = items[b];
      if (x.agencyId === y.agencyId) continue;
      if (x.agencyId > y.agencyId) [x, y] = [y, x];
      const months = [...x.months].filter((m) => y.months.has(m)).sort((m, n) => m - n);
      if (!months.length) continue;
      const [small, big] = x.reach.size <= y.reach.size ? [x.reach, y.reach] : [y.reach, x.reach];
      const shared: number[] = [];
      for (const i of small) if (big.has(i)) shared.push(i);
      if (shared.length < minEnterprises || shared.length === 0) continue;
      const key = `${x.agencyId}\u0000${y.agencyId}\u0000${months.join(',')}`;
      let g = groups.get(key);
      if (!g) {
        g = { agencies: [x.agencyId, y.agencyId], months, ids: { [x.agencyId]: new Set(), [y.agencyId]: new Set() }, reach: new Set() };
        groups.set(key, g);
      }
      g.ids[x.agencyId].add(x.item.id);
      g.ids[y.agencyId].add(y.item.id);
      for (const i of shared) g.reach.add(i);
    }
  }
  const out: JointSuggestion[] = [...groups.values()].map((g) => {
    const usccs = [...g.reach].map((i) => enterprises[i].uscc).sort();
    return {
      agencies: [...g.agencies],
      planItemIds: Object.fromEntries(g.agencies.map((a) => [a, [...g.ids[a]].sort()])),
      months: g.months,
      enterpriseCount: usccs.length,
      sampleUsccs: usccs.slice(0, sampleSize),
    };
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((p, q) => q.enterpriseCount - p.enterpriseCount || cmp(p.agencies.join(), q.agencies.join()) || cmp(p.months.join(), q.months.join()));
}
