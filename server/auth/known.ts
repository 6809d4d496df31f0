/**
 * Addresses and devices an account has signed in from (the owner is never locked out by a stranger): a stranger's wrong passwords must not
 * lock the owner out. The failure limit per account counts per account AND address, so guesses from
 * elsewhere do not use up the owner's; past a ceiling of failures per account from everywhere together,
 * only an address or a device (the eicp_dev cookie) that signed in to this account before may still try.
 * Kept in SQLite (as SHA-256, salted with the user id: no address list to read out), pruned to the 20 most
 * recent of each kind per account and to 180 days.
 */
import { createHash } from 'node:crypto';
import type { DB } from '../store/db';

const KEEP_PER_KIND = 20;
const KEEP_MS = 180 * 24 * 3600 * 1000;

export type ClientKind = 'ip' | 'device';

export class KnownClients {
  private readonly qHas;
  private readonly qPut;
  private readonly qPrune;
  private readonly qOld;

  constructor(
    db: DB,
    private readonly now: () => number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS login_clients (
      user_id TEXT NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL, last_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, kind, hash)) WITHOUT ROWID`);
    this.qHas = db.prepare('SELECT 1 FROM login_clients WHERE user_id = ? AND kind = ? AND hash = ?');
    this.qPut = db.prepare(`INSERT INTO login_clients(user_id, kind, hash, last_at) VALUES (?,?,?,?)
      ON CONFLICT(user_id, kind, hash) DO UPDATE SET last_at = excluded.last_at`);
    this.qPrune = db.prepare(`DELETE FROM login_clients WHERE user_id = ? AND kind = ? AND hash NOT IN
      (SELECT hash FROM login_clients WHERE user_id = ? AND kind = ? ORDER BY last_at DESC LIMIT ${KEEP_PER_KIND})`);
    this.qOld = db.prepare('DELETE FROM login_clients WHERE last_at < ?');
  }

  private hash(userId: string, value: string): string {
    return createHash('sha256').update(`${userId}\n${value}`).digest('base64url');
  }

  /** the account signed in from this address, or from this device, before */
  known(userId: string, ip: string, device: string | null): boolean {
    if (this.qHas.get(userId, 'ip', this.hash(userId, ip))) return true;
    return device !== null && !!this.qHas.get(userId, 'device', this.hash(userId, device));
  }

  /** a successful sign-in from `ip` with `device` */
  remember(userId: string, ip: string, device: string): void {
    const t = this.now();
    for (const [kind, v] of [
      ['ip', ip],
      ['device', device],
    ] as const) {
      this.qPut.run(userId, kind, this.hash(userId, v), t);
      this.qPrune.run(userId, kind, userId, kind);
    }
    this.qOld.run(t - KEEP_MS);
  }
}
