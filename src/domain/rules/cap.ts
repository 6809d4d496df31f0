/**
 * Measure 4: an agency's annual frequency cap per enterprise, with its exempt triggers
 * (complaint/report, referral, data monitoring, enterprise request — the city's list).
 *
 * Decisions:
 * - Every on-site entry of the agency at the enterprise in the same Asia/Shanghai calendar year
 *   counts, planned or triggered: the cap limits how often the enterprise is visited. An exempt
 *   trigger lets an inspection go over the cap, it does not make it free.
 * - Off-site and written inspections (`method` ≠ onsite) do not count: measure 12 wants them used
 *   instead of visits.
 * - Entries of one task count once (a second visit for the same task is the same inspection);
 *   a record superseded by a correction counts as its correction; the entry being checked
 *   (`excludeEntryId`) and entries after `at` are ignored, so the server can re-run the rule on a
 *   full ledger and get the verdict of the moment.
 */
import type { EntryRecord, InspectionKind, LedgerRecord, PlanMeta, PolicyConfig, Verdict } from '../schemas';
import { instantMs, shanghaiYear, type DateLike } from '../time';
import { exemptionLabel } from '../policy-defaults';
import { corrections } from '../corrections';
import { block, ok, warn, zhList, enList } from './verdict';

/** The cap for an agency: its filed plan's `capPerEnterprise`, else the city default. */
export function effectiveCap(plan: Pick<PlanMeta, 'capPerEnterprise'> | undefined | null, policy: PolicyConfig): number {
  return plan?.capPerEnterprise ?? policy.capPerEnterpriseDefault;
}

/** Records superseded by an allowed correction are replaced by it (corrections.ts). */
export { effectiveRecords } from '../corrections';

export interface CapInput {
  agencyId: string;
  uscc: string;
  at: DateLike;
  kind: InspectionKind;
  /** that enterprise's ledger (any record types; only this agency's entries are counted) */
  priorEntries: readonly LedgerRecord[];
  cap: number;
  policy: PolicyConfig;
  /** the entry being evaluated, when re-running on a ledger that already holds it */
  excludeEntryId?: string;
}

/** How many inspections of `agencyId` at `uscc` count towards the cap in the Shanghai year of `at`. */
export function countTowardsCap(i: Omit<CapInput, 'kind' | 'cap' | 'policy'>): { count: number; ids: string[] } {
  const year = shanghaiYear(i.at);
  const atMs = instantMs(i.at);
  const keys = new Map<string, string>();
  // a correction that is not allowed (someone else's record, another type) neither hides nor replaces anything
  const { superseded, allowed } = corrections(i.priorEntries);
  for (const r of i.priorEntries) {
    if (r.type !== 'entry' || superseded.has(r.id)) continue;
    const e = r as EntryRecord;
    const corrects = allowed.has(e.id) ? e.corrects : undefined;
    if (e.agencyId !== i.agencyId || e.uscc !== i.uscc) continue;
    if (e.id === i.excludeEntryId || (i.excludeEntryId && corrects === i.excludeEntryId)) continue;
    if (e.method && e.method !== 'onsite') continue;
    if (shanghaiYear(e.at) !== year || instantMs(e.at) > atMs) continue;
    const key = e.taskId ? `task:${e.taskId}` : `entry:${corrects ?? e.id}`;
    if (!keys.has(key)) keys.set(key, e.id);
  }
  return { count: keys.size, ids: [...keys.values()] };
}

/**
 * Codes: cap.ok (ok) · cap.reached (block; exemptBy = the exempt trigger kinds) · cap.exempt (warn:
 * over the cap on an exempt trigger, recorded for supervisors; exemptBy lists the exempt kinds).
 * A triggered inspection whose trigger is not on the city's exempt list is treated like a planned one.
 */
export function annualCap(i: CapInput): Verdict {
  const { count, ids } = countTowardsCap(i);
  const year = shanghaiYear(i.at);
  const exemptBy = i.policy.exemptTriggers;
  const nth = count + 1;
  if (nth <= i.cap) {
    return ok(
      'cap.ok',
      `本部门${year}年对该企业第${nth}次检查（上限${i.cap}次）`,
      `Inspection ${nth} of this enterprise by this agency in ${year} (cap ${i.cap})`,
    );
  }
  const trig = i.kind.type === 'triggered' ? i.kind.trigger.kind : undefined;
  if (trig && exemptBy.includes(trig)) {
    const l = exemptionLabel(trig);
    return warn(
      'cap.exempt',
      `已达年度频次上限（${year}年已检查${count}次，上限${i.cap}次），因“${l.zh}”（${i.kind.type === 'triggered' ? i.kind.trigger.ref : ''}）可突破上限，将记录在案`,
      `The annual cap is reached (${count} inspections in ${year}, cap ${i.cap}); the trigger "${l.en}" allows going over it, and this is recorded`,
      { exemptBy, refs: ids },
    );
  }
  return block(
    'cap.reached',
    `本部门${year}年已对该企业检查${count}次，达到年度频次上限${i.cap}次；仅${zhList(exemptBy.map((k) => exemptionLabel(k).zh))}等情形可突破`,
    `This agency has inspected this enterprise ${count} times in ${year}, reaching the annual cap of ${i.cap}; only ${enList(exemptBy.map((k) => exemptionLabel(k).en))} may go over it`,
    { exemptBy, refs: ids },
  );
}
