/**
 * Rules that look at other inspections of the same enterprise: merge a triggered inspection into a
 * planned one (measure 4), join other agencies in the same window and detect duplicates (measure 8,
 * "进一次门、查多项事"), and flag an on-site visit after a clean off-site check (measure 12).
 */
import type { Enterprise, EntryRecord, InspectionKind, LedgerRecord, Method, PlanItem, ResultRecord, Task, Verdict, Window } from '../schemas';
import { addDays, daysBetween, instantMs, rangesOverlap, shanghaiDate, shanghaiMonth, shanghaiYear, type DateLike } from '../time';
import { enterpriseMatchesTargets } from '../joint-suggest';
import { effectiveRecords } from './cap';
import { corrections } from '../corrections';
import { ok, warn, zhList, enList } from './verdict';

export const DEFAULT_MERGE_WINDOW_DAYS = 30;
export const DEFAULT_JOINT_WINDOW_DAYS = 7;
export const DEFAULT_DUPLICATE_DAYS = 30;

const OPEN: ReadonlySet<Task['status']> = new Set(['assigned', 'in_progress']);

/** `[at − days, at + days]` as Shanghai dates. */
export function windowAround(at: DateLike, days: number): Window {
  return { from: addDays(at, -days), to: addDays(at, days) };
}

/** Maps an item id to the key that identifies "the same item" across agencies (default: the id itself). */
export type ItemKey = (itemId: string) => string;
const idKey: ItemKey = (x) => x;

function overlapItems(a: readonly string[], b: readonly string[], key: ItemKey): string[] {
  const ka = new Set(a.map(key));
  return [...new Set(b.filter((x) => ka.has(key(x))))];
}

// ---------------------------------------------------------------- merge (measure 4)

export interface MergeInput {
  kind: InspectionKind;
  agencyId: string;
  uscc: string;
  at: DateLike;
  /** the agency's tasks (others and other enterprises are ignored) */
  tasks: readonly Task[];
  /** days either side of `at` a planned task's window may be in (default 30) */
  windowDays?: number;
  /** the agency's plan items and the enterprise, to find planned items not yet turned into tasks */
  planItems?: readonly PlanItem[];
  enterprise?: Pick<Enterprise, 'industry' | 'division' | 'riskLevel'>;
  /** the task the triggered inspection already belongs to */
  excludeTaskId?: string;
}

/**
 * Codes: merge.none (ok; also for planned inspections) · merge.candidate (warn; refs = task ids and
 * plan item ids the triggered inspection should be carried out together with).
 * Plan items count when they target the enterprise by list (no sampling ratio: sampled items reach an
 * enterprise only through a drawn task), are planned for a month the window touches, and have no open task.
 */
export function mergeCandidate(i: MergeInput): Verdict {
  if (i.kind.type !== 'triggered') return ok('merge.none', '有计划检查，无需合并', 'Planned inspection: nothing to merge');
  const w = windowAround(i.at, i.windowDays ?? DEFAULT_MERGE_WINDOW_DAYS);
  const tasks = i.tasks.filter(
    (t) =>
      t.agencyId === i.agencyId &&
      t.uscc === i.uscc &&
      t.id !== i.excludeTaskId &&
      t.kind.type === 'planned' &&
      OPEN.has(t.status) &&
      rangesOverlap(t.window, w),
  );
  const taskPlanItems = new Set(tasks.map((t) => t.planItemId).filter(Boolean));
  const months = monthsOf(w);
  const items =
    i.enterprise && i.planItems
      ? i.planItems.filter(
          (p) =>
            p.targets.samplingRatio === undefined &&
            p.method === 'onsite' &&
            !taskPlanItems.has(p.id) &&
            p.months.some((m) => months.has(m)) &&
            enterpriseMatchesTargets(i.enterprise!, p.targets),
        )
      : [];
  if (!tasks.length && !items.length) {
    return ok('merge.none', '近期没有可合并的计划检查', 'No planned inspection nearby to merge with');
  }
  const t = tasks.map((x) => `${x.id}（${x.window.from}～${x.window.to}）`);
  const tEn = tasks.map((x) => `${x.id} (${x.window.from}–${x.window.to})`);
  const p = items.map((x) => x.id);
  return warn(
    'merge.candidate',
    `本次触发式检查可与已计划的检查合并开展现场检查（第四条）：` +
      [t.length ? `任务 ${zhList(t)}` : '', p.length ? `计划事项 ${zhList(p)}` : ''].filter(Boolean).join('；'),
    'This triggered inspection can be carried out together with planned work (measure 4): ' +
      [tEn.length ? `task ${enList(tEn)}` : '', p.length ? `plan item ${enList(p)}` : ''].filter(Boolean).join('; '),
    { refs: [...tasks.map((x) => x.id), ...p] },
  );
}

