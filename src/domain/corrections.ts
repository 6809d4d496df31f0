/**
 * Corrections of ledger records (更正). Records are never changed: a correction is a new record whose
 * `corrects` names the record it supersedes. One predicate decides which corrections count, and every
 * reader applies it: the server before it stores a record (server/sync/record-rules.ts), the rules (cap,
 * overlap, 首违不罚 history), the projection and the app's views. Documents written before the server
 * checked corrections may hold corrections that are not allowed: they are shown as such and ignored.
 *
 * Allowed: the corrected record exists in the same ledger (same enterprise), has the same type, and was
 * written by the same user; an entry or result stays with the same agency. Nobody corrects someone
 * else's record: an enterprise that disagrees with an inspector's record files a `dispute` record, which
 * is shown beside it and hides nothing. Agency administrators only read ledgers (src/domain/rights.ts),
 * so they cannot write corrections at all; an inspector who left is followed by a dispute or a new record.
 */
import type { LedgerRecord } from './schemas';

export type CorrectionFailure = 'missing' | 'other_type' | 'other_author' | 'other_enterprise' | 'other_agency' | 'itself';

export type CorrectionVerdict = { ok: true } | { ok: false; why: CorrectionFailure };

type Rec = Pick<LedgerRecord, 'id' | 'type' | 'by' | 'uscc' | 'corrects'> & { agencyId?: string };

/** Whether `correction` may supersede `corrected` (undefined: not in the ledger). */
export function correctionAllowed(correction: Rec, corrected: Rec | undefined): CorrectionVerdict {
  if (!corrected) return { ok: false, why: 'missing' };
  if (corrected.id === correction.id) return { ok: false, why: 'itself' };
  if (corrected.type !== correction.type) return { ok: false, why: 'other_type' };
  if (corrected.uscc !== correction.uscc) return { ok: false, why: 'other_enterprise' };
  if (corrected.by !== correction.by) return { ok: false, why: 'other_author' };
  if ((corrected.agencyId ?? null) !== (correction.agencyId ?? null)) return { ok: false, why: 'other_agency' };
  return { ok: true };
}

/** Why a correction is refused, in both languages (shown to supervisors). */
export const CORRECTION_FAILURE: Record<CorrectionFailure, { zh: string; en: string }> = {
  missing: { zh: '被更正的记录不存在', en: 'the corrected record does not exist' },
  itself: { zh: '记录不能更正自身', en: 'a record cannot correct itself' },
  other_type: { zh: '只能更正同类记录', en: 'only a record of the same type may be corrected' },
  other_enterprise: { zh: '被更正的记录属于另一家企业', en: 'the corrected record is about another enterprise' },
  other_author: { zh: '只能更正本人制作的记录', en: 'only the author of a record may correct it' },
  other_agency: { zh: '更正记录须属于同一执法部门', en: 'a correction must stay with the same agency' },
};

/**
 * The ids of the records superseded by an allowed correction, and the corrections that are not allowed
 * (correction id → why), over a whole ledger.
 */
export function corrections<T extends Rec>(
  records: readonly T[],
): { superseded: Set<string>; allowed: Map<string, T>; refused: Map<string, CorrectionFailure> } {
  const byId = new Map(records.map((r) => [r.id, r]));
  const superseded = new Set<string>();
  const allowed = new Map<string, T>();
  const refused = new Map<string, CorrectionFailure>();
  for (const r of records) {
    if (!r.corrects) continue;
    const v = correctionAllowed(r, byId.get(r.corrects));
    if (v.ok) {
      superseded.add(r.corrects);
      allowed.set(r.id, r);
    } else refused.set(r.id, v.why);
  }
  return { superseded, allowed, refused };
}

/** The records in force: every record but those superseded by an allowed correction. */
export function effectiveRecords<T extends Rec>(records: readonly T[]): T[] {
  const { superseded } = corrections(records);
  return superseded.size ? records.filter((r) => !superseded.has(r.id)) : [...records];
}

/** The record an allowed correction supersedes (its `corrects`), else undefined: for ids that follow a record through its corrections. */
export function correctedId<T extends Rec>(r: T, records: readonly T[]): string | undefined {
  if (!r.corrects) return undefined;
  return correctionAllowed(
    r,
    records.find((x) => x.id === r.corrects),
  ).ok
    ? r.corrects
    : undefined;
}
