/**
 * Statistics of warnings, ratings and complaints, and plans (see service.ts; shapes in src/protocol/stats.ts).
 *
 * - warnings: by kind, raised in the range, handled in the supervisors' room `supervision/<year>`;
 * - feedback: supervisors by agency (scores at any count: they may know who rated); an agency by closed
 *   month, anonymised as the rating rules require (ProjectionTables.agencyRatings) and complaints only where
 *   STATS_MIN_ENTERPRISES enterprises complained;
 * - plans: the range's last year, each enforcement agency's plan status, filing date against the policy's due
 *   date, items, tasks done and 双随机 coverage.
 */
import type { Agency, PlanContent, PlanItem, PlanStatus, WarningHandling } from '../../src/domain/schemas';
import { enterpriseMatchesTargets } from '../../src/domain/joint-suggest';
import type { z } from 'zod';
import {
  STATS_MIN_ENTERPRISES,
  type StatsFeedback,
  type StatsFeedbackRow,
  type StatsPlanRow,
  type StatsPlans,
  type StatsWarnings,
} from '../../src/protocol/stats';
import { rooms } from '../../src/domain/rooms';
import { policyAt, readHandling, readPolicy, readPolicySchedule } from '../../src/model';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import { addMonths, monthsFromTo, shanghaiDate, shanghaiMonthKey, shanghaiStartOfDay } from '../../src/domain/time';
import type { StatsDeps } from './service';
import type { StatsScope } from './scope';

type Handling = z.infer<typeof WarningHandling>;
type Dist = [number, number, number, number, number];

const HANDLED = new Set(['acknowledged', 'resolved', 'dismissed']);
const yearsOf = (from: string, to: string) => {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) out.push(y);
  return out;
};
const average = (d: readonly number[], n: number) => Math.round((d.reduce((a, x, i) => a + x * (i + 1), 0) / n) * 10) / 10;
const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** the projection's Asia/Shanghai month of a warning and of an inspection (server/projection/tables.ts) */
const warningMonth = 'w.month';
const inspectionMonth = 'i.month';

/**
 * the enterprise filters (division, industry) as SQL over `e` (enterprises), with their arguments. Every query
 * joins `e` after the rows it counts with CROSS JOIN (SQLite keeps that order): turned round, it would walk a
 * division's thousands of enterprises and look each one up in a table with no index on its USCC.
 */
function enterpriseWhere(s: StatsScope): { sql: string[]; args: string[]; on: boolean } {
  const sql: string[] = [];
  const args: string[] = [];
  if (s.filter.division) {
    sql.push('e.division = ?');
    args.push(s.filter.division);
  }
  if (s.filter.industry) {
    sql.push('e.industry = ?');
    args.push(s.filter.industry);
  }
  return { sql, args, on: sql.length > 0 };
}

const meta = (d: StatsDeps, s: StatsScope) => ({ filter: s.filter, scope: s.scope, asOf: d.clock.iso() });

/** the agencies a section lists: every enforcement agency for supervisors, or the one filtered (an agency: its own) */
function agenciesOf(d: StatsDeps, s: StatsScope): Agency[] {
  const all = d.dir.enforcementAgencies();
  if (!s.filter.agencyId) return all;
  const a = all.find((x) => x.id === s.filter.agencyId) ?? d.dir.agency(s.filter.agencyId);
  return a ? [a] : [];
}

// ---------------------------------------------------------------- warnings

