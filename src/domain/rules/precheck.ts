/**
 * Check-in precheck (DESIGN §6 step 3): every rule that applies to one inspection, on what the device
 * (or, on receipt, the server) knows. A `block` stops the check-in unless an exemption is recorded
 * whose kind is in that verdict's `exemptBy` and whose `rule` names the verdict (its full code, e.g.
 * `quiet.blocked`, or its family, e.g. `quiet`). Blocks without `exemptBy` (certificates, team, an
 * unfiled plan) cannot be lifted.
 */
import type {
  Agency,
  Enterprise,
  Exemption,
  InspectionItem,
  InspectionKind,
  LedgerRecord,
  Method,
  PlanItem,
  PlanMeta,
  PolicyConfig,
  Task,
  Verdict,
  WarningKind as WarningKindSchema,
} from '../schemas';
import type { z } from 'zod';

type WarningKind = z.infer<typeof WarningKindSchema>;
import type { DateLike } from '../time';
import { teamRule, type TeamCert } from './certificates';
import { annualCap, effectiveCap } from './cap';
import { quietPeriod } from './quiet';
import { planFiled } from './plan';
import { mergeCandidate, offsiteThenOnsite, sameWindowOtherAgencies, type ItemKey } from './overlap';
import { levelSuggestion } from './level';
import { worst, type VerdictLevel } from './verdict';

export interface PrecheckContext {
  policy: PolicyConfig;
  at: DateLike;
  agency: Pick<Agency, 'id' | 'level'>;
  enterprise: Pick<Enterprise, 'uscc' | 'quietZone' | 'riskLevel' | 'industry' | 'division'>;
  kind: InspectionKind;
  /** default `onsite` */
  method?: Method;
  itemIds: readonly string[];
  team: readonly TeamCert[];
  /** the enterprise's ledger */
  ledger: readonly LedgerRecord[];
  /** the agency's plan for the year and its current content hash */
  plan?: { meta: Pick<PlanMeta, 'year' | 'status' | 'filedHash' | 'capPerEnterprise'>; items?: readonly PlanItem[]; currentHash?: string } | null;
  /** override of the cap (default: the plan's capPerEnterprise, else the city default) */
  cap?: number;
  /** tasks known to the device: the agency's own and, when available, other agencies' at this enterprise */
  tasks?: readonly Task[];
  /** catalogue entries of the inspected items, for the level suggestion */
  items?: readonly Pick<InspectionItem, 'id' | 'level'>[];
  crossDistrict?: boolean;
  taskId?: string;
  exemptions?: readonly Exemption[];
  /** the entry being re-checked (server side) */
  entryId?: string;
  itemKey?: ItemKey;
  mergeWindowDays?: number;
  duplicateDays?: number;
}

export interface Lifted {
  verdict: Verdict;
  exemption: Exemption;
}

export interface PrecheckResult {
  verdicts: Verdict[];
  /** true when a block remains after exemptions */
  blocked: boolean;
  /** the blocks that remain */
  blocking: Verdict[];
  /** blocks lifted by an exemption */
  lifted: Lifted[];
  /** most severe level after exemptions (a lifted block counts as warn) */
  level: VerdictLevel;
}

/** Does exemption `e` lift verdict `v`? */
export function exemptionLifts(v: Verdict, e: Pick<Exemption, 'rule' | 'kind' | 'reason'>): boolean {
  if (v.verdict !== 'block' || !v.exemptBy?.includes(e.kind)) return false;
  if (e.reason.trim().length < 2) return false;
  return e.rule === v.code || v.code.startsWith(`${e.rule}.`);
}

