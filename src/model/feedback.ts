/**
 * Feedback doc `feedback/<uscc>` (LAYOUT.feedback, append-only): `records` = recordId → rec FeedbackRecord
 * (ratings and complaints, kept apart from the ledger so ratings stay anonymous to the inspected-by agency).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { FeedbackRecord } from '../domain/schemas';
import { byTime } from './ledger';
import { check, cloneJson, toPlain, type InvalidRecord, type Origin, type ReadResult } from './util';

export function feedbackRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('records');
}

export function readFeedback(doc: Y.Doc, opts: { uscc?: string } = {}): ReadResult<FeedbackRecord> {
  const map = feedbackRoot(doc);
  const items: FeedbackRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const key of Array.from(map.keys())) {
    const r = check(FeedbackRecord, toPlain(map.get(key)));
    if (!r.ok) {
      invalid.push({ key, error: r.error });
      continue;
    }
    if (r.value.id !== key) {
      invalid.push({ key, error: `key "${key}" does not match the record's id "${r.value.id}"` });
      continue;
    }
    if (opts.uscc && r.value.uscc !== opts.uscc) {
      invalid.push({ key, error: `record is about ${r.value.uscc}, not ${opts.uscc}` });
      continue;
    }
    items.push(r.value);
  }
  items.sort(byTime);
  invalid.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { items, invalid };
}

/** Append a rating or complaint (validated). Throws if the id exists: write-once. */
export function appendFeedback(doc: Y.Doc, record: z.input<typeof FeedbackRecord>, origin?: Origin): FeedbackRecord {
  const parsed = FeedbackRecord.parse(record);
  const map = feedbackRoot(doc);
  if (map.has(parsed.id)) throw new Error(`feedback record "${parsed.id}" already exists; feedback is append-only`);
  doc.transact(() => map.set(parsed.id, cloneJson(parsed)), origin);
  return parsed;
}
