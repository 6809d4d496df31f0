/**
 * Annual plans around today: last year's and this year's plans filed and published (一公开), next year's a
 * draft, for every enforcement agency; the Filing records (备案, measure 6) of the filed ones, hashed
 * exactly as src/domain/canonical.ts does. Until this year's due date (31 January) a few agencies have not
 * filed yet; after it one is late, so supervisors see the unfiled-plan warning.
 */
import { createHash } from 'node:crypto';
import type { Agency, Filing, InspectionItem, PlanItem, PlanMeta, Targets } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { canonicalJson, planContentOf } from '../../src/domain/canonical';
import { DEFAULT_POLICY } from '../../src/domain/policy-defaults';
import type { SeedCalendar } from './calendar';

export interface SeedPlan {
  meta: PlanMeta;
  items: PlanItem[];
}

/** Partner agencies for joint-inspection content (measure 4/8). */
const PARTNER: Record<string, string> = {
  'city-market': 'city-health',
  'city-health': 'city-market',
  'city-emergency': 'city-ecology',
  'city-ecology': 'city-emergency',
  'city-housing': 'city-natres',
  'city-natres': 'city-ecology',
  'city-transport': 'city-emergency',
  'city-culture': 'city-health',
};

/** The catalogue item (code) each demo agency's plans always hold, planned in the current month (the demo tasks come from it). */
export const FORCED_ITEM: Record<string, string> = {
  'city-market': 'SJ-01',
  'city-emergency': 'YJ-01',
  'city-ecology': 'ST-04',
  'city-housing': 'ZJ-01',
  'city-transport': 'JT-01',
  'city-culture': 'WL-01',
  'city-health': 'WJ-01',
  'city-natres': 'ZR-02',
  'pd-market': 'SJ-01',
  'yx-market': 'SJ-01',
  'cq-emergency': 'YJ-07',
  'jq-ecology': 'ST-04',
};

/**
 * The demo's 双随机 item of this year, sampled whatever the seed's dice say: the city market regulator's
 * food-safety item (food production, catering, retail; April, June, November), so agency1 can draw from it
 * and inspector1 gets drawn tasks. Set after the items are built, so no other seeded value moves.
 */
export const SAMPLED_ITEM: Record<string, { code: string; ratio: number }> = { 'city-market': { code: 'SJ-03', ratio: 0.05 } };

/**
 * The off-site or written item (code) a demo agency's plans always hold, planned all year, so the demo
 * inspectors have an off-site check today (measure 12: recorded without a scan). Added after the items are
 * built, without the seed's dice, so no other seeded value moves.
 */
export const OFFSITE_ITEM: Record<string, string> = { 'city-market': 'SJ-07' };

/** Agencies that have not filed this year's plan yet in January; the first of them is still late after the due date. */
export const LATE_FILERS = ['city-culture', 'yx-market', 'jq-ecology'];
/** In January this one has submitted its plan and awaits the justice office's decision. */
export const PENDING_FILER = 'city-natres';

export const planItemId = (agencyId: string, year: number, n: number) => `${agencyId}.p${year}-${String(n).padStart(2, '0')}`;

/** SHA-256 hex of the canonical plan content: equals `await planHash(meta, items)` of canonical.ts, computed synchronously. */
export function planHashSync(meta: PlanMeta, items: PlanItem[]): string {
  return createHash('sha256')
    .update(canonicalJson(planContentOf(meta, items)), 'utf8')
    .digest('hex');
}

function buildPlanItems(r: Prng, a: Agency, year: number, catalogue: InspectionItem[], cal: SeedCalendar): PlanItem[] {
  const mine = catalogue.filter((i) => i.agencyId === a.id);
  if (!mine.length) return [];
  const n = Math.min(mine.length, r.int(3, 8));
  const forcedCode = FORCED_ITEM[a.id];
  const forced = mine.find((i) => i.code === forcedCode) ?? mine[0];
  let chosen = r.shuffle(mine).slice(0, n);
  if (!chosen.includes(forced)) chosen = [forced, ...chosen.slice(0, n - 1)];
  chosen.sort((x, y) => (x.code < y.code ? -1 : 1));
  return withOffsiteItem(
    a,
    year,
    mine,
    chosen.map((item, k): PlanItem => {
      const random = item.defaultMethod !== 'written' && r.chance(0.6);
      const targets: Targets = {
        industries: [...item.industries],
        divisions: a.level === 'county' || a.level === 'township' ? [a.division.slice(0, 6)] : [],
        riskLevels: !random && item.level === 'city' ? ['high', 'major'] : [],
      };
      if (random) targets.samplingRatio = r.pick([0.05, 0.1, 0.15, 0.2]);
      const months = new Set<number>(r.shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).slice(0, r.int(2, 4)));
      // the item the demo's tasks come from runs all year (this year's tasks today, last year's in any month)
      if (item === forced) for (let m = 1; m <= 12; m++) months.add(m);
      const partner = PARTNER[a.id];
      const joint = partner && (year > cal.year ? k === 0 || r.chance(0.3) : r.chance(0.2));
      return {
        id: planItemId(a.id, year, k + 1),
        itemId: item.id,
        method: item.defaultMethod,
        targets,
        months: [...months].sort((x, y) => x - y),
        cap: r.chance(0.7) ? 1 : 2,
        jointPartners: joint ? [partner] : [],
        notes: random
          ? a.level === 'city'
            ? '“双随机、一公开”抽查，市抽县查为主、市县联查为辅'
            : '“双随机、一公开”抽查'
          : item.defaultMethod === 'offsite'
            ? '以非现场检查为主，未发现问题的原则上不再现场检查'
            : '',
      };
    }),
  );
}

