/**
 * Joint plans' rows (the lead is the server's fact, not the doc's) and invitations, on SQLite. The
 * service (server/joints/service.ts) calls these methods only; they return Promises so that a PostgreSQL
 * implementation can take this one's place. Membership itself is the directory's (joint_members: it
 * decides who may open a joint room, server/directory/store.ts).
 */
import type { DB, Tables } from '../store/db';
import type { Directory } from '../directory/store';

export const JOINT_TABLES: Tables = {
  sql: `
-- joint plans made through the API (the lead is the server's fact, not the doc's); seeded ones are
-- filled in from their docs on first listing (server/joints/service.ts)
CREATE TABLE IF NOT EXISTS joints (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER NOT NULL, lead_agency_id TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL
);
-- invitations: kept after the decision (who accepted or declined, when)
CREATE TABLE IF NOT EXISTS joint_invitations (
  joint_id TEXT NOT NULL, agency_id TEXT NOT NULL, status TEXT NOT NULL, invited_by TEXT NOT NULL, invited_at TEXT NOT NULL,
  decided_by TEXT, decided_at TEXT, plan_items TEXT NOT NULL DEFAULT '[]', months TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (joint_id, agency_id));
`,
};

export interface JointRow {
  id: string;
  title: string;
  year: number;
  lead_agency_id: string;
}
export interface InvitationRow {
  joint_id: string;
  agency_id: string;
  status: 'invited' | 'declined' | 'accepted';
  invited_by: string;
  invited_at: string;
  plan_items: string;
  months: string;
}
export interface NewInvitation {
  agencyId: string;
  by: string;
  at: string;
  planItemIds: string[];
  months: number[];
}

export class JointStore {
  constructor(
    private readonly db: DB,
    private readonly dir: Pick<Directory, 'addJointMember'>,
  ) {}

  async invitation(jointId: string, agencyId: string): Promise<InvitationRow | undefined> {
    return this.db.prepare('SELECT * FROM joint_invitations WHERE joint_id = ? AND agency_id = ?').get(jointId, agencyId) as InvitationRow | undefined;
  }

  /** agencies invited and not answered yet */
  async invitedIds(jointId: string): Promise<string[]> {
    return (
      this.db.prepare(`SELECT agency_id AS a FROM joint_invitations WHERE joint_id = ? AND status = 'invited' ORDER BY agency_id`).all(jointId) as {
        a: string;
      }[]
    ).map((r) => r.a);
  }

  /** pending and declined invitations to an agency, newest first */
  async invitationsTo(agencyId: string): Promise<InvitationRow[]> {
    return this.db
      .prepare(`SELECT * FROM joint_invitations WHERE agency_id = ? AND status IN ('invited','declined') ORDER BY invited_at DESC`)
      .all(agencyId) as InvitationRow[];
  }

  /** invite (again, after a decline) */
  async putInvitation(jointId: string, i: NewInvitation): Promise<void> {
    this.putInvitationNow(jointId, i);
  }

  private putInvitationNow(jointId: string, i: NewInvitation): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO joint_invitations(joint_id, agency_id, status, invited_by, invited_at, plan_items, months)
      VALUES (?,?,'invited',?,?,?,?)`)
      .run(jointId, i.agencyId, i.by, i.at, JSON.stringify(i.planItemIds), JSON.stringify(i.months));
  }

  async answer(jointId: string, agencyId: string, status: 'accepted' | 'declined', by: string, at: string): Promise<void> {
    this.db
      .prepare('UPDATE joint_invitations SET status = ?, decided_by = ?, decided_at = ? WHERE joint_id = ? AND agency_id = ?')
      .run(status, by, at, jointId, agencyId);
  }

  async row(id: string): Promise<JointRow | undefined> {
    return this.db.prepare('SELECT id, title, year, lead_agency_id FROM joints WHERE id = ?').get(id) as JointRow | undefined;
  }

  /** a seeded joint's row, filled in from its doc (kept if one is there already) */
  async insertIfAbsent(r: JointRow, createdBy: string, createdAt: number): Promise<void> {
    this.db
      .prepare('INSERT OR IGNORE INTO joints(id, title, year, lead_agency_id, created_by, created_at) VALUES (?,?,?,?,?,?)')
      .run(r.id, r.title, r.year, r.lead_agency_id, createdBy, createdAt);
  }

  /** a new joint plan, its lead as first member and its invitations, in one transaction */
  async create(r: JointRow, createdBy: string, createdAt: number, invitations: readonly NewInvitation[]): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO joints(id, title, year, lead_agency_id, created_by, created_at) VALUES (?,?,?,?,?,?)')
        .run(r.id, r.title, r.year, r.lead_agency_id, createdBy, createdAt);
      this.dir.addJointMember(r.id, r.lead_agency_id);
      for (const i of invitations) this.putInvitationNow(r.id, i);
    })();
  }
}