function monthsOf(w: Window): Set<number> {
  const out = new Set<number>();
  for (let d = w.from; d <= w.to; d = addDays(d, 1)) out.add(shanghaiMonth(d));
  return out;
}

// ---------------------------------------------------------------- joint / duplicate (measure 8)

export interface SameWindowInput {
  agencyId: string;
  uscc: string;
  at: DateLike;
  itemIds?: readonly string[];
  /** the window to look for other agencies' tasks in; default `at ± 7 days` */
  window?: Window;
  /** tasks of any agencies (own and other enterprises are ignored) */
  tasks?: readonly Task[];
  /** the enterprise's ledger */
  entries?: readonly LedgerRecord[];
  /** an entry on the same items within this many days before `at` is a duplicate (default 30) */
  duplicateDays?: number;
  itemKey?: ItemKey;
  /** the entry / task being evaluated */
  excludeEntryId?: string;
  taskId?: string;
}

/**
 * Codes: joint.none (ok) · joint.candidate (warn: other agencies have open tasks at this enterprise
 * in the window; refs = task ids) · joint.same_day (warn: another agency was there the same Shanghai
 * day; refs = entry ids) · duplicate (warn: the same items inspected within `duplicateDays`, by any
 * agency — another agency's visit is a multi-agency duplicate, this agency's own a repeat; refs =
 * entry ids). Returns every verdict that applies, or one `joint.none`.
 */
export function sameWindowOtherAgencies(i: SameWindowInput): Verdict[] {
  const out: Verdict[] = [];
  const w = i.window ?? windowAround(i.at, DEFAULT_JOINT_WINDOW_DAYS);
  const key = i.itemKey ?? idKey;
  const tasks = (i.tasks ?? []).filter((t) => t.agencyId !== i.agencyId && t.uscc === i.uscc && OPEN.has(t.status) && rangesOverlap(t.window, w));
  if (tasks.length) {
    const ag = [...new Set(tasks.map((t) => t.agencyId))];
    out.push(
      warn(
        'joint.candidate',
        `${zhList(ag)}在${w.from}～${w.to}也安排了对该企业的检查，建议联合检查（进一次门、查多项事）`,
        `${enList(ag)} also plan to inspect this enterprise between ${w.from} and ${w.to}; consider a joint inspection`,
        { refs: tasks.map((t) => t.id) },
      ),
    );
  }
  const day = shanghaiDate(i.at);
  const atMs = instantMs(i.at);
  const allowedFix = corrections(i.entries ?? []).allowed;
  const entries = effectiveRecords(i.entries ?? []).filter(
    (r): r is EntryRecord =>
      r.type === 'entry' &&
      r.uscc === i.uscc &&
      (!i.excludeEntryId || (r.id !== i.excludeEntryId && !(allowedFix.has(r.id) && r.corrects === i.excludeEntryId))) &&
      instantMs(r.at) <= atMs &&
      (!i.taskId || r.taskId !== i.taskId) &&
      (!r.method || r.method === 'onsite'),
  );
  const sameDay = entries.filter((e) => e.agencyId !== i.agencyId && shanghaiDate(e.at) === day);
  if (sameDay.length) {
    const ag = [...new Set(sameDay.map((e) => e.agencyId))];
    out.push(
      warn('joint.same_day', `${zhList(ag)}今天（${day}）已到该企业检查`, `${enList(ag)} already inspected this enterprise today (${day})`, {
        refs: sameDay.map((e) => e.id),
      }),
    );
  }
  const nDays = i.duplicateDays ?? DEFAULT_DUPLICATE_DAYS;
  if (i.itemIds?.length) {
    const dups = entries.filter((e) => daysBetween(e.at, i.at) <= nDays && overlapItems(i.itemIds!, e.itemIds, key).length);
    if (dups.length) {
      const items = [...new Set(dups.flatMap((e) => overlapItems(i.itemIds!, e.itemIds, key)))];
      const others = [...new Set(dups.filter((e) => e.agencyId !== i.agencyId).map((e) => e.agencyId))];
      const who = others.length ? { zh: `${zhList(others)}等部门`, en: enList(others) } : { zh: '本部门', en: 'this agency' };
      out.push(
        warn(
          'duplicate',
          `${nDays}日内${who.zh}已对该企业检查过相同事项（${zhList(items)}），可能构成重复检查`,
          `Within ${nDays} days ${who.en} already inspected the same items (${enList(items)}) at this enterprise: a possible duplicate inspection`,
          { refs: dups.map((e) => e.id) },
        ),
      );
    }
  }
  if (!out.length) out.push(ok('joint.none', '同期没有其他部门的检查', 'No other agency inspects this enterprise in the window'));
  return out;
}

