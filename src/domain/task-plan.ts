/**
 * Tasks from plans (measure 4) and joint plans (measure 8), pure: which enterprises an item reaches,
 * the default window of its months, the generated Task records (deterministic ids, so generating the
 * same task twice is refused instead of doubling it), and the rules a task would break before it is
 * saved (unfiled plan, team certificates, annual cap, quiet period, a task already there).
 *
 * Decisions:
 * - The cap counts what the enterprise will have suffered: this agency's counted entries of the year
 *   (rules/cap.ts) plus its open tasks there that have no entry yet. Planning over the cap is a block:
 *   the exempt triggers (complaint, referral, …) only exist for triggered inspections.
 * - The quiet period concerns days: a window made only of quiet days blocks (liftable by a listed
 *   special circumstance with a reason, like at check-in); a window with some quiet days warns and
 *   names the days the inspectors may go.
 * - Certificates must be valid on the first and the last day of the window.
 * - Warnings need a confirmation before saving; blocks that no exemption lifts cannot be saved.
 */
import type {
  Enterprise,
  Exemption,
  InspectionKind,
  LedgerRecord,
  Method,
  PlanItem,
  PlanMeta,
  PlanStatus,
  PolicyConfig,
  Task,
  Verdict,
  Window,
} from './schemas';
import { addDays, daysBetween, daysInMonth, isIsoDate, shanghaiMonth, shanghaiYear } from './time';
import { enterpriseMatchesTargets } from './joint-suggest';
import { countTowardsCap } from './rules/cap';
import { inQuietZone, isQuietDay } from './rules/quiet';
import { planFiled } from './rules/plan';
import { teamRule, type TeamCert } from './rules/certificates';
import { exemptionLifts, type Lifted } from './rules/precheck';
import { block, ok, warn, worst, zhList, enList, type VerdictLevel } from './rules/verdict';

const OPEN: ReadonlySet<Task['status']> = new Set(['assigned', 'in_progress']);

/** Enterprises an item's targets reach (a sampling ratio is ignored here: the agency picks by hand). */
export function enterprisesForTargets<E extends Pick<Enterprise, 'industry' | 'division' | 'riskLevel'>>(
  targets: PlanItem['targets'],
  enterprises: readonly E[],
): E[] {
  return enterprises.filter((e) => enterpriseMatchesTargets(e, targets));
}

