/**
 * Statistics of inspections and results (see service.ts), over the projection's rows (server/projection/
 * tables.ts): `inspections` (one per entry record), `inspection_results`, `warnings`, and the directory's
 * `enterprises` and `agencies` for the division, industry and names.
 *
 * Decisions:
 * - A range is months (Asia/Shanghai) of the record's own time: an entry counts in its month, a result in
 *   its own (outcomes come from the results recorded in the range), a warning in the month of its time.
 * - A record that an allowed correction replaces (`superseded`) is not counted: its correction is.
 * - Joint = the entry's task belongs to a joint plan; drawn = the task was drawn by a 双随机 draw (the projection
 *   keeps both on the entry's row from its task, `task_facts`).
 * - The distribution per enterprise and the inspections by several agencies count on-site inspections: the
 *   visits an enterprise bears (off-site and written checks do not disturb it, nor count towards the cap).
 * - Every figure is one SQL statement grouped in SQLite (prepared once per shape and database) over indexes
 *   that cover the columns counted, so a section reads a city's year (tens of thousands of rows) from the
 *   index alone, not a loop over rows in JS.
 */
import type { Statement } from 'better-sqlite3';
import {
  STATS_MIN_ENTERPRISES,
  type StatsAgencies,
  type StatsAgencyRow,
  type StatsEnterprises,
  type StatsFilter,
  type StatsMonthly,
  type StatsMonthRow,
  type StatsRecordRow,
  type StatsRecords,
  type StatsSummary,
} from '../../src/protocol/stats';
import { Id } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import { daysInMonth, monthsFromTo, SHANGHAI_OFFSET_MS } from '../../src/domain/time';
import { policyAt, readPolicy, readPolicySchedule } from '../../src/model';
import { errors } from '../http/errors';
import type { DB } from '../store/db';
import type { StatsDeps } from './service';
import type { StatsScope } from './scope';

// ---------------------------------------------------------------- SQL plumbing

const cache = new WeakMap<DB, Map<string, Statement>>();
/** a statement prepared once per database and SQL text (the filters give each query a few shapes) */
function prep(db: DB, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

type Params = Record<string, string | number>;

/**
 * The enterprises of a division or industry, as a condition on a table aliased `x`: the set is built once per
 * statement from the directory's (division|industry, name, uscc) indexes and probed in memory. The `+` keeps
 * SQLite from driving the query by `x.uscc` instead (without ANALYZE it may, and a join on the enterprises
 * may be planned the wrong way round: tens of seconds instead of milliseconds).
 */
function enterpriseScope(x: string, f: StatsFilter): string[] {
  if (!f.division && !f.industry) return [];
  const cond = [...(f.division ? ['division = @division'] : []), ...(f.industry ? ['industry = @industry'] : [])];
  return [`+${x}.uscc IN (SELECT uscc FROM enterprises WHERE ${cond.join(' AND ')})`];
}
const filterParams = (f: StatsFilter): Params => ({
  ...(f.agencyId ? { agencyId: f.agencyId } : {}),
  ...(f.division ? { division: f.division } : {}),
  ...(f.industry ? { industry: f.industry } : {}),
});

/** the conditions of the filters for a table aliased `x` (its month, agency and enterprise columns) */
function where(x: string, f: StatsFilter, extra: string[] = []): { cond: string; params: Params } {
  const cond = [`${x}.month BETWEEN @from AND @to`, ...extra, ...(f.agencyId ? [`${x}.agency_id = @agencyId`] : []), ...enterpriseScope(x, f)];
  return { cond: cond.join(' AND '), params: { from: f.from, to: f.to, ...filterParams(f) } };
}

/** every column of a row as a non-negative integer (SUM over no rows is NULL) */
const ints = <T extends Record<string, unknown>>(row: T | undefined): Record<keyof T, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row ?? {})) out[k] = typeof v === 'number' ? v : 0;
  return out as Record<keyof T, number>;
};

const meta = (d: StatsDeps, s: StatsScope) => ({ filter: s.filter, scope: s.scope, asOf: d.clock.iso() });

/** the first instant (ms) of a Shanghai month, and of the one after `to` */
const monthStartMs = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1) - SHANGHAI_OFFSET_MS;
const monthEndMs = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1) - SHANGHAI_OFFSET_MS;

// ---------------------------------------------------------------- the figures of entries, results, warnings

