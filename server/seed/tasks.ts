/**
 * Tasks and the ledger records of those already done, around today: for every agency with a filed plan,
 * last year's and this year's tasks (done before today, assigned from today on); for the demo accounts,
 * work today and this week (inspector1 and inspector2 of city-market, with an off-site check at enterprise2
 * today; inspector3 of pd-market), a
 * complaint case that can merge with today's planned task, enterprise1's and enterprise2's inspections of
 * the last twelve months; and three irregular inspections this year that supervisors see as warnings
 * (a late record, a planned visit on a quiet day in the quiet zone, a visit over the annual cap).
 * Nothing planned for a quiet-zone enterprise falls on one of its quiet days.
 */
import type { Agency, Certificate, Enterprise, FlexEntry, InspectionItem, Inspector, LedgerRecord, SignedRecord, Task } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { violationsOf } from './catalogue';
import { complaintTaskId, ENTERPRISE1_USCC, ENTERPRISE2_USCC } from './constants';
import { FORCED_ITEM, isAppendedOffsiteItem, monthsForDice, type SeedPlan } from './plans';
import type { SeedCalendar } from './calendar';

/** complaints come from the 12345 hotline: 12345-<year>-<MMDD> */
const COMPLAINT_REF_PREFIX = '12345-';

export interface TaskContext {
  r: Prng;
  cal: SeedCalendar;
  agencies: readonly Agency[];
  enterprises: readonly Enterprise[];
  items: Map<string, InspectionItem>;
  inspectors: readonly Inspector[];
  certs: Map<string, Certificate>;
  plans: readonly SeedPlan[];
  flex: readonly FlexEntry[];
  /** how many ordinary tasks an agency has in a year (besides the demo's own) */
  perAgency: (a: Agency, year: number) => number;
}

/** user id of an inspector (the demo accounts' ids where they exist). */
export function inspectorUserId(inspectorId: string): string {
  return (
    ({ 'insp-city-market-1': 'u-inspector1', 'insp-city-market-2': 'u-inspector2', 'insp-pd-market-1': 'u-inspector3' } as Record<string, string>)[
      inspectorId
    ] ?? `u-${inspectorId}`
  );
}

const DEMO_PAIR = ['insp-city-market-1', 'insp-city-market-2'];
const COUNTY_PAIR = ['insp-pd-market-1', 'insp-pd-market-2'];
type PlanItemT = SeedPlan['items'][number];
/** a task that left irregular ledger records (the warnings of the demo) */
interface Irregular {
  late?: string;
}

