/**
 * Plan filings (备案, measure 6) on SQLite. A filing is an immutable snapshot of a plan's canonical
 * content and its hash, who submitted it, when, and the justice office it went to; triggers in
 * store/db.ts refuse any change of those columns and any delete, so immutability does not rest on this
 * module alone. The decision (accept → 'filed', return → 'returned' with a reason) is written once.
 * Publications record which filed snapshot the public sees (一公开).
 */
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../../src/domain/canonical';
import { Filing, JointContent, PlanContent } from '../../src/domain/schemas';
import { ItemLabels, type FilingFull, type FilingKind, type FilingSummary } from '../../src/domain/filing';
import type { DB } from '../store/db';

interface Row {
  id: string; room: string; kind: string; agency_id: string; year: number; hash: string; content: string; labels: string;
  title: string; item_count: number; submitted_by: string; submitted_at: string; office_id: string; seq: number;
  status: string; decided_by: string | null; decided_at: string | null; reason: string | null; latest: number;
}

export interface NewFiling {
  room: string;
  kind: FilingKind;
  agencyId: string;
  year: number;
  hash: string;
  content: PlanContent | JointContent;
  labels: ItemLabels;
  title: string;
  submittedBy: string;
  submittedAt: string;
  officeId: string;
}

export interface FilingQuery {
  year?: number;
  status?: Filing['status'];
  room?: string;
  /** filings of these agencies (owner) or these rooms; omitted = all */
  visible?: { agencyIds?: readonly string[]; rooms?: readonly string[]; officeIds?: readonly string[] } | null;
}

export interface Publication { room: string; kind: FilingKind; agencyId: string; year: number; filingId: string; publishedBy: string; publishedAt: string }

const LATEST = `(seq = (SELECT max(seq) FROM filings f2 WHERE f2.room = filings.room)) AS latest`;

