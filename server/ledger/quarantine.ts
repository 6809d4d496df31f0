/**
 * Device-signature vetting of ledger updates, with quarantine (DESIGN §4).
 *
 * Every new record an update adds to `ledger/<uscc>` must be signed by a device key registered to the
 * record's author, and the author must be the connection's principal (a user cannot append in another
 * user's name, even with a copy of a good signature). An update carrying a record that fails is not
 * applied: each failing record is kept in the `quarantine` table (idempotent per room and record id,
 * with the user, the reason and the update bytes) for supervisors (GET /api/quarantine), and the
 * connection stays open (closing it would make the client resend the same bytes forever).
 *
 * Runs after the append-only checks (server/sync/checks.ts), so every new struct is a root-map entry of
 * plain JSON: the new records are read from the decoded update (V1 only, like the checks) instead of a
 * scratch copy of the doc. Yjs keeps each client's structs as one contiguous log, so a failing record
 * holds back its whole client (within this update); records of other clients in the same update (a
 * sync step 2 after a long time offline carries several sessions) are returned as `accepted`, the
 * update minus the failing clients, which the relay may apply instead.
 */
import * as Y from 'yjs';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RoomRef } from '../../src/domain/rooms';
import { roomName } from '../../src/domain/rooms';
import { SignedRecord, type LedgerRecord, type Principal } from '../../src/domain/schemas';
import { verifyLedgerRecord, type DeviceRegistry, type LedgerVerdict } from '../codes/devices';
import { checkRecordRules, storedRecord, type RecordRuleDeps, type RecordRuleFailure } from './record-rules';

/** signature failures (devices.ts), the author not being the sender, and the record rules (sync/record-rules.ts) */
export type QuarantineReason = Exclude<LedgerVerdict, 'ok'> | 'not_author' | RecordRuleFailure;

export interface VetFailure {
  recordId: string;
  reason: QuarantineReason;
  /** the record's author as claimed (`rec.by`), when readable */
  by?: string;
}

export type VetResult =
  | { ok: true }
  | {
    ok: false;
    /** the first failure's reason (for logs and metrics) */
    reason: QuarantineReason;
    records: VetFailure[];
    /** the part of the update that passed (other clients' records), or undefined when nothing did */
    accepted?: Uint8Array;
  };

export interface QuarantineRow {
  room: string;
  uscc: string | null;
  recordId: string;
  userId: string;
  reason: QuarantineReason;
  kid: string | null;
  record: unknown;
  bytes: number;
  at: number;
  /** how many times this record was sent again after it was first quarantined */
  resent: number;
}

export interface QuarantineStore {
  /**
   * Keep the failing records of one update: the update's bytes once, a row per record (idempotent per room
   * and record id; a record sent again is counted as resent). Per user and hour at most `maxRowsPerHour`
   * rows and `maxBytesPerHour` bytes are kept; past that the records are only counted (`capped`).
   */
  addAll(batch: { room: string; userId: string; update: Uint8Array; records: { recordId: string; reason: QuarantineReason; kid: string | null; record: unknown }[] }): { added: number; resent: number; capped: number };
  list(opts?: { uscc?: string; limit?: number; offset?: number }): { total: number; items: QuarantineRow[] };
  /** the update bytes a record arrived in (for review or a later release) */
  bytes(room: string, recordId: string): Uint8Array | null;
  count(): number;
}

interface Row { room: string; record_id: string; user_id: string; reason: string; kid: string | null; record: string; bytes: number; at: number; resent: number }

const QReason = z.enum(['unsigned', 'unknown_key', 'bad_signature', 'wrong_author', 'not_author',
  'not_permitted', 'unknown_task', 'bad_code', 'future_time', 'bad_correction', 'unknown_ref']);
const HOUR_MS = 3_600_000;
/** the largest record kept as JSON in a row (the whole update is kept once beside it) */
const MAX_RECORD_JSON = 16 * 1024;

export interface QuarantineLimits {
  now?: () => number;
  /** rows kept per user per hour (default 100) */
  maxRowsPerHour?: number;
  /** update bytes kept per user per hour (default 4 MiB) */
  maxBytesPerHour?: number;
}

