/**
 * Measure 10: the enterprise quiet period (企业安静期). On the city's quiet days an enterprise inside
 * the quiet zone receives no planned on-site inspection unless one of the listed special
 * circumstances applies.
 *
 * Decisions:
 * - Planned, on a quiet day, no listed exception → block (exemptBy = the city's exception kinds).
 * - Planned with a listed exception → warn `quiet.exception` (allowed, recorded with the reason).
 *   An exception kind the city does not list does not lift the block.
 * - Triggered by the enterprise's own request → ok: the enterprise asked for the visit.
 * - Triggered otherwise (complaint, referral, data monitoring) → warn `quiet.triggered`: a triggered
 *   inspection is not a planned one, so the quiet period does not stop it, but supervisors see it.
 * - Off-site and written inspections never disturb the enterprise → ok.
 */
import type { Enterprise, Exemption, InspectionKind, Method, PolicyConfig, QuietExceptionKind, Verdict } from '../schemas';
import { dayOfMonth, shanghaiDate, type DateLike } from '../time';
import { exemptionLabel } from '../policy-defaults';
import { block, ok, warn } from './verdict';

export interface QuietInput {
  enterprise: Pick<Enterprise, 'quietZone'> & Partial<Pick<Enterprise, 'division' | 'township'>>;
  at: DateLike;
  kind: InspectionKind;
  method?: Method;
  /** the special circumstance given by the inspector */
  exception?: Pick<Exemption, 'kind' | 'reason'> | null;
}

/** Is the enterprise covered by the quiet period: marked `quietZone`, or in a division the policy lists (`quietPeriod.zones`)? */
export function inQuietZone(e: QuietInput['enterprise'], policy: PolicyConfig): boolean {
  const zones = policy.quietPeriod.zones ?? [];
  return e.quietZone || (!!e.division && zones.includes(e.division)) || (!!e.township && zones.includes(e.township));
}

/** Is the Shanghai day of `at` a quiet day for an enterprise in the quiet zone? */
export function isQuietDay(at: DateLike, policy: PolicyConfig): boolean {
  return policy.quietPeriod.enabled && policy.quietPeriod.quietDays.includes(dayOfMonth(at));
}

/** Codes: quiet.ok · quiet.blocked (block) · quiet.exception (warn) · quiet.triggered (warn). */
export function quietPeriod(i: QuietInput, policy: PolicyConfig): Verdict {
  const day = shanghaiDate(i.at);
  if (!inQuietZone(i.enterprise, policy)) return ok('quiet.ok', '该企业不在安静期试点范围内', 'The enterprise is not covered by the quiet period');
  if (!isQuietDay(i.at, policy)) return ok('quiet.ok', `${day}不是安静期`, `${day} is not a quiet day`);
  if (i.method && i.method !== 'onsite') {
    return ok('quiet.ok', '非现场检查不受安静期限制', 'Off-site inspections are not limited by the quiet period');
  }
  const kinds = policy.quietPeriod.exceptionKinds;
  if (i.kind.type === 'triggered') {
    if (i.kind.trigger.kind === 'enterprise_request') {
      return ok('quiet.ok', '安静期内应企业申请实施检查', "Inspection at the enterprise's own request during its quiet period");
    }
    const l = exemptionLabel(i.kind.trigger.kind);
    return warn(
      'quiet.triggered',
      `${day}为企业安静期；本次为${l.zh}触发的检查，将记录在案`,
      `${day} is in the enterprise's quiet period; this inspection is triggered by ${l.en} and is recorded`,
    );
  }
  const ex = i.exception;
  if (ex && (kinds as string[]).includes(ex.kind) && ex.reason.trim().length >= 2) {
    const l = exemptionLabel(ex.kind as QuietExceptionKind);
    return warn(
      'quiet.exception',
      `${day}为企业安静期，因特殊情形“${l.zh}”实施检查：${ex.reason}`,
      `${day} is in the enterprise's quiet period; inspecting under the special circumstance "${l.en}": ${ex.reason}`,
      { exemptBy: kinds },
    );
  }
  return block(
    'quiet.blocked',
    `${day}为企业安静期，除特殊情形外不实施有计划的现场检查` + (ex ? `（“${exemptionLabel(ex.kind).zh}”不是所列特殊情形或未说明理由）` : ''),
    `${day} is in the enterprise's quiet period: no planned on-site inspection unless a listed special circumstance applies` +
      (ex ? ` ("${exemptionLabel(ex.kind).en}" is not a listed circumstance or has no reason)` : ''),
    { exemptBy: kinds },
  );
}
