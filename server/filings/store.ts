/**
 * Plan filings (备案, measure 6) on SQLite. A filing is an immutable snapshot of a plan's canonical
 * content and its hash, who submitted it, when, and the justice office it went to; triggers
 * (FILING_TABLES below) refuse any change of those columns and any delete, so immutability does not rest on this
 * module alone. The decision (accept → 'filed', return → 'returned' with a reason) is written once.
 * Publications record which filed snapshot the public sees (一公开).
 */
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../../src/domain/canonical';
import { Filing, JointContent, PlanContent } from '../../src/domain/schemas';
import { ItemLabels, type CatalogueVersions, type FilingFull, type FilingKind, type FilingSummary } from '../../src/domain/filing';
import type { DB, Tables } from '../store/db';

export const FILING_TABLES: Tables = {
  sql: `
-- plan filings (备案, measure 6; server/filings/store.ts): the snapshot columns are immutable (triggers);
-- only the decision columns change, once, from 'submitted'. A re-filing is a new row.
CREATE TABLE IF NOT EXISTS filings (
  id TEXT PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL, agency_id TEXT NOT NULL, year INTEGER NOT NULL,
  hash TEXT NOT NULL, content TEXT NOT NULL, labels TEXT NOT NULL, title TEXT NOT NULL, item_count INTEGER NOT NULL,
  submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL, office_id TEXT NOT NULL, seq INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'filed', 'returned')),
  decided_by TEXT, decided_at TEXT, reason TEXT
);
CREATE INDEX IF NOT EXISTS filings_room ON filings(room, seq);
CREATE INDEX IF NOT EXISTS filings_office ON filings(office_id, year);
CREATE INDEX IF NOT EXISTS filings_agency ON filings(agency_id, year);
CREATE TRIGGER IF NOT EXISTS filings_snapshot_immutable
  BEFORE UPDATE OF id, room, kind, agency_id, year, hash, content, labels, title, item_count, submitted_by, submitted_at, office_id, seq ON filings
  BEGIN SELECT RAISE(ABORT, 'a filing snapshot is immutable'); END;
CREATE TRIGGER IF NOT EXISTS filings_decided_once
  BEFORE UPDATE OF status, decided_by, decided_at, reason ON filings WHEN OLD.status <> 'submitted'
  BEGIN SELECT RAISE(ABORT, 'a filing is decided once'); END;
CREATE TRIGGER IF NOT EXISTS filings_no_delete BEFORE DELETE ON filings
  BEGIN SELECT RAISE(ABORT, 'filings are never deleted'); END;
-- publication (一公开) of a plan or joint plan: which filed snapshot the public sees
CREATE TABLE IF NOT EXISTS publications (
  room TEXT PRIMARY KEY, kind TEXT NOT NULL, agency_id TEXT NOT NULL, year INTEGER NOT NULL,
  filing_id TEXT NOT NULL, published_by TEXT NOT NULL, published_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS publications_year ON publications(year);
-- the published catalogue version of each member agency a filing was checked against (server/catalogue)
CREATE TABLE IF NOT EXISTS filing_catalogues (
  filing_id TEXT NOT NULL, agency_id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (filing_id, agency_id)
);
CREATE TRIGGER IF NOT EXISTS filing_catalogues_immutable BEFORE UPDATE ON filing_catalogues
  BEGIN SELECT RAISE(ABORT, 'a filing snapshot is immutable'); END;
CREATE TRIGGER IF NOT EXISTS filing_catalogues_no_delete BEFORE DELETE ON filing_catalogues
  BEGIN SELECT RAISE(ABORT, 'filings are never deleted'); END;
`,
};

interface Row {
  id: string;
  room: string;
  kind: string;
  agency_id: string;
  year: number;
  hash: string;
  content: string;
  labels: string;
  title: string;
  item_count: number;
  submitted_by: string;
  submitted_at: string;
  office_id: string;
  seq: number;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  latest: number;
}