/** The quarantine store: its own tables in the server's SQLite file (like the device registry). */
export function createQuarantine(db: Database.Database, opts: QuarantineLimits = {}): QuarantineStore {
  const now = opts.now ?? (() => Date.now());
  const maxRows = opts.maxRowsPerHour ?? 100;
  const maxBytes = opts.maxBytesPerHour ?? 4 * 1024 * 1024;
  db.exec(QUARANTINE_SCHEMA);
  // rows of older versions held their update in `data`; newer ones point at `quarantine_updates` by hash
  const cols0 = db.prepare('PRAGMA table_info(quarantine)').all() as { name: string }[];
  if (!cols0.some((c) => c.name === 'update_hash')) db.exec('ALTER TABLE quarantine ADD COLUMN update_hash TEXT');
  const ins = db.prepare(`INSERT INTO quarantine (room, uscc, record_id, user_id, reason, kid, record, data, update_hash, at)
    VALUES (@room, @uscc, @recordId, @userId, @reason, @kid, @record, x'', @hash, @at) ON CONFLICT(room, record_id) DO NOTHING`);
  const insUpdate = db.prepare('INSERT OR IGNORE INTO quarantine_updates (hash, data, at) VALUES (?, ?, ?)');
  const bump = db.prepare('UPDATE quarantine SET resent = resent + 1 WHERE room = ? AND record_id = ?');
  const cols = 'q.room, q.record_id, q.user_id, q.reason, q.kid, q.record, coalesce(length(u.data), length(q.data)) AS bytes, q.at, q.resent';
  const from = 'FROM quarantine q LEFT JOIN quarantine_updates u ON u.hash = q.update_hash';
  const all = db.prepare<[number, number], Row>(`SELECT ${cols} ${from} ORDER BY q.at DESC, q.record_id LIMIT ? OFFSET ?`);
  const byUscc = db.prepare<[string, number, number], Row>(`SELECT ${cols} ${from} WHERE q.uscc = ? ORDER BY q.at DESC, q.record_id LIMIT ? OFFSET ?`);
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantine');
  const countUscc = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM quarantine WHERE uscc = ?');
  const data = db.prepare<[string, string], { data: Buffer }>(`SELECT coalesce(u.data, q.data) AS data ${from} WHERE q.room = ? AND q.record_id = ?`);
  /** per user: [hour, rows kept, bytes kept] */
  const budget = new Map<string, [number, number, number]>();
  const toRow = (r: Row): QuarantineRow => {
    let record: unknown = null;
    try { record = JSON.parse(r.record); } catch { /* stored as given */ }
    const reason = QReason.safeParse(r.reason);
    return {
      room: r.room, uscc: r.room.startsWith('ledger/') ? r.room.slice(7) : null, recordId: r.record_id, userId: r.user_id,
      reason: reason.success ? reason.data : 'bad_signature', kid: r.kid, record, bytes: r.bytes, at: r.at, resent: r.resent,
    };
  };
  const addAll = db.transaction((b: Parameters<QuarantineStore['addAll']>[0]) => {
    const uscc = b.room.startsWith('ledger/') ? b.room.slice(7) : null;
    const at = now();
    const hour = Math.floor(Date.now() / HOUR_MS);
    const had = budget.get(b.userId);
    const left = had && had[0] === hour ? had : [hour, 0, 0] as [number, number, number];
    budget.set(b.userId, left);
    if (budget.size > 10_000) for (const [u, [h]] of budget) if (h !== hour) budget.delete(u);
    let hash: string | null = null;
    const out = { added: 0, resent: 0, capped: 0 };
    for (const r of b.records) {
      if (left[1] >= maxRows) { out.capped++; if (bump.run(b.room, r.recordId).changes > 0) { out.resent++; out.capped--; } continue; }
      if (hash === null) {
        if (left[2] + b.update.byteLength > maxBytes) { out.capped += b.records.length - out.added - out.resent; break; }
        hash = createHash('sha256').update(b.update).digest('hex');
        if (insUpdate.run(hash, Buffer.from(b.update), at).changes > 0) left[2] += b.update.byteLength;
      }
      let json: string;
      try { json = JSON.stringify(r.record) ?? 'null'; } catch { json = 'null'; }
      if (json.length > MAX_RECORD_JSON) json = JSON.stringify({ truncated: true, bytes: json.length });
      if (ins.run({ room: b.room, uscc, recordId: r.recordId, userId: b.userId, reason: r.reason, kid: r.kid, record: json, hash, at }).changes > 0) {
        out.added++;
        left[1]++;
      } else {
        bump.run(b.room, r.recordId);
        out.resent++;
      }
    }
    return out;
  });
  return {
    addAll: (b) => addAll(b),
    list(o = {}) {
      const limit = Math.min(Math.max(o.limit ?? 100, 1), 500);
      const offset = Math.max(o.offset ?? 0, 0);
      const rows = o.uscc ? byUscc.all(o.uscc, limit, offset) : all.all(limit, offset);
      const total = (o.uscc ? countUscc.get(o.uscc) : countAll.get())?.n ?? 0;
      return { total, items: rows.map(toRow) };
    },
    bytes(room, recordId) {
      const r = data.get(room, recordId);
      return r ? new Uint8Array(r.data) : null;
    },
    count() { return countAll.get()?.n ?? 0; },
  };
}