export async function warnings(d: StatsDeps, s: StatsScope): Promise<StatsWarnings> {
  const f = s.filter;
  const ent = enterpriseWhere(s);
  const where = [`${warningMonth} BETWEEN ? AND ?`, ...ent.sql];
  const args: (string | number)[] = [f.from, f.to, ...ent.args];
  if (f.agencyId) {
    where.push('w.agency_id = ?');
    args.push(f.agencyId);
  }
  // complaints are anonymous to the agency: it sees them in `feedback`, counted only where enough enterprises complained
  if (s.scope === 'agency') where.push("w.kind <> 'complaint'");
  const rows = d.db
    .prepare(`SELECT w.id AS id, w.kind AS kind, w.at AS at, w.year AS year FROM warnings w ${ent.on ? 'CROSS JOIN enterprises e ON e.uscc = w.uscc' : ''}
      WHERE ${where.join(' AND ')}`)
    .all(...args) as { id: string; kind: string; at: string; year: number }[];
  const handling = new Map<string, Handling>();
  for (const year of [...new Set(rows.map((r) => r.year))]) {
    const items = await d.rooms.read(rooms.supervision(year), (doc) => readHandling(doc).items);
    for (const h of items) handling.set(h.warningId, h);
  }
  const byKind = new Map<string, { raised: number; handled: number; hours: number[] }>();
  for (const r of rows) {
    const k = byKind.get(r.kind) ?? { raised: 0, handled: 0, hours: [] };
    byKind.set(r.kind, k);
    k.raised++;
    const h = handling.get(r.id);
    if (h && HANDLED.has(h.status)) {
      k.handled++;
      k.hours.push(Math.max(0, (Date.parse(h.at) - Date.parse(r.at)) / 3_600_000));
    }
  }
  const out = [...byKind.entries()]
    .sort((a, b) => b[1].raised - a[1].raised || (a[0] < b[0] ? -1 : 1))
    .map(([kind, k]) => {
      const m = median(k.hours);
      return {
        kind: kind as StatsWarnings['rows'][number]['kind'],
        raised: k.raised,
        handled: k.handled,
        open: k.raised - k.handled,
        medianHoursToHandle: m === null ? null : Math.round(m * 10) / 10,
      };
    });
  return { ...meta(d, s), rows: out };
}

// ---------------------------------------------------------------- feedback

export async function feedback(d: StatsDeps, s: StatsScope): Promise<StatsFeedback> {
  return s.scope === 'city' ? feedbackByAgency(d, s) : feedbackByMonth(d, s);
}

interface RatingRow {
  entry: string;
  id: string;
  at: string;
  uscc: string;
  score: number;
  agency?: string;
}

/** one rating per inspection: the first by `order` */
function pickPerEntry<R extends RatingRow>(rows: readonly R[], order: (a: R, b: R) => number): R[] {
  const best = new Map<string, R>();
  for (const r of rows) {
    const b = best.get(r.entry);
    if (!b || order(r, b) < 0) best.set(r.entry, r);
  }
  return [...best.values()];
}

function distOf(scores: Iterable<number>): { dist: Dist; count: number } {
  const dist: Dist = [0, 0, 0, 0, 0];
  for (const x of scores) if (x >= 1 && x <= 5) dist[x - 1]++;
  return { dist, count: dist.reduce((a, b) => a + b, 0) };
}