export function buildTasks(c: TaskContext): { tasks: Task[]; ledgers: Map<string, SignedRecord[]> } {
  const { r, cal } = c;
  const tasks: Task[] = [];
  const irregular = new Map<string, Irregular>();
  const e1 = c.enterprises.find((e) => e.uscc === ENTERPRISE1_USCC)!;
  const e2 = c.enterprises.find((e) => e.uscc === ENTERPRISE2_USCC)!;
  const planOf = new Map(c.plans.map((p) => [`${p.meta.agencyId}/${p.meta.year}`, p]));
  const filed = (a: Agency, year: number) => {
    const p = planOf.get(`${a.id}/${year}`);
    return p && p.meta.status === 'published' ? p : undefined;
  };
  const inspectorById = new Map(c.inspectors.map((i) => [i.id, i]));
  const validOn = (id: string, date: string) => {
    const ins = inspectorById.get(id);
    const cert = ins?.certificateNumber ? c.certs.get(ins.certificateNumber) : undefined;
    return !!ins && ins.active !== false && !!cert && cert.status === 'valid' && cert.issuedOn <= date && date <= cert.expiresOn;
  };
  const staffOf = new Map<string, Inspector[]>();
  for (const i of c.inspectors) pushTo(staffOf, i.agencyId, i);
  /** two colleagues whose certificates are valid on the day (rotating through the agency's staff) */
  const pairOn = (a: Agency, date: string, k: number): string[] | undefined => {
    const ok = (staffOf.get(a.id) ?? []).filter((i) => validOn(i.id, date));
    if (ok.length < 2) return undefined;
    return [ok[k % ok.length].id, ok[(k + 1) % ok.length].id];
  };

  // enterprises by industry and place (county-level division, township), for the targets of plan items
  const byKey = new Map<string, Enterprise[]>();
  for (const e of c.enterprises) {
    if (e.uscc === e1.uscc || e.uscc === e2.uscc) continue;
    const places = e.township ? [e.division, e.township, '*'] : [e.division, '*'];
    for (const place of places) for (const ind of [e.industry, '*']) pushTo(byKey, `${ind}|${place}`, e);
  }
  const candidateCache = new Map<string, Enterprise[]>();
  const candidates = (a: Agency, item: InspectionItem): Enterprise[] => {
    const key = `${a.id}|${item.id}`;
    let cs = candidateCache.get(key);
    if (!cs) {
      // a city agency inspects the whole city, a county's its county, a township's its township
      const div = a.level === 'city' ? '*' : a.division;
      const inds = item.industries.length ? item.industries : ['*'];
      cs = inds.flatMap((ind) => byKey.get(`${ind}|${div}`) ?? []);
      if (!cs.length) cs = byKey.get(`*|${div}`) ?? byKey.get('*|*')!;
      candidateCache.set(key, cs);
    }
    return cs;
  };

  const counters = new Map<string, number>();
  /** the enterprises an agency has a task at in a year: one task each, so no agency goes over its cap by accident */
  const visited = new Map<string, Set<string>>();
  const seen = (agencyId: string, year: number) => {
    const k = `${agencyId}/${year}`;
    let s = visited.get(k);
    if (!s) visited.set(k, (s = new Set()));
    return s;
  };
  const add = (
    a: Agency,
    year: number,
    pi: PlanItemT | undefined,
    e: Enterprise,
    from: string,
    to: string,
    inspectorIds: string[],
    extra: Partial<Task> = {},
  ): Task => {
    const k = `${a.id}/${year}`;
    const n = (counters.get(k) ?? 0) + 1;
    counters.set(k, n);
    seen(a.id, year).add(e.uscc);
    const t: Task = {
      id: `${a.id}.t${year}-${String(n).padStart(3, '0')}`,
      agencyId: a.id,
      year,
      uscc: e.uscc,
      enterpriseName: e.name,
      itemIds: pi ? [pi.itemId] : [],
      window: { from, to },
      inspectorIds,
      kind: { type: 'planned', planned: pi?.targets.samplingRatio !== undefined ? 'routine' : 'special' },
      method: pi?.method ?? 'onsite',
      ...(pi ? { planItemId: pi.id } : {}),
      status: to < cal.today ? 'done' : 'assigned',
      // (a task given its creation time draws no dice for it)
      createdAt: extra.createdAt ?? cal.instant(from < cal.today ? cal.addDays(from, -r.int(3, 20)) : cal.addDays(cal.today, -r.int(1, 10)), 9, 0),
      ...extra,
    };
    tasks.push(t);
    return t;
  };
  /** an enterprise the item targets that the agency has no task at this year (and that the day suits) */
  const pickFor = (a: Agency, year: number, pi: PlanItemT, date?: string): Enterprise | undefined => {
    const cs = candidates(a, c.items.get(pi.itemId)!);
    const used = seen(a.id, year);
    for (let tries = 0; tries < 30; tries++) {
      const e = r.pick(cs);
      if (used.has(e.uscc)) continue;
      if (date && e.quietZone && pi.method === 'onsite' && cal.isQuiet(date)) continue;
      return e;
    }
    return undefined;
  };
  const forcedOf = (a: Agency, p: SeedPlan) => p.items.find((i) => i.itemId === `${a.id}.${FORCED_ITEM[a.id]}`) ?? p.items[0];

  // ---- ordinary work of every agency, last year and this year
  for (const a of c.agencies) {
    if (a.kind !== 'enforcement') continue;
    for (const year of [cal.year - 1, cal.year]) {
      const p = filed(a, year);
      if (!p) continue;
      const range = { from: `${year}-01-01`, to: `${year}-12-31` };
      const n = c.perAgency(a, year);
      const pickable = p.items.filter((i) => !isAppendedOffsiteItem(i));
      for (let k = 0, misses = 0; k < n && misses < n + 10; ) {
        const pi = r.pick(pickable);
        const month = r.pick(monthsForDice(pi));
        const e = pickFor(a, year, pi);
        if (!e) {
          misses++;
          continue;
        }
        const day = cal.dayIn(r, year, month, range, e.quietZone && pi.method === 'onsite');
        const team = day ? pairOn(a, day, k) : undefined;
        if (!day || !team) {
          misses++;
          continue;
        }
        add(a, year, pi, e, day, day, team);
        k++;
      }
    }
  }

  const agency = (id: string) => c.agencies.find((a) => a.id === id);
  const Y = cal.year;
  const yesterday = cal.addDays(cal.today, -1);

  // ---- city-market: the demo inspectors' work
  const cm = agency('city-market');
  const cmPlan = cm && filed(cm, Y);
  if (cm && cmPlan) {
    const sj01 = forcedOf(cm, cmPlan);
    const prev = filed(cm, Y - 1);
    // enterprise1's history: once last year, and once earlier this year when there was an earlier day
    if (prev) add(cm, Y - 1, forcedOf(cm, prev), e1, ...same(cal.addDays(`${Y - 1}-06-01`, r.int(0, 200))), DEMO_PAIR);
    const before = cal.addDays(cal.today, -r.int(40, 200));
    if (yesterday >= `${Y}-01-01`) add(cm, Y, sj01, e1, ...same(before >= `${Y}-01-01` ? before : yesterday), DEMO_PAIR);
    // enterprise2 (quiet zone): a food inspection on a day outside its quiet days, this year if one has passed
    const food = (p: SeedPlan) => p.items.find((i) => c.items.get(i.itemId)!.industries.includes('food_production')) ?? forcedOf(cm, p);
    const fi = food(cmPlan);
    let d2: string | undefined;
    for (let m = cal.month; m >= 1 && !d2; m--) if (fi.months.includes(m)) d2 = cal.dayIn(r, Y, m, { from: `${Y}-01-01`, to: yesterday }, true);
    if (d2) add(cm, Y, fi, e2, d2, d2, DEMO_PAIR);
    else if (prev) {
      const fp = food(prev);
      const d = cal.dayIn(r, Y - 1, fp.months[fp.months.length - 1], { from: `${Y - 1}-01-01`, to: `${Y - 1}-12-31` }, true)!;
      add(cm, Y - 1, fp, e2, d, d, DEMO_PAIR);
    }
    // today: enterprise1 and one more; the rest of this week (earlier days done, later days assigned)
    add(cm, Y, sj01, e1, cal.today, cal.today, DEMO_PAIR);
    const other = pickFor(cm, Y, sj01, cal.today);
    if (other) add(cm, Y, sj01, other, cal.today, cal.today, DEMO_PAIR);
    for (const d of cal.week()) {
      if (d === cal.today) continue;
      const e = pickFor(cm, Y, sj01, d);
      if (e) add(cm, Y, sj01, e, d, d, DEMO_PAIR);
    }
    // and an off-site (written) check at enterprise2 today, recorded without a scan (measure 12; plans.ts
    // OFFSITE_ITEM), made without the dice like its plan item, so that no other seeded value moves
    const off = cmPlan.items.find(
      (i) => i.method !== 'onsite' && (!i.targets.industries.length || i.targets.industries.includes(e2.industry)) && i.months.includes(cal.month),
    );
    if (off) add(cm, Y, off, e2, cal.today, cal.today, DEMO_PAIR, { createdAt: cal.instant(cal.addDays(cal.today, -1), 9, 0) });
    // the complaint case (12345 转来的投诉) on enterprise1: it can merge with today's planned task
    const from = yesterday >= `${Y}-01-01` ? yesterday : cal.today;
    const to = cal.addDays(cal.today, 2) <= `${Y}-12-31` ? cal.addDays(cal.today, 2) : `${Y}-12-31`;
    tasks.push({
      id: complaintTaskId(Y),
      agencyId: cm.id,
      year: Y,
      uscc: e1.uscc,
      enterpriseName: e1.name,
      itemIds: [sj01.itemId],
      window: { from, to },
      inspectorIds: DEMO_PAIR,
      kind: { type: 'triggered', trigger: { kind: 'complaint', ref: `${COMPLAINT_REF_PREFIX}${Y}-${from.slice(5, 7)}${from.slice(8, 10)}` } },
      method: 'onsite',
      status: 'assigned',
      createdAt: cal.instant(from, 8, 40),
    });
  }

  // ---- pd-market: inspector3 works today
  const pd = agency('pd-market');
  const pdPlan = pd && filed(pd, Y);
  if (pd && pdPlan) {
    const pi = forcedOf(pd, pdPlan);
    const e = pickFor(pd, Y, pi, cal.today);
    if (e) add(pd, Y, pi, e, cal.today, cal.today, COUNTY_PAIR);
    const next = cal.week().find((d) => d > cal.today);
    const e3 = next && pickFor(pd, Y, pi, next);
    if (next && e3) add(pd, Y, pi, e3, next, next, COUNTY_PAIR);
  }

  // ---- city-ecology found a problem at enterprise1 (rectify; first offence, no penalty)
  const ce = agency('city-ecology');
  if (ce) {
    const d = cal.addDays(cal.today, -r.int(20, 150));
    const year = +d.slice(0, 4);
    const p = filed(ce, year);
    const team = p && pairOn(ce, d, 0);
    if (p && team) add(ce, year, forcedOf(ce, p), e1, d, d, team);
  }

  // ---- irregular inspections this year: the supervisors' warnings
  // (done whatever the day: on 1 January they happened earlier today)
  const DONE = { status: 'done' } as const;
  {
    const late = agency('city-transport');
    const lp = late && filed(late, Y);
    if (late && lp) {
      const d = maxDate(cal.addDays(cal.today, -r.int(1, 20)), `${Y}-01-01`);
      const pi = forcedOf(late, lp);
      const e = pickFor(late, Y, pi, d);
      const team = pairOn(late, d, 1);
      if (e && team) irregular.set(add(late, Y, pi, e, d, d, team, DONE).id, { late: '现场网络中断、手机无法扫码，事后补录' });
    }
    const quiet = agency('city-health');
    const qp = quiet && filed(quiet, Y);
    if (quiet && qp) {
      const d = cal.lastQuietDay(`${Y}-01-01`);
      const pi = forcedOf(quiet, qp); // WJ-01, on site, planned all year
      const e = c.enterprises.find((x) => x.quietZone && x.uscc !== e2.uscc && !seen(quiet.id, Y).has(x.uscc));
      const team = pairOn(quiet, d, 2);
      if (e && team) irregular.set(add(quiet, Y, pi, e, d, d, team, DONE).id, {});
    }
    const cap = agency('city-housing');
    const hp = cap && filed(cap, Y);
    if (cap && hp) {
      const pi = forcedOf(cap, hp);
      const e = pickFor(cap, Y, pi);
      if (e) {
        // three visits (one over the cap of 2), earliest first; a day without a certified pair or a quiet day of a
        // quiet-zone enterprise is passed over for an earlier one, so every day of the year gets all three
        const visits: { d: string; team: string[] }[] = [];
        for (let k = 1; visits.length < 3 && k <= 12; k++) {
          const d = maxDate(cal.addDays(cal.today, -k * r.int(5, 25)), `${Y}-01-01`);
          const team = pairOn(cap, d, k);
          if (team && !(e.quietZone && cal.isQuiet(d))) visits.push({ d, team });
        }
        for (const v of visits.reverse()) irregular.set(add(cap, Y, pi, e, v.d, v.d, v.team, DONE).id, {});
      }
    }
  }

  return {
    tasks,
    ledgers: buildLedgers(
      c,
      tasks.filter((t) => t.status === 'done'),
      irregular,
    ),
  };
}