export const QUARANTINE_SCHEMA = `
CREATE TABLE IF NOT EXISTS quarantine (
  room TEXT NOT NULL,
  uscc TEXT,
  record_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  kid TEXT,
  record TEXT NOT NULL,
  data BLOB NOT NULL,
  at INTEGER NOT NULL,
  resent INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room, record_id)
);
CREATE INDEX IF NOT EXISTS quarantine_uscc ON quarantine(uscc, at);
CREATE TABLE IF NOT EXISTS quarantine_updates (hash TEXT PRIMARY KEY, data BLOB NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;`;

interface NewRecord { key: string; client: number; value: unknown }

/**
 * The records an update adds to the doc's `records` map, with the Yjs client that wrote each.
 * Structs the doc already holds are skipped (clients resend them on reconnect).
 */
export function newRecords(doc: Y.Doc, update: Uint8Array, decoded?: ReturnType<typeof Y.decodeUpdate>): { records: NewRecord[]; ends: Map<number, number> } {
  const d = decoded ?? Y.decodeUpdate(update);
  const records: NewRecord[] = [];
  const ends = new Map<number, number>();
  for (const s of d.structs) {
    const client = s.id.client;
    ends.set(client, Math.max(ends.get(client) ?? 0, s.id.clock + s.length));
    if (s.id.clock + s.length <= Y.getState(doc.store, client)) continue;
    if (!(s instanceof Y.Item)) continue;
    // decoded (not integrated) items name their root by string
    if ((s.parent as unknown) !== 'records' || typeof s.parentSub !== 'string') continue;
    if (!(s.content instanceof Y.ContentAny) || s.content.arr.length !== 1) continue;
    records.push({ key: s.parentSub, client, value: s.content.arr[0] });
  }
  return { records, ends };
}

export interface VetDeps {
  devices: Pick<DeviceRegistry, 'lookup'>;
  quarantine: QuarantineStore;
  /**
   * Who may write which record (sync/record-rules.ts: the author's role and agency, the task, the scanned
   * code, the time, corrections). The server always passes them; without them only signatures are checked.
   */
  rules?: RecordRuleDeps;
  /** records accepted more than 24 h after their time (phones offline, or back-dated): reported to supervisors */
  onLate?: (uscc: string, late: { recordId: string; at: string; type: LedgerRecord['type']; agencyId?: string }[], principal: Principal) => void;
}

/**
 * Vet an update to a ledger room (other rooms pass). Failing records are quarantined before this
 * returns; the caller must not apply the update when `ok` is false (it may apply `accepted`).
 */
export async function vetLedgerUpdate(doc: Y.Doc, ref: RoomRef, update: Uint8Array, principal: Principal, deps: VetDeps, decoded?: ReturnType<typeof Y.decodeUpdate>): Promise<VetResult> {
  if (ref.kind !== 'ledger') return { ok: true };
  const { records, ends } = newRecords(doc, update, decoded);
  if (records.length === 0) return { ok: true };
  const failures: (VetFailure & { client: number; kid: string | null; value: unknown })[] = [];
  // the update's own records (parsed), so that a result may follow its entry and a correction its record in one update
  const fresh = new Map<string, LedgerRecord>();
  for (const r of records) { const p = SignedRecord.safeParse(r.value); if (p.success) fresh.set(r.key, p.data.rec); }
  const lookup = (id: string) => fresh.get(id) ?? storedRecord(doc, id);
  const late: { recordId: string; client: number; at: string; type: LedgerRecord['type']; agencyId?: string }[] = [];
  for (const r of records) {
    const v = await verifyLedgerRecord(r.value, deps.devices);
    const rec = (r.value as { rec?: { by?: unknown } } | null)?.rec;
    const by = typeof rec?.by === 'string' ? rec.by : undefined;
    const sig = (r.value as { sig?: { kid?: unknown } } | null)?.sig;
    const kid = typeof sig?.kid === 'string' ? sig.kid.slice(0, 100) : null;
    let reason: QuarantineReason | null = v !== 'ok' ? v : by !== principal.userId ? 'not_author' : null;
    const parsed = fresh.get(r.key);
    if (!reason && deps.rules && parsed) {
      const verdict = await checkRecordRules(parsed, { principal, uscc: ref.uscc, lookup }, deps.rules);
      if (!verdict.ok) reason = verdict.reason;
      else if (verdict.late) late.push({ recordId: r.key, client: r.client, at: parsed.at, type: parsed.type, ...('agencyId' in parsed ? { agencyId: parsed.agencyId } : {}) });
    }
    if (reason) failures.push({ recordId: r.key, reason, by, client: r.client, kid, value: r.value });
  }
  // late uploads are reported only for records that are stored (their client passed)
  const failedClients = new Set(failures.map((f) => f.client));
  const lateStored = late.filter((l) => !failedClients.has(l.client)).map(({ client: _c, ...l }) => l);
  if (lateStored.length) { try { deps.onLate?.(ref.uscc, lateStored, principal); } catch { /* a report never stops a record */ } }
  if (failures.length === 0) return { ok: true };
  const room = roomName(ref);
  deps.quarantine.addAll({ room, userId: principal.userId, update, records: failures.map((f) => ({ recordId: f.recordId, reason: f.reason, kid: f.kid, record: f.value })) });
  // drop every struct of a failing client: the state vector says "already known" up to its last clock
  const bad = new Map<number, number>();
  for (const f of failures) bad.set(f.client, ends.get(f.client) ?? 0);
  const goodClients = records.some((r) => !bad.has(r.client));
  const accepted = goodClients ? Y.diffUpdate(update, Y.encodeStateVector(bad)) : undefined;
  return {
    ok: false,
    reason: failures[0].reason,
    records: failures.map(({ recordId, reason, by }) => (by === undefined ? { recordId, reason } : { recordId, reason, by })),
    ...(accepted ? { accepted } : {}),
  };
}