/** supervisors: one row per agency, the ratings of its inspections made in the range (scores at any count) */
function feedbackByAgency(d: StatsDeps, s: StatsScope): StatsFeedback {
  const f = s.filter;
  const ent = enterpriseWhere(s);
  const years = yearsOf(f.from, f.to);
  const agencyWhere = f.agencyId ? ' AND i.agency_id = ?' : '';
  const agencyArg = f.agencyId ? [f.agencyId] : [];
  // an enterprise that rated one inspection twice counts once, with its latest score (as ProjectionTables.ratingSummary).
  // From the ratings (CROSS JOIN keeps that order): a rating counts in a month no earlier than its inspection's
  // (`ratings.month`: the later of its own and the month received, and no record lies in the server's future), so
  // `r.month >= from` reads only this range's ratings by their index instead of every inspection of the range
  // (110 ms on the city seed, with no rating at all); the latest per inspection is picked here, not by a correlated
  // subquery (10,000 ratings: 190 ms that way, 70 ms this way, on a busy machine)
  const rated = d.db
    .prepare(`SELECT r.entry_id AS entry, r.rating_id AS id, r.at AS at, i.agency_id AS agency, i.uscc AS uscc, r.score AS score
      FROM ratings r CROSS JOIN inspections i ON i.entry_id = r.entry_id ${ent.on ? 'CROSS JOIN enterprises e ON e.uscc = i.uscc' : ''}
      WHERE r.month >= ? AND i.year BETWEEN ? AND ? AND ${inspectionMonth} BETWEEN ? AND ?${agencyWhere}${ent.sql.map((x) => ` AND ${x}`).join('')}`)
    .all(f.from, years[0], years[years.length - 1], f.from, f.to, ...agencyArg, ...ent.args) as RatingRow[];
  const ratings = pickPerEntry(rated, (a, b) => Date.parse(b.at) - Date.parse(a.at) || (b.id < a.id ? -1 : 1));
  const complaints = new Map(
    (
      d.db
        .prepare(`SELECT w.agency_id AS agency, count(*) AS n FROM warnings w ${ent.on ? 'CROSS JOIN enterprises e ON e.uscc = w.uscc' : ''}
          WHERE w.kind = 'complaint' AND w.agency_id IS NOT NULL AND ${warningMonth} BETWEEN ? AND ?${f.agencyId ? ' AND w.agency_id = ?' : ''}${ent.sql
            .map((x) => ` AND ${x}`)
            .join('')}
          GROUP BY w.agency_id`)
        .all(f.from, f.to, ...agencyArg, ...ent.args) as { agency: string; n: number }[]
    ).map((r) => [r.agency, r.n]),
  );
  const byAgency = new Map<string, { scores: number[]; usccs: Set<string> }>();
  for (const r of ratings) {
    if (!r.agency) continue;
    const a = byAgency.get(r.agency) ?? { scores: [], usccs: new Set<string>() };
    byAgency.set(r.agency, a);
    a.scores.push(r.score);
    a.usccs.add(r.uscc);
  }
  const rows: StatsFeedbackRow[] = agenciesOf(d, s).map((a) => {
    const x = byAgency.get(a.id);
    const { dist, count } = distOf(x?.scores ?? []);
    return {
      key: a.id,
      name: a.name,
      nameEn: a.nameEn,
      ratings: count,
      enterprises: x?.usccs.size ?? 0,
      average: count ? average(dist, count) : null,
      distribution: count ? dist : null,
      complaints: complaints.get(a.id) ?? 0,
      suppressed: false,
    };
  });
  return { ...meta(d, s), by: 'agency', rows };
}

/**
 * A figure about a subset (a division, an industry) may be shown to the agency only when the subset has
 * STATS_MIN_ENTERPRISES enterprises AND the rest of the month has none or as many: else subtracting it from
 * the month's unfiltered figure would show the scores of the few left out.
 */
const subsetSafe = (inside: number, total: number) => inside >= STATS_MIN_ENTERPRISES && (total - inside === 0 || total - inside >= STATS_MIN_ENTERPRISES);

/**
 * An agency: its own closed months in the range (a month still running would show each new score as it
 * lands), ratings anonymised as the agency's rating summary is (the frozen months of
 * ProjectionTables.agencyRatings: average and distribution only with RATING_MIN_COUNT enterprises), and
 * complaints only as the warnings API shows them (stored before today) and only where STATS_MIN_ENTERPRISES
 * different enterprises complained.
 * With a division or industry filter, the frozen months cannot be split by enterprise: the month's ratings
 * are counted afresh from the closed month (a rating never lands in a closed month, ratings' `month`), and a
 * figure is shown only when subsetSafe holds for it.
 */
