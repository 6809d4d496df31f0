/**
 * Second signatures (measure 2): which entries a teammate cosigned on their own phone, and the supervisors'
 * `single_signature` warning for an entry only one inspector signed.
 *
 *  cosigns           cosign_id → its entry and whether it is valid: the entry is the agency's, the cosigner is
 *                    on its team and is not its author, and `entryHash` is the recordHash of the entry as
 *                    stored (a cosign may reach the server before its entry: valid = 0 until the entry comes)
 *  entry_signatures  one row per entry made at or after `cosign_since` (the moment this server version
 *                    first ran, kept in `meta`: older and seeded entries are never warned): team size,
 *                    who signed it, cosigned or not, warned or not
 *
 * `checkSignatures(nowMs)` warns once per entry whose team has two or more members, that is 24 hours old
 * and has no valid cosign. A cosign that does not match its entry warns at once (same warning id).
 */
import { recordHash } from '../../src/domain/evidence';
import type { CosignRecord, EntryRecord, LedgerRecord } from '../../src/domain/schemas';
import { instantMs } from '../../src/domain/time';
import type { DB } from '../store/db';
import { warningId, type WarningT } from './evaluate';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cosigns (
  cosign_id TEXT PRIMARY KEY, entry_id TEXT NOT NULL, uscc TEXT NOT NULL, by_user TEXT NOT NULL, valid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cosigns_entry ON cosigns(entry_id, valid);
CREATE TABLE IF NOT EXISTS entry_signatures (
  entry_id TEXT PRIMARY KEY, uscc TEXT NOT NULL, agency_id TEXT NOT NULL, at TEXT NOT NULL, at_ms INTEGER NOT NULL,
  team_size INTEGER NOT NULL, signer TEXT NOT NULL, cosigned INTEGER NOT NULL DEFAULT 0, warned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entry_signatures_due ON entry_signatures(warned, cosigned, at_ms);
`;

/** how long the second inspector has to cosign before supervisors hear of it */
export const COSIGN_WITHIN_MS = 24 * 60 * 60 * 1000;

export interface SignatureDeps {
  db: DB;
  /** the inspector a user account stands for (the cosigner must be on the entry's team) */
  inspectorOf(userId: string): string | undefined;
  enterpriseName(uscc: string): string;
  /** the server's clock now, ms: `cosign_since` on the first start */
  nowMs: number;
}

const isEntry = (r: LedgerRecord): r is EntryRecord => r.type === 'entry';
const isCosign = (r: LedgerRecord): r is CosignRecord => r.type === 'cosign';

export class Signatures {
  /** entries made before this instant (ms) are never warned (seeded, or made before second signatures existed) */
  readonly since: number;
  private readonly qCosign;
  private readonly qEntry;
  private readonly qCosigned;
  private readonly qHasValid;
  private readonly qDue;
  private readonly qWarned;

  constructor(private readonly d: SignatureDeps) {
    d.db.exec(SCHEMA);
    d.db.prepare('INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)').run('cosign_since', new Date(d.nowMs).toISOString());
    this.since = Date.parse((d.db.prepare('SELECT value FROM meta WHERE key = ?').get('cosign_since') as { value: string }).value);
    this.qCosign = d.db.prepare('INSERT OR REPLACE INTO cosigns(cosign_id, entry_id, uscc, by_user, valid) VALUES (?,?,?,?,?)');
    this.qEntry = d.db.prepare(`INSERT OR IGNORE INTO entry_signatures(entry_id, uscc, agency_id, at, at_ms, team_size, signer) VALUES (?,?,?,?,?,?,?)`);
    this.qCosigned = d.db.prepare('UPDATE entry_signatures SET cosigned = 1 WHERE entry_id = ?');
    this.qHasValid = d.db.prepare('SELECT 1 FROM cosigns WHERE entry_id = ? AND valid = 1');
    this.qDue = d.db.prepare(`SELECT s.entry_id AS entryId, s.uscc, s.agency_id AS agencyId, s.at, s.signer FROM entry_signatures s
      LEFT JOIN inspections i ON i.entry_id = s.entry_id
      WHERE s.warned = 0 AND s.cosigned = 0 AND s.team_size >= 2 AND s.at_ms <= ? AND coalesce(i.superseded, 0) = 0
      ORDER BY s.at_ms LIMIT 5000`);
    this.qWarned = d.db.prepare('UPDATE entry_signatures SET warned = 1 WHERE entry_id = ?');
  }

  /** the name of the inspector who signed an entry (its author), as the team lists them */
  private signerOf(e: EntryRecord): string {
    const inspectorId = this.d.inspectorOf(e.by);
    return e.team.find((m) => m.inspectorId === inspectorId)?.name ?? e.by;
  }

  /** is a cosign a valid second signature of this entry (as stored: `raw`)? */
  async valid(c: CosignRecord, e: EntryRecord, raw: unknown): Promise<boolean> {
    if (e.agencyId !== c.agencyId || e.by === c.by) return false;
    const inspectorId = this.d.inspectorOf(c.by);
    if (!inspectorId || !e.team.some((m) => m.inspectorId === inspectorId)) return false;
    return (await recordHash(raw ?? e)) === c.entryHash;
  }

  /**
   * Rows for a ledger's new entries and cosigns (and the cosigns that were waiting for a new entry); the
   * warnings for cosigns that do not match their entry. `raw`: entries as stored, by id.
   */
  async project(uscc: string, fresh: readonly LedgerRecord[], all: readonly LedgerRecord[], raw: ReadonlyMap<string, unknown>): Promise<WarningT[]> {
    const freshIds = new Set(fresh.map((r) => r.id));
    const entries = new Map(all.filter(isEntry).map((e) => [e.id, e]));
    const rows: { c: CosignRecord; valid: boolean; entry?: EntryRecord }[] = [];
    for (const c of all.filter(isCosign)) {
      if (!freshIds.has(c.id) && !freshIds.has(c.entryId)) continue;
      const e = entries.get(c.entryId);
      rows.push({ c, valid: e ? await this.valid(c, e, raw.get(e.id)) : false, entry: e });
    }
    const warnings: WarningT[] = [];
    const name = this.d.enterpriseName(uscc);
    this.d.db.transaction(() => {
      for (const e of fresh.filter(isEntry))
        if (instantMs(e.at) >= this.since) this.qEntry.run(e.id, e.uscc, e.agencyId, e.at, instantMs(e.at), e.team.length, this.signerOf(e));
      for (const { c, valid, entry } of rows) {
        this.qCosign.run(c.id, c.entryId, uscc, c.by, valid ? 1 : 0);
        if (valid) this.qCosigned.run(c.entryId);
        else if (entry && !this.qHasValid.get(entry.id)) {
          const signer = this.signerOf(entry);
          warnings.push({
            id: warningId('single_signature', entry.id),
            kind: 'single_signature',
            severity: 'warn',
            agencyId: entry.agencyId,
            uscc,
            refId: entry.id,
            at: entry.at,
            message: {
              zh: `${name}的检查记录 ${entry.id} 的联署（${c.by}）与该记录不符（不是同组另一名检查人员对这条记录的签名），不计为第二人签名：该记录只有 ${signer} 一人签名`,
              en: `The cosign by ${c.by} of inspection record ${entry.id} at ${name} does not match the record (not a teammate's signature of this record as stored) and counts for nothing: only ${signer} signed it`,
            },
          });
        }
      }
    })();
    return warnings;
  }

  /** entries made at least 24 hours before `nowMs` that no teammate cosigned and that are not warned yet */
  due(nowMs: number): { warnings: WarningT[]; entryIds: string[] } {
    const rows = this.qDue.all(nowMs - COSIGN_WITHIN_MS) as { entryId: string; uscc: string; agencyId: string; at: string; signer: string }[];
    const warnings = rows.map((r): WarningT => {
      const name = this.d.enterpriseName(r.uscc);
      return {
        id: warningId('single_signature', r.entryId),
        kind: 'single_signature',
        severity: 'warn',
        agencyId: r.agencyId,
        uscc: r.uscc,
        refId: r.entryId,
        at: r.at,
        message: {
          zh: `${name}的检查记录 ${r.entryId} 只有 ${r.signer} 一人用本人设备签名：同组另一名检查人员 24 小时内未联署`,
          en: `Only ${r.signer} signed inspection record ${r.entryId} at ${name} with their own device: the second inspector did not cosign within 24 hours`,
        },
      };
    });
    return { warnings, entryIds: rows.map((r) => r.entryId) };
  }

  markWarned(entryIds: readonly string[]): void {
    this.d.db.transaction(() => {
      for (const id of entryIds) this.qWarned.run(id);
    })();
  }
}
