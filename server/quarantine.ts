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
import { z } from 'zod';
import type { RoomRef } from '../src/domain/rooms';
import { roomName } from '../src/domain/rooms';
import type { Principal } from '../src/domain/schemas';
import { verifyLedgerRecord, type DeviceRegistry, type LedgerVerdict } from './devices';

export type QuarantineReason = Exclude<LedgerVerdict, 'ok'> | 'not_author';

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
  /** keep a failing record; returns true when it is new (false: already quarantined, counted as resent) */
  add(row: { room: string; recordId: string; userId: string; reason: QuarantineReason; kid: string | null; record: unknown; update: Uint8Array }): boolean;
  list(opts?: { uscc?: string; limit?: number; offset?: number }): { total: number; items: QuarantineRow[] };
  /** the update bytes a record arrived in (for review or a later release) */
  bytes(room: string, recordId: string): Uint8Array | null;
  count(): number;
}

interface Row { room: string; record_id: string; user_id: string; reason: string; kid: string | null; record: string; bytes: number; at: number; resent: number }

const QReason = z.enum(['unsigned', 'unknown_key', 'bad_signature', 'wrong_author', 'not_author']);

/** The quarantine store: its own table in the server's SQLite file (like the device registry). */
export function createQuarantine(db: Database.Database, opts: { now?: () => number } = {}): QuarantineStore {
  const now = opts.now ?? (() => Date.now());
  db.exec(QUARANTINE_SCHEMA);
  const ins = db.prepare(`INSERT INTO quarantine (room, uscc, record_id, user_id, reason, kid, record, data, at)
    VALUES (@room, @uscc, @recordId, @userId, @reason, @kid, @record, @data, @at) ON CONFLICT(room, record_id) DO NOTHING`);
  const bump = db.prepare('UPDATE quarantine SET resent = resent + 1 WHERE room = ? AND record_id = ?');
  const cols = 'room, record_id, user_id, reason, kid, record, length(data) AS bytes, at, resent';
  const all = db.prepare<[number, number], Row>(`SELECT ${cols} FROM quarantine ORDER BY at DESC, record_id LIMIT ? OFFSET ?`);
  const byUscc = db.prepare<[string, number, number], Row>(`SELECT ${cols} FROM quarantine WHERE uscc = ? ORDER BY at DESC, record_id LIMIT ? OFFSET ?`);
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantine');
  const countUscc = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM quarantine WHERE uscc = ?');
  const data = db.prepare<[string, string], { data: Buffer }>('SELECT data FROM quarantine WHERE room = ? AND record_id = ?');
  const toRow = (r: Row): QuarantineRow => {
    let record: unknown = null;
    try { record = JSON.parse(r.record); } catch { /* stored as given */ }
    const reason = QReason.safeParse(r.reason);
    return {
      room: r.room, uscc: r.room.startsWith('ledger/') ? r.room.slice(7) : null, recordId: r.record_id, userId: r.user_id,
      reason: reason.success ? reason.data : 'bad_signature', kid: r.kid, record, bytes: r.bytes, at: r.at, resent: r.resent,
    };
  };
  return {
    add(row) {
      const uscc = row.room.startsWith('ledger/') ? row.room.slice(7) : null;
      let json: string;
      try { json = JSON.stringify(row.record) ?? 'null'; } catch { json = 'null'; }
      const r = ins.run({ room: row.room, uscc, recordId: row.recordId, userId: row.userId, reason: row.reason, kid: row.kid, record: json, data: Buffer.from(row.update), at: now() });
      if (r.changes > 0) return true;
      bump.run(row.room, row.recordId);
      return false;
    },
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
CREATE INDEX IF NOT EXISTS quarantine_uscc ON quarantine(uscc, at);`;

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
  for (const r of records) {
    const v = await verifyLedgerRecord(r.value, deps.devices);
    const rec = (r.value as { rec?: { by?: unknown } } | null)?.rec;
    const by = typeof rec?.by === 'string' ? rec.by : undefined;
    const sig = (r.value as { sig?: { kid?: unknown } } | null)?.sig;
    const kid = typeof sig?.kid === 'string' ? sig.kid.slice(0, 100) : null;
    const reason: QuarantineReason | null = v !== 'ok' ? v : by !== principal.userId ? 'not_author' : null;
    if (reason) failures.push({ recordId: r.key, reason, by, client: r.client, kid, value: r.value });
  }
  if (failures.length === 0) return { ok: true };
  const room = roomName(ref);
  for (const f of failures) {
    deps.quarantine.add({ room, recordId: f.recordId, userId: principal.userId, reason: f.reason, kid: f.kid, record: f.value, update });
  }
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
  | { ok: false; action: 'quarantine'; reason: QuarantineReason; detail: string; records: VetFailure[]; accepted?: Uint8Array };

/**
 * The vetting function in the relay's shape: ledger rooms only (others pass); a failure asks the relay to
 * drop the update without closing (`action: 'quarantine'`), the records being kept already.
 */
export function createLedgerVet(deps: VetDeps): (c: RelayVetContext) => Promise<RelayVetResult> {
  return async (c) => {
    const r = await vetLedgerUpdate(c.doc, c.ref, c.update, c.principal, deps, c.decoded);
    if (r.ok) return r;
    const detail = `ledger record ${r.records.map((x) => `${x.recordId}: ${x.reason}`).join(', ')} quarantined`;
    return { ok: false, action: 'quarantine', reason: r.reason, detail, records: r.records, ...(r.accepted ? { accepted: r.accepted } : {}) };
  };
}