function feedbackByMonth(d: StatsDeps, s: StatsScope): StatsFeedback {
  const f = s.filter;
  const agencyId = f.agencyId!;
  const now = d.clock.now();
  const closedThrough = addMonths(shanghaiMonthKey(now), -1);
  const last = [f.to, closedThrough].sort()[0];
  const months = monthsFromTo(f.from, last);
  if (!months.length) return { ...meta(d, s), by: 'month', rows: [] };
  const ent = enterpriseWhere(s);

  // complaints the agency may already know of (the warnings API lists them from the day after they were stored)
  const before = Date.parse(shanghaiStartOfDay(d.clock.today()));
  const complaintRows = d.db
    .prepare(`SELECT ${warningMonth} AS month, w.uscc AS uscc, ${ent.on ? `(${ent.sql.join(' AND ')})` : '1'} AS inside
      FROM warnings w ${ent.on ? 'LEFT JOIN enterprises e ON e.uscc = w.uscc' : ''}
      WHERE w.kind = 'complaint' AND w.agency_id = ? AND ${warningMonth} BETWEEN ? AND ? AND w.created_at < ?`)
    .all(...ent.args, agencyId, months[0], last, before) as { month: string; uscc: string | null; inside: number | null }[];
  const complaintsOf = (m: string): number | null => {
    const all = complaintRows.filter((r) => r.month === m);
    const inside = all.filter((r) => r.inside === 1);
    const usccs = (xs: typeof all) => new Set(xs.map((r) => r.uscc ?? '')).size;
    if (!ent.on) return usccs(all) >= STATS_MIN_ENTERPRISES ? all.length : null;
    return subsetSafe(usccs(inside), usccs(all)) ? inside.length : null;
  };

  const rows: StatsFeedbackRow[] = [];
  if (!ent.on) {
    // freezes the closed months at their first read, as the agency's rating summary does
    const shown = new Map(yearsOf(months[0], last).flatMap((y) => d.tables.agencyRatings(agencyId, y, now).months.map((m) => [m.month, m] as const)));
    const frozen = new Map(
      (
        d.db
          .prepare('SELECT month, count, enterprises FROM rating_months WHERE agency_id = ? AND month >= ? AND month <= ?')
          .all(agencyId, months[0], last) as { month: string; count: number; enterprises: number }[]
      ).map((r) => [r.month, r]),
    );
    for (const m of months) {
      const fz = frozen.get(m);
      const full = shown.get(m);
      const complaints = complaintsOf(m);
      const ratings = fz?.count ?? 0;
      // a month rated by fewer than RATING_MIN_COUNT enterprises is hidden whole, its counts too (as the rating summary does)
      const withheld = ratings > 0 && !full;
      rows.push({
        key: m,
        name: m,
        nameEn: m,
        ratings: withheld ? null : ratings,
        enterprises: withheld ? null : (fz?.enterprises ?? 0),
        average: full ? full.average : null,
        distribution: full ? full.distribution : null,
        complaints,
        suppressed: (ratings > 0 && !full) || complaints === null,
      });
    }
    return { ...meta(d, s), by: 'month', rows };
  }

  // an inspection counts once, with its first rating, in the month that rating counts in (as the frozen months):
  // the range's ratings of the agency's inspections, less those of inspections rated before the range
  const ratingRows = pickPerEntry(
    d.db
      .prepare(`SELECT r.entry_id AS entry, r.rating_id AS id, r.at AS at, r.month AS month, i.uscc AS uscc, r.score AS score, (${ent.sql.join(' AND ')}) AS inside
        FROM ratings r CROSS JOIN inspections i ON i.entry_id = r.entry_id LEFT JOIN enterprises e ON e.uscc = i.uscc
        WHERE r.month >= ? AND r.month <= ? AND i.agency_id = ?
          AND NOT EXISTS (SELECT 1 FROM ratings r0 WHERE r0.entry_id = r.entry_id AND r0.month < ?)`)
      .all(...ent.args, months[0], last, agencyId, months[0]) as (RatingRow & { month: string; inside: number | null })[],
    (a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0) || Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1),
  );
  for (const m of months) {
    const all = ratingRows.filter((r) => r.month === m);
    const inside = all.filter((r) => r.inside === 1);
    const n = new Set(inside.map((r) => r.uscc)).size;
    const ok = subsetSafe(n, new Set(all.map((r) => r.uscc)).size);
    const { dist, count } = distOf(inside.map((r) => r.score));
    const complaints = complaintsOf(m);
    rows.push({
      key: m,
      name: m,
      nameEn: m,
      ratings: ok || !count ? count : null,
      enterprises: ok || !count ? n : null,
      average: ok && count ? average(dist, count) : null,
      distribution: ok && count ? dist : null,
      complaints,
      suppressed: (count > 0 && !ok) || complaints === null,
    });
  }
  return { ...meta(d, s), by: 'month', rows };
}

