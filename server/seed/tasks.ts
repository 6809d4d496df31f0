/**
 * 2026 tasks per enforcement agency (around SEED_TODAY for city-market and pd-market, so the demo
 * inspectors have work today and this week), one complaint-triggered case, and the ledger records
 * (entry, result, acknowledgement) of the tasks already done.
 */
import type {
  Agency, Certificate, Enterprise, FlexEntry, InspectionItem, Inspector, LedgerRecord, SignedRecord, Task,
} from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { ENFORCEMENT_AGENCIES } from './agencies';
import { violationsOf } from './catalogue';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC, SEED_TODAY } from './constants';
import { FORCED_ITEM, type SeedPlan } from './plans';
import { HITECH } from './divisions';

export const COMPLAINT_TASK_ID = 'city-market.t2026-c001';
export const COMPLAINT_REF = '12345-2026-1108';

interface Ctx {
  r: Prng;
  enterprises: Enterprise[];
  items: Map<string, InspectionItem>;
  inspectors: Inspector[];
  certs: Map<string, Certificate>;
  plans: SeedPlan[];
  flex: FlexEntry[];
}

/** user id of an inspector (the demo accounts' ids where they exist). */
export function inspectorUserId(inspectorId: string): string {
  return ({ 'insp-city-market-1': 'u-inspector1', 'insp-city-market-2': 'u-inspector2', 'insp-pd-market-1': 'u-inspector3' } as Record<string, string>)[inspectorId] ?? `u-${inspectorId}`;
}

const usable = (c: Ctx, agencyId: string) =>
  c.inspectors.filter((i) => i.agencyId === agencyId && i.active && (() => {
    const cert = c.certs.get(i.certificateNumber ?? '');
    return !!cert && cert.status === 'valid' && cert.expiresOn >= '2026-12-31';
  })());

function candidates(c: Ctx, a: Agency, item: InspectionItem): Enterprise[] {
  return c.enterprises.slice(2).filter((e) =>
    (item.industries.length === 0 || item.industries.includes(e.industry)) && (a.level === 'city' || e.division === a.division));
}

