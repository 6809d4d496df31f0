/**
 * The projection's SQL tables (DESIGN §3 "projection: docs → SQL rows → warnings"), kept beside the
 * projection rather than in store/db.ts: created on open, idempotent.
 *
 *  projection_rooms   room → the highest doc_updates id already projected (catch-up after a crash)
 *  projected_records  (room, record id) already projected: replays and restarts never project twice
 *  inspections        one row per entry record (who, which agency, when, what kind, how, late or not)
 *  inspection_results one row per result record
 *  warnings           every warning raised (the API reads these; the live copy is supervision/<year>)
 *  ratings            one row per enterprise rating (feedback rooms); its agency comes from the entry it
 *                     rates (joined at query time, so a rating projected before its entry still counts)
 *  task_facts         one row per task of the `tasks/<agencyId>/<year>` rooms: what the statistics join
 *                     (joint, drawn, plan item) and count (planned, done)
 * The statistics (server/stats/) read these by Asia/Shanghai month (`month`) and instant (`at_ms`); a record
 * another one corrects (an allowed correction) is `superseded` and counted no more.
 */
import type { DB } from '../store/db';
import type { EntryRecord, ResultRecord, Task } from '../../src/domain/schemas';
import { createHmac, randomBytes } from 'node:crypto';
import { addMonths, instantMs, shanghaiMonthKey, shanghaiYear } from '../../src/domain/time';
import { yearOfWarning, type WarningT } from './evaluate';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_rooms (room TEXT PRIMARY KEY, last_update_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS projected_records (
  room TEXT NOT NULL, record_id TEXT NOT NULL, projected_at INTEGER NOT NULL, PRIMARY KEY (room, record_id)
);
CREATE TABLE IF NOT EXISTS inspections (
  entry_id TEXT PRIMARY KEY, uscc TEXT NOT NULL, agency_id TEXT NOT NULL, at TEXT NOT NULL, year INTEGER NOT NULL,
  kind TEXT NOT NULL, planned_kind TEXT, trigger_kind TEXT, trigger_ref TEXT, method TEXT NOT NULL,
  task_id TEXT, inspectors TEXT NOT NULL, certificates TEXT NOT NULL, item_ids TEXT NOT NULL,
  via TEXT NOT NULL, late INTEGER NOT NULL, corrects TEXT, by_user TEXT NOT NULL,
  month TEXT, at_ms INTEGER, quiet INTEGER NOT NULL DEFAULT 0, quiet_exception INTEGER NOT NULL DEFAULT 0,
  exemptions TEXT NOT NULL DEFAULT '[]', inspector_names TEXT NOT NULL DEFAULT '', superseded INTEGER NOT NULL DEFAULT 0,
  joint INTEGER NOT NULL DEFAULT 0, drawn INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS inspections_uscc ON inspections(uscc, year);
CREATE INDEX IF NOT EXISTS inspections_agency ON inspections(agency_id, year);
CREATE TABLE IF NOT EXISTS inspection_results (
  result_id TEXT PRIMARY KEY, entry_id TEXT NOT NULL, uscc TEXT NOT NULL, agency_id TEXT NOT NULL, at TEXT NOT NULL,
  outcome TEXT NOT NULL, findings INTEGER NOT NULL, rectify_by TEXT,
  month TEXT, at_ms INTEGER, lighter INTEGER NOT NULL DEFAULT 0, mitigated INTEGER NOT NULL DEFAULT 0,
  first_offence INTEGER NOT NULL DEFAULT 0, superseded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS inspection_results_entry ON inspection_results(entry_id);
CREATE TABLE IF NOT EXISTS warnings (
  id TEXT PRIMARY KEY, year INTEGER NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, agency_id TEXT,
  uscc TEXT, ref_id TEXT, at TEXT NOT NULL, json TEXT NOT NULL, created_at INTEGER NOT NULL, month TEXT
);
CREATE INDEX IF NOT EXISTS warnings_year ON warnings(year, at);
CREATE INDEX IF NOT EXISTS warnings_agency ON warnings(agency_id, year);
CREATE TABLE IF NOT EXISTS ratings (
  rating_id TEXT PRIMARY KEY, uscc TEXT NOT NULL, entry_id TEXT NOT NULL, score INTEGER NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ratings_entry ON ratings(entry_id, at);
CREATE TABLE IF NOT EXISTS task_facts (
  task_id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, year INTEGER NOT NULL, joint_id TEXT, draw_id TEXT,
  plan_item_id TEXT, method TEXT NOT NULL, status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS task_facts_agency ON task_facts(agency_id, year);
CREATE TABLE IF NOT EXISTS rating_months (
  agency_id TEXT NOT NULL, month TEXT NOT NULL, count INTEGER NOT NULL, enterprises INTEGER NOT NULL,
  dist TEXT NOT NULL, usccs TEXT NOT NULL, frozen_at TEXT NOT NULL, PRIMARY KEY (agency_id, month)
);
`;

/** columns added since databases were first made: [table, column, definition] (`migrate` adds the missing ones) */
const ADDED: readonly (readonly [string, string, string])[] = [
  ['inspections', 'month', 'TEXT'],
  ['inspections', 'at_ms', 'INTEGER'],
  ['inspections', 'quiet', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspections', 'quiet_exception', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspections', 'exemptions', "TEXT NOT NULL DEFAULT '[]'"],
  ['inspections', 'inspector_names', "TEXT NOT NULL DEFAULT ''"],
  ['inspections', 'superseded', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspections', 'joint', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspections', 'drawn', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspection_results', 'month', 'TEXT'],
  ['inspection_results', 'at_ms', 'INTEGER'],
  ['inspection_results', 'lighter', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspection_results', 'mitigated', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspection_results', 'first_offence', 'INTEGER NOT NULL DEFAULT 0'],
  ['inspection_results', 'superseded', 'INTEGER NOT NULL DEFAULT 0'],
  ['warnings', 'month', 'TEXT'],
];

/**
 * The statistics' indexes. By month, covering every column the sections count (server/stats/inspections.ts):
 * a city's year is read from the index alone, in month order, without touching the wide rows. By instant:
 * the export pages through the rows in (at_ms, id) order, its filters read from the index too. By task: a task's joint or draw reaches its entries.
 */
const STATS_INDEXES = `
DROP INDEX IF EXISTS inspections_month;
DROP INDEX IF EXISTS inspections_agency_month;
DROP INDEX IF EXISTS inspection_results_month;
DROP INDEX IF EXISTS inspection_results_agency_month;
DROP INDEX IF EXISTS warnings_month;
DROP INDEX IF EXISTS inspections_at;
DROP INDEX IF EXISTS inspections_agency_at;
DROP INDEX IF EXISTS inspection_results_at;
DROP INDEX IF EXISTS inspection_results_agency_at;
CREATE INDEX IF NOT EXISTS inspections_stats ON inspections(month, agency_id, superseded, kind, method, planned_kind, trigger_kind,
  late, quiet, quiet_exception, joint, drawn, uscc, exemptions);
CREATE INDEX IF NOT EXISTS inspections_at_stats ON inspections(at_ms, entry_id, superseded, agency_id, uscc);
CREATE INDEX IF NOT EXISTS inspections_agency_at_stats ON inspections(agency_id, at_ms, entry_id, superseded, uscc);
CREATE INDEX IF NOT EXISTS inspections_task ON inspections(task_id);
CREATE INDEX IF NOT EXISTS inspection_results_stats ON inspection_results(month, agency_id, superseded, outcome, findings, lighter,
  mitigated, first_offence, uscc);
CREATE INDEX IF NOT EXISTS inspection_results_at_stats ON inspection_results(at_ms, result_id, superseded, agency_id, uscc);
CREATE INDEX IF NOT EXISTS inspection_results_agency_at_stats ON inspection_results(agency_id, at_ms, result_id, superseded, uscc);
CREATE INDEX IF NOT EXISTS warnings_stats ON warnings(month, agency_id, kind, uscc);
`;

/**
 * Bring a database made before the statistics up to date: add the missing columns; when rows of the
 * ledgers lack theirs, forget which ledger records were projected, so that the projection projects every
 * ledger room again on its start (`roomsBehind`; rows are INSERT OR REPLACE, warnings stored once by id);
 * a warning's month follows from its time.
 */
function migrate(db: DB): void {
  db.transaction(() => {
    const have = new Map<string, Set<string>>();
    const columns = (t: string) => {
      if (!have.has(t)) have.set(t, new Set((db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name)));
      return have.get(t)!;
    };
    let reproject = false;
    for (const [table, column, def] of ADDED) {
      if (columns(table).has(column)) continue;
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${def}`);
      if (table !== 'warnings') reproject = true;
    }
    if (reproject) {
      db.prepare("DELETE FROM projected_records WHERE room >= 'ledger/' AND room < 'ledger0'").run();
      db.prepare("DELETE FROM projection_rooms WHERE room >= 'ledger/' AND room < 'ledger0'").run();
    }
  })();
  db.exec(STATS_INDEXES);
  const set = db.prepare('UPDATE warnings SET month = ? WHERE id = ?');
  const missing = db.prepare('SELECT id, at FROM warnings WHERE month IS NULL').all() as { id: string; at: string }[];
  if (missing.length) {
    db.transaction(() => {
      for (const w of missing) set.run(monthOf(w.at), w.id);
    })();
  }
}

