/**
 * The draws' tables (双随机). The `draws/<year>` doc is the live copy its parties follow; these rows are the
 * record the routes answer from, including what never goes into the doc (the population text, secrets, picks).
 *
 *  draws            one row per draw; `json` is the Draw record (src/domain/schemas.ts) as last written
 *  draw_statements  the statement (DrawStatementWire JSON), its text, and the population text (`<uscc> <class>\n`)
 *  draw_parties     each party's commitment and, once revealed, its secret
 *  draw_picks       the enterprises drawn, in draw order (seq), with their teams (agencyId → inspector ids)
 *  draw_tasks       the task made for each pick and team agency, or why none was made (skipped_json: Text)
 */
import type { DB, Tables } from '../store/db';
import { Draw, type Text } from '../../src/domain/schemas';
import type { DrawPickWire, DrawStatementWire } from '../../src/protocol/draws';

export const DRAW_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS draws (
  id TEXT PRIMARY KEY, year INTEGER NOT NULL, organiser_id TEXT NOT NULL, kind TEXT NOT NULL,
  plan_item_id TEXT, joint_id TEXT, status TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL,
  replaces TEXT, created_at TEXT NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS draws_year ON draws(year, organiser_id);
CREATE INDEX IF NOT EXISTS draws_status ON draws(status);
CREATE TABLE IF NOT EXISTS draw_statements (
  draw_id TEXT PRIMARY KEY, statement_json TEXT NOT NULL, statement_text TEXT NOT NULL, population_text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS draw_parties (
  draw_id TEXT NOT NULL, party TEXT NOT NULL, commitment TEXT, committed_by TEXT, committed_at TEXT,
  secret TEXT, revealed_by TEXT, revealed_at TEXT, PRIMARY KEY (draw_id, party)
);
CREATE TABLE IF NOT EXISTS draw_picks (
  draw_id TEXT NOT NULL, seq INTEGER NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, cls TEXT NOT NULL,
  teams_json TEXT NOT NULL, PRIMARY KEY (draw_id, uscc)
);
CREATE INDEX IF NOT EXISTS draw_picks_uscc ON draw_picks(uscc);
CREATE TABLE IF NOT EXISTS draw_tasks (
  draw_id TEXT NOT NULL, agency_id TEXT NOT NULL, uscc TEXT NOT NULL, task_id TEXT, skipped_json TEXT,
  PRIMARY KEY (draw_id, agency_id, uscc)
);
CREATE INDEX IF NOT EXISTS draw_tasks_task ON draw_tasks(task_id);
CREATE INDEX IF NOT EXISTS draw_tasks_uscc ON draw_tasks(uscc);
`,
};

export interface PartyRow {
  party: string;
  commitment: string | null;
  committed_by: string | null;
  committed_at: string | null;
  secret: string | null;
  revealed_by: string | null;
  revealed_at: string | null;
}

export interface DrawTaskRow {
  agency_id: string;
  uscc: string;
  task_id: string | null;
  skipped_json: string | null;
}

export interface StatementRow {
  statement: DrawStatementWire;
  statementText: string;
  populationText: string;
}

/** The lifecycle's reads and writes; the service wraps each step's writes in one transaction. */
export class DrawStore {
  constructor(readonly db: DB) {}

  get(id: string): Draw | undefined {
    const r = this.db.prepare('SELECT json FROM draws WHERE id = ?').get(id) as { json: string } | undefined;
    return r ? Draw.parse(JSON.parse(r.json)) : undefined;
  }

  /** a year's draws, newest first; of these organisers/party agencies only when given */
  list(year: number): Draw[] {
    const rows = this.db.prepare('SELECT json FROM draws WHERE year = ? ORDER BY created_at DESC, id DESC').all(year) as { json: string }[];
    return rows.map((r) => Draw.parse(JSON.parse(r.json)));
  }

  /** every draw, newest first (the public list without a year) */
  all(): Draw[] {
    const rows = this.db.prepare('SELECT json FROM draws ORDER BY created_at DESC, id DESC').all() as { json: string }[];
    return rows.map((r) => Draw.parse(JSON.parse(r.json)));
  }

  /** draws in these statuses (the sweep) */
  withStatus(...statuses: Draw['status'][]): Draw[] {
    const rows = this.db.prepare(`SELECT json FROM draws WHERE status IN (${statuses.map(() => '?').join(',')})`).all(...statuses) as { json: string }[];
    return rows.map((r) => Draw.parse(JSON.parse(r.json)));
  }

  /** how many draws the organiser has made in the year (the next id's number) */
  countOf(organiserId: string, year: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM draws WHERE organiser_id = ? AND year = ?').get(organiserId, year) as { n: number }).n;
  }

  /** the draws of one source (a plan item or a joint plan) of an organiser */
  ofSource(organiserId: string, source: { planItemId?: string; jointId?: string }, countyAgencyId?: string): Draw[] {
    const rows = (
      source.jointId
        ? this.db.prepare('SELECT json FROM draws WHERE organiser_id = ? AND joint_id = ?').all(organiserId, source.jointId)
        : this.db.prepare('SELECT json FROM draws WHERE organiser_id = ? AND plan_item_id = ?').all(organiserId, source.planItemId ?? '')
    ) as { json: string }[];
    const all = rows.map((r) => Draw.parse(JSON.parse(r.json)));
    // a county draw and the organiser's own draw of the same item are different sources
    return all.filter((d) => (countyAgencyId ? d.kind === 'county' && d.teamAgencyIds.includes(countyAgencyId) : d.kind !== 'county'));
  }

  insert(d: Draw, st: StatementRow): void {
    this.db
      .prepare(
        `INSERT INTO draws(id, year, organiser_id, kind, plan_item_id, joint_id, status, window_from, window_to, replaces, created_at, json)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        d.id,
        d.year,
        d.organiserId,
        d.kind,
        d.planItemId ?? null,
        d.jointId ?? null,
        d.status,
        d.window.from,
        d.window.to,
        d.replaces ?? null,
        d.createdAt,
        JSON.stringify(d),
      );
    this.db
      .prepare('INSERT INTO draw_statements(draw_id, statement_json, statement_text, population_text) VALUES (?,?,?,?)')
      .run(d.id, JSON.stringify(st.statement), st.statementText, st.populationText);
    const q = this.db.prepare('INSERT INTO draw_parties(draw_id, party) VALUES (?, ?)');
    for (const p of d.parties) q.run(d.id, p.party);
  }

  update(d: Draw): void {
    this.db.prepare('UPDATE draws SET status = ?, json = ? WHERE id = ?').run(d.status, JSON.stringify(d), d.id);
  }

  statement(id: string): StatementRow | undefined {
    const r = this.db.prepare('SELECT statement_json, statement_text, population_text FROM draw_statements WHERE draw_id = ?').get(id) as
      | { statement_json: string; statement_text: string; population_text: string }
      | undefined;
    return r ? { statement: JSON.parse(r.statement_json) as DrawStatementWire, statementText: r.statement_text, populationText: r.population_text } : undefined;
  }

  populationText(id: string): string | undefined {
    return (this.db.prepare('SELECT population_text AS t FROM draw_statements WHERE draw_id = ?').get(id) as { t: string } | undefined)?.t;
  }

  parties(id: string): PartyRow[] {
    return this.db.prepare('SELECT * FROM draw_parties WHERE draw_id = ? ORDER BY party').all(id) as PartyRow[];
  }

  commit(id: string, party: string, commitment: string, by: string, at: string): void {
    this.db
      .prepare('UPDATE draw_parties SET commitment = ?, committed_by = ?, committed_at = ? WHERE draw_id = ? AND party = ?')
      .run(commitment, by, at, id, party);
  }

  reveal(id: string, party: string, secret: string, by: string, at: string): void {
    this.db.prepare('UPDATE draw_parties SET secret = ?, revealed_by = ?, revealed_at = ? WHERE draw_id = ? AND party = ?').run(secret, by, at, id, party);
  }

  putPicks(id: string, picks: readonly DrawPickWire[]): void {
    const q = this.db.prepare('INSERT INTO draw_picks(draw_id, seq, uscc, name, cls, teams_json) VALUES (?,?,?,?,?,?)');
    for (const [i, p] of picks.entries()) q.run(id, i, p.uscc, p.name, p.cls, JSON.stringify(p.teams));
  }

  picks(id: string): DrawPickWire[] {
    const rows = this.db.prepare('SELECT uscc, name, cls, teams_json FROM draw_picks WHERE draw_id = ? ORDER BY seq').all(id) as {
      uscc: string;
      name: string;
      cls: DrawPickWire['cls'];
      teams_json: string;
    }[];
    return rows.map((r) => ({ uscc: r.uscc, name: r.name, cls: r.cls, teams: JSON.parse(r.teams_json) as Record<string, string[]> }));
  }

  putTask(id: string, agencyId: string, uscc: string, made: { taskId: string } | { skipped: Text }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO draw_tasks(draw_id, agency_id, uscc, task_id, skipped_json) VALUES (?,?,?,?,?)')
      .run(id, agencyId, uscc, 'taskId' in made ? made.taskId : null, 'skipped' in made ? JSON.stringify(made.skipped) : null);
  }

  tasks(id: string): DrawTaskRow[] {
    return this.db.prepare('SELECT agency_id, uscc, task_id, skipped_json FROM draw_tasks WHERE draw_id = ? ORDER BY uscc, agency_id').all(id) as DrawTaskRow[];
  }

  /** task ids of the draw that have an inspection entry (projected) */
  inspectedTaskIds(id: string): Set<string> {
    const rows = this.db
      .prepare('SELECT DISTINCT t.task_id AS id FROM draw_tasks t JOIN inspections i ON i.task_id = t.task_id WHERE t.draw_id = ? AND t.task_id IS NOT NULL')
      .all(id) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}
