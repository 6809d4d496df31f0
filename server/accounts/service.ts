/**
 * Account administration with its rights, over `Accounts` (server/auth/accounts.ts) and the inspector
 * records (server/directory/inspectors.ts):
 *  - supervisors (the justice bureau, the platform's administrators) manage every account;
 *  - an agency admin manages only the inspector accounts and inspector records of their own agency: list,
 *    create (record and account in one step, or an account for a record without one), disable, enable,
 *    reset, mark a record inactive or active; never another agency's, never another role, never a role change;
 *  - nobody disables or rebinds their own account, nor the last enabled supervisor.
 * Disabling, a reset and a rebind end the account's sessions at once: the token epoch and refresh tokens
 * (Accounts), and its open sync sockets here. Every action is audited in the transaction that makes it.
 */
import type { DB } from '../store/db';
import type { Principal } from '../../src/domain/schemas';
import type { Inspector } from '../../src/domain/schemas';
import type { AccountCreated, AccountPage, RebindRequest, StaffCreated, StaffList, StaffMember } from '../../src/protocol/accounts';
import type { CreateUserRequest, UserSummary } from '../../src/protocol/auth';
import type { UserRow } from '../directory/store';
import { summaryOf, type Accounts } from '../auth/accounts';
import type { InspectorRecords } from '../directory/inspectors';
import { actorOf, type AuditLog } from '../audit/store';
import { errors, HttpError } from '../http/errors';
import { adminScope } from '../auth/rights';

export interface AccountAdminDeps {
  db: DB;
  accounts: Accounts;
  inspectors: InspectorRecords;
  audit: AuditLog;
  /** the relay: a disabled or rebound account's open sync sockets close at once */
  sessions: { endSessionsOf(userId: string): number };
}

const noSuchUser = (id: string) => new HttpError(404, 'no_such_user', { zh: `没有账户 ${id}`, en: `There is no account ${id}` });
const noSuchInspector = (id: string) =>
  new HttpError(404, 'no_such_inspector', { zh: `没有编号为 ${id} 的执法人员档案`, en: `There is no inspector record with the id ${id}` });

type Query = { q?: string; role?: UserSummary['role']; agencyId?: string; disabled?: boolean; limit: number; offset: number };

export class AccountAdmin {
  constructor(private readonly d: AccountAdminDeps) {}

  /** the account row (for the session an activation answers with) */
  account(userId: string): UserRow {
    return this.row(userId);
  }

  private row(userId: string): UserRow {
    const u = this.d.accounts.byId(userId);
    if (!u) throw noSuchUser(userId);
    return u;
  }

  /** the account `userId`, if `p` may manage it (an agency admin: inspectors of their agency only) */
  private managed(p: Principal, userId: string): UserRow {
    const scope = adminScope(p);
    const u = this.d.accounts.byId(userId);
    // an agency admin learns nothing about accounts outside their agency: the same 403 whether it exists or not
    if (scope !== undefined && (!u || u.role !== 'inspector' || u.agency_id !== scope)) throw errors.forbidden();
    if (!u) throw noSuchUser(userId);
    return u;
  }