const ENTRY_FIGURES = `count(*) AS inspections, count(DISTINCT i.uscc) AS enterprises,
  sum(i.kind = 'planned') AS planned, sum(i.kind = 'triggered') AS triggered,
  sum(i.method = 'onsite') AS onsite, sum(i.method = 'offsite') AS offsite, sum(i.method = 'written') AS written,
  sum(i.joint) AS joint, sum(i.drawn) AS drawn, sum(i.late) AS late`;

function entryFigures(db: DB, f: StatsFilter, extraCols = '', groupBy?: string) {
  const w = where('i', f, ['i.superseded = 0']);
  const sql = `SELECT ${groupBy ? `${groupBy} AS k, ` : ''}${ENTRY_FIGURES}${extraCols}
    FROM inspections i WHERE ${w.cond}${groupBy ? ` GROUP BY ${groupBy}` : ''}`;
  return { st: prep(db, sql), params: w.params };
}

const RESULT_FIGURES = `count(*) AS results, sum(r.outcome = 'no_problem') AS no_problem, sum(r.outcome = 'rectify') AS rectify,
  sum(r.outcome = 'case_filed') AS case_filed, sum(r.findings) AS findings, sum(r.lighter) AS lighter, sum(r.mitigated) AS mitigated,
  sum(r.first_offence) AS first_offence`;

function resultFigures(db: DB, f: StatsFilter, groupBy?: string) {
  const w = where('r', f, ['r.superseded = 0']);
  const sql = `SELECT ${groupBy ? `${groupBy} AS k, ` : ''}${RESULT_FIGURES} FROM inspection_results r WHERE ${w.cond}${groupBy ? ` GROUP BY ${groupBy}` : ''}`;
  return { st: prep(db, sql), params: w.params };
}

/** warnings raised in the range: all, and the enterprises past the cap (over_cap warnings name each (enterprise, agency) pair) */
function warningFigures(db: DB, f: StatsFilter, groupBy?: string) {
  const w = where('w', f);
  const sql = `SELECT ${groupBy ? `${groupBy} AS k, ` : ''}count(*) AS warnings,
    count(DISTINCT CASE WHEN w.kind = 'over_cap' THEN w.uscc END) AS overCap,
    sum(w.kind = 'quiet_period') AS quietBreaches
    FROM warnings w WHERE ${w.cond}${groupBy ? ` GROUP BY ${groupBy}` : ''}`;
  return { st: prep(db, sql), params: w.params };
}

type EntryRow = Record<'inspections' | 'enterprises' | 'planned' | 'triggered' | 'onsite' | 'offsite' | 'written' | 'joint' | 'drawn' | 'late', number>;
type ResultRow = Record<'results' | 'no_problem' | 'rectify' | 'case_filed' | 'findings' | 'lighter' | 'mitigated' | 'first_offence', number>;
type WarnRow = Record<'warnings' | 'overCap' | 'quietBreaches', number>;

/** rows grouped by `k` as a map of integer figures */
function byKey<T>(rows: unknown[]): Map<string, T> {
  return new Map((rows as ({ k: string } & Record<string, unknown>)[]).map((r) => [r.k, ints(r) as T]));
}

/** entries, results and warnings grouped by one column (`month` or `agency_id`), as a row's figures per key */
function grouped(db: DB, f: StatsFilter, column: 'month' | 'agency_id') {
  const e = entryFigures(db, f, '', `i.${column}`);
  const entries = byKey<EntryRow>(e.st.all(e.params));
  const r = resultFigures(db, f, `r.${column}`);
  const results = byKey<ResultRow>(r.st.all(r.params));
  const w = warningFigures(db, f, `w.${column}`);
  const warns = byKey<WarnRow>(w.st.all(w.params));
  return {
    keys: [...entries.keys(), ...results.keys()],
    overCap: (k: string) => warns.get(k)?.overCap ?? 0,
    figures: (k: string) => {
      const x = entries.get(k);
      const o = results.get(k);
      return {
        inspections: x?.inspections ?? 0,
        planned: x?.planned ?? 0,
        triggered: x?.triggered ?? 0,
        onsite: x?.onsite ?? 0,
        offsite: (x?.offsite ?? 0) + (x?.written ?? 0),
        joint: x?.joint ?? 0,
        drawn: x?.drawn ?? 0,
        late: x?.late ?? 0,
        enterprises: x?.enterprises ?? 0,
        no_problem: o?.no_problem ?? 0,
        rectify: o?.rectify ?? 0,
        case_filed: o?.case_filed ?? 0,
        warnings: warns.get(k)?.warnings ?? 0,
      };
    },
  };
}

