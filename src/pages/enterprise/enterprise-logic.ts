/**
 * The enterprise's side of an inspection without the DOM: verify an inspector's check code
 * offline, the years its ledger spans, its quiet-period status today, and its ratings and complaints
 * (feedback/<uscc>, kept apart from the ledger so that ratings stay anonymous to the inspecting agency), and its
 * rectification reports (signed ledger records with evidence).
 */
import type * as Y from 'yjs';
import { verifyCode, type ChkPayload, type Jwks, type Msg } from '../../domain/codes';
import { isQuietDay } from '../../domain/rules/quiet';
import { dayOfMonth, shanghaiDate, shanghaiYear, now } from '../../domain/time';
import type { Enterprise, EvidenceRef, FeedbackRecord, LedgerRecord, PolicyConfig, RectificationRecord } from '../../domain/schemas';
import type { DeviceKey } from '../../domain/record-signing';
import { appendFeedback } from '../../model';
import { newId } from '../stores/ids';
import { appendSigned } from '../stores/sign-append';

export type CheckCodeCheck = { ok: true; token: string; payload: ChkPayload } | { ok: false; message: Msg };

const NOT_CHK: Msg = {
  zh: '这是企业专属二维码，不是检查码：请扫描执法人员出示的检查码',
  en: 'This is an enterprise code, not a check code: scan the code the inspector shows',
};
const OTHER: Msg = {
  zh: '这张检查码是对其他企业的检查，与本企业无关，可以拒绝本次检查',
  en: 'This check code is for an inspection of another enterprise, not of yours: you may refuse this inspection',
};

/** Offline check of a scanned or pasted check code: signature and key, kind, and that it is about us. */
export async function checkCheckCode(text: string, jwks: Jwks, uscc: string): Promise<CheckCodeCheck> {
  const v = await verifyCode(text, jwks);
  if (!v.ok) return { ok: false, message: v.message };
  if (v.kind !== 'chk') return { ok: false, message: NOT_CHK };
  if (v.payload.uscc !== uscc) return { ok: false, message: OTHER };
  return { ok: true, token: v.token, payload: v.payload };
}

/** Years (Shanghai) that have entries, newest first; always includes `current`. */
export function ledgerYears(records: readonly Pick<LedgerRecord, 'type' | 'at'>[], current: number): number[] {
  const ys = new Set<number>([current]);
  for (const r of records) if (r.type === 'entry') ys.add(shanghaiYear(r.at));
  return [...ys].sort((a, b) => b - a);
}

/** The year to show first: the newest year with an entry, or `current` when there is none. */
export function defaultYear(records: readonly Pick<LedgerRecord, 'type' | 'at'>[], current: number): number {
  let y: number | null = null;
  for (const r of records)
    if (r.type === 'entry') {
      const ry = shanghaiYear(r.at);
      if (y === null || ry > y) y = ry;
    }
  return y ?? current;
}

export type QuietStatus =
  | { covered: false }
  | { covered: true; enabled: boolean; quietToday: boolean; today: string; days: number[]; nextQuiet: number | null; nextOpen: number | null };

/** Measure 10: whether the enterprise is covered by the quiet period and whether today is a quiet day. */
export function quietStatus(e: Pick<Enterprise, 'quietZone'>, policy: PolicyConfig, now: Date): QuietStatus {
  if (!e.quietZone) return { covered: false };
  const q = policy.quietPeriod;
  const days = [...q.quietDays].sort((a, b) => a - b);
  const d = dayOfMonth(now);
  const quietToday = isQuietDay(now, policy);
  return {
    covered: true,
    enabled: q.enabled,
    quietToday,
    today: shanghaiDate(now),
    days,
    nextQuiet: days.find((x) => x > d) ?? null,
    nextOpen: Array.from({ length: 31 - d }, (_, i) => d + 1 + i).find((x) => !days.includes(x)) ?? null,
  };
}

/** Consecutive runs of days as text: [1..20, 25] → "1–20、25". */
export function dayRuns(days: readonly number[], sep = '、'): string {
  const out: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
    out.push(j > i ? `${days[i]}–${days[j]}` : String(days[i]));
    i = j + 1;
  }
  return out.join(sep);
}

export type Rating = Extract<FeedbackRecord, { type: 'rating' }>;
export type Complaint = Extract<FeedbackRecord, { type: 'complaint' }>;

/** The enterprise's rating of an entry (the first one: ratings are write-once). */
export function ratingOf(feedback: readonly FeedbackRecord[], entryId: string): Rating | undefined {
  return feedback.find((f): f is Rating => f.type === 'rating' && f.entryId === entryId);
}

export function complaintsOf(feedback: readonly FeedbackRecord[], entryId?: string): Complaint[] {
  return feedback.filter((f): f is Complaint => f.type === 'complaint' && (entryId === undefined || f.entryId === entryId));
}

export function rate(doc: Y.Doc, i: { uscc: string; by: string; entryId: string; score: number; comment: string; at?: Date }): Rating {
  return appendFeedback(doc, {
    id: newId('rating'),
    uscc: i.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'rating',
    entryId: i.entryId,
    score: i.score,
    comment: i.comment.trim(),
  }) as Rating;
}

/** A complaint, or a refusal of the inspection (`refused`), citing the conduct rule broken. Throws a ZodError on a short text. */
export function complain(
  doc: Y.Doc,
  i: { uscc: string; by: string; entryId?: string; ruleCode?: string; refused: boolean; text: string; at?: Date },
): Complaint {
  return appendFeedback(doc, {
    id: newId(i.refused ? 'refusal' : 'complaint'),
    uscc: i.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'complaint',
    ...(i.entryId ? { entryId: i.entryId } : {}),
    ...(i.ruleCode ? { ruleCode: i.ruleCode } : {}),
    refused: i.refused,
    text: i.text.trim(),
  }) as Complaint;
}

/** the shortest rectification report accepted (the schema's minimum) */
export const RECTIFY_TEXT_MIN = 5;

/**
 * The enterprise's rectification report (整改报告) on a result that ordered rectification: what was done and
 * its evidence (kept on the phone, uploaded when online), signed by the device key into ledger/<uscc>.
 */
export async function appendRectification(
  ledger: Y.Doc,
  i: { uscc: string; by: string; resultId: string; text: string; evidence: EvidenceRef[]; key: DeviceKey; at?: Date },
): Promise<RectificationRecord> {
  const text = i.text.trim();
  if (text.length < RECTIFY_TEXT_MIN) throw new Error(`a rectification report needs at least ${RECTIFY_TEXT_MIN} characters`);
  const rec: RectificationRecord = {
    id: newId('rectification'),
    uscc: i.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'rectification',
    resultId: i.resultId,
    text,
    evidence: i.evidence,
  };
  return appendSigned(ledger, rec, i.key);
}

/** The name an enterprise saves a document under: `<kind>-<entryId>.pdf`. */
export const entDocFileName = (d: { docKind: string; entryId: string }) => `${d.docKind}-${d.entryId}.pdf`;
