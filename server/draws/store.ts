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
import type { Tables } from '../store/db';

export const DRAW_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS draws (
  id TEXT PRIMARY KEY, year INTEGER NOT NULL, organiser_id TEXT NOT NULL, kind TEXT NOT NULL,
  plan_item_id TEXT, joint_id TEXT, status TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL,
  replaces TEXT, created_at TEXT NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS draws_year ON draws(year, organiser_id);
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