const same = (d: string): [string, string] => [d, d];
function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const xs = m.get(k);
  if (xs) xs.push(v);
  else m.set(k, [v]);
}
const maxDate = (a: string, b: string) => (a > b ? a : b);

function buildLedgers(c: TaskContext, done: Task[], irregular: Map<string, Irregular>): Map<string, SignedRecord[]> {
  const { r, cal } = c;
  const out = new Map<string, SignedRecord[]>();
  const agencyName = new Map(c.agencies.map((a) => [a.id, a.name]));
  const inspectors = new Map(c.inspectors.map((i) => [i.id, i]));
  const flexOf = new Map<string, FlexEntry>();
  for (const f of c.flex) flexOf.set(`${f.agencyId}|${f.violationCode}`, f);
  for (const t of done) {
    const day = t.window.from;
    const hh = 9 + r.int(0, 5);
    const mm = r.int(0, 5) * 10;
    const by = inspectorUserId(t.inspectorIds[0]);
    const team = t.inspectorIds.map((id) => {
      const ins = inspectors.get(id)!;
      return { inspectorId: id, name: ins.name, certificateNumber: ins.certificateNumber!, certificateValid: true };
    });
    const odd = irregular.get(t.id);
    const entry: LedgerRecord = {
      id: `${t.id}.entry`,
      uscc: t.uscc,
      at: cal.instant(day, hh, mm),
      by,
      type: 'entry',
      agencyId: t.agencyId,
      taskId: t.id,
      kind: t.kind,
      team,
      itemIds: t.itemIds,
      method: t.method,
      via: odd?.late ? 'late' : 'scan',
      ...(odd?.late ? { lateReason: odd.late } : {}),
      exemptions: [],
      device: 'seed',
      conductAcknowledged: true,
    };
    const item = c.items.get(t.itemIds[0])!;
    const vs = violationsOf(item);
    const problem = vs.length > 0 && (t.uscc === ENTERPRISE1_USCC ? t.agencyId === 'city-ecology' : r.chance(0.4));
    const flex = flexOf.get(`${t.agencyId}|${vs[0]}`);
    const suggestion: 'none' | FlexEntry['list'] = flex?.list ?? 'none';
    const findings = problem
      ? [{ itemId: item.id, description: `${flex?.description ?? item.name + '存在不规范情形'}，已当场指出`, violationCode: vs[0], suggestion }]
      : [];
    const outcome = problem ? ('rectify' as const) : ('no_problem' as const);
    const rectifyBy = problem ? cal.addDays(day, 15) : undefined;
    const resultAt = cal.instant(day, hh + 1, mm);
    const result: LedgerRecord = {
      id: `${t.id}.result`,
      uscc: t.uscc,
      at: resultAt,
      by,
      type: 'result',
      entryId: entry.id,
      agencyId: t.agencyId,
      checklist: [{ itemId: item.id, ok: !problem, note: problem ? '责令限期改正' : '' }],
      findings,
      outcome,
      ...(rectifyBy ? { rectifyBy } : {}),
      notice:
        `检查结果告知书：${agencyName.get(t.agencyId)}于${day}对你单位开展“${item.name}”检查，` +
        (problem
          ? `发现问题 ${vs[0]}，请于${rectifyBy}前完成整改。${suggestion === 'first_offence_exempt' ? '该问题属首次轻微违法且能及时改正，依据首违不罚清单不予行政处罚。' : ''}`
          : '未发现违法违规问题。'),
      checkedOutAt: resultAt,
    };
    const recs: SignedRecord[] = [{ rec: entry }, { rec: result }];
    const acker = t.uscc === ENTERPRISE1_USCC ? 'u-enterprise1' : t.uscc === ENTERPRISE2_USCC ? 'u-enterprise2' : undefined;
    if (acker) recs.push({ rec: { id: `${t.id}.ack`, uscc: t.uscc, at: cal.instant(day, hh + 3, mm), by: acker, type: 'ack', refId: result.id } });
    const list = out.get(t.uscc);
    if (list) list.push(...recs);
    else out.set(t.uscc, recs);
  }
  return out;
}
