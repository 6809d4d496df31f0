/**
 * Update checks for append-only rooms (ledger/, feedback/; DESIGN §4), run on the decoded
 * update (Y.decodeUpdate, V1 only) before anything is stored or applied.
 *
 * Allowed: new entries of root-level Y.Maps whose value is plain JSON (or bytes), each key written once.
 * Refused: a delete set that deletes anything not already deleted; a struct with an origin or right
 * origin (that is how Yjs encodes overwriting a map key, inserting into arrays or text); a write into a
 * nested type; a key that already exists in the doc, or twice in the update; GC structs (deleted
 * content); structs that would stay pending (a gap in a client's clock). Structs the doc already holds
 * are ignored (clients resend them on reconnect). Records must also parse with their room's schema
 * (ledger: SignedRecord, feedback: FeedbackRecord; every string and list has a maximum
 * length), hold no `__proto__`/`constructor`/`prototype` key at any depth (the doc keeps the raw value),
 * be stored under their own id, belong to the room's enterprise, and (when the author is known) be
 * written by the author: `by` is the connection's user.
 * What a signed ledger record's author may write (role, agency, task, code, time, corrections) is decided
 * after its signature, in server/ledger/record-rules.ts: a failure there is quarantined, not refused.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import type { RoomRef } from '../../../src/domain/rooms';
import { FeedbackRecord, SignedRecord, type Principal } from '../../../src/domain/schemas';

export type CheckResult = { ok: true } | { ok: false; reason: string; detail?: string };

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** true when the update carries nothing (no structs, empty delete set) */
export function isEmptyUpdate(d: Decoded): boolean {
  if (d.structs.length > 0) return false;
  for (const items of d.ds.clients.values()) if (items.length > 0) return false;
  return true;
}

interface MapLike {
  _map: Map<string, unknown>;
}

function deletesAreNoops(doc: Y.Doc, d: Decoded): boolean {
  let docDs: ReturnType<typeof Y.createDeleteSetFromStructStore> | null = null;
  for (const [client, items] of d.ds.clients) {
    for (const it of items) {
      if (it.len <= 0) continue;
      docDs ??= Y.createDeleteSetFromStructStore(doc.store);
      const ranges = docDs.clients.get(client) ?? [];
      // the range [clock, clock+len) must be covered by the doc's own (sorted, merged) delete ranges
      let clock = it.clock;
      const end = it.clock + it.len;
      for (const r of ranges) {
        if (r.clock <= clock && r.clock + r.len > clock) clock = r.clock + r.len;
        if (clock >= end) break;
      }
      if (clock < end) return false;
    }
  }
  return true;
}

