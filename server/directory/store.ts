/** Directory reads (divisions, agencies, inspectors, enterprises) and the rights facts kept by the server. */
import type { RoomRef } from '../../src/domain/rooms';
import type { RoomFacts } from '../../src/domain/rights';
import type { DB, Tables } from '../store/db';
import { Agency } from '../../src/domain/schemas';

/** a row of the users table (accounts: server/auth/accounts.ts) */
export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  name: string;
  agency_id: string | null;
  inspector_id: string | null;
  uscc: string | null;
  disabled: number;
  created_at: number;
  must_change_password: number;
  token_epoch: number;
  demo_password: number | null;
  password_changed_at: number | null;
}

export interface EnterpriseQuery {
  q?: string;
  division?: string;
  industry?: string;
  /** `active` or `deregistered` only; absent: both */
  status?: 'active' | 'deregistered';
  limit: number;
  offset: number;
}

/** the directory's tables, and the rights facts the server keeps (plan publication, joint members) */
export const DIRECTORY_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS divisions (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL, parent TEXT, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agencies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL, division TEXT NOT NULL,
  sector TEXT NOT NULL, kind TEXT NOT NULL, city_counterpart_id TEXT, filing_office_id TEXT, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inspectors (
  id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, name TEXT NOT NULL, certificate_number TEXT,
  active INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inspectors_agency ON inspectors(agency_id);
CREATE TABLE IF NOT EXISTS enterprises (
  uscc TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, division TEXT NOT NULL, industry TEXT NOT NULL,
  risk_level TEXT NOT NULL, credit_level TEXT NOT NULL, quiet_zone INTEGER NOT NULL, json TEXT NOT NULL
);
DROP INDEX IF EXISTS enterprises_division;
DROP INDEX IF EXISTS enterprises_industry;
DROP INDEX IF EXISTS enterprises_name;
CREATE INDEX IF NOT EXISTS enterprises_division_name ON enterprises(division, name, uscc);
CREATE INDEX IF NOT EXISTS enterprises_industry_name ON enterprises(industry, name, uscc);
CREATE INDEX IF NOT EXISTS enterprises_name_uscc ON enterprises(name, uscc);
CREATE TABLE IF NOT EXISTS plan_status (
  room TEXT PRIMARY KEY, agency_id TEXT NOT NULL, year INTEGER NOT NULL, published INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS joint_members (
  joint_id TEXT NOT NULL, agency_id TEXT NOT NULL, PRIMARY KEY (joint_id, agency_id)
);
`,
  // 注销 (deregistered) enterprises are kept and marked (the enterprise import); 1 = deregistered
  added: [['enterprises', 'deregistered', 'INTEGER NOT NULL DEFAULT 0']],
};

/** an enterprise as the import writes it: the columns and the JSON (an `Enterprise`) */
export interface EnterpriseWrite {
  uscc: string;
  name: string;
  kind: string;
  division: string;
  industry: string;
  riskLevel: string;
  creditLevel: string;
  quietZone: boolean;
  deregistered: boolean;
  json: string;
}

/** the next string after every string that starts with `prefix` (a prefix search as an index range) */
const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const parse = <T>(rows: { json: string }[]): T[] => rows.map((r) => JSON.parse(r.json) as T);

export class Directory {
  private readonly qPlan;
  private readonly qCounterpart;
  private readonly qJoint;
  private readonly qUpsertPlan;
  private readonly qEnterpriseJson;
  private readonly qUpsertEnterprise;
  constructor(private readonly db: DB) {
    // the status filter's index, made here: the column is added after DIRECTORY_TABLES' statements run
    db.exec('CREATE INDEX IF NOT EXISTS enterprises_status_name ON enterprises(deregistered, name, uscc)');
    this.qEnterpriseJson = db.prepare('SELECT json FROM enterprises WHERE uscc = ?');
    this.qUpsertEnterprise = db.prepare(
      `INSERT INTO enterprises(uscc, name, kind, division, industry, risk_level, credit_level, quiet_zone, deregistered, json) VALUES (?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT(uscc) DO UPDATE SET name = excluded.name, kind = excluded.kind, division = excluded.division, industry = excluded.industry,
         risk_level = excluded.risk_level, credit_level = excluded.credit_level, quiet_zone = excluded.quiet_zone,
         deregistered = excluded.deregistered, json = excluded.json`,
    );
    this.qPlan = db.prepare('SELECT published FROM plan_status WHERE room = ?');
    this.qCounterpart = db.prepare('SELECT city_counterpart_id AS c FROM agencies WHERE id = ?');
    this.qJoint = db.prepare('SELECT agency_id AS a FROM joint_members WHERE joint_id = ? ORDER BY agency_id');
    this.qUpsertPlan = db.prepare(
      'INSERT INTO plan_status(room, agency_id, year, published) VALUES (?,?,?,?) ON CONFLICT(room) DO UPDATE SET published = excluded.published',
    );
  }

  /** the facts `access()` needs that are not in the room name */
  facts(room: RoomRef): RoomFacts {
    switch (room.kind) {
      case 'plan': {
        const p = this.qPlan.get(`plan/${room.agencyId}/${room.year}`) as { published: number } | undefined;
        const c = this.qCounterpart.get(room.agencyId) as { c: string | null } | undefined;
        return { planPublished: p?.published === 1, cityCounterpartId: c?.c ?? undefined };
      }
      case 'joint':
        return { jointMembers: (this.qJoint.all(room.jointId) as { a: string }[]).map((r) => r.a) };
      default:
        return {};
    }
  }

  setPlanPublished(agencyId: string, year: number, published: boolean): void {
    this.qUpsertPlan.run(`plan/${agencyId}/${year}`, agencyId, year, published ? 1 : 0);
  }

  /** joint plans (server/joints/service.ts): add a member agency; true when it was not one yet */
  addJointMember(jointId: string, agencyId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO joint_members(joint_id, agency_id) VALUES (?, ?)').run(jointId, agencyId).changes > 0;
  }
  /** ids of the joint plans an agency is a member of (every joint plan when no agency is given) */
  jointIds(agencyId?: string): string[] {
    const rows = agencyId
      ? this.db.prepare('SELECT DISTINCT joint_id AS j FROM joint_members WHERE agency_id = ? ORDER BY joint_id').all(agencyId)
      : this.db.prepare('SELECT DISTINCT joint_id AS j FROM joint_members ORDER BY joint_id').all();
    return (rows as { j: string }[]).map((r) => r.j);
  }
  /** what target matching needs of every enterprise (joint suggestions) */
  enterpriseFacts(): { uscc: string; industry: string; division: string; riskLevel: 'low' | 'medium' | 'high' | 'major' }[] {
    // deregistered (注销) enterprises are no longer inspected
    return this.db.prepare('SELECT uscc, industry, division, risk_level AS riskLevel FROM enterprises WHERE deregistered = 0 ORDER BY uscc').all() as never;
  }

  /** an agency by id, validated (filing offices, names) */
  agency(id: string): Agency | undefined {
    const r = this.db.prepare('SELECT json FROM agencies WHERE id = ?').get(id) as { json: string } | undefined;
    const a = r ? Agency.safeParse(JSON.parse(r.json)) : undefined;
    return a?.success ? a.data : undefined;
  }
  /** the lead of a joint plan as the server keeps it (table `joints`), if recorded */
  jointLeadId(jointId: string): string | undefined {
    try {
      return (this.db.prepare('SELECT lead_agency_id AS l FROM joints WHERE id = ?').get(jointId) as { l: string } | undefined)?.l;
    } catch {
      return undefined;
    }
  }

  /** does it exist? (a room must name something real) */
  hasAgency(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM agencies WHERE id = ?').get(id) !== undefined;
  }
  hasEnterprise(uscc: string): boolean {
    return this.db.prepare('SELECT 1 FROM enterprises WHERE uscc = ?').get(uscc) !== undefined;
  }
  hasJoint(id: string): boolean {
    if (this.db.prepare('SELECT 1 FROM joint_members WHERE joint_id = ?').get(id) !== undefined) return true;
    return this.jointLeadId(id) !== undefined;
  }

  divisions(): unknown[] {
    return parse(this.db.prepare('SELECT json FROM divisions ORDER BY code').all() as { json: string }[]);
  }
  agencies(): unknown[] {
    return parse(this.db.prepare('SELECT json FROM agencies ORDER BY level, division, id').all() as { json: string }[]);
  }
  /** the enforcement agencies (not the justice bureaus), validated: those that plan, inspect and are rated */
  enforcementAgencies(): Agency[] {
    const rows = this.db.prepare("SELECT json FROM agencies WHERE kind = 'enforcement' ORDER BY level, division, id").all() as { json: string }[];
    return rows.flatMap((r) => {
      const a = Agency.safeParse(JSON.parse(r.json));
      return a.success ? [a.data] : [];
    });
  }

  inspectors(agencyId?: string): unknown[] {
    const rows = agencyId
      ? this.db.prepare('SELECT json FROM inspectors WHERE agency_id = ? ORDER BY id').all(agencyId)
      : this.db.prepare('SELECT json FROM inspectors ORDER BY agency_id, id').all();
    return parse(rows as { json: string }[]);
  }

  enterprises(q: EnterpriseQuery): { total: number; items: unknown[] } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.q && /^[0-9A-Za-z]{6,18}$/.test(q.q) && /\d/.test(q.q)) {
      // a USCC or its beginning: a range of the primary key (LIKE would scan the table)
      const p = q.q.toUpperCase();
      where.push('uscc >= ? AND uscc < ?');
      args.push(p, prefixEnd(p));
    } else if (q.q) {
      const like = q.q.replace(/[\\%_]/g, (c) => '\\' + c);
      where.push("name LIKE ? ESCAPE '\\'");
      args.push(`%${like}%`);
    }
    if (q.status) {
      where.push('deregistered = ?');
      args.push(q.status === 'deregistered' ? 1 : 0);
    }
    if (q.division) {
      where.push('division = ?');
      args.push(q.division);
    }
    if (q.industry) {
      where.push('industry = ?');
      args.push(q.industry);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM enterprises ${w}`).get(...args) as { n: number }).n;
    // the page's rowids from the (name, uscc) index alone, then only those rows: a deep page skips index entries,
    // not rows (bench:import, 102,000 enterprises: offset 40,000 took 120 ms reading rows, 6 ms this way)
    const rows = this.db
      .prepare(`SELECT json FROM enterprises WHERE rowid IN (SELECT rowid FROM enterprises ${w} ORDER BY name, uscc LIMIT ? OFFSET ?) ORDER BY name, uscc`)
      .all(...args, q.limit, q.offset) as { json: string }[];
    return { total, items: parse(rows) };
  }

  /** the stored JSON of an enterprise (the import compares with it), or undefined */
  enterpriseJson(uscc: string): string | undefined {
    return (this.qEnterpriseJson.get(uscc) as { json: string } | undefined)?.json;
  }

  /** insert or update enterprises by USCC (never deletes); call inside the caller's transaction */
  upsertEnterprises(rows: Iterable<EnterpriseWrite>, each?: () => void): number {
    let n = 0;
    for (const r of rows) {
      this.qUpsertEnterprise.run(
        r.uscc,
        r.name,
        r.kind,
        r.division,
        r.industry,
        r.riskLevel,
        r.creditLevel,
        r.quietZone ? 1 : 0,
        r.deregistered ? 1 : 0,
        r.json,
      );
      n++;
      each?.();
    }
    return n;
  }

  /** a division by code (the import checks codes against this city's) */
  division(code: string): { code: string; level: string; parent: string | null; name: string } | undefined {
    return this.db.prepare('SELECT code, level, parent, name FROM divisions WHERE code = ?').get(code) as never;
  }

  enterprise(uscc: string): unknown | undefined {
    const r = this.db.prepare('SELECT json FROM enterprises WHERE uscc = ?').get(uscc) as { json: string } | undefined;
    return r ? JSON.parse(r.json) : undefined;
  }
}