/** What the projection knows of an entry beyond its record: the policy of its day applied to its enterprise. */
export interface EntryFacts {
  /** an on-site inspection on a quiet day of an enterprise the quiet period covers */
  quiet: boolean;
  /** of those: under a listed special circumstance (the rule's `quiet.exception`) */
  quietException: boolean;
}

/** A task as the statistics see it (the `task_facts` row). */
export type TaskFacts = Pick<Task, 'id' | 'jointId' | 'drawId' | 'planItemId' | 'method' | 'status'>;

const suggestions = (r: ResultRecord, s: ResultRecord['findings'][number]['suggestion']) => r.findings.filter((f) => f.suggestion === s).length;

/**
 * An agency's ratings in a year, anonymised: how many inspections were rated and by how many enterprises;
 * the distribution and the average only once at least RATING_MIN_COUNT different enterprises rated.
 */
export interface RatingSummary {
  agencyId: string;
  year: number;
  count: number;
  enterprises: number;
  distribution: [number, number, number, number, number] | null;
  average: number | null;
}

/**
 * Below this many rating enterprises an agency sees counts only: with two or three raters it could tell
 * which enterprise gave which score, and ratings are anonymous to it (DESIGN §4).
 */
export const RATING_MIN_COUNT = 5;

export interface WarningQuery {
  year: number;
  agencyId?: string;
  kind?: string;
  /** leave out complaint warnings stored at or after this instant (ms): an agency sees a complaint only from the day after */
  complaintsStoredBefore?: number;
}

