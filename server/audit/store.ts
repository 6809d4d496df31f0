/**
 * The audit trail: every administrative action (accounts, imports, certificates, catalogues, policy), who
 * did it, when, and the value before and after, in one append-only table.
 *
 * Append-only is enforced by the database, not by discipline: triggers refuse every UPDATE and DELETE of
 * `audit_log`. Each row also carries a SHA-256 chained over the previous row's, so an edit made with the
 * triggers dropped (someone with the database file) shows up in `verifyChain()`.
 *
 * `record()` is synchronous on the same connection, so a service calls it inside the transaction that makes
 * the change: the action and its audit entry are stored together or not at all. Values are stored as JSON of
 * at most 64 KB each (a bulk action records counts, not every row); secrets never reach it (callers pass
 * account summaries, never password hashes, one-time passwords or activation codes).
 */
import { createHash } from 'node:crypto';
import type { DB, Tables } from '../store/db';
import type { AuditActor, AuditEntry, AuditQuery } from '../../src/protocol/audit';
import type { Principal } from '../../src/domain/schemas';

export const AUDIT_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  agency_id TEXT,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT,
  after TEXT,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_agency ON audit_log(agency_id, id);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log(action, id);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
};

/** one action to record */
export interface AuditInput {
  actor: AuditActor;
  /** `<area>.<verb>`, lowercase: `account.create` */
  action: string;
  /** `<kind>:<id>` */
  target: string;
  /** the agency the action concerns: its admins see the entry */
  agencyId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** the audit actor for a signed-in user */
export const actorOf = (p: Pick<Principal, 'userId' | 'name' | 'role'>): AuditActor => ({ userId: p.userId, name: p.name, role: p.role });

/** at most this many bytes of JSON per value; larger values are replaced by their size */
const MAX_VALUE = 64 * 1024;
const DAY_MS = 86_400_000;

interface Row {
  id: number;
  at: number;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  agency_id: string | null;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  hash: string;
}

function jsonOf(v: unknown): string | null {
  if (v === undefined) return null;
  const s = JSON.stringify(v);
  if (s === undefined) return null;
  return s.length <= MAX_VALUE ? s : JSON.stringify({ truncated: true, bytes: Buffer.byteLength(s) });
}

function chain(prev: string, r: Omit<Row, 'id' | 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([prev, r.at, r.actor_id, r.actor_name, r.actor_role, r.agency_id, r.action, r.target, r.before, r.after]))
    .digest('hex');
}

/** a Shanghai calendar date's first instant, in ms */
const dayStart = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

export function entryOf(r: Row): AuditEntry {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: { userId: r.actor_id, name: r.actor_name, role: r.actor_role },
    ...(r.agency_id ? { agencyId: r.agency_id } : {}),
    action: r.action,
    target: r.target,
    ...(r.before !== null ? { before: JSON.parse(r.before) as unknown } : {}),
    ...(r.after !== null ? { after: JSON.parse(r.after) as unknown } : {}),
  };
}

export class AuditLog {
  private readonly qLast;
  private readonly qInsert;
  constructor(
    private readonly db: DB,
    private readonly now: () => number,
  ) {
    this.qLast = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    this.qInsert = db.prepare(
      'INSERT INTO audit_log(at, actor_id, actor_name, actor_role, agency_id, action, target, before, after, hash) VALUES (?,?,?,?,?,?,?,?,?,?)',
    );
  }

  /** append one entry; call it inside the transaction that makes the change. Returns the entry's id. */
  record(e: AuditInput): number {
    const row = {
      at: this.now(),
      actor_id: e.actor.userId.slice(0, 80),
      actor_name: e.actor.name.slice(0, 200),
      actor_role: e.actor.role.slice(0, 20),
      agency_id: e.agencyId ?? null,
      action: e.action.slice(0, 60),
      target: e.target.slice(0, 200),
      before: jsonOf(e.before),
      after: jsonOf(e.after),
    };
    // the previous hash and the insert in one transaction (nested in the caller's, if any)
    return this.db.transaction(() => {
      const prev = (this.qLast.get() as { hash: string } | undefined)?.hash ?? '';
      const r = this.qInsert.run(
        row.at,
        row.actor_id,
        row.actor_name,
        row.actor_role,
        row.agency_id,
        row.action,
        row.target,
        row.before,
        row.after,
        chain(prev, row),
      );
      return Number(r.lastInsertRowid);
    })();
  }

  /** newest first, filtered; `scopeAgencyId` (an agency admin's) overrides any agency filter */
  list(q: Omit<AuditQuery, 'limit' | 'offset'> & { limit: number; offset: number }, scopeAgencyId?: string): { total: number; items: AuditEntry[] } {
    const { where, args } = this.where(q, scopeAgencyId);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log ${where}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as Row[];
    return { total, items: rows.map(entryOf) };
  }

  /** every matching entry, oldest first, a page at a time (the CSV export) */
  *iterate(q: Omit<AuditQuery, 'limit' | 'offset'>, scopeAgencyId: string | undefined, max: number): Generator<AuditEntry> {
    const { where, args } = this.where(q, scopeAgencyId);
    const stmt = this.db.prepare(`SELECT * FROM audit_log ${where ? `${where} AND` : 'WHERE'} id > ? ORDER BY id LIMIT 1000`);
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = stmt.all(...args, after) as Row[];
      if (!rows.length) return;
      for (const r of rows) {
        if (n++ >= max) return;
        yield entryOf(r);
      }
      after = rows[rows.length - 1].id;
    }
  }

  /** the first row whose chained hash does not match (an edit behind the triggers' back), or null */
  verifyChain(): number | null {
    let prev = '';
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<Row>) {
      if (chain(prev, r) !== r.hash) return r.id;
      prev = r.hash;
    }
    return null;
  }

  private where(q: Omit<AuditQuery, 'limit' | 'offset'>, scopeAgencyId?: string): { where: string; args: (string | number)[] } {
    const w: string[] = [];
    const args: (string | number)[] = [];
    const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    const agency = scopeAgencyId ?? q.agencyId;
    if (agency) {
      w.push('agency_id = ?');
      args.push(agency);
    }
    if (q.actor) {
      w.push("(actor_id LIKE ? ESCAPE '\\' OR actor_name LIKE ? ESCAPE '\\')");
      args.push(like(q.actor), like(q.actor));
    }
    if (q.action) {
      w.push('(action = ? OR action LIKE ?)');
      args.push(q.action, `${q.action.replace(/\.$/, '')}.%`);
    }
    if (q.target) {
      w.push("target LIKE ? ESCAPE '\\'");
      args.push(like(q.target));
    }
    if (q.from) {
      w.push('at >= ?');
      args.push(dayStart(q.from));
    }
    if (q.to) {
      w.push('at < ?');
      args.push(dayStart(q.to) + DAY_MS);
    }
    return { where: w.length ? `WHERE ${w.join(' AND ')}` : '', args };
  }
}