function summary(r: Row): FilingSummary {
  return {
    id: r.id, room: r.room, kind: r.kind as FilingKind, agencyId: r.agency_id, year: r.year, hash: r.hash,
    title: r.title, itemCount: r.item_count, submittedBy: r.submitted_by, submittedAt: r.submitted_at, officeId: r.office_id,
    status: r.status as Filing['status'], latest: r.latest === 1,
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

function full(r: Row): FilingFull {
  const raw: unknown = JSON.parse(r.content);
  const content = r.kind === 'joint' ? JointContent.parse(raw) : PlanContent.parse(raw);
  const { title: _t, itemCount: _n, ...s } = summary(r);
  return { ...s, content, labels: ItemLabels.parse(JSON.parse(r.labels)) };
}

export class FilingStore {
  constructor(private readonly db: DB) {}

  /** a new filing id: readable, unique, within the Id pattern */
  static newId(year: number): string {
    return `f-${year}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /** store a snapshot (status 'submitted'); returns it */
  insert(f: NewFiling, id = FilingStore.newId(f.year), status: Filing['status'] = 'submitted', decision?: { by: string; at: string; reason?: string }): FilingSummary {
    const tx = this.db.transaction(() => {
      const seq = ((this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS s FROM filings').get() as { s: number }).s);
      this.db.prepare(`INSERT INTO filings(id, room, kind, agency_id, year, hash, content, labels, title, item_count, submitted_by, submitted_at, office_id, seq, status, decided_by, decided_at, reason)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(
        id, f.room, f.kind, f.agencyId, f.year, f.hash, canonicalJson(f.content), JSON.stringify(f.labels), f.title, f.content.items.length,
        f.submittedBy, f.submittedAt, f.officeId, seq, status, decision?.by ?? null, decision?.at ?? null, decision?.reason ?? null,
      );
    });
    tx();
    return this.summary(id)!;
  }

  private row(id: string): Row | undefined {
    return this.db.prepare(`SELECT *, ${LATEST} FROM filings WHERE id = ?`).get(id) as Row | undefined;
  }

  summary(id: string): FilingSummary | undefined {
    const r = this.row(id);
    return r ? summary(r) : undefined;
  }

  get(id: string): FilingFull | undefined {
    const r = this.row(id);
    return r ? full(r) : undefined;
  }

  /** newest first */
  list(q: FilingQuery = {}): FilingSummary[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.year !== undefined) { where.push('year = ?'); args.push(q.year); }
    if (q.status) { where.push('status = ?'); args.push(q.status); }
    if (q.room) { where.push('room = ?'); args.push(q.room); }
    if (q.visible) {
      const ors: string[] = [];
      const inList = (col: string, xs: readonly string[] | undefined) => {
        if (!xs || xs.length === 0) return;
        ors.push(`${col} IN (${xs.map(() => '?').join(',')})`);
        args.push(...xs);
      };
      inList('agency_id', q.visible.agencyIds);
      inList('room', q.visible.rooms);
      inList('office_id', q.visible.officeIds);
      where.push(ors.length ? `(${ors.join(' OR ')})` : '0');
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT *, ${LATEST} FROM filings ${w} ORDER BY seq DESC`).all(...args) as Row[]).map(summary);
  }

  /** the newest accepted filing of a room */
  latestFiled(room: string): FilingFull | undefined {
    const r = this.db.prepare(`SELECT *, ${LATEST} FROM filings WHERE room = ? AND status = 'filed' ORDER BY seq DESC LIMIT 1`).get(room) as Row | undefined;
    return r ? full(r) : undefined;
  }

  /** agency ids (of `agencyIds`) that have an accepted plan filing for the year */
  filedAgencies(year: number): Set<string> {
    const rows = this.db.prepare(`SELECT DISTINCT agency_id AS a FROM filings WHERE kind = 'plan' AND year = ? AND status = 'filed'`).all(year) as { a: string }[];
    return new Set(rows.map((r) => r.a));
  }

  /** the newest plan filing of each agency for the year */
  latestPlanFilings(year: number): Map<string, FilingSummary> {
    const rows = this.db.prepare(`SELECT *, 1 AS latest FROM filings WHERE kind = 'plan' AND year = ? AND seq = (SELECT max(seq) FROM filings f2 WHERE f2.room = filings.room)`).all(year) as Row[];
    return new Map(rows.map((r) => [r.agency_id, summary(r)]));
  }

  /**
   * Record the decision on a submitted filing; false when it was already decided (or does not exist).
   * The trigger `filings_decided_once` makes a second decision impossible even by another path.
   */
  decide(id: string, status: 'filed' | 'returned', by: string, at: string, reason?: string): boolean {
    const r = this.db.prepare(`UPDATE filings SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND status = 'submitted'`)
      .run(status, by, at, reason ?? null, id);
    return r.changes === 1;
  }

  publish(p: Publication): void {
    this.db.prepare(`INSERT INTO publications(room, kind, agency_id, year, filing_id, published_by, published_at) VALUES (?,?,?,?,?,?,?)
      ON CONFLICT(room) DO UPDATE SET filing_id = excluded.filing_id, published_by = excluded.published_by, published_at = excluded.published_at`)
      .run(p.room, p.kind, p.agencyId, p.year, p.filingId, p.publishedBy, p.publishedAt);
  }

  /** every publication of a year with its filed snapshot */
  published(year: number): { publication: Publication; filing: FilingFull }[] {
    const rows = this.db.prepare(`SELECT p.room AS p_room, p.kind AS p_kind, p.agency_id AS p_agency, p.year AS p_year, p.filing_id AS p_filing,
        p.published_by AS p_by, p.published_at AS p_at, f.*, 1 AS latest
      FROM publications p JOIN filings f ON f.id = p.filing_id WHERE p.year = ? ORDER BY p.agency_id, p.room`).all(year) as (Row & Record<string, string | number>)[];
    return rows.map((r) => ({
      publication: {
        room: String(r.p_room), kind: r.p_kind as FilingKind, agencyId: String(r.p_agency), year: Number(r.p_year),
        filingId: String(r.p_filing), publishedBy: String(r.p_by), publishedAt: String(r.p_at),
      },
      filing: full(r),
    }));
  }
}