export interface NewFiling {
  room: string;
  kind: FilingKind;
  agencyId: string;
  year: number;
  hash: string;
  content: PlanContent | JointContent;
  labels: ItemLabels;
  /** agency id → the published catalogue version the items were checked against */
  catalogueVersions?: CatalogueVersions;
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

export interface Publication {
  room: string;
  kind: FilingKind;
  agencyId: string;
  year: number;
  filingId: string;
  publishedBy: string;
  publishedAt: string;
}

const LATEST = `(seq = (SELECT max(seq) FROM filings f2 WHERE f2.room = filings.room)) AS latest`;

function summary(r: Row): FilingSummary {
  return {
    id: r.id,
    room: r.room,
    kind: r.kind as FilingKind,
    agencyId: r.agency_id,
    year: r.year,
    hash: r.hash,
    title: r.title,
    itemCount: r.item_count,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    officeId: r.office_id,
    status: r.status as Filing['status'],
    latest: r.latest === 1,
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

/**
 * Every method returns a Promise, so a PostgreSQL implementation can stand in for this one; the SQL stays
 * here (the service, server/filings/service.ts, has none).
 */
export class FilingStore {
  constructor(private readonly db: DB) {}

  /** a new filing id: readable, unique, within the Id pattern */
  static newId(year: number): string {
    return `f-${year}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /** store a snapshot (status 'submitted'); returns it */
  async insert(
    f: NewFiling,
    id = FilingStore.newId(f.year),
    status: Filing['status'] = 'submitted',
    decision?: { by: string; at: string; reason?: string },
  ): Promise<FilingSummary> {
    this.insertSync(f, id, status, decision);
    return (await this.summary(id))!;
  }

  /** insert within the caller's SQLite transaction (the seed's import, server/seed/import.ts) */
  insertSync(f: NewFiling, id: string, status: Filing['status'], decision?: { by: string; at: string; reason?: string }): void {
    const tx = this.db.transaction(() => {
      const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS s FROM filings').get() as { s: number }).s;
      this.db
        .prepare(`INSERT INTO filings(id, room, kind, agency_id, year, hash, content, labels, title, item_count, submitted_by, submitted_at, office_id, seq, status, decided_by, decided_at, reason)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
        .run(
          id,
          f.room,
          f.kind,
          f.agencyId,
          f.year,
          f.hash,
          canonicalJson(f.content),
          JSON.stringify(f.labels),
          f.title,
          f.content.items.length,
          f.submittedBy,
          f.submittedAt,
          f.officeId,
          seq,
          status,
          decision?.by ?? null,
          decision?.at ?? null,
          decision?.reason ?? null,
        );
      const ins = this.db.prepare('INSERT INTO filing_catalogues(filing_id, agency_id, version) VALUES (?,?,?)');
      for (const [agencyId, version] of Object.entries(f.catalogueVersions ?? {})) ins.run(id, agencyId, version);
    });
    tx();
  }

  /** the filing with the catalogue versions it was checked against (none recorded: the field is absent) */
  private withVersions(f: FilingFull): FilingFull {
    const rows = this.db.prepare('SELECT agency_id AS a, version AS v FROM filing_catalogues WHERE filing_id = ? ORDER BY agency_id').all(f.id) as {
      a: string;
      v: number;
    }[];
    return rows.length ? { ...f, catalogueVersions: Object.fromEntries(rows.map((r) => [r.a, r.v])) } : f;
  }

  private row(id: string): Row | undefined {
    return this.db.prepare(`SELECT *, ${LATEST} FROM filings WHERE id = ?`).get(id) as Row | undefined;
  }

  async summary(id: string): Promise<FilingSummary | undefined> {
    const r = this.row(id);
    return r ? summary(r) : undefined;
  }

  async get(id: string): Promise<FilingFull | undefined> {
    const r = this.row(id);
    return r ? this.withVersions(full(r)) : undefined;
  }

  /** newest first */
  async list(q: FilingQuery = {}): Promise<FilingSummary[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.year !== undefined) {
      where.push('year = ?');
      args.push(q.year);
    }
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.room) {
      where.push('room = ?');
      args.push(q.room);
    }
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
  async latestFiled(room: string): Promise<FilingFull | undefined> {
    const r = this.db.prepare(`SELECT *, ${LATEST} FROM filings WHERE room = ? AND status = 'filed' ORDER BY seq DESC LIMIT 1`).get(room) as Row | undefined;
    return r ? this.withVersions(full(r)) : undefined;
  }

  /** agency ids (of `agencyIds`) that have an accepted plan filing for the year */
  async filedAgencies(year: number): Promise<Set<string>> {
    const rows = this.db.prepare(`SELECT DISTINCT agency_id AS a FROM filings WHERE kind = 'plan' AND year = ? AND status = 'filed'`).all(year) as {
      a: string;
    }[];
    return new Set(rows.map((r) => r.a));
  }

  /** the newest plan filing of each agency for the year */
  async latestPlanFilings(year: number): Promise<Map<string, FilingSummary>> {
    const rows = this.db
      .prepare(`SELECT *, 1 AS latest FROM filings WHERE kind = 'plan' AND year = ? AND seq = (SELECT max(seq) FROM filings f2 WHERE f2.room = filings.room)`)
      .all(year) as Row[];
    return new Map(rows.map((r) => [r.agency_id, summary(r)]));
  }

  /**
   * Record the decision on a submitted filing; false when it was already decided (or does not exist).
   * The trigger `filings_decided_once` makes a second decision impossible even by another path.
   */
  async decide(id: string, status: 'filed' | 'returned', by: string, at: string, reason?: string): Promise<boolean> {
    const r = this.db
      .prepare(`UPDATE filings SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND status = 'submitted'`)
      .run(status, by, at, reason ?? null, id);
    return r.changes === 1;
  }

  async publish(p: Publication): Promise<void> {
    this.publishSync(p);
  }

  /** publish within the caller's SQLite transaction (the seed's import) */
  publishSync(p: Publication): void {
    this.db
      .prepare(`INSERT INTO publications(room, kind, agency_id, year, filing_id, published_by, published_at) VALUES (?,?,?,?,?,?,?)
      ON CONFLICT(room) DO UPDATE SET filing_id = excluded.filing_id, published_by = excluded.published_by, published_at = excluded.published_at`)
      .run(p.room, p.kind, p.agencyId, p.year, p.filingId, p.publishedBy, p.publishedAt);
  }

  /** every publication of a year with its filed snapshot */
  async published(year: number): Promise<{ publication: Publication; filing: FilingFull }[]> {
    const rows = this.db
      .prepare(`SELECT p.room AS p_room, p.kind AS p_kind, p.agency_id AS p_agency, p.year AS p_year, p.filing_id AS p_filing,
        p.published_by AS p_by, p.published_at AS p_at, f.*, 1 AS latest
      FROM publications p JOIN filings f ON f.id = p.filing_id WHERE p.year = ? ORDER BY p.agency_id, p.room`)
      .all(year) as (Row & Record<string, string | number>)[];
    return rows.map((r) => ({
      publication: {
        room: String(r.p_room),
        kind: r.p_kind as FilingKind,
        agencyId: String(r.p_agency),
        year: Number(r.p_year),
        filingId: String(r.p_filing),
        publishedBy: String(r.p_by),
        publishedAt: String(r.p_at),
      },
      filing: full(r),
    }));
  }
}