/** plan items appended by `withOffsiteItem` (the ordinary seeded work leaves them out, so no dice move) */
const appended = new WeakSet<PlanItem>();
export const isAppendedOffsiteItem = (pi: PlanItem): boolean => appended.has(pi);
/** the months the dice chose for an item `withOffsiteItem` made all-year (the ordinary seeded work picks from these) */
const diceMonths = new WeakMap<PlanItem, number[]>();
export const monthsForDice = (pi: PlanItem): number[] => diceMonths.get(pi) ?? pi.months;

/** the agency's OFFSITE_ITEM, all year: made planned all year when chosen, appended (no dice) when not */
function withOffsiteItem(a: Agency, year: number, mine: readonly InspectionItem[], items: PlanItem[]): PlanItem[] {
  const item = OFFSITE_ITEM[a.id] ? mine.find((i) => i.code === OFFSITE_ITEM[a.id] && i.defaultMethod !== 'onsite') : undefined;
  if (!item) return items;
  const allYear = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const have = items.find((i) => i.itemId === item.id);
  if (have) {
    diceMonths.set(have, have.months);
    have.months = allYear;
    return items;
  }
  const pi: PlanItem = {
    id: planItemId(a.id, year, items.length + 1),
    itemId: item.id,
    method: item.defaultMethod,
    targets: { industries: [...item.industries], divisions: [], riskLevels: [] },
    months: allYear,
    cap: 1,
    jointPartners: [],
    notes: item.defaultMethod === 'written' ? '书面核查：调阅企业报送材料，不进入企业' : '以非现场检查为主，未发现问题的原则上不再现场检查',
  };
  appended.add(pi);
  items.push(pi);
  return items;
}

/** The filing status of an agency's plan for `year`, as of today. */
function filingState(a: Agency, year: number, cal: SeedCalendar): 'published' | 'submitted' | 'draft' {
  if (year > cal.year) return 'draft';
  if (year < cal.year) return 'published';
  const due = `${year}-${DEFAULT_POLICY.planDue}`;
  if (cal.today <= due) {
    if (LATE_FILERS.includes(a.id)) return 'draft';
    if (a.id === PENDING_FILER) return 'submitted';
    return 'published';
  }
  return a.id === LATE_FILERS[0] ? 'draft' : 'published';
}

export function buildPlans(r: Prng, agencies: readonly Agency[], catalogue: InspectionItem[], cal: SeedCalendar): { plans: SeedPlan[]; filings: Filing[] } {
  const plans: SeedPlan[] = [];
  const filings: Filing[] = [];
  for (const a of agencies) {
    if (a.kind !== 'enforcement') continue;
    for (const year of [cal.year - 1, cal.year, cal.year + 1]) {
      const items = buildPlanItems(r, a, year, catalogue, cal);
      if (!items.length) continue;
      const sampled = year === cal.year ? SAMPLED_ITEM[a.id] : undefined;
      const codeOf = (it: PlanItem) => catalogue.find((c) => c.id === it.itemId)?.code;
      // that item when the year's plan has it, else the first item other than the one the demo's tasks come from
      const sampledItem = sampled && (items.find((it) => codeOf(it) === sampled.code) ?? items.find((it) => codeOf(it) !== FORCED_ITEM[a.id]));
      if (sampled && sampledItem && sampledItem.targets.samplingRatio === undefined) {
        sampledItem.targets.samplingRatio = sampled.ratio;
        sampledItem.notes = '“双随机、一公开”抽查';
      }
      const state = filingState(a, year, cal);
      const meta: PlanMeta = {
        agencyId: a.id,
        year,
        title: `${a.name}${year}年度涉企行政检查计划`,
        status: state,
        capPerEnterprise: 2,
      };
      if (state !== 'draft') {
        const hash = planHashSync(meta, items);
        const filingId = `filing-${a.id}-${year}`;
        if (state === 'published') meta.filedHash = hash;
        meta.filingId = filingId;
        // submitted between 1 December and 25 January, decided one to three days later; both before today
        const day = cal.addDays(`${year - 1}-12-01`, r.int(0, 55));
        const yesterday = cal.addDays(cal.today, -1);
        const submitted = cal.instant(day < cal.today ? day : yesterday, 10, 0);
        const decided = new Date(
          Math.min(Date.parse(submitted) + r.int(1, 3) * 86_400_000 + 5.5 * 3_600_000, Date.parse(cal.instant(yesterday, 18, 0))),
        ).toISOString();
        const office = a.filingOfficeId!;
        filings.push({
          id: filingId,
          room: `plan/${a.id}/${year}`,
          agencyId: a.id,
          year,
          hash,
          content: planContentOf(meta, items),
          submittedBy: adminUserId(a.id),
          submittedAt: submitted,
          officeId: office,
          status: state === 'published' ? 'filed' : 'submitted',
          ...(state === 'published' ? { decidedBy: office === 'city-justice' ? 'u-supervisor1' : `u-admin-${office}`, decidedAt: decided } : {}),
        });
      }
      plans.push({ meta, items });
    }
  }
  return { plans, filings };
}

/** The user id of an agency's administrator (demo accounts where they exist). */
export function adminUserId(agencyId: string): string {
  return (
    ({ 'city-market': 'u-agency1', 'city-emergency': 'u-agency2', 'pd-market': 'u-county1', 'city-justice': 'u-supervisor1' } as Record<string, string>)[
      agencyId
    ] ?? `u-admin-${agencyId}`
  );
}