/** One closed month of an agency's ratings as the agency sees it (frozen when first read after the month closed). */
export interface RatingMonth {
  month: string;
  count: number;
  enterprises: number;
  distribution: [number, number, number, number, number];
  average: number;
}

/**
 * What an agency reads of its ratings (polling must not reveal each new score): only
 * calendar months (Asia/Shanghai) that have closed, each frozen the first time it is read after closing,
 * and only the months in which at least RATING_MIN_COUNT different enterprises rated; a month with fewer
 * is left out entirely. A rating counts in the month the server received it (or its own later month), so
 * no rating can land in a month already closed.
 */
export interface AgencyRatingView extends RatingSummary {
  /** the closed months of the year shown (each with ≥ RATING_MIN_COUNT rating enterprises) */
  months: RatingMonth[];
  /** the last closed month considered (YYYY-MM): the figures change only when this changes */
  closedThrough: string;
}

/** `YYYY-MM` of an instant in Asia/Shanghai */
const monthOf = shanghaiMonthKey;
const averageOf = (dist: readonly number[], count: number) => Math.round((dist.reduce((a, n, i) => a + n * (i + 1), 0) / count) * 10) / 10;

export class ProjectionTables {
  private readonly qRoomHwm;
  private readonly qSetHwm;
  private readonly qProjectedIds;
  private readonly qMarkProjected;
  private readonly qEntry;
  private readonly qResult;
  private readonly qSupersedeEntry;
  private readonly qSupersedeResult;
  private readonly qWarning;
  private readonly qDropTasks;
  private readonly qTaskOf;
  private readonly qTasksOfRoom;
  private readonly qTaskEntries;
  private readonly qTask;
  private readonly qHasWarning;
  private readonly qRating;
  private readonly qRatingsOf;
  private readonly qComplaintCounts;
  private readonly qMonthFrozen;
  private readonly qFreezeMonth;
  private readonly qFirstRatingsOfMonth;
  private readonly anonKey: Buffer;
  /**
   * Bumped on every write of rows or warnings, and when supervisors handle a warning (`touch`): what the
   * statistics' ETags rest on, so a poll learns of a new check-in within seconds and costs a 304 otherwise.
   * Starts from the clock, so a restarted server never repeats an earlier value.
   */
  generation = Date.now();

