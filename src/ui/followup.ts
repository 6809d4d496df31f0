/**
 * A rectification follow-up (整改复查) read from the enterprise's ledger, without the DOM: the result that
 * ordered rectification, the enterprise's reports and the agency's decisions, and its status. The inspector's
 * follow-up card, the agency's follow-up page and the enterprise's rectification card all show the same status.
 */
import type * as Y from 'yjs';
import type { FollowUpStatus } from '../protocol/evidence';
import type { DeviceKey } from '../domain/record-signing';
import type { LedgerRecord, RectificationRecord, ResultRecord, ReviewRecord } from '../domain/schemas';
import { now } from '../domain/time';
import { newId } from '../pages/stores/ids';
import { appendSigned } from '../pages/stores/sign-append';

export interface FollowUp {
  result: ResultRecord | null;
  /** the enterprise's reports, oldest first */
  reports: RectificationRecord[];
  /** the agency's decisions, oldest first */
  reviews: ReviewRecord[];
  /** the newest report, the one a decision is about */
  latest: RectificationRecord | null;
  status: FollowUpStatus;
}

/**
 * open: no report yet · reported: the newest report waits for a decision · accepted: a report was accepted
 * (the follow-up is done) · rejected: the newest report was not accepted · overdue: `today` (Shanghai date) is
 * past the deadline and no report was accepted.
 */
export function followUpOf(records: readonly LedgerRecord[], resultId: string, today: string): FollowUp {
  const result = records.find((r): r is ResultRecord => r.type === 'result' && r.id === resultId) ?? null;
  const reports = records.filter((r): r is RectificationRecord => r.type === 'rectification' && r.resultId === resultId);
  const reviews = records.filter((r): r is ReviewRecord => r.type === 'review' && r.resultId === resultId);
  const latest = reports[reports.length - 1] ?? null;
  const accepted = reviews.some((v) => v.accepted && reports.some((p) => p.id === v.reportId));
  let status: FollowUpStatus;
  if (accepted) status = 'accepted';
  else if (result?.rectifyBy && today > result.rectifyBy) status = 'overdue';
  else if (!latest) status = 'open';
  else {
    const decided = reviews.filter((v) => v.reportId === latest.id);
    status = decided.length ? 'rejected' : 'reported';
  }
  return { result, reports, reviews, latest, status };
}

export interface ReviewInput {
  uscc: string;
  by: string;
  agencyId: string;
  resultId: string;
  reportId: string;
  accepted: boolean;
  note: string;
  key: DeviceKey;
  at?: Date;
}

/** The agency's decision on the newest report, signed by the device key and appended to ledger/<uscc>. */
export async function appendReview(ledger: Y.Doc, i: ReviewInput): Promise<ReviewRecord> {
  const rec: ReviewRecord = {
    id: newId('review'),
    uscc: i.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'review',
    reportId: i.reportId,
    resultId: i.resultId,
    agencyId: i.agencyId,
    accepted: i.accepted,
    note: i.note.trim(),
  };
  return appendSigned(ledger, rec, i.key);
}