function dayIn(r: Prng, month: number, quiet: boolean): string {
  // quiet-zone enterprises get days 21–28 (outside the default quiet days 1–20)
  const d = quiet ? r.int(21, 28) : r.int(3, 28);
  return `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function buildTasks(c: Ctx): { tasks: Task[]; ledgers: Map<string, SignedRecord[]> } {
  const tasks: Task[] = [];
  const e1 = c.enterprises.find((e) => e.uscc === ENTERPRISE1_USCC)!;
  const e2 = c.enterprises.find((e) => e.uscc === ENTERPRISE2_USCC)!;
  for (const a of ENFORCEMENT_AGENCIES) {
    const plan = c.plans.find((p) => p.meta.agencyId === a.id && p.meta.year === 2026)!;
    const staff = usable(c, a.id);
    const pair = (k: number) => [staff[k % staff.length].id, staff[(k + 1) % staff.length].id];
    let n = 0;
    const add = (pi: SeedPlan['items'][number], e: Enterprise, from: string, to: string, inspectorIds: string[], status: Task['status']) => {
      n++;
      tasks.push({
        id: `${a.id}.t2026-${String(n).padStart(3, '0')}`, agencyId: a.id, year: 2026, uscc: e.uscc, enterpriseName: e.name,
        itemIds: [pi.itemId], window: { from, to }, inspectorIds, kind: { type: 'planned', planned: pi.targets.samplingRatio !== undefined ? 'routine' : 'special' },
        method: pi.method, planItemId: pi.id, status, createdAt: `${from.slice(0, 8)}01T09:00:00+08:00`,
      });
    };
    const pickFor = (pi: SeedPlan['items'][number], exclude: Set<string>) => {
      const cs = candidates(c, a, c.items.get(pi.itemId)!).filter((e) => !exclude.has(e.uscc));
      return cs.length ? c.r.pick(cs) : c.r.pick(c.enterprises.slice(2).filter((e) => !exclude.has(e.uscc)));
    };
    const used = new Set<string>([ENTERPRISE1_USCC, ENTERPRISE2_USCC]);
    const forced = plan.items.find((p) => p.itemId === `${a.id}.${FORCED_ITEM[a.id]}`)!;
    /** a plan item planned in a month before November, and such a month */
    const earlier = () => {
      const pi = c.r.pick(plan.items.filter((p) => p.months.some((m) => m < 11)));
      return { pi, month: c.r.pick(pi.months.filter((m) => m < 11)) };
    };
    if (a.id === 'city-market') {
      const sj01 = plan.items.find((p) => p.itemId === `${a.id}.SJ-01`)!;
      const demo = ['insp-city-market-1', 'insp-city-market-2'];
      // earlier this year, done (with ledger records)
      add(sj01, e1, '2026-06-23', '2026-06-23', demo, 'done');
      const fp = plan.items.find((p) => c.items.get(p.itemId)!.industries.includes('food_production') && p.months.some((m) => m < 11));
      if (fp) {
        // enterprise2 is in the quiet zone: the 24th is outside the default quiet days (1–20)
        const d = `2026-${String(fp.months.find((m) => m < 11)).padStart(2, '0')}-24`;
        add(fp, e2, d, d, demo, 'done');
      }
      for (let k = 0; k < 4; k++) {
        const { pi, month } = earlier();
        const e = pickFor(pi, used); used.add(e.uscc);
        const day = dayIn(c.r, month, e.quietZone);
        add(pi, e, day, day, pair(k + 2), 'done');
      }
      // this week: Monday and Tuesday done, today and the rest of the week assigned
      const week = ['2026-11-23', '2026-11-24', SEED_TODAY, SEED_TODAY, '2026-11-26', '2026-11-27'];
      week.forEach((d, k) => {
        const e = k === 2 ? e1 : pickFor(sj01, used); used.add(e.uscc);
        add(sj01, e, d, d, demo, d < SEED_TODAY ? 'done' : 'assigned');
      });
      // December, assigned to other colleagues
      for (let k = 0; k < 3; k++) {
        const e = pickFor(sj01, used); used.add(e.uscc);
        const d = `2026-12-${String(c.r.int(e.quietZone ? 21 : 1, 28)).padStart(2, '0')}`;
        add(sj01, e, d, d, pair(k + 2), 'assigned');
      }
      // the complaint-triggered case (12345 转来的投诉), merge candidate for today's planned task
      tasks.push({
        id: COMPLAINT_TASK_ID, agencyId: a.id, year: 2026, uscc: e1.uscc, enterpriseName: e1.name, itemIds: [sj01.itemId],
        window: { from: '2026-11-24', to: '2026-11-27' }, inspectorIds: demo,
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: COMPLAINT_REF } },
        method: 'onsite', status: 'assigned', createdAt: '2026-11-24T08:40:00+08:00',
      });
    } else {
      const nov = forced;
      // one done earlier in the year, one today or this week, two in December
      const ea = earlier();
      const pi0 = a.id === 'city-ecology' ? forced : ea.pi;
      const e0 = a.id === 'city-ecology' ? e1 : pickFor(pi0, used); used.add(e0.uscc);
      const d0 = a.id === 'city-ecology' ? '2026-04-22' : dayIn(c.r, ea.month, e0.quietZone);
      add(pi0, e0, d0, d0, pair(0), 'done');
      const e = pickFor(nov, used); used.add(e.uscc);
      const today = a.id === 'pd-market' ? SEED_TODAY : `2026-11-${String(c.r.int(25, 27))}`;
      add(nov, e, today, today, a.id === 'pd-market' ? ['insp-pd-market-1', 'insp-pd-market-2'] : pair(1), 'assigned');
      for (let k = 0; k < 2; k++) {
        const e3 = pickFor(nov, used); used.add(e3.uscc);
        const d = `2026-12-${String(c.r.int(e3.division === HITECH || e3.quietZone ? 21 : 1, 28)).padStart(2, '0')}`;
        add(nov, e3, d, d, pair(k + 2), 'assigned');
      }
    }
  }
  return { tasks, ledgers: buildLedgers(c, tasks.filter((t) => t.status === 'done')) };
}

function buildLedgers(c: Ctx, done: Task[]): Map<string, SignedRecord[]> {
  const out = new Map<string, SignedRecord[]>();
  const agencyName = new Map(ENFORCEMENT_AGENCIES.map((a) => [a.id, a.name]));
  for (const t of done) {
    const day = t.window.from;
    const hh = 9 + (c.r.int(0, 5));
    const mm = String(c.r.int(0, 5) * 10).padStart(2, '0');
    const at = (h: number, m: string) => `${day}T${String(h).padStart(2, '0')}:${m}:00+08:00`;
    const by = inspectorUserId(t.inspectorIds[0]);
    const team = t.inspectorIds.map((id) => {
      const ins = c.inspectors.find((i) => i.id === id)!;
      return { inspectorId: id, name: ins.name, certificateNumber: ins.certificateNumber!, certificateValid: true };
    });
    const entry: LedgerRecord = {
      id: `${t.id}.entry`, uscc: t.uscc, at: at(hh, mm), by, type: 'entry', agencyId: t.agencyId, taskId: t.id,
      kind: t.kind, team, itemIds: t.itemIds, via: 'scan', exemptions: [], device: 'seed', conductAcknowledged: true,
    };
    const item = c.items.get(t.itemIds[0])!;
    const vs = violationsOf(item);
    const problem = vs.length > 0 && (t.uscc === ENTERPRISE1_USCC ? t.agencyId === 'city-ecology' : c.r.chance(0.4));
    const flex = c.flex.find((f) => f.agencyId === t.agencyId && f.violationCode === vs[0]);
    const suggestion: 'none' | FlexEntry['list'] = flex?.list ?? 'none';
    const findings = problem ? [{ itemId: item.id, description: `${flex?.description ?? item.name + '存在不规范情形'}，已当场指出`, violationCode: vs[0], suggestion }] : [];
    const outcome = problem ? 'rectify' as const : 'no_problem' as const;
    const rectifyBy = problem ? addDays(day, 15) : undefined;
    const result: LedgerRecord = {
      id: `${t.id}.result`, uscc: t.uscc, at: at(hh + 1, mm), by, type: 'result', entryId: entry.id, agencyId: t.agencyId,
      checklist: [{ itemId: item.id, ok: !problem, note: problem ? '责令限期改正' : '' }],
      findings, outcome, ...(rectifyBy ? { rectifyBy } : {}),
      notice: `检查结果告知书：${agencyName.get(t.agencyId)}于${day}对你单位开展“${item.name}”检查，` +
        (problem ? `发现问题 ${vs[0]}，请于${rectifyBy}前完成整改。${suggestion === 'first_offence_exempt' ? '该问题属首次轻微违法且能及时改正，依据首违不罚清单不予行政处罚。' : ''}` : '未发现违法违规问题。'),
      checkedOutAt: at(hh + 1, mm),
    };
    const recs: SignedRecord[] = [{ rec: entry }, { rec: result }];
    const acker = t.uscc === ENTERPRISE1_USCC ? 'u-enterprise1' : t.uscc === ENTERPRISE2_USCC ? 'u-enterprise2' : undefined;
    if (acker) recs.push({ rec: { id: `${t.id}.ack`, uscc: t.uscc, at: at(hh + 3, mm), by: acker, type: 'ack', refId: result.id } });
    out.set(t.uscc, [...(out.get(t.uscc) ?? []), ...recs]);
  }
  return out;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