export function precheck(ctx: PrecheckContext): PrecheckResult {
  const method = ctx.method ?? 'onsite';
  const uscc = ctx.enterprise.uscc;
  const exemptions = ctx.exemptions ?? [];
  const verdicts: Verdict[] = [];

  verdicts.push(teamRule(ctx.team, ctx.at));
  verdicts.push(
    planFiled({
      kind: ctx.kind,
      planMeta: ctx.plan?.meta,
      currentHash: ctx.plan?.currentHash,
      at: ctx.at,
      itemIds: ctx.itemIds,
      planItems: ctx.plan?.items,
    }),
  );
  verdicts.push(
    annualCap({
      agencyId: ctx.agency.id,
      uscc,
      at: ctx.at,
      kind: ctx.kind,
      priorEntries: ctx.ledger,
      cap: ctx.cap ?? effectiveCap(ctx.plan?.meta, ctx.policy),
      policy: ctx.policy,
      excludeEntryId: ctx.entryId,
    }),
  );
  const quietEx = exemptions.find((e) => e.rule === 'quiet' || e.rule.startsWith('quiet.'));
  verdicts.push(quietPeriod({ enterprise: ctx.enterprise, at: ctx.at, kind: ctx.kind, method, exception: quietEx }, ctx.policy));
  verdicts.push(
    mergeCandidate({
      kind: ctx.kind,
      agencyId: ctx.agency.id,
      uscc,
      at: ctx.at,
      tasks: ctx.tasks ?? [],
      windowDays: ctx.mergeWindowDays,
      planItems: ctx.plan?.items,
      enterprise: ctx.enterprise,
      excludeTaskId: ctx.taskId,
    }),
  );
  verdicts.push(
    ...sameWindowOtherAgencies({
      agencyId: ctx.agency.id,
      uscc,
      at: ctx.at,
      itemIds: ctx.itemIds,
      tasks: ctx.tasks,
      entries: ctx.ledger,
      duplicateDays: ctx.duplicateDays,
      itemKey: ctx.itemKey,
      excludeEntryId: ctx.entryId,
      taskId: ctx.taskId,
    }),
  );
  verdicts.push(
    offsiteThenOnsite({
      kind: ctx.kind,
      method,
      uscc,
      at: ctx.at,
      itemIds: ctx.itemIds,
      history: ctx.ledger,
      itemKey: ctx.itemKey,
    }),
  );
  // level: the most demanding suggestion over the inspected items (city beats county)
  const items = (ctx.items ?? []).filter((it) => ctx.itemIds.includes(it.id));
  if (items.length) {
    const vs = items.map((it) =>
      levelSuggestion({
        itemLevel: it.level,
        riskLevel: ctx.enterprise.riskLevel,
        crossDistrict: ctx.crossDistrict,
        agencyLevel: ctx.agency.level,
      }),
    );
    verdicts.push(vs.find((v) => v.code === 'level.city') ?? vs[0]);
  }

  const lifted: Lifted[] = [];
  const blocking: Verdict[] = [];
  for (const v of verdicts) {
    if (v.verdict !== 'block') continue;
    const e = exemptions.find((x) => exemptionLifts(v, x));
    if (e) lifted.push({ verdict: v, exemption: e });
    else blocking.push(v);
  }
  const after = verdicts.map((v) => (v.verdict === 'block' && !blocking.includes(v) ? { ...v, verdict: 'warn' as const } : v));
  return { verdicts, blocked: blocking.length > 0, blocking, lifted, level: worst(after) };
}

/**
 * The supervisors' warning kind (schemas `WarningKind`) a non-ok verdict raises on the server, or
 * `undefined` for verdicts that are advice only (merge, joint, level, pending filing).
 */
export function warningKindOf(code: string): WarningKind | undefined {
  if (code === 'cap.reached' || code === 'cap.exempt') return 'over_cap';
  if (code === 'team.too_few' || (code.startsWith('cert.') && code !== 'cert.ok')) return 'uncertified';
  if (code === 'quiet.blocked' || code === 'quiet.exception' || code === 'quiet.triggered') return 'quiet_period';
  if (code === 'plan.unfiled') return 'unfiled_plan';
  if (code === 'plan.changed') return 'changed_since_filing';
  if (code === 'duplicate') return 'duplicate';
  if (code === 'offsite.clean_before') return 'offsite_then_onsite';
  return undefined;
}