// ---------------------------------------------------------------- plans

type Group = { industry: string; division: string; riskLevel: 'low' | 'medium' | 'high' | 'major'; n: number };
const groupCache = new WeakMap<StatsDeps['db'], { at: number; count: number; groups: Group[] }>();
const GROUPS_TTL_MS = 60_000;

/**
 * Active enterprises grouped by what targets look at (a few hundred groups instead of 100,000 rows per item).
 * The grouping reads the whole table (150 ms on the city seed, 400 ms when SQLite walks the status index
 * instead: NOT INDEXED), and the register changes by imports only: kept a minute, or until the count changes.
 */
function enterpriseGroups(d: StatsDeps): Group[] {
  const count = (d.db.prepare('SELECT count(*) AS n FROM enterprises').get() as { n: number }).n;
  const hit = groupCache.get(d.db);
  if (hit && hit.count === count && Date.now() - hit.at < GROUPS_TTL_MS) return hit.groups;
  const groups = d.db
    .prepare(
      'SELECT industry, division, risk_level AS riskLevel, COUNT(*) AS n FROM enterprises NOT INDEXED WHERE deregistered = 0 GROUP BY industry, division, risk_level',
    )
    .all() as Group[];
  groupCache.set(d.db, { at: Date.now(), count, groups });
  return groups;
}

/**
 * 双随机 coverage of the agencies' filed sampling items, as DrawReads.coverage counts it (population: the
 * active enterprises any sampling item's targets reach; drawn and inspected: distinct enterprises of the
 * year's drawn or published draws, and those inspected under their tasks), but from SQL alone: coverage
 * reads every agency's plan room, 2.4 s on the city seed the first time (110 rooms loaded) and 100-170 ms
 * after. Here the items come from the plan's latest filing, which is what a filed plan holds.
 */
function samplingOf(d: StatsDeps, year: number, items: Map<string, PlanItem[]>): Map<string, NonNullable<StatsPlanRow['sampling']>> {
  const out = new Map<string, NonNullable<StatsPlanRow['sampling']>>();
  if (!items.size) return out;
  const groups = enterpriseGroups(d);
  const perAgency = (sql: string) => new Map((d.db.prepare(sql).all(year) as { a: string; n: number }[]).map((r) => [r.a, r.n]));
  const drawn = perAgency(`SELECT dt.agency_id AS a, COUNT(DISTINCT dt.uscc) AS n FROM draw_tasks dt JOIN draws dr ON dr.id = dt.draw_id
    WHERE dr.year = ? AND dr.status IN ('drawn', 'published') GROUP BY dt.agency_id`);
  const inspected = perAgency(`SELECT dt.agency_id AS a, COUNT(DISTINCT dt.uscc) AS n FROM draw_tasks dt JOIN draws dr ON dr.id = dt.draw_id
    JOIN inspections i ON i.task_id = dt.task_id WHERE dr.year = ? GROUP BY dt.agency_id`);
  for (const [a, its] of items) {
    const population = groups.reduce((sum, g) => sum + (its.some((it) => enterpriseMatchesTargets(g, it.targets)) ? g.n : 0), 0);
    const n = drawn.get(a) ?? 0;
    out.set(a, { population, drawn: n, inspected: inspected.get(a) ?? 0, share: population ? n / population : 0 });
  }
  return out;
}