// ---------------------------------------------------------------- summary

export function summary(d: StatsDeps, s: StatsScope): StatsSummary {
  const f = s.filter;
  const e = entryFigures(
    d.db,
    f,
    `, sum(i.planned_kind = 'special') AS special, sum(i.planned_kind = 'routine') AS routine, sum(i.planned_kind = 'other') AS other,
      sum(i.trigger_kind = 'complaint') AS complaint, sum(i.trigger_kind = 'referral') AS referral,
      sum(i.trigger_kind = 'data_monitoring') AS data_monitoring, sum(i.trigger_kind = 'enterprise_request') AS enterprise_request,
      sum(i.quiet) AS onQuietDays, sum(i.quiet_exception) AS withException, sum(i.quiet = 1 AND i.kind = 'triggered') AS quietTriggered,
      group_concat(CASE WHEN i.exemptions <> '[]' THEN i.exemptions END, '|') AS exemptionLists`,
  );
  const row = e.st.get(e.params) as Record<string, unknown>;
  const x = ints(row);
  // the kinds declared by the few entries with exemptions, gathered in the same pass ("[…]|[…]")
  const byKind: Record<string, number> = {};
  for (const list of typeof row.exemptionLists === 'string' ? row.exemptionLists.split('|') : []) {
    for (const k of JSON.parse(list) as string[]) byKind[k] = (byKind[k] ?? 0) + 1;
  }
  const r = resultFigures(d.db, f);
  const o = ints(r.st.get(r.params) as Record<string, unknown>) as ResultRow;
  const w = warningFigures(d.db, f);
  const wr = ints(w.st.get(w.params) as Record<string, unknown>) as WarnRow;
  return {
    ...meta(d, s),
    inspections: x.inspections,
    enterprises: x.enterprises,
    planned: x.planned,
    triggered: x.triggered,
    byPlanned: { special: x.special, routine: x.routine, other: x.other },
    byTrigger: { complaint: x.complaint, referral: x.referral, data_monitoring: x.data_monitoring, enterprise_request: x.enterprise_request },
    onsite: x.onsite,
    offsite: x.offsite,
    written: x.written,
    joint: x.joint,
    drawn: x.drawn,
    late: x.late,
    quiet: { onQuietDays: x.onQuietDays, withException: x.withException, triggered: x.quietTriggered, breaches: wr.quietBreaches },
    exemptions: { total: Object.values(byKind).reduce((a, n) => a + n, 0), byKind },
    outcomes: {
      results: o.results,
      no_problem: o.no_problem,
      rectify: o.rectify,
      case_filed: o.case_filed,
      findings: o.findings,
      flexible: { lighter: o.lighter, mitigated: o.mitigated, first_offence_exempt: o.first_offence },
    },
  };
}

// ---------------------------------------------------------------- by month

export function monthly(d: StatsDeps, s: StatsScope): StatsMonthly {
  const f = s.filter;
  const g = grouped(d.db, f, 'month');
  const rows: StatsMonthRow[] = monthsFromTo(f.from, f.to).map((month) => ({ month, ...g.figures(month) }));
  return { ...meta(d, s), rows };
}

// ---------------------------------------------------------------- by agency

export function agencies(d: StatsDeps, s: StatsScope): StatsAgencies {
  const f = s.filter;
  const g = grouped(d.db, f, 'agency_id');
  // every enforcement agency (those without inspections too), and any other with figures; one when filtered
  const listed = f.agencyId ? [f.agencyId] : d.dir.enforcementAgencies().map((a) => a.id);
  const ids = [...new Set([...listed, ...(f.agencyId ? [] : g.keys)])];
  const rows: StatsAgencyRow[] = ids.map((id) => {
    const a = d.dir.agency(id);
    return { agencyId: id, name: a?.name ?? id, nameEn: a?.nameEn ?? a?.name ?? id, ...g.figures(id), overCap: g.overCap(id) };
  });
  // most inspections first; the directory's order among equals (a stable sort)
  rows.sort((a, b) => b.inspections - a.inspections);
  return { ...meta(d, s), rows };
}

// ---------------------------------------------------------------- inspections per enterprise