/** The window spanning the given months of a year: first day of the earliest to last day of the latest. */
export function windowOfMonths(year: number, months: readonly number[]): Window {
  const ms = months.filter((m) => Number.isInteger(m) && m >= 1 && m <= 12);
  const lo = ms.length ? Math.min(...ms) : 1;
  const hi = ms.length ? Math.max(...ms) : 12;
  const p = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${p(lo)}-01`, to: `${year}-${p(hi)}-${p(daysInMonth(year, hi))}` };
}

/** FNV-1a, base 36: short stable ids from the task's identity. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/**
 * The id of a generated task: one per agency, source (plan item or joint plan), enterprise and window
 * start. Joint tasks of different members share the part after the agency id, so they can be matched.
 */
export function taskIdFor(agencyId: string, year: number, source: { planItemId?: string; jointId?: string }, uscc: string, from: string): string {
  const src = source.jointId ? `j:${source.jointId}` : `p:${source.planItemId ?? ''}`;
  return `${agencyId}.${source.jointId ? 'j' : 't'}${year}-${shortHash(`${src}|${uscc}|${from}`)}`;
}

export interface TaskEnterprise {
  uscc: string;
  name: string;
}

export interface PlanTasksInput {
  agencyId: string;
  year: number;
  planItem: Pick<PlanItem, 'id' | 'itemId' | 'method' | 'targets'>;
  enterprises: readonly TaskEnterprise[];
  window: Window;
  inspectorIds: readonly string[];
  createdAt: string;
  /** the published catalogue version the plan was filed against (the filing's `catalogueVersions`) */
  catalogueVersion?: number;
}

/** Tasks of one agency from one plan item: one per enterprise. */
export function generatePlanTasks(i: PlanTasksInput): Task[] {
  // a sampled item is routine (日常, 双随机) work; an item by list is a special (专项) inspection
  const kind: InspectionKind = { type: 'planned', planned: i.planItem.targets.samplingRatio !== undefined ? 'routine' : 'special' };
  return i.enterprises.map((e) => ({
    id: taskIdFor(i.agencyId, i.year, { planItemId: i.planItem.id }, e.uscc, i.window.from),
    agencyId: i.agencyId,
    year: i.year,
    uscc: e.uscc,
    enterpriseName: e.name,
    itemIds: [i.planItem.itemId],
    window: { ...i.window },
    inspectorIds: [...i.inspectorIds],
    kind,
    method: i.planItem.method,
    planItemId: i.planItem.id,
    ...(i.catalogueVersion ? { catalogueVersion: i.catalogueVersion } : {}),
    status: 'assigned' as const,
    createdAt: i.createdAt,
  }));
}

export interface JointTaskMember {
  agencyId: string;
  /** catalogue item ids this member inspects */
  itemIds: readonly string[];
  /** who goes for this member */
  inspectorIds: readonly string[];
}

export interface JointTasksInput {
  jointId: string;
  year: number;
  members: readonly JointTaskMember[];
  enterprises: readonly TaskEnterprise[];
  window: Window;
  createdAt: string;
}

/**
 * Tasks of a joint plan ("进一次门、查多项事"): for every enterprise, one task per member that has
 * items, each carrying every member's items and inspectors, written into that member's tasks room.
 */
export function generateJointTasks(i: JointTasksInput): Task[] {
  const active = i.members.filter((m) => m.itemIds.length > 0);
  const itemIds = [...new Set(active.flatMap((m) => m.itemIds))];
  const inspectorIds = [...new Set(active.flatMap((m) => m.inspectorIds))];
  return i.enterprises.flatMap((e) =>
    active.map((m) => ({
      id: taskIdFor(m.agencyId, i.year, { jointId: i.jointId }, e.uscc, i.window.from),
      agencyId: m.agencyId,
      year: i.year,
      uscc: e.uscc,
      enterpriseName: e.name,
      itemIds: [...itemIds],
      window: { ...i.window },
      inspectorIds: [...inspectorIds],
      kind: { type: 'planned', planned: 'special' } as InspectionKind,
      method: 'onsite' as Method,
      jointId: i.jointId,
      status: 'assigned' as const,
      createdAt: i.createdAt,
    })),
  );
}

/** A joint plan's status as the plan-filing rule reads it (the lead files it, measure 6). */
export function jointPlanMeta(j: { year: number; status: PlanStatus; filedHash?: string }): Pick<PlanMeta, 'year' | 'status' | 'filedHash'> {
  const filed = j.status === 'filed' || j.status === 'published' || j.status === 'submitted';
  return { year: j.year, status: j.status, filedHash: j.filedHash ?? (filed ? 'joint' : undefined) };
}

export interface TaskCheckInput {
  policy: PolicyConfig;
  agencyId: string;
  /** the task as it would be saved */
  task: Pick<Task, 'id' | 'uscc' | 'window' | 'kind' | 'method' | 'planItemId' | 'jointId'>;
  /** its division and township count when the policy lists quiet zones by division */
  enterprise: Pick<Enterprise, 'uscc' | 'quietZone'> & Partial<Pick<Enterprise, 'division' | 'township'>>;
  /** the plan (or joint plan, see `jointPlanMeta`) the task comes from, and its hash now */
  plan: { meta: Pick<PlanMeta, 'year' | 'status' | 'filedHash'>; currentHash?: string; joint?: boolean } | null;
  /** months the source item is planned for; a window outside them is a warning */
  months?: readonly number[];
  team: readonly TeamCert[];
  /** the enterprise's ledger */
  ledger: readonly LedgerRecord[];
  /** the agency's tasks of the year */
  tasks: readonly Task[];
  cap: number;
  exemptions?: readonly Exemption[];
}

export interface TaskCheck {
  verdicts: Verdict[];
  /** blocks no exemption lifted: the task cannot be saved */
  blocking: Verdict[];
  lifted: Lifted[];
  /** warnings (and lifted blocks) the user must confirm before saving */
  toConfirm: Verdict[];
  level: VerdictLevel;
}

function windowVerdict(w: Window, year: number): Verdict | null {
  if (!isIsoDate(w.from) || !isIsoDate(w.to)) return block('task.window', '请填写有效的检查时间段', 'Give a valid date window');
  if (w.from > w.to) return block('task.window', '检查时间段的开始日期晚于结束日期', 'The window starts after it ends');
  if (shanghaiYear(w.from) !== year || shanghaiYear(w.to) !== year) {
    return block('task.window', `检查时间段须在${year}年内`, `The window must lie within ${year}`);
  }
  return null;
}

/** Days of the window that are quiet days for a covered enterprise. */
export function quietDaysIn(w: Window, policy: PolicyConfig): string[] {
  const out: string[] = [];
  const n = Math.min(daysBetween(w.from, w.to), 366);
  for (let k = 0; k <= n; k++) {
    const d = addDays(w.from, k);
    if (isQuietDay(d, policy)) out.push(d);
  }
  return out;
}

function quietVerdict(i: TaskCheckInput): Verdict {
  if (!inQuietZone(i.enterprise, i.policy) || (i.task.method && i.task.method !== 'onsite') || i.task.kind.type !== 'planned') {
    return ok('quiet.ok', '不受企业安静期限制', 'Not limited by the quiet period');
  }
  const quiet = quietDaysIn(i.task.window, i.policy);
  const total = daysBetween(i.task.window.from, i.task.window.to) + 1;
  if (!quiet.length) return ok('quiet.ok', '检查时间段不在企业安静期内', 'The window has no quiet day');
  const kinds = i.policy.quietPeriod.exceptionKinds;
  if (quiet.length >= total) {
    return block(
      'quiet.blocked',
      '检查时间段全部处于企业安静期，除所列特殊情形外不安排有计划的现场检查（第十条）',
      "Every day of the window is in the enterprise's quiet period: no planned on-site inspection unless a listed special circumstance applies (measure 10)",
      { exemptBy: kinds },
    );
  }
  const free: string[] = [];
  for (let k = 0; k < total && free.length < 3; k++) {
    const d = addDays(i.task.window.from, k);
    if (!quiet.includes(d)) free.push(d);
  }
  return warn(
    'quiet.partial',
    `检查时间段内有${quiet.length}天为企业安静期，只能在其余日期入企（如${zhList(free)}）`,
    `${quiet.length} days of the window are quiet days: inspect only on the others (e.g. ${enList(free)})`,
  );
}

function capVerdict(i: TaskCheckInput): Verdict {
  const year = shanghaiYear(i.task.window.from);
  const counted = countTowardsCap({ agencyId: i.agencyId, uscc: i.enterprise.uscc, at: `${year}-12-31T23:59:59+08:00`, priorEntries: i.ledger });
  const entered = new Set(i.ledger.flatMap((r) => (r.type === 'entry' && r.taskId ? [r.taskId] : [])));
  const open = i.tasks.filter(
    (t) =>
      t.agencyId === i.agencyId &&
      t.uscc === i.enterprise.uscc &&
      t.id !== i.task.id &&
      OPEN.has(t.status) &&
      shanghaiYear(t.window.from) === year &&
      (!t.method || t.method === 'onsite') &&
      !entered.has(t.id),
  );
  if (i.task.method && i.task.method !== 'onsite') {
    return ok('cap.ok', '非现场检查不计入年度频次', 'Off-site inspections do not count towards the cap');
  }
  const nth = counted.count + open.length + 1;
  if (nth <= i.cap) {
    return ok(
      'cap.ok',
      `本部门${year}年对该企业第${nth}次检查（已检查${counted.count}次、已安排${open.length}项，上限${i.cap}次）`,
      `Inspection ${nth} of this enterprise by this agency in ${year} (${counted.count} done, ${open.length} planned, cap ${i.cap})`,
    );
  }
  return block(
    'cap.reached',
    `本部门${year}年对该企业已检查${counted.count}次、已安排${open.length}项任务，再安排将超过年度频次上限${i.cap}次（第四条）`,
    `This agency has inspected this enterprise ${counted.count} times in ${year} and has ${open.length} open tasks there: another would exceed the annual cap of ${i.cap} (measure 4)`,
    { refs: [...counted.ids, ...open.map((t) => t.id)] },
  );
}

function existingVerdict(i: TaskCheckInput): Verdict {
  if (i.tasks.some((t) => t.id === i.task.id)) {
    return block('task.exists', '该任务已生成过（同一来源、企业和开始日期）', 'This task already exists (same source, enterprise and start date)', {
      refs: [i.task.id],
    });
  }
  const same = i.tasks.filter(
    (t) =>
      t.uscc === i.enterprise.uscc &&
      OPEN.has(t.status) &&
      ((i.task.planItemId && t.planItemId === i.task.planItemId) || (i.task.jointId && t.jointId === i.task.jointId)),
  );
  if (same.length) {
    return warn(
      'task.duplicate',
      `该企业已有同一来源的未完成任务（${zhList(same.map((t) => `${t.window.from}～${t.window.to}`))}）`,
      `The enterprise already has an open task from the same source (${enList(same.map((t) => `${t.window.from}–${t.window.to}`))})`,
      { refs: same.map((t) => t.id) },
    );
  }
  return ok('task.new', '新任务', 'New task');
}

/** The plan-filing verdicts in the words of a joint plan (filed by its lead, measure 6). */
function jointWording(v: Verdict): Verdict {
  const m: Record<string, [string, string]> = {
    'plan.unfiled': [
      '联合检查计划尚未由牵头部门备案，不能实施联合检查（第六条）',
      'The joint plan has not been filed by its lead agency: no joint inspection can take place (measure 6)',
    ],
    'plan.pending': ['联合检查计划已报送备案，待司法行政部门确认', 'The joint plan has been submitted for filing and awaits the justice office'],
    'plan.changed': [
      '联合检查计划备案后已调整，应当由牵头部门重新备案（第六条）',
      'The joint plan changed after filing and must be re-filed by its lead (measure 6)',
    ],
    'plan.ok': ['联合检查计划已备案', 'The joint plan is filed'],
  };
  const x = m[v.code];
  return x && !(v.code === 'plan.unfiled' && v.message.zh.startsWith('没有')) ? { ...v, message: { zh: x[0], en: x[1] } } : v;
}

/** Every rule a task would break, before it is saved. */
export function checkTask(i: TaskCheckInput): TaskCheck {
  const verdicts: Verdict[] = [];
  const year = i.plan?.meta.year ?? shanghaiYear(i.task.window.from);
  const w = windowVerdict(i.task.window, year);
  if (w) verdicts.push(w);
  const pf = planFiled({ kind: i.task.kind, planMeta: i.plan?.meta ?? null, currentHash: i.plan?.currentHash, at: w ? undefined : i.task.window.from });
  verdicts.push(i.plan?.joint ? jointWording(pf) : pf);
  if (!w) {
    const last = teamRule(i.team, i.task.window.to);
    verdicts.push(last.verdict === 'ok' ? teamRule(i.team, i.task.window.from) : last);
    verdicts.push(capVerdict(i));
    verdicts.push(quietVerdict(i));
    if (i.months?.length) {
      const ms = new Set<number>();
      const n = Math.min(daysBetween(i.task.window.from, i.task.window.to), 366);
      for (let k = 0; k <= n; k += 1) ms.add(shanghaiMonth(addDays(i.task.window.from, k)));
      if (!i.months.some((m) => ms.has(m))) {
        verdicts.push(
          warn(
            'task.outside_months',
            `检查时间段不在计划月份（${zhList(i.months.map((m) => `${m}月`))}）内`,
            `The window is outside the planned months (${enList(i.months.map(String))})`,
          ),
        );
      }
    }
  }
  verdicts.push(existingVerdict(i));
  // strip the member list teamRule adds: a Verdict is what callers store and show
  const plain = verdicts.map(({ verdict, code, message, exemptBy, refs }) => ({
    verdict,
    code,
    message,
    ...(exemptBy ? { exemptBy } : {}),
    ...(refs ? { refs } : {}),
  }));
  const lifted: Lifted[] = [];
  const blocking: Verdict[] = [];
  for (const v of plain) {
    if (v.verdict !== 'block') continue;
    const e = (i.exemptions ?? []).find((x) => exemptionLifts(v, x));
    if (e) lifted.push({ verdict: v, exemption: e });
    else blocking.push(v);
  }
  const toConfirm = plain.filter((v) => v.verdict === 'warn' || lifted.some((l) => l.verdict === v));
  const after = plain.map((v) => (v.verdict === 'block' && !blocking.includes(v) ? { ...v, verdict: 'warn' as const } : v));
  return { verdicts: plain, blocking, lifted, toConfirm, level: worst(after) };
}
