/**
 * A draw's snapshot, taken when it is created (or checked in a dry run): the population (directory enterprises
 * its targets reach, with their credit class), what was left out and why, each team agency's pool of
 * inspectors whose certificate is valid on both ends of the window, and the recusals (the inspectors of the
 * team agency's latest inspection of each enterprise). Reads SQL and docs only; writes nothing.
 */
import type { Certificate, Inspector, PolicyConfig, Targets, Text, Task, Window } from '../../src/domain/schemas';
import type { CreditClass, DrawEnterprise } from '../../src/domain/draw';
import { enterpriseMatchesTargets } from '../../src/domain/joint-suggest';
import { quietDaysIn } from '../../src/domain/task-plan';
import { inQuietZone } from '../../src/domain/rules/quiet';
import { certificateValidity } from '../../src/domain/rules/certificates';
import { daysBetween } from '../../src/domain/time';
import { rooms } from '../../src/domain/rooms';
import { readPlanMeta, readTasks } from '../../src/model';
import type { DB } from '../store/db';
import type { RoomPort } from '../sync/port';

/** more than this many enterprises is refused (the draw is verified in a browser) */
export const MAX_POPULATION = 100_000;

export interface PopulationInput {
  year: number;
  window: Window;
  /** an enterprise is in when it matches any of these */
  targets: readonly Targets[];
  /** 市抽县查: only enterprises whose division starts with this (6 digits) */
  divisionPrefix?: string;
  /** the agencies whose tasks it makes: one at its cap is left out */
  teamAgencyIds: readonly string[];
  /** on-site: the quiet period and the cap apply */
  onsite: boolean;
  policy: PolicyConfig;
}

export interface PopulationSnapshot {
  population: DrawEnterprise[];
  excluded: { capReached: number; quietWindow: number; deregistered: number };
}

interface EnterpriseRow {
  uscc: string;
  division: string;
  industry: string;
  risk_level: 'low' | 'medium' | 'high' | 'major';
  credit_level: CreditClass;
  quiet_zone: number;
  deregistered: number;
  township: string | null;
}

/** The onsite inspections that count towards each enterprise's cap for an agency in a year, plus its open tasks there without an entry. */
async function capCounts(db: DB, port: Pick<RoomPort, 'read'>, agencyId: string, year: number): Promise<Map<string, number>> {
  const rows = db
    .prepare(
      `SELECT uscc, count(DISTINCT coalesce('task:' || task_id, 'entry:' || coalesce(corrects, entry_id))) AS n FROM inspections
       WHERE agency_id = ? AND year = ? AND method = 'onsite'
         AND entry_id NOT IN (SELECT corrects FROM inspections WHERE corrects IS NOT NULL AND agency_id = ?)
       GROUP BY uscc`,
    )
    .all(agencyId, year, agencyId) as { uscc: string; n: number }[];
  const out = new Map(rows.map((r) => [r.uscc, r.n]));
  const entered = new Set(
    (db.prepare('SELECT task_id AS t FROM inspections WHERE agency_id = ? AND year = ? AND task_id IS NOT NULL').all(agencyId, year) as { t: string }[]).map(
      (r) => r.t,
    ),
  );
  const tasks: Task[] = await port.read(rooms.tasks(agencyId, year), (doc) => readTasks(doc).items);
  for (const t of tasks) {
    if ((t.status === 'assigned' || t.status === 'in_progress') && t.method === 'onsite' && !entered.has(t.id)) out.set(t.uscc, (out.get(t.uscc) ?? 0) + 1);
  }
  return out;
}

/** the agency's yearly cap per enterprise: its plan's, else the policy's */
export async function capOf(port: Pick<RoomPort, 'read'>, agencyId: string, year: number, policy: PolicyConfig): Promise<number> {
  const meta = await port.read(rooms.plan(agencyId, year), (doc) => readPlanMeta(doc).meta);
  return meta?.capPerEnterprise ?? policy.capPerEnterpriseDefault;
}