// ---------------------------------------------------------------- off-site first (measure 12)

export interface OffsiteInput {
  kind: InspectionKind;
  method?: Method;
  uscc: string;
  at: DateLike;
  itemIds: readonly string[];
  /** the enterprise's ledger */
  history: readonly LedgerRecord[];
  itemKey?: ItemKey;
}

/**
 * Codes: offsite.none (ok) · offsite.clean_before (warn: a planned on-site inspection of items that a
 * clean off-site or written check covered earlier the same Shanghai year; refs = those entry ids).
 * Clean = its result has outcome `no_problem` and no findings. Triggered inspections are not flagged:
 * the trigger is new information the off-site check did not have.
 */
export function offsiteThenOnsite(i: OffsiteInput): Verdict {
  if (i.kind.type !== 'planned' || (i.method && i.method !== 'onsite')) {
    return ok('offsite.none', '不适用', 'Not applicable');
  }
  const recs = effectiveRecords(i.history);
  const allowedFix = corrections(i.history).allowed;
  const results = new Map<string, ResultRecord>();
  for (const r of recs) if (r.type === 'result') results.set(r.entryId, r);
  const year = shanghaiYear(i.at);
  const atMs = instantMs(i.at);
  const key = i.itemKey ?? idKey;
  const clean = recs.filter((r): r is EntryRecord => {
    if (r.type !== 'entry' || r.uscc !== i.uscc || !r.method || r.method === 'onsite') return false;
    if (shanghaiYear(r.at) !== year || instantMs(r.at) > atMs) return false;
    const res = results.get(r.id) ?? (r.corrects && allowedFix.has(r.id) ? results.get(r.corrects) : undefined);
    return !!res && res.outcome === 'no_problem' && res.findings.length === 0 && overlapItems(i.itemIds, r.itemIds, key).length > 0;
  });
  if (!clean.length) return ok('offsite.none', '本年度没有覆盖相同事项且未发现问题的非现场检查', 'No clean off-site check of these items this year');
  const items = [...new Set(clean.flatMap((e) => overlapItems(i.itemIds, e.itemIds, key)))];
  return warn(
    'offsite.clean_before',
    `本年度已通过非现场检查核查${zhList(items)}且未发现违法行为，原则上不再进行现场检查（第十二条）`,
    `An off-site check this year covered ${enList(items)} and found nothing: in principle no on-site inspection follows (measure 12)`,
    { refs: clean.map((e) => e.id) },
  );
}