export async function plans(d: StatsDeps, s: StatsScope): Promise<StatsPlans> {
  const year = Number(s.filter.to.slice(0, 4));
  const agencies = agenciesOf(d, s);
  const policy = await d.rooms.read(rooms.config(), (doc) => policyAt(readPolicy(doc).policy, readPolicySchedule(doc).items, `${year}-01-01`));
  const due = `${year}-${(policy ?? defaultPolicy()).planDue}`;

  const published = new Set(
    (d.db.prepare("SELECT agency_id AS a FROM publications WHERE kind = 'plan' AND year = ?").all(year) as { a: string }[]).map((r) => r.a),
  );
  const filings = d.db
    .prepare("SELECT agency_id AS a, status, submitted_at AS at, content FROM filings WHERE kind = 'plan' AND year = ? ORDER BY seq")
    .all(year) as { a: string; status: 'submitted' | 'filed' | 'returned'; at: string; content: string }[];
  const first = new Map<string, string>();
  const latest = new Map<string, (typeof filings)[number]>();
  for (const f of filings) {
    if (!first.has(f.a)) first.set(f.a, f.at);
    latest.set(f.a, f);
  }
  const hasUpdates = d.db.prepare('SELECT 1 FROM doc_updates WHERE room = ? LIMIT 1');
  const tasks = new Map<string, { n: number; done: number }>();
  // cancelled tasks are not work to do
  const taskRows = d.db
    .prepare("SELECT agency_id AS a, count(*) AS n, sum(status = 'done') AS done FROM task_facts WHERE year = ? AND status <> 'cancelled' GROUP BY agency_id")
    .all(year) as { a: string; n: number; done: number | null }[];
  for (const r of taskRows) tasks.set(r.a, { n: r.n, done: r.done ?? 0 });

  const content = new Map<string, { items: number; sampling: PlanItem[]; filed: boolean }>();
  for (const [a, f] of latest) {
    let items: PlanItem[] = [];
    try {
      items = (JSON.parse(f.content) as PlanContent).items ?? [];
    } catch {
      // an unreadable snapshot counts no items
    }
    const sampling = items.filter((it) => it.targets?.samplingRatio !== undefined);
    content.set(a, { items: items.length, sampling, filed: f.status === 'filed' || published.has(a) });
  }
  // coverage counts a plan once filed (as DrawReads.coverage): a submitted or returned one reaches no one yet
  const wanted = new Set(agencies.map((a) => a.id));
  const sampling = samplingOf(
    d,
    year,
    new Map([...content].filter(([a, c]) => wanted.has(a) && c.filed && c.sampling.length).map(([a, c]) => [a, c.sampling])),
  );

  const rows: StatsPlanRow[] = agencies.map((a) => {
    const f = latest.get(a.id);
    const status: PlanStatus | null = published.has(a.id) ? 'published' : f ? f.status : hasUpdates.get(rooms.plan(a.id, year)) ? 'draft' : null;
    const submittedAt = first.get(a.id);
    const submittedOn = submittedAt ? shanghaiDate(submittedAt) : null;
    const c = content.get(a.id);
    const t = tasks.get(a.id) ?? { n: 0, done: 0 };
    return {
      agencyId: a.id,
      name: a.name,
      nameEn: a.nameEn,
      status,
      submittedOn,
      due,
      onTime: submittedOn ? submittedOn <= due : null,
      items: c?.items ?? 0,
      samplingItems: c?.sampling.length ?? 0,
      tasks: t.n,
      tasksDone: t.done,
      sampling: sampling.get(a.id) ?? null,
    };
  });
  return { ...meta(d, s), year, rows };
}
