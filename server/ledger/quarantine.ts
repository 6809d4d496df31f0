/**
 * The quarantine (DESIGN §4): ledger records that failed vetting (server/ledger/vet.ts), kept in their own
 * tables in the server's SQLite file, idempotent per room and record id, with the user, the reason and
 * the update bytes, for supervisors (GET /api/quarantine).
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LedgerVerdict } from '../codes/devices';
import type { RecordRuleFailure } from './record-rules';

/** signature failures (codes/devices.ts), the author not being the sender, and the record rules (ledger/record-rules.ts) */
export type QuarantineReason = Exclude<LedgerVerdict, 'ok'> | 'not_author' | RecordRuleFailure;

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

/** Promise-returning, so a PostgreSQL store can stand in; the SQL stays in createQuarantine below. */
export interface QuarantineStore {
  /**
   * Keep the failing records of one update: the update's bytes once, a row per record (idempotent per room
   * and record id; a record sent again is counted as resent). Per user and hour at most `maxRowsPerHour`
   * rows and `maxBytesPerHour` bytes are kept; past that the records are only counted (`capped`).
   */
  addAll(batch: {
    room: string;
    userId: string;
    update: Uint8Array;
    records: { recordId: string; reason: QuarantineReason; kid: string | null; record: unknown }[];
  }): Promise<{ added: number; resent: number; capped: number }>;
  list(opts?: { uscc?: string; limit?: number; offset?: number }): Promise<{ total: number; items: QuarantineRow[] }>;
  /** the update bytes a record arrived in (for review or a later release) */
  bytes(room: string, recordId: string): Promise<Uint8Array | null>;
  count(): Promise<number>;
}

interface Row {
  room: string;
  record_id: string;
  user_id: string;
  reason: string;
  kid: string | null;
  record: string;
  bytes: number;
  at: number;
  resent: number;
}

const QReason = z.enum([
  'unsigned',
  'unknown_key',
  'bad_signature',
  'wrong_author',
  'not_author',
  'not_permitted',
  'unknown_task',
  'bad_code',
  'future_time',
  'bad_correction',
  'unknown_ref',
]);
export const HOUR_MS = 3_600_000;
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
    try {
      record = JSON.parse(r.record);
    } catch {
      /* stored as given */
    }
    const reason = QReason.safeParse(r.reason);
    return {
      room: r.room,
      uscc: r.room.startsWith('ledger/') ? r.room.slice(7) : null,
      recordId: r.record_id,
      userId: r.user_id,
      reason: reason.success ? reason.data : 'bad_signature',
      kid: r.kid,
      record,
      bytes: r.bytes,
      at: r.at,
      resent: r.resent,
    };
  };
  const addAll = db.transaction((b: Parameters<QuarantineStore['addAll']>[0]): Awaited<ReturnType<QuarantineStore['addAll']>> => {
    const uscc = b.room.startsWith('ledger/') ? b.room.slice(7) : null;
    const at = now();
    const hour = Math.floor(Date.now() / HOUR_MS);
    const had = budget.get(b.userId);
    const left = had && had[0] === hour ? had : ([hour, 0, 0] as [number, number, number]);
    budget.set(b.userId, left);
    if (budget.size > 10_000) for (const [u, [h]] of budget) if (h !== hour) budget.delete(u);
    let hash: string | null = null;
    const out = { added: 0, resent: 0, capped: 0 };
    for (const r of b.records) {
      if (left[1] >= maxRows) {
        out.capped++;
        if (bump.run(b.room, r.recordId).changes > 0) {
          out.resent++;
          out.capped--;
        }
        continue;
      }
      if (hash === null) {
        if (left[2] + b.update.byteLength > maxBytes) {
          out.capped += b.records.length - out.added - out.resent;
          break;
        }
        hash = createHash('sha256').update(b.update).digest('hex');
        if (insUpdate.run(hash, Buffer.from(b.update), at).changes > 0) left[2] += b.update.byteLength;
      }
      let json: string;
      try {
        json = JSON.stringify(r.record) ?? 'null';
      } catch {
        json = 'null';
      }
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
    addAll: async (b) => addAll(b),
    async list(o = {}) {
      const limit = Math.min(Math.max(o.limit ?? 100, 1), 500);
      const offset = Math.max(o.offset ?? 0, 0);
      const rows = o.uscc ? byUscc.all(o.uscc, limit, offset) : all.all(limit, offset);
      const total = (o.uscc ? countUscc.get(o.uscc) : countAll.get())?.n ?? 0;
      return { total, items: rows.map(toRow) };
    },
    async bytes(room, recordId) {
      const r = data.get(room, recordId);
      return r ? new Uint8Array(r.data) : null;
    },
    async count() {
      return countAll.get()?.n ?? 0;
    },
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