  touch(): void {
    this.generation++;
  }

  constructor(private readonly db: DB) {
    db.exec(SCHEMA);
    // the month a rating counts in for agencies (commitRatings, agencyRatings); databases from before it take the rating's own month
    if (!(db.prepare('PRAGMA table_info(ratings)').all() as { name: string }[]).some((c) => c.name === 'month')) {
      db.exec('ALTER TABLE ratings ADD COLUMN month TEXT');
      const set = db.prepare('UPDATE ratings SET month = ? WHERE rating_id = ?');
      db.transaction(() => {
        for (const r of db.prepare('SELECT rating_id, at FROM ratings').all() as { rating_id: string; at: string }[]) set.run(monthOf(r.at), r.rating_id);
      })();
    }
    db.exec('CREATE INDEX IF NOT EXISTS ratings_month ON ratings(month)');
    migrate(db);
    // the statistics read a city's year of these tables on every poll: keep their pages in memory (64 MB)
    // rather than reading them from the OS for every query (SQLite's default cache is 2 MB)
    db.pragma('cache_size = -65536');
    // the server's secret for the opaque ids agencies see of complaints (opaqueId); made once, kept in the database
    db.prepare('INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)').run('complaint_id_key', randomBytes(32).toString('base64'));
    this.anonKey = Buffer.from((db.prepare('SELECT value FROM meta WHERE key = ?').get('complaint_id_key') as { value: string }).value, 'base64');
    this.qRoomHwm = db.prepare('SELECT last_update_id AS id FROM projection_rooms WHERE room = ?');
    this.qSetHwm = db.prepare(
      'INSERT INTO projection_rooms(room, last_update_id) VALUES (?, ?) ON CONFLICT(room) DO UPDATE SET last_update_id = max(last_update_id, excluded.last_update_id)',
    );
    this.qProjectedIds = db.prepare('SELECT record_id AS id FROM projected_records WHERE room = ?');
    this.qMarkProjected = db.prepare('INSERT OR IGNORE INTO projected_records(room, record_id, projected_at) VALUES (?, ?, ?)');
    this.qEntry = db.prepare(`INSERT OR REPLACE INTO inspections(entry_id, uscc, agency_id, at, year, kind, planned_kind, trigger_kind, trigger_ref,
      method, task_id, inspectors, certificates, item_ids, via, late, corrects, by_user, month, at_ms, quiet, quiet_exception, exemptions,
      inspector_names, superseded, joint, drawn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?)`);
    this.qTaskOf = db.prepare('SELECT joint_id AS joint, draw_id AS draw FROM task_facts WHERE task_id = ?');
    this.qTasksOfRoom = db.prepare('SELECT task_id AS id, joint_id AS joint, draw_id AS draw FROM task_facts WHERE agency_id = ? AND year = ?');
    this.qTaskEntries = db.prepare('UPDATE inspections SET joint = ?, drawn = ? WHERE task_id = ?');
    this.qResult = db.prepare(`INSERT OR REPLACE INTO inspection_results(result_id, entry_id, uscc, agency_id, at, outcome, findings, rectify_by,
      month, at_ms, lighter, mitigated, first_offence, superseded) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)`);
    this.qSupersedeEntry = db.prepare('UPDATE inspections SET superseded = 1 WHERE entry_id = ? AND superseded = 0');
    this.qSupersedeResult = db.prepare('UPDATE inspection_results SET superseded = 1 WHERE result_id = ? AND superseded = 0');
    this.qWarning = db.prepare(`INSERT OR IGNORE INTO warnings(id, year, kind, severity, agency_id, uscc, ref_id, at, json, created_at, month)
      VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
    this.qDropTasks = db.prepare('DELETE FROM task_facts WHERE agency_id = ? AND year = ?');
    this.qTask = db.prepare(
      'INSERT OR REPLACE INTO task_facts(task_id, agency_id, year, joint_id, draw_id, plan_item_id, method, status) VALUES (?,?,?,?,?,?,?,?)',
    );
    this.qHasWarning = db.prepare('SELECT 1 FROM warnings WHERE id = ?');
    this.qRating = db.prepare('INSERT OR IGNORE INTO ratings(rating_id, uscc, entry_id, score, at, month) VALUES (?,?,?,?,?,?)');
    // an enterprise that rated one inspection twice counts once, with its latest score
    this.qRatingsOf = db.prepare(`
      SELECT r.score AS score, r.uscc AS uscc FROM ratings r JOIN inspections i ON i.entry_id = r.entry_id
      WHERE i.agency_id = ? AND i.year = ?
        AND r.rating_id = (SELECT r2.rating_id FROM ratings r2 WHERE r2.entry_id = r.entry_id ORDER BY r2.at DESC, r2.rating_id DESC LIMIT 1)`);
    this.qComplaintCounts = db.prepare(
      "SELECT agency_id AS id, count(*) AS n FROM warnings WHERE kind = 'complaint' AND year = ? AND agency_id IS NOT NULL GROUP BY agency_id",
    );
    this.qMonthFrozen = db.prepare(
      'SELECT month, count, enterprises, dist, usccs FROM rating_months WHERE agency_id = ? AND month >= ? AND month <= ? ORDER BY month',
    );
    this.qFreezeMonth = db.prepare('INSERT OR IGNORE INTO rating_months(agency_id, month, count, enterprises, dist, usccs, frozen_at) VALUES (?,?,?,?,?,?,?)');
    // an inspection counts once for the agency, with its first rating (as the enterprise's app shows it): a
    // re-rating in a later month never moves a closed month
    this.qFirstRatingsOfMonth = db.prepare(`
      SELECT r.score AS score, r.uscc AS uscc FROM ratings r JOIN inspections i ON i.entry_id = r.entry_id
      WHERE i.agency_id = ? AND r.month = ?
        AND r.rating_id = (SELECT r2.rating_id FROM ratings r2 WHERE r2.entry_id = r.entry_id ORDER BY r2.month, r2.at, r2.rating_id LIMIT 1)`);
  }

  /**
   * The id an agency sees for a warning it must not trace back (a complaint): an HMAC of the warning's id
   * under the server's secret, so it is stable across reads (handling status follows it) but names neither
   * the enterprise nor the record, and cannot be recomputed without the secret.
   */
  opaqueId(kind: string, id: string): string {
    return `${kind}.${createHmac('sha256', this.anonKey).update(id).digest('base64url').slice(0, 24)}`;
  }

  /** rooms of the given prefixes with updates the projection has not seen (after a crash or on first start) */
  roomsBehind(prefixes: readonly string[]): string[] {
    const out: string[] = [];
    const q = this.db.prepare(`SELECT u.room AS room FROM (SELECT room, max(id) AS top FROM doc_updates WHERE room >= ? AND room < ? GROUP BY room) u
      LEFT JOIN projection_rooms p ON p.room = u.room WHERE p.last_update_id IS NULL OR p.last_update_id < u.top ORDER BY u.room`);
    for (const pre of prefixes) {
      // a range scan on the (room, id) index instead of LIKE
      const hi = pre.slice(0, -1) + String.fromCharCode(pre.charCodeAt(pre.length - 1) + 1);
      for (const r of q.all(pre, hi) as { room: string }[]) out.push(r.room);
    }
    return out;
  }

  hwm(room: string): number {
    return (this.qRoomHwm.get(room) as { id: number } | undefined)?.id ?? 0;
  }

  projectedIds(room: string): Set<string> {
    return new Set((this.qProjectedIds.all(room) as { id: string }[]).map((r) => r.id));
  }

  hasWarning(id: string): boolean {
    return !!this.qHasWarning.get(id);
  }

  /**
   * rows of new records, their projected marks and the room's high-water mark, in one transaction.
   * `facts`: each entry's quiet-period facts (by entry id; none: not quiet); `superseded`: the ids of the
   * ledger's records an allowed correction replaces (the whole ledger's: a correction may arrive before
   * the record it corrects).
   */
  commit(
    room: string,
    upToId: number,
    entries: readonly EntryRecord[],
    results: readonly ResultRecord[],
    recordIds: readonly string[],
    more: { facts?: ReadonlyMap<string, EntryFacts>; superseded?: Iterable<string> } = {},
  ): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const e of entries) {
        const f = more.facts?.get(e.id);
        // joint and drawn are the task's (commitTasks keeps them when the task arrives or changes later)
        const t = e.taskId ? (this.qTaskOf.get(e.taskId) as { joint: string | null; draw: string | null } | undefined) : undefined;
        this.qEntry.run(
          e.id,
          e.uscc,
          e.agencyId,
          e.at,
          shanghaiYear(e.at),
          e.kind.type,
          e.kind.type === 'planned' ? e.kind.planned : null,
          e.kind.type === 'triggered' ? e.kind.trigger.kind : null,
          e.kind.type === 'triggered' ? e.kind.trigger.ref : null,
          e.method ?? 'onsite',
          e.taskId ?? null,
          JSON.stringify(e.team.map((m) => m.inspectorId)),
          JSON.stringify(e.team.map((m) => m.certificateNumber)),
          JSON.stringify(e.itemIds),
          e.via,
          e.via === 'late' ? 1 : 0,
          e.corrects ?? null,
          e.by,
          monthOf(e.at),
          instantMs(e.at),
          f?.quiet ? 1 : 0,
          f?.quietException ? 1 : 0,
          JSON.stringify(e.exemptions.map((x) => x.kind)),
          e.team.map((m) => m.name).join('、'),
          t?.joint ? 1 : 0,
          t?.draw ? 1 : 0,
        );
      }
      for (const r of results) {
        this.qResult.run(
          r.id,
          r.entryId,
          r.uscc,
          r.agencyId,
          r.at,
          r.outcome,
          r.findings.length,
          r.rectifyBy ?? null,
          monthOf(r.at),
          instantMs(r.at),
          suggestions(r, 'lighter'),
          suggestions(r, 'mitigated'),
          suggestions(r, 'first_offence_exempt'),
        );
      }
      for (const id of more.superseded ?? []) {
        this.qSupersedeEntry.run(id);
        this.qSupersedeResult.run(id);
      }
      for (const id of recordIds) this.qMarkProjected.run(room, id, now);
      if (upToId > 0) this.qSetHwm.run(room, upToId);
    })();
    this.touch();
  }

  /**
   * the tasks of one `tasks/<agencyId>/<year>` room as they are now (a task removed from the room leaves the
   * table); the entries of a task whose joint plan or draw changed (or that arrived after them) follow
   */
  commitTasks(room: string, upToId: number, agencyId: string, year: number, tasks: readonly TaskFacts[]): void {
    this.db.transaction(() => {
      const was = new Map(
        (this.qTasksOfRoom.all(agencyId, year) as { id: string; joint: string | null; draw: string | null }[]).map((t) => [t.id, `${!!t.joint}${!!t.draw}`]),
      );
      this.qDropTasks.run(agencyId, year);
      for (const t of tasks) {
        this.qTask.run(t.id, agencyId, year, t.jointId ?? null, t.drawId ?? null, t.planItemId ?? null, t.method, t.status);
        if (was.get(t.id) !== `${!!t.jointId}${!!t.drawId}`) this.qTaskEntries.run(t.jointId ? 1 : 0, t.drawId ? 1 : 0, t.id);
        was.delete(t.id);
      }
      for (const [id, flags] of was) if (flags !== 'falsefalse') this.qTaskEntries.run(0, 0, id);
      if (upToId > 0) this.qSetHwm.run(room, upToId);
    })();
    this.touch();
  }

  setHwm(room: string, upToId: number): void {
    if (upToId > 0) this.qSetHwm.run(room, upToId);
  }

  /** `now` (ms): when they are stored, by the server's clock (an agency sees a complaint from the next day on) */
  insertWarnings(ws: readonly WarningT[], now = Date.now()): void {
    this.db.transaction(() => {
      for (const w of ws) {
        this.qWarning.run(
          w.id,
          yearOfWarning(w),
          w.kind,
          w.severity,
          w.agencyId ?? null,
          w.uscc ?? null,
          w.refId ?? null,
          w.at,
          JSON.stringify(w),
          now,
          monthOf(w.at),
        );
      }
    })();
    this.touch();
  }

  warnings(q: WarningQuery): WarningT[] {
    const where = ['year = ?'];
    const args: (string | number)[] = [q.year];
    if (q.agencyId) {
      where.push('agency_id = ?');
      args.push(q.agencyId);
    }
    if (q.kind) {
      where.push('kind = ?');
      args.push(q.kind);
    }
    if (q.complaintsStoredBefore !== undefined) {
      where.push("(kind <> 'complaint' OR created_at < ?)");
      args.push(q.complaintsStoredBefore);
    }
    const rows = this.db.prepare(`SELECT json FROM warnings WHERE ${where.join(' AND ')} ORDER BY at DESC, id LIMIT 5000`).all(...args) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as WarningT);
  }

  /**
   * rating rows of a feedback room, its projected marks and high-water mark, in one transaction.
   * `received`: when the server took the ratings in (its clock); a rating counts for agencies in the later
   * of its own month and that month, so a late or back-dated rating never changes a closed month.
   */
  commitRatings(
    room: string,
    upToId: number,
    ratings: readonly { id: string; uscc: string; entryId: string; score: number; at: string }[],
    recordIds: readonly string[],
    received?: Date,
  ): void {
    const now = Date.now();
    const got = received ? monthOf(received) : '';
    this.db.transaction(() => {
      for (const r of ratings) {
        const own = monthOf(r.at);
        this.qRating.run(r.id, r.uscc, r.entryId, r.score, r.at, own > got ? own : got);
      }
      for (const id of recordIds) this.qMarkProjected.run(room, id, now);
      if (upToId > 0) this.qSetHwm.run(room, upToId);
    })();
    this.touch();
  }

  /**
   * The ratings of the inspections an agency made in a year (by the entry's year): an enterprise that
   * rated one inspection twice counts once, with its latest score. `reveal` (supervisors, who may know
   * who rated): scores at any count.
   */
  ratingSummary(agencyId: string, year: number, reveal = false): RatingSummary {
    const rows = this.qRatingsOf.all(agencyId, year) as { score: number; uscc: string }[];
    const dist: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const r of rows) if (r.score >= 1 && r.score <= 5) dist[r.score - 1]++;
    const count = dist.reduce((a, b) => a + b, 0);
    const enterprises = new Set(rows.map((r) => r.uscc)).size;
    const shown = count > 0 && (reveal || enterprises >= RATING_MIN_COUNT);
    const average = shown ? averageOf(dist, count) : null;
    return { agencyId, year, count, enterprises, distribution: shown ? dist : null, average };
  }

  /**
   * An agency's own view of its ratings in `year` at the instant `now` (AgencyRatingView): closed months
   * only, each frozen at its first read, those with fewer than RATING_MIN_COUNT rating enterprises left out.
   */
  agencyRatings(agencyId: string, year: number, now: Date): AgencyRatingView {
    const closedThrough = addMonths(monthOf(now), -1);
    const first = `${year}-01`;
    const last = `${year}-12` < closedThrough ? `${year}-12` : closedThrough;
    const frozenAt = now.toISOString();
    type Row = { month: string; count: number; enterprises: number; dist: string; usccs: string };
    let rows: Row[] = [];
    if (first <= last) {
      this.db.transaction(() => {
        const have = new Set((this.qMonthFrozen.all(agencyId, first, last) as Row[]).map((r) => r.month));
        for (let m = last; m >= first; m = addMonths(m, -1)) {
          if (have.has(m)) continue;
          const rs = this.qFirstRatingsOfMonth.all(agencyId, m) as { score: number; uscc: string }[];
          const dist = [0, 0, 0, 0, 0];
          for (const r of rs) if (r.score >= 1 && r.score <= 5) dist[r.score - 1]++;
          const usccs = [...new Set(rs.map((r) => r.uscc))].sort();
          this.qFreezeMonth.run(
            agencyId,
            m,
            dist.reduce((a, b) => a + b, 0),
            usccs.length,
            JSON.stringify(dist),
            JSON.stringify(usccs),
            frozenAt,
          );
        }
        rows = this.qMonthFrozen.all(agencyId, first, last) as Row[];
      })();
    }
    const shown = rows.filter((r) => r.enterprises >= RATING_MIN_COUNT && r.count > 0);
    const months: RatingMonth[] = shown.map((r) => {
      const distribution = JSON.parse(r.dist) as RatingMonth['distribution'];
      return { month: r.month, count: r.count, enterprises: r.enterprises, distribution, average: averageOf(distribution, r.count) };
    });
    const dist: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const m of months)
      m.distribution.forEach((n, i) => {
        dist[i] += n;
      });
    const count = dist.reduce((a, b) => a + b, 0);
    const enterprises = new Set(shown.flatMap((r) => JSON.parse(r.usccs) as string[])).size;
    return {
      agencyId,
      year,
      count,
      enterprises,
      distribution: count ? dist : null,
      average: count ? averageOf(dist, count) : null,
      months,
      closedThrough,
    };
  }

  /** complaint warnings per agency in a year (supervisors' overview) */
  complaintCounts(year: number): Map<string, number> {
    const rows = this.qComplaintCounts.all(year) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** inspections of an enterprise (statistics, tests) */
  inspectionsOf(uscc: string): { entry_id: string; agency_id: string; at: string; late: number; method: string }[] {
    return this.db.prepare('SELECT entry_id, agency_id, at, late, method FROM inspections WHERE uscc = ? ORDER BY at').all(uscc) as never;
  }
}