export function checkAppendOnly(doc: Y.Doc, room: RoomRef, d: Decoded, author?: Principal): CheckResult {
  if (!deletesAreNoops(doc, d)) return { ok: false, reason: 'delete', detail: 'append-only room: deletions are not allowed' };
  const sv = Y.getState;
  const seen = new Set<string>();
  const firstClock = new Map<number, number>();
  for (const s of d.structs) {
    const client = s.id.client;
    if (!firstClock.has(client)) firstClock.set(client, s.id.clock);
    const have = sv(doc.store, client);
    if (s.id.clock + s.length <= have) continue; // already in the doc: Yjs will skip it
    if (s instanceof Y.Skip) continue;
    if (s instanceof Y.GC) return { ok: false, reason: 'delete', detail: 'append-only room: deleted content' };
    if (s.id.clock < have) return { ok: false, reason: 'overlap', detail: 'struct overlaps known content' };
    const item = s as Y.Item;
    if (item.origin !== null || item.rightOrigin !== null)
      return { ok: false, reason: 'overwrite', detail: 'append-only room: only new map entries are allowed' };
    if (typeof item.parent !== 'string') return { ok: false, reason: 'nested', detail: 'append-only room: only root-map entries are allowed' };
    if (typeof item.parentSub !== 'string') return { ok: false, reason: 'not_map', detail: 'append-only room: only map entries are allowed' };
    if (!(item.content instanceof Y.ContentAny) && !(item.content instanceof Y.ContentBinary)) {
      return { ok: false, reason: 'content', detail: 'append-only room: values must be plain JSON records' };
    }
    const k = `${item.parent}\u0000${item.parentSub}`;
    if (seen.has(k)) return { ok: false, reason: 'overwrite', detail: `key ${item.parentSub} written twice` };
    seen.add(k);
    const root = doc.share.get(item.parent) as unknown as MapLike | undefined;
    if (root && root._map.has(item.parentSub)) return { ok: false, reason: 'overwrite', detail: `key ${item.parentSub} exists` };
    const r = checkRecord(room, item.parent, item.parentSub, item.content, author);
    if (!r.ok) return r;
  }
  // a gap in a client's clock would leave structs pending, to be integrated later without these checks
  for (const [client, clock] of firstClock) {
    if (clock > sv(doc.store, client)) return { ok: false, reason: 'gap', detail: 'update depends on unknown content' };
  }
  return { ok: true };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first key of `v` (at any depth) that could reach an object's prototype, or null.
 * Decoding a Yjs value assigns keys one by one (lib0 `readAny`), so a `__proto__` key arrives as the
 * object's prototype rather than as an own key: an object whose prototype is not Object's is refused too.
 */
export function unsafeKeyPath(v: unknown, path = '', depth = 0): string | null {
  if (typeof v !== 'object' || v === null) return null;
  if (depth > 64) return `${path || '.'} (nested too deeply)`;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return `${path}.__proto__`;
    for (let i = 0; i < v.length; i++) {
      const p = unsafeKeyPath(v[i], `${path}[${i}]`, depth + 1);
      if (p !== null) return p;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return `${path}.__proto__`;
  for (const k of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(k)) return `${path}.${k}`;
    const p = unsafeKeyPath((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

const RECORD_ROOTS = { ledger: 'records', feedback: 'records' } as const;

function checkRecord(room: RoomRef, parent: string, key: string, content: Y.Item['content'], author?: Principal): CheckResult {
  if (room.kind !== 'ledger' && room.kind !== 'feedback') return { ok: true };
  const what = room.kind;
  if (parent !== RECORD_ROOTS[what]) return { ok: false, reason: 'invalid_record', detail: `${what}: unknown root ${parent}` };
  if (!(content instanceof Y.ContentAny) || content.arr.length !== 1)
    return { ok: false, reason: 'invalid_record', detail: `${what}: one JSON record per key` };
  // the doc keeps the raw value, not the parsed one: a key that reaches an object's prototype is refused anywhere in it
  const unsafe = unsafeKeyPath(content.arr[0]);
  if (unsafe !== null) return { ok: false, reason: 'invalid_record', detail: `${what} record: forbidden key ${unsafe}` };
  const parse = <T>(schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; r: CheckResult } => {
    const r = schema.safeParse(content.arr[0]);
    if (r.success) return { ok: true, value: r.data };
    const i = r.error.issues[0];
    return { ok: false, r: { ok: false, reason: 'invalid_record', detail: `${what} record: ${i ? `${i.path.join('.')}: ${i.message}` : 'invalid'}` } };
  };
  let rec: { id: string; uscc?: string; by?: string; agencyId?: string };
  if (room.kind === 'ledger') {
    const p = parse(SignedRecord);
    if (!p.ok) return p.r;
    rec = p.value.rec;
  } else {
    const p = parse(FeedbackRecord);
    if (!p.ok) return p.r;
    rec = p.value;
  }
  if (rec.id !== key) return { ok: false, reason: 'invalid_record', detail: `${what} record stored under another id` };
  if ('uscc' in room && rec.uscc !== room.uscc) return { ok: false, reason: 'invalid_record', detail: `${what} record of another enterprise` };
  if (author && rec.by !== undefined && rec.by !== author.userId)
    return { ok: false, reason: 'impersonation', detail: `${what} record written in another user's name` };
  return { ok: true };
}