  /** refuse an action that would lock the platform or the caller out */
  private guardLockout(p: Principal, u: UserRow, what: 'disable' | 'rebind', newRole?: string): void {
    if (u.id === p.userId)
      throw new HttpError(409, 'own_account', {
        zh: what === 'disable' ? '不能停用自己的账户' : '不能更改自己账户的角色',
        en: what === 'disable' ? 'You cannot disable your own account' : 'You cannot change the role of your own account',
      });
    if (u.role === 'supervisor' && !u.disabled && newRole !== 'supervisor') {
      const n = (this.d.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'supervisor' AND disabled = 0").get() as { n: number }).n;
      if (n <= 1)
        throw new HttpError(409, 'last_supervisor', {
          zh: '这是最后一个启用的执法监督（平台管理员）账户，不能停用或更改',
          en: 'This is the last enabled supervisor (platform administrator) account: it cannot be disabled or changed',
        });
    }
  }

  private record(p: Principal, action: string, target: string, agencyId: string | null | undefined, before: unknown, after: unknown): void {
    this.d.audit.record({ actor: actorOf(p), action, target, agencyId: agencyId ?? null, before, after });
  }

  private within(p: Principal, action: string) {
    return (before: UserSummary | null, after: UserSummary) =>
      this.record(p, action, `user:${after.userId}`, after.agencyId ?? before?.agencyId, before ?? undefined, after);
  }

  list(p: Principal, q: Query): AccountPage {
    const scope = adminScope(p);
    const r = this.d.accounts.search(scope === undefined ? q : { ...q, role: 'inspector', agencyId: scope });
    return { total: r.total, limit: q.limit, offset: q.offset, items: r.items };
  }

  async create(p: Principal, body: CreateUserRequest): Promise<AccountCreated> {
    const scope = adminScope(p);
    if (scope !== undefined) {
      // an agency admin: an account for an inspector record of their own agency only
      if (body.role !== 'inspector' || body.uscc !== undefined) throw errors.forbidden();
      if (body.agencyId !== undefined && body.agencyId !== scope) throw errors.forbidden();
      const rec = body.inspectorId ? this.d.inspectors.get(body.inspectorId) : undefined;
      if (body.inspectorId && rec?.agencyId !== scope) throw errors.forbidden();
    }
    return this.d.accounts.create(body, { within: this.within(p, 'account.create') });
  }

  setDisabled(p: Principal, userId: string, disabled: boolean): UserSummary {
    const u = this.managed(p, userId);
    if (disabled) this.guardLockout(p, u, 'disable');
    const after = this.d.accounts.setDisabled(u.username, disabled, this.within(p, disabled ? 'account.disable' : 'account.enable'));
    if (disabled) this.d.sessions.endSessionsOf(u.id);
    return after;
  }

  async reset(p: Principal, userId: string): Promise<AccountCreated> {
    const u = this.managed(p, userId);
    const r = await this.d.accounts.resetPassword(u.username, this.within(p, 'account.reset'));
    this.d.sessions.endSessionsOf(u.id);
    return r;
  }

  rebind(p: Principal, userId: string, body: RebindRequest): UserSummary {
    if (adminScope(p) !== undefined) throw errors.forbidden();
    const u = this.row(userId);
    this.guardLockout(p, u, 'rebind', body.role);
    const after = this.d.accounts.rebind(u.username, body, this.within(p, 'account.rebind'));
    this.d.sessions.endSessionsOf(u.id);
    return after;
  }

  // ---------- an agency's inspectors ----------

  /** the agency whose staff `p` manages: an agency admin's own (any other asked for: 403); a supervisor names it */
  private staffAgency(p: Principal, asked?: string): string {
    const scope = adminScope(p);
    if (scope !== undefined) {
      if (asked !== undefined && asked !== scope) throw errors.forbidden();
      return scope;
    }
    if (!asked) throw errors.badRequest('agency_required', { zh: '请指定部门（agencyId）', en: 'Name the agency (agencyId)' });
    const a = this.d.db.prepare('SELECT kind FROM agencies WHERE id = ?').get(asked) as { kind: string } | undefined;
    if (!a || a.kind !== 'enforcement')
      throw errors.badRequest('unknown_agency', { zh: `没有编号为 ${asked} 的执法部门`, en: `There is no enforcement agency with the id ${asked}` });
    return asked;
  }

  private member(rec: Inspector): StaffMember {
    const u = this.d.db.prepare('SELECT * FROM users WHERE inspector_id = ?').get(rec.id) as UserRow | undefined;
    return { inspector: rec, ...(u ? { account: summaryOf(u) } : {}) };
  }

  staff(p: Principal, agencyId?: string): StaffList {
    const agency = this.staffAgency(p, agencyId);
    const recs = this.d.db.prepare('SELECT json FROM inspectors WHERE agency_id = ? ORDER BY name, id LIMIT 10000').all(agency) as { json: string }[];
    const users = this.d.db.prepare("SELECT * FROM users WHERE role = 'inspector' AND agency_id = ?").all(agency) as UserRow[];
    const byInspector = new Map(users.map((u) => [u.inspector_id, u]));
    const items = recs.map((r) => {
      const rec = JSON.parse(r.json) as Inspector;
      const u = byInspector.get(rec.id);
      return { inspector: rec, ...(u ? { account: summaryOf(u) } : {}) };
    });
    return { agencyId: agency, items };
  }

  /** a new inspector record and its account, in one step */
  async createStaff(p: Principal, body: { name: string; username: string; certificateNumber?: string; agencyId?: string }): Promise<StaffCreated> {
    const agency = this.staffAgency(p, body.agencyId);
    const username = body.username;
    // the user name first, so that a taken one leaves no record without an account behind
    if (this.d.db.prepare('SELECT 1 FROM users WHERE lower(username) = ? OR id = ?').get(username, `u-${username}`))
      throw new HttpError(409, 'username_taken', { zh: `用户名 ${username} 已被使用`, en: `The user name ${username} is taken` });
    const rec = await this.d.inspectors.create(agency, body.name, body.certificateNumber);
    this.record(p, 'inspector.create', `inspector:${rec.id}`, agency, undefined, rec);
    try {
      const r = await this.d.accounts.create(
        { role: 'inspector', username, inspectorId: rec.id, agencyId: agency },
        { within: this.within(p, 'account.create') },
      );
      return { inspector: rec, user: r.user, oneTimePassword: r.oneTimePassword };
    } catch (e) {
      // the account could not be made (a race on the user name): the record is marked inactive, not left dangling
      const { before, after } = await this.d.inspectors.update(rec.id, { active: false });
      this.record(p, 'inspector.deactivate', `inspector:${rec.id}`, agency, before, after);
      throw e;
    }
  }

  /** a record active or inactive, its account enabled or disabled with it */
  async setStaffActive(p: Principal, inspectorId: string, active: boolean): Promise<StaffMember> {
    const scope = adminScope(p);
    const rec = this.d.inspectors.get(inspectorId);
    if (scope !== undefined && rec?.agencyId !== scope) throw errors.forbidden();
    if (!rec) throw noSuchInspector(inspectorId);
    const u = this.d.db.prepare('SELECT * FROM users WHERE inspector_id = ?').get(rec.id) as UserRow | undefined;
    if (u && !active) this.guardLockout(p, u, 'disable');
    if (rec.active !== active) {
      const { before, after } = await this.d.inspectors.update(rec.id, { active });
      this.record(p, active ? 'inspector.activate' : 'inspector.deactivate', `inspector:${rec.id}`, rec.agencyId, before, after);
    }
    if (u && u.disabled === (active ? 1 : 0)) {
      this.d.accounts.setDisabled(u.username, !active, this.within(p, active ? 'account.enable' : 'account.disable'));
      if (!active) this.d.sessions.endSessionsOf(u.id);
    }
    return this.member(this.d.inspectors.get(rec.id)!);
  }
}
