/**
 * Annual plans: a filed and published 2026 plan and a draft 2027 plan per enforcement agency, and
 * the Filing records (备案, measure 6) of the 2026 plans, hashed exactly as src/domain/canonical.ts does.
 */
import { createHash } from 'node:crypto';
import type { Agency, Filing, InspectionItem, PlanItem, PlanMeta, Targets } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { canonicalJson, planContentOf } from '../../src/domain/canonical';
import { ENFORCEMENT_AGENCIES } from './agencies';

export interface SeedPlan { meta: PlanMeta; items: PlanItem[] }

/** Partner agencies for joint-inspection content (measure 4/8). */
const PARTNER: Record<string, string> = {
  'city-market': 'city-health', 'city-health': 'city-market', 'city-emergency': 'city-ecology', 'city-ecology': 'city-emergency',
  'city-housing': 'city-natres', 'city-natres': 'city-ecology', 'city-transport': 'city-emergency', 'city-culture': 'city-health',
};

/** The catalogue item (code) each agency's 2026 plan must contain, in April, June, November and December (the demo tasks come from it). */
export const FORCED_ITEM: Record<string, string> = {
  'city-market': 'SJ-01', 'city-emergency': 'YJ-01', 'city-ecology': 'ST-04', 'city-housing': 'ZJ-01', 'city-transport': 'JT-01',
  'city-culture': 'WL-01', 'city-health': 'WJ-01', 'city-natres': 'ZR-02',
  'pd-market': 'SJ-01', 'yx-market': 'SJ-01', 'cq-emergency': 'YJ-07', 'jq-ecology': 'ST-04',
};

export const planItemId = (agencyId: string, year: number, n: number) => `${agencyId}.p${year}-${String(n).padStart(2, '0')}`;

/** SHA-256 hex of the canonical plan content: equals `await planHash(meta, items)` of canonical.ts, computed synchronously. */
export function planHashSync(meta: PlanMeta, items: PlanItem[]): string {
  return createHash('sha256').update(canonicalJson(planContentOf(meta, items)), 'utf8').digest('hex');
}

function buildPlanItems(r: Prng, a: Agency, year: number, catalogue: InspectionItem[]): PlanItem[] {
  const mine = catalogue.filter((i) => i.agencyId === a.id);
  const n = Math.min(mine.length, r.int(3, 8));
  const nov = FORCED_ITEM[a.id];
  let chosen = r.shuffle(mine).slice(0, n);
  if (year === 2026 && nov && !chosen.some((i) => i.code === nov)) chosen = [mine.find((i) => i.code === nov)!, ...chosen.slice(0, n - 1)];
  chosen.sort((x, y) => (x.code < y.code ? -1 : 1));
  return chosen.map((item, k): PlanItem => {
    const random = item.defaultMethod !== 'written' && r.chance(0.6);
    const targets: Targets = {
      industries: [...item.industries],
      divisions: a.level === 'county' ? [a.division] : [],
      riskLevels: !random && item.level === 'city' ? ['high', 'major'] : [],
    };
    if (random) targets.samplingRatio = r.pick([0.05, 0.1, 0.15, 0.2]);
    const months = new Set<number>(r.shuffle([3, 4, 5, 6, 7, 8, 9, 10, 11]).slice(0, r.int(1, 3)));
    if (year === 2026 && item.code === nov) { for (const m of [4, 6, 11, 12]) months.add(m); }
    const partner = PARTNER[a.id];
    const joint = partner && (year === 2027 ? k === 0 || r.chance(0.3) : r.chance(0.2));
    return {
      id: planItemId(a.id, year, k + 1),
      itemId: item.id,
      method: item.defaultMethod,
      targets,
      months: [...months].sort((x, y) => x - y),
      cap: r.chance(0.7) ? 1 : 2,
      jointPartners: joint ? [partner] : [],
      notes: random
        ? (a.level === 'city' ? '“双随机、一公开”抽查，市抽县查为主、市县联查为辅' : '“双随机、一公开”抽查')
        : item.defaultMethod === 'offsite' ? '以非现场检查为主，未发现问题的原则上不再现场检查' : '',
    };
  });
}

export function buildPlans(r: Prng, catalogue: InspectionItem[]): { plans: SeedPlan[]; filings: Filing[] } {
  const plans: SeedPlan[] = [];
  const filings: Filing[] = [];
  for (const a of ENFORCEMENT_AGENCIES) {
    for (const year of [2026, 2027]) {
      const items = buildPlanItems(r, a, year, catalogue);
      const meta: PlanMeta = {
        agencyId: a.id, year, title: `${a.name}${year}年度涉企行政检查计划`,
        status: year === 2026 ? 'published' : 'draft', capPerEnterprise: 2,
      };
      if (year === 2026) {
        const hash = planHashSync(meta, items);
        const filingId = `filing-${a.id}-2026`;
        meta.filedHash = hash;
        meta.filingId = filingId;
        const day = 10 + (filings.length % 15);
        filings.push({
          id: filingId, room: `plan/${a.id}/2026`, agencyId: a.id, year, hash,
          content: planContentOf(meta, items),
          submittedBy: adminUserId(a.id), submittedAt: `2026-01-${String(day).padStart(2, '0')}T10:00:00+08:00`,
          officeId: a.filingOfficeId!, status: 'filed',
          decidedBy: a.filingOfficeId === 'city-justice' ? 'u-supervisor1' : `u-admin-${a.filingOfficeId}`,
          decidedAt: `2026-01-${String(day + 3).padStart(2, '0')}T15:30:00+08:00`,
        });
      }
      plans.push({ meta, items });
    }
  }
  return { plans, filings };
}

/** The user id of an agency's administrator (demo accounts where they exist). */
export function adminUserId(agencyId: string): string {
  return ({ 'city-market': 'u-agency1', 'city-emergency': 'u-agency2', 'pd-market': 'u-county1', 'city-justice': 'u-supervisor1' } as Record<string, string>)[agencyId] ?? `u-admin-${agencyId}`;
}
