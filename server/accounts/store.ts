/**
 * Activation codes (一企一码): one row per enterprise, the code stored only as its SHA-256. Issuing a new
 * code replaces the row (the old code stops working); using it stamps `used_at` (single use).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DB, Tables } from '../store/db';

export const ACCOUNT_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS activation_codes (
  uscc TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL,
  used_at INTEGER
);
-- account look-ups by link (activation, the bulk issue, staff lists); the users table is auth's (created before)
CREATE INDEX IF NOT EXISTS users_uscc ON users(uscc);
CREATE INDEX IF NOT EXISTS users_inspector ON users(inspector_id);
CREATE INDEX IF NOT EXISTS users_agency ON users(agency_id);
`,
};

/** the hash a code is kept as (the code normalised: lowercase, no dashes or spaces) */
export const codeHash = (normalised: string): string => createHash('sha256').update(`eicp-activation\n${normalised}`).digest('hex');

export interface CodeRow {
  uscc: string;
  hash: string;
  issued_at: number;
  expires_at: number;
  issued_by: string;
  used_at: number | null;
}

export class ActivationCodes {
  private readonly qGet;
  private readonly qPut;
  private readonly qUse;
  constructor(private readonly db: DB) {
    this.qGet = db.prepare('SELECT * FROM activation_codes WHERE uscc = ?');
    this.qPut = db.prepare(`INSERT INTO activation_codes(uscc, hash, issued_at, expires_at, issued_by, used_at) VALUES (?,?,?,?,?,NULL)
      ON CONFLICT(uscc) DO UPDATE SET hash = excluded.hash, issued_at = excluded.issued_at, expires_at = excluded.expires_at,
        issued_by = excluded.issued_by, used_at = NULL`);
    this.qUse = db.prepare('UPDATE activation_codes SET used_at = ? WHERE uscc = ? AND used_at IS NULL');
  }

  get(uscc: string): CodeRow | undefined {
    return this.qGet.get(uscc) as CodeRow | undefined;
  }

  /** store a new code's hash for an enterprise (replacing any earlier code) */
  put(uscc: string, hash: string, issuedAt: number, expiresAt: number, issuedBy: string): void {
    this.qPut.run(uscc, hash, issuedAt, expiresAt, issuedBy);
  }

  /** mark the code used; false when it was used meanwhile */
  use(uscc: string, at: number): boolean {
    return this.qUse.run(at, uscc).changes === 1;
  }

  /** the code matches, is unused and not expired at `now` */
  valid(uscc: string, normalised: string, now: number): boolean {
    const r = this.get(uscc);
    const want = Buffer.from(r?.hash ?? codeHash(''), 'hex');
    const got = Buffer.from(codeHash(normalised), 'hex');
    const same = timingSafeEqual(want, got);
    return !!r && same && r.used_at === null && r.expires_at > now;
  }

  /** enterprises with no account and no unused, unexpired code, by USCC (at most `max`) */
  withoutAccountOrCode(now: number, max: number): { uscc: string; name: string }[] {
    return this.db
      .prepare(
        `SELECT e.uscc, e.name FROM enterprises e
         WHERE e.deregistered = 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.uscc = e.uscc)
           AND NOT EXISTS (SELECT 1 FROM activation_codes c WHERE c.uscc = e.uscc AND c.used_at IS NULL AND c.expires_at > ?)
         ORDER BY e.uscc LIMIT ?`,
      )
      .all(now, max) as { uscc: string; name: string }[];
  }
}