/** the city's default on-site cap per enterprise and agency in force on the range's last day */
async function capAt(d: StatsDeps, to: string): Promise<number> {
  const day = `${to}-${String(daysInMonth(Number(to.slice(0, 4)), Number(to.slice(5, 7)))).padStart(2, '0')}`;
  const p = await d.rooms.read(rooms.config(), (doc) => policyAt(readPolicy(doc).policy, readPolicySchedule(doc).items, day));
  return (p ?? defaultPolicy()).capPerEnterpriseDefault;
}

export async function enterprises(d: StatsDeps, s: StatsScope): Promise<StatsEnterprises> {
  const f = s.filter;
  const cap = await capAt(d, f.to);
  const w = where('i', f, ['i.superseded = 0', "i.method = 'onsite'"]);
  const perEnterprise = prep(
    d.db,
    `SELECT n, count(*) AS enterprises FROM (SELECT count(*) AS n FROM inspections i WHERE ${w.cond} GROUP BY i.uscc) GROUP BY n`,
  ).all(w.params) as { n: number; enterprises: number }[];
  const distribution = Array.from({ length: cap + 1 }, (_, i) => ({ times: i + 1, atLeast: i === cap, enterprises: 0 }));
  for (const b of perEnterprise) distribution[Math.min(b.n, cap + 1) - 1].enterprises += b.enterprises;
  const inspected = distribution.reduce((a, b) => a + b.enterprises, 0);

  // by several agencies: every agency's on-site inspections of the enterprises in scope (an agency's: those it inspected)
  const { agencyId: _own, ...city } = f;
  const all = where('i', city, ['i.superseded = 0', "i.method = 'onsite'"]);
  const mine = f.agencyId
    ? " AND i.uscc IN (SELECT o.uscc FROM inspections o WHERE o.agency_id = @agencyId AND o.month BETWEEN @from AND @to AND o.superseded = 0 AND o.method = 'onsite')"
    : '';
  const multi = ints(
    prep(
      d.db,
      `SELECT count(*) AS enterprises, sum(n) AS inspections FROM (
         SELECT count(*) AS n FROM inspections i WHERE ${all.cond}${mine} GROUP BY i.uscc HAVING count(DISTINCT i.agency_id) > 1)`,
    ).get({ ...all.params, ...(f.agencyId ? { agencyId: f.agencyId } : {}) }) as Record<string, unknown>,
  );
  // an agency learning that another agency visited one of a handful of enterprises could tell which
  const hidden = s.scope === 'agency' && multi.enterprises < STATS_MIN_ENTERPRISES;

  const ow = where('w', f, ["w.kind = 'over_cap'"]);
  const overCap = ints(
    prep(d.db, `SELECT count(*) AS n FROM (SELECT DISTINCT w.uscc, w.agency_id FROM warnings w WHERE ${ow.cond})`).get(ow.params) as Record<string, unknown>,
  ).n;
  return {
    ...meta(d, s),
    cap,
    inspected,
    distribution,
    overCap,
    multiAgency: hidden ? { enterprises: null, inspections: null } : { enterprises: multi.enterprises, inspections: multi.inspections },
  };
}

// ---------------------------------------------------------------- the ledger's rows, a page at a time

interface Cursor {
  atMs: number;
  id: string;
  type: 'entry' | 'result';
}
const encodeCursor = (c: Cursor) => Buffer.from(`${c.atMs}.${c.type === 'entry' ? 'e' : 'r'}.${c.id}`).toString('base64url');
function decodeCursor(after: string): Cursor {
  const bad = () => errors.badRequest('bad_cursor', { zh: '分页参数 after 无效', en: 'The page cursor `after` is not valid' });
  if (!/^[A-Za-z0-9_-]+$/.test(after)) throw bad();
  const m = /^(\d{1,16})\.([er])\.(.+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m || !Id.safeParse(m[3]).success) throw bad();
  return { atMs: Number(m[1]), type: m[2] === 'e' ? 'entry' : 'result', id: m[3] };
}

/** the conditions of one branch of the export (`x`: its alias, `id`: its id column) */
function recordWhere(x: string, id: string, type: 'entry' | 'result', f: StatsFilter) {
  const rest = [`${x}.superseded = 0`, ...(f.agencyId ? [`${x}.agency_id = @agencyId`] : []), ...enterpriseScope(x, f)];
  // keyset: after (at_ms, id, type) of the previous page's last row
  const page = `(${x}.at_ms > @am OR (${x}.at_ms = @am AND (${id} > @aid OR (${id} = @aid AND '${type}' > @atype))))`;
  // the page walks the instant's index; the count reads the month's (covering) one: the same rows
  return { count: [`${x}.month BETWEEN @from AND @to`, ...rest].join(' AND '), page: [`${x}.at_ms >= @lo`, `${x}.at_ms < @hi`, ...rest, page].join(' AND ') };
}

