/**
 * Ledger doc `ledger/<uscc>` (LAYOUT.ledger, append-only): `records` = recordId → rec SignedRecord.
 * Write once: an existing key is never set again and nothing is ever deleted; corrections are new
 * records whose `corrects` points at the old one.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { SignedRecord, type DisputeRecord, type LedgerRecord } from '../domain/schemas';
import { check, cloneJson, toPlain, type InvalidRecord, type Origin, type ReadResult } from './util';

export function ledgerRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('records');
}

/** Sort by `at` (as instants), then id. */
export function byTime<T extends { at: string; id: string }>(a: T, b: T): number {
  const ta = Date.parse(a.at),
    tb = Date.parse(b.at);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Every valid signed record, sorted by time. A record is invalid when it fails SignedRecord, when its
 * key is not its `rec.id`, or (when `uscc` is given) when it is about another enterprise.
 */
export function readLedger(doc: Y.Doc, opts: { uscc?: string } = {}): ReadResult<SignedRecord> {
  const map = ledgerRoot(doc);
  const items: SignedRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const key of Array.from(map.keys())) {
    const r = check(SignedRecord, toPlain(map.get(key)));
    if (!r.ok) {
      invalid.push({ key, error: r.error });
      continue;
    }
    if (r.value.rec.id !== key) {
      invalid.push({ key, error: `key "${key}" does not match the record's id "${r.value.rec.id}"` });
      continue;
    }
    if (opts.uscc && r.value.rec.uscc !== opts.uscc) {
      invalid.push({ key, error: `record is about ${r.value.rec.uscc}, not ${opts.uscc}` });
      continue;
    }
    items.push(r.value);
  }
  items.sort((a, b) => byTime(a.rec, b.rec));
  invalid.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { items, invalid };
}

/** The records only (without signatures), sorted by time. */
export function ledgerRecords(doc: Y.Doc, opts: { uscc?: string } = {}): ReadResult<LedgerRecord> {
  const r = readLedger(doc, opts);
  return { items: r.items.map((s) => s.rec), invalid: r.invalid };
}

export function hasRecord(doc: Y.Doc, id: string): boolean {
  return ledgerRoot(doc).has(id);
}

/** Append a signed record (validated). Throws if a record with that id exists: the ledger is write-once. */
export function appendRecord(doc: Y.Doc, signed: z.input<typeof SignedRecord>, origin?: Origin): SignedRecord {
  const parsed = SignedRecord.parse(signed);
  const map = ledgerRoot(doc);
  if (map.has(parsed.rec.id)) throw new Error(`ledger record "${parsed.rec.id}" already exists; the ledger is append-only (write a correction instead)`);
  doc.transact(() => map.set(parsed.rec.id, cloneJson(parsed)), origin);
  return parsed;
}

/** The enterprise's disputes of one record (entry or result), oldest first. */
export function disputesOf(records: readonly LedgerRecord[], refId: string): DisputeRecord[] {
  return records.filter((r): r is DisputeRecord => r.type === 'dispute' && r.refId === refId);
}