/** What the relay hands its `vet` option (RelayOptions.vet, server/sync/relay.ts VetContext). */
export interface RelayVetContext {
  ref: RoomRef;
  doc: Y.Doc;
  update: Uint8Array;
  decoded?: ReturnType<typeof Y.decodeUpdate>;
  principal: Principal;
}
export type RelayVetResult =
  | { ok: true }
  | { ok: false; action: 'quarantine'; reason: QuarantineReason; detail: string; records: VetFailure[]; accepted?: Uint8Array; count: number };

/**
 * The vetting function in the relay's shape: ledger rooms only (others pass); a failure asks the relay to
 * drop the update without closing (`action: 'quarantine'`), the records being kept already.
 */
export function createLedgerVet(deps: VetDeps): (c: RelayVetContext) => Promise<RelayVetResult> {
  return async (c) => {
    const r = await vetLedgerUpdate(c.doc, c.ref, c.update, c.principal, deps, c.decoded);
    if (r.ok) return r;
    const shown = r.records.slice(0, 5).map((x) => `${x.recordId}: ${x.reason}`).join(', ');
    const detail = `ledger record${r.records.length > 1 ? 's' : ''} ${shown}${r.records.length > 5 ? ` and ${r.records.length - 5} more` : ''} quarantined`;
    return { ok: false, action: 'quarantine', reason: r.reason, detail, records: r.records, count: r.records.length, ...(r.accepted ? { accepted: r.accepted } : {}) };
  };
}

/**
 * Supervisors hear of quarantined records at most once per user and hour (measure 11/15: irregular records
 * are warnings), with how many records that user sent in the burst: 256 bad records in one update must not
 * become 256 warnings (issue 13 §1). The warning goes out `delayMs` after the first failure of the hour, with
 * the count so far; later failures of that hour are kept (capped) in the quarantine, not warned again.
 */
export function createQuarantineAlerts(o: {
  raise: (w: { id: string; uscc?: string; refId: string; userId: string; count: number; rooms: number; reason: string }) => Promise<unknown>;
  delayMs?: number;
  onError?: (err: unknown) => void;
}): { failed(userId: string, uscc: string | undefined, records: VetFailure[]): void; close(): void } {
  interface Burst { hour: number; count: number; rooms: Set<string>; first: VetFailure; uscc?: string; timer: NodeJS.Timeout | null }
  const bursts = new Map<string, Burst>();
  return {
    failed(userId, uscc, records) {
      if (records.length === 0) return;
      const hour = Math.floor(Date.now() / HOUR_MS);
      let b = bursts.get(userId);
      if (b && b.hour === hour) { if (b.timer) { b.count += records.length; if (uscc) b.rooms.add(uscc); } return; }
      b = { hour, count: records.length, rooms: new Set(uscc ? [uscc] : []), first: records[0], uscc, timer: null };
      bursts.set(userId, b);
      if (bursts.size > 10_000) for (const [u, x] of bursts) if (x.hour !== hour) bursts.delete(u);
      const burst = b;
      burst.timer = setTimeout(() => {
        burst.timer = null;
        const id = `quarantined.${userId}.${hour}`.slice(0, 80);
        o.raise({ id, uscc: burst.uscc, refId: burst.first.recordId, userId, count: burst.count, rooms: burst.rooms.size, reason: burst.first.reason })
          .catch((err: unknown) => o.onError?.(err));
      }, o.delayMs ?? 2000);
      burst.timer.unref();
    },
    close() { for (const b of bursts.values()) if (b.timer) clearTimeout(b.timer); bursts.clear(); },
  };
}