/**
 * The export's total, counted once per filter and generation of the projection: an export asks for page
 * after page of the same filter, and the count is as dear as a page.
 */
const totals = new WeakMap<DB, Map<string, { generation: number; n: number }>>();
function totalOf(d: StatsDeps, f: StatsFilter, count: () => number): number {
  let m = totals.get(d.db);
  if (!m) totals.set(d.db, (m = new Map()));
  const key = JSON.stringify([f.from, f.to, f.agencyId ?? '', f.division ?? '', f.industry ?? '']);
  const generation = d.tables?.generation ?? Number.NaN;
  const hit = m.get(key);
  if (hit && hit.generation === generation) return hit.n;
  const n = count();
  if (m.size > 200) m.clear();
  m.set(key, { generation, n });
  return n;
}

type RecordSql = Omit<StatsRecordRow, 'joint' | 'drawn' | 'late'> & { at_ms: number; joint: number | null; drawn: number | null; late: number | null };

export function records(d: StatsDeps, s: StatsScope, after: string | undefined, limit: number): StatsRecords {
  const f = s.filter;
  const c = after ? decodeCursor(after) : { atMs: -1, id: '', type: 'entry' as const };
  const ei = recordWhere('i', 'i.entry_id', 'entry', f);
  const ri = recordWhere('r', 'r.result_id', 'result', f);
  const params: Params = {
    lo: Math.max(monthStartMs(f.from), c.atMs),
    hi: monthEndMs(f.to),
    am: c.atMs,
    aid: c.id,
    atype: c.type,
    ...filterParams(f),
  };
  const names = (x: string) =>
    `${x}.uscc AS uscc, coalesce(e.name, ${x}.uscc) AS enterpriseName, coalesce(e.division, '') AS division, coalesce(e.industry, '') AS industry,
     ${x}.agency_id AS agencyId, coalesce(a.name, ${x}.agency_id) AS agencyName`;
  const joins = (x: string) => `LEFT JOIN enterprises e ON e.uscc = ${x}.uscc LEFT JOIN agencies a ON a.id = ${x}.agency_id`;
  const rows = prep(
    d.db,
    `SELECT 'entry' AS type, i.entry_id AS id, i.at AS at, i.at_ms AS at_ms, ${names('i')},
       i.kind AS kind, coalesce(i.planned_kind, i.trigger_kind) AS detail, i.method AS method,
       i.joint AS joint, i.drawn AS drawn, i.inspector_names AS inspectors, i.late AS late,
       NULL AS outcome, NULL AS findings, NULL AS entryId
     FROM inspections i ${joins('i')} WHERE ${ei.page}
     UNION ALL
     SELECT 'result' AS type, r.result_id AS id, r.at AS at, r.at_ms AS at_ms, ${names('r')},
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, r.outcome, r.findings, r.entry_id
     FROM inspection_results r ${joins('r')} WHERE ${ri.page}
     ORDER BY at_ms, id, type LIMIT @limit`,
  ).all({ ...params, limit: limit + 1 }) as RecordSql[];
  // one row more than the page tells whether another page follows
  const more = rows.length > limit;
  if (more) rows.pop();
  const total = totalOf(
    d,
    f,
    () =>
      ints(
        prep(d.db, `SELECT (SELECT count(*) FROM inspections i WHERE ${ei.count}) + (SELECT count(*) FROM inspection_results r WHERE ${ri.count}) AS n`).get({
          ...filterParams(f),
          from: f.from,
          to: f.to,
        }) as Record<string, unknown>,
      ).n,
  );
  const last = rows.at(-1);
  return {
    filter: f,
    total,
    rows: rows.map(({ at_ms: _, joint, drawn, late, ...r }) => ({
      ...r,
      joint: joint === null ? null : joint === 1,
      drawn: drawn === null ? null : drawn === 1,
      late: late === null ? null : late === 1,
    })),
    next: last && more ? encodeCursor({ atMs: last.at_ms, id: last.id, type: last.type }) : null,
  };
}