export async function snapshotPopulation(db: DB, port: Pick<RoomPort, 'read'>, i: PopulationInput): Promise<PopulationSnapshot> {
  const rows = db
    .prepare(
      `SELECT uscc, division, industry, risk_level, credit_level, quiet_zone, deregistered, json_extract(json, '$.township') AS township
       FROM enterprises ${i.divisionPrefix ? 'WHERE division >= ? AND division < ?' : ''} ORDER BY uscc`,
    )
    .all(...(i.divisionPrefix ? [i.divisionPrefix, `${i.divisionPrefix}\uffff`] : [])) as EnterpriseRow[];
  const caps: { counts: Map<string, number>; cap: number }[] = [];
  if (i.onsite) {
    for (const a of i.teamAgencyIds) caps.push({ counts: await capCounts(db, port, a, i.year), cap: await capOf(port, a, i.year, i.policy) });
  }
  const allQuiet = quietDaysIn(i.window, i.policy).length >= daysBetween(i.window.from, i.window.to) + 1;
  const excluded = { capReached: 0, quietWindow: 0, deregistered: 0 };
  const population: DrawEnterprise[] = [];
  for (const r of rows) {
    const e = { industry: r.industry, division: r.division, riskLevel: r.risk_level };
    if (!i.targets.some((t) => enterpriseMatchesTargets(e, t))) continue;
    if (r.deregistered) {
      excluded.deregistered++;
      continue;
    }
    if (
      i.onsite &&
      allQuiet &&
      inQuietZone({ quietZone: r.quiet_zone === 1, division: r.division, ...(r.township ? { township: r.township } : {}) }, i.policy)
    ) {
      excluded.quietWindow++;
      continue;
    }
    if (caps.some((c) => (c.counts.get(r.uscc) ?? 0) >= c.cap)) {
      excluded.capReached++;
      continue;
    }
    population.push({ uscc: r.uscc, cls: r.credit_level });
  }
  return { population, excluded };
}

export interface PoolResult {
  pool: { id: string; name: string; certificateNumber: string }[];
  left: { id: string; name: string; reason: Text }[];
}

/**
 * An agency's inspectors who may be drawn: active, with a certificate valid on the first and the last day of
 * the window; `only` (a joint plan's team for the agency) narrows it further.
 */
export function poolOf(inspectors: readonly Inspector[], certs: readonly Certificate[], window: Window, only?: readonly string[]): PoolResult {
  const out: PoolResult = { pool: [], left: [] };
  for (const x of inspectors) {
    if (only && !only.includes(x.id)) {
      out.left.push({ id: x.id, name: x.name, reason: { zh: '不在联合检查的检查组中', en: 'Not in the joint inspection team' } });
      continue;
    }
    if (!x.active) {
      out.left.push({ id: x.id, name: x.name, reason: { zh: '已停用', en: 'Inactive' } });
      continue;
    }
    const cert = certs.find((c) => c.inspectorId === x.id && c.number === x.certificateNumber) ?? certs.find((c) => c.inspectorId === x.id) ?? null;
    const bad = [certificateValidity(cert, window.from), certificateValidity(cert, window.to)].find((v) => v.verdict === 'block');
    if (bad || !cert) {
      out.left.push({ id: x.id, name: x.name, reason: bad?.message ?? { zh: '未登记执法证件', en: 'No certificate on record' } });
      continue;
    }
    out.pool.push({ id: x.id, name: x.name, certificateNumber: cert.number });
  }
  return out;
}

/** uscc → the inspectors of the agency's latest inspection there (of these enterprises) */
export function lastInspectors(db: DB, agencyId: string, usccs: ReadonlySet<string>): Map<string, string[]> {
  const rows = db
    .prepare(
      `SELECT uscc, inspectors FROM (
         SELECT uscc, inspectors, row_number() OVER (PARTITION BY uscc ORDER BY at DESC, entry_id DESC) AS rn FROM inspections WHERE agency_id = ?
       ) WHERE rn = 1`,
    )
    .all(agencyId) as { uscc: string; inspectors: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (!usccs.has(r.uscc)) continue;
    try {
      const ids = JSON.parse(r.inspectors) as unknown;
      if (Array.isArray(ids))
        out.set(
          r.uscc,
          ids.filter((x): x is string => typeof x === 'string'),
        );
    } catch {
      /* a malformed row recuses no one */
    }
  }
  return out;
}
