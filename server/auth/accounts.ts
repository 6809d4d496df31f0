/**
 * Accounts: create a user with a one-time password (or, for an enterprise's activation, the password it
 * chose), reset a password, disable and enable, change the role binding, list and search, and a user's own
 * password change. Shared by the admin command (server/admin.ts), the account administration
 * (server/accounts/) and the sign-in routes (server/auth/routes.ts). Throws `HttpError` with bilingual messages.
 *
 * The administrative changes take `within(before, after)`: called inside the transaction that makes the
 * change, so the caller's audit entry is stored with it or not at all.
 *
 * Every password set here marks the account `demo_password = 0` and raises its token epoch; a reset,
 * a change and disabling also delete the user's refresh tokens, so every other session ends (access tokens
 * of the old epoch are refused by TokenService.verify). One-time passwords must be changed at the next
 * sign-in (`must_change_password = 1`).
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { DB } from '../store/db';
import type { UserRow } from '../directory/store';
import type { RefreshTokens } from './tokens';
import { hashPassword, verifyPassword } from './passwords';
import { HttpError, zodError, type Bilingual } from '../http/errors';
import { Principal, type Role } from '../../src/domain/schemas';
import { CreateUserRequest, Username, passwordProblem, type DemoAccount, type UserSummary } from '../../src/protocol/auth';

/** called inside the transaction of an administrative change, with the account before and after it */
export type Within = (before: UserSummary | null, after: UserSummary) => void;

/** filters and paging of `search` */
export interface AccountSearch {
  q?: string;
  role?: Role;
  agencyId?: string;
  disabled?: boolean;
  limit: number;
  offset: number;
}

export interface AccountsDeps {
  db: DB;
  refresh: Pick<RefreshTokens, 'revokeAll'>;
  /** the server's clock (business timestamps: created_at, password_changed_at) */
  now: () => number;
}

/** readable characters only: no 0/o, 1/l/i */
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** a one-time password: 12 random characters in three groups, `k7fq-m2xp-9hte` (≈ 59 bits) */
export function oneTimePassword(): string {
  const group = () => Array.from({ length: 4 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

const fail = (status: number, code: string, text: Bilingual) => new HttpError(status, code, text);
const ROLE_ZH: Record<Role, string> = { inspector: '执法人员', agency: '部门管理员', supervisor: '执法监督', enterprise: '企业' };

export function summaryOf(u: UserRow): UserSummary {
  return {
    userId: u.id,
    username: u.username,
    role: u.role as Role,
    name: u.name,
    ...(u.agency_id ? { agencyId: u.agency_id } : {}),
    ...(u.inspector_id ? { inspectorId: u.inspector_id } : {}),
    ...(u.uscc ? { uscc: u.uscc } : {}),
    disabled: u.disabled === 1,
    mustChangePassword: u.must_change_password === 1,
    demoPassword: u.demo_password === null ? null : u.demo_password === 1,
  };
}

export function principalOf(u: UserRow): Principal {
  return Principal.parse({
    userId: u.id,
    role: u.role,
    name: u.name,
    agencyId: u.agency_id ?? undefined,
    inspectorId: u.inspector_id ?? undefined,
    uscc: u.uscc ?? undefined,
  });
}

export class Accounts {
  private readonly qByName;
  private readonly qById;
  private readonly qSetPassword;
  constructor(private readonly d: AccountsDeps) {
    this.qByName = d.db.prepare('SELECT * FROM users WHERE username = ?');
    this.qById = d.db.prepare('SELECT * FROM users WHERE id = ?');
    this.qSetPassword = d.db.prepare(`UPDATE users SET password_hash = ?, must_change_password = ?, demo_password = 0,
      password_changed_at = ?, token_epoch = token_epoch + 1 WHERE id = ?`);
  }

  byUsername(username: string): UserRow | undefined {
    return this.qByName.get(username) as UserRow | undefined;
  }
  byId(id: string): UserRow | undefined {
    return this.qById.get(id) as UserRow | undefined;
  }

  /** the account of a user name given by an administrator: 404 when there is none */
  private existing(username: string): UserRow {
    const name = Username.safeParse(username);
    const u = this.byUsername(username) ?? (name.success ? this.byUsername(name.data) : undefined);
    if (!u) throw fail(404, 'no_such_user', { zh: `没有用户名为 ${username} 的账户`, en: `There is no account with the user name ${username}` });
    return u;
  }

  /**
   * A new account with a one-time password, to be changed at its first sign-in; with `password` (an
   * enterprise's activation, already checked against the rules) that password, kept.
   */
  async create(input: unknown, o: { password?: string; within?: Within } = {}): Promise<{ user: UserSummary; oneTimePassword: string }> {
    const r = CreateUserRequest.safeParse(input);
    if (!r.success) throw zodError(r.error, 'invalid_account');
    const req = r.data;
    const { db } = this.d;
    if ((db.prepare('SELECT count(*) AS n FROM agencies').get() as { n: number }).n === 0) {
      throw fail(409, 'no_reference_data', {
        zh: '数据库中还没有任何部门：请先启动一次服务器（npm start），由它建立基础数据',
        en: 'The database has no agencies yet: start the server once first (npm start) so that it creates the reference data',
      });
    }
    const linked = this.linkOf(req);
    const otp = o.password === undefined ? oneTimePassword() : '';
    const hash = await hashPassword(o.password ?? otp);
    const now = this.d.now();
    const id = `u-${req.username}`;
    db.transaction(() => {
      // checked in the transaction that inserts: no two accounts differ only in case
      if (db.prepare('SELECT 1 FROM users WHERE lower(username) = ? OR id = ?').get(req.username, id)) {
        throw fail(409, 'username_taken', { zh: `用户名 ${req.username} 已被使用`, en: `The user name ${req.username} is taken` });
      }
      db.prepare(`INSERT INTO users(id, username, password_hash, role, name, agency_id, inspector_id, uscc, disabled, created_at,
          must_change_password, token_epoch, demo_password, password_changed_at) VALUES (?,?,?,?,?,?,?,?,0,?,?,0,0,?)`).run(
        id,
        req.username,
        hash,
        req.role,
        linked.name,
        linked.agencyId ?? null,
        linked.inspectorId ?? null,
        linked.uscc ?? null,
        now,
        o.password === undefined ? 1 : 0,
        now,
      );
      // the link is checked again in here: two requests must not bind one inspector record twice
      if (linked.inspectorId && (db.prepare('SELECT count(*) AS n FROM users WHERE inspector_id = ?').get(linked.inspectorId) as { n: number }).n > 1)
        throw fail(409, 'inspector_has_account', {
          zh: `执法人员 ${linked.inspectorId} 已有账户`,
          en: `Inspector ${linked.inspectorId} already has an account`,
        });
      o.within?.(null, summaryOf(this.byId(id)!));
    })();
    return { user: summaryOf(this.byId(id)!), oneTimePassword: otp };
  }

  /**
   * What the role links the account to, checked against the directory: a supervisor a justice bureau, an
   * agency admin an enforcement agency, an inspector an active inspector record (of that agency, with no
   * account yet), an enterprise a known USCC. The display name defaults to the linked record's.
   */
  private linkOf(req: z.output<typeof CreateUserRequest>, self?: string): { name: string; agencyId?: string; inspectorId?: string; uscc?: string } {
    const { db } = this.d;
    const only = (allowed: ('agencyId' | 'inspectorId' | 'uscc')[]) => {
      const flags = { agencyId: '--agency', inspectorId: '--inspector', uscc: '--uscc' } as const;
      for (const k of ['agencyId', 'inspectorId', 'uscc'] as const) {
        if (req[k] !== undefined && !allowed.includes(k)) {
          throw fail(400, 'invalid_account', { zh: `${ROLE_ZH[req.role]}账户不需要 ${flags[k]}`, en: `${flags[k]} does not apply to a ${req.role} account` });
        }
      }
    };
    const need = (flag: string, what: Bilingual) =>
      fail(400, 'invalid_account', { zh: `${ROLE_ZH[req.role]}账户需要 ${flag}（${what.zh}）`, en: `A ${req.role} account needs ${flag} (${what.en})` });
    const agency = (id: string) => {
      const a = db.prepare('SELECT id, name, kind FROM agencies WHERE id = ?').get(id) as { id: string; name: string; kind: string } | undefined;
      if (!a) throw fail(400, 'unknown_agency', { zh: `没有编号为 ${id} 的部门`, en: `There is no agency with the id ${id}` });
      return a;
    };
    switch (req.role) {
      case 'supervisor':
      case 'agency': {
        only(['agencyId']);
        const justice = req.role === 'supervisor';
        if (!req.agencyId)
          throw need(
            '--agency',
            justice ? { zh: '司法局的部门编号', en: 'the id of a justice bureau' } : { zh: '执法部门的编号', en: 'the id of an enforcement agency' },
          );
        const a = agency(req.agencyId);
        if (justice && a.kind !== 'justice')
          throw fail(400, 'wrong_agency_kind', {
            zh: `执法监督账户须属于司法局；${a.name}（${a.id}）是执法部门`,
            en: `A supervisor belongs to a justice bureau; ${a.id} is an enforcement agency`,
          });
        if (!justice && a.kind !== 'enforcement')
          throw fail(400, 'wrong_agency_kind', {
            zh: `部门管理员须属于执法部门；${a.name}（${a.id}）是司法局`,
            en: `An agency admin belongs to an enforcement agency; ${a.id} is a justice bureau`,
          });
        return { name: req.name ?? `${a.name}${justice ? '执法监督' : '管理员'}`, agencyId: a.id };
      }
      case 'inspector': {
        only(['agencyId', 'inspectorId']);
        if (!req.inspectorId) throw need('--inspector', { zh: '执法人员档案编号', en: 'the id of an inspector record' });
        const i = db.prepare('SELECT id, agency_id AS agencyId, name, active FROM inspectors WHERE id = ?').get(req.inspectorId) as
          | { id: string; agencyId: string; name: string; active: number }
          | undefined;
        if (!i)
          throw fail(400, 'unknown_inspector', {
            zh: `没有编号为 ${req.inspectorId} 的执法人员档案`,
            en: `There is no inspector record with the id ${req.inspectorId}`,
          });
        if (req.agencyId !== undefined) {
          agency(req.agencyId);
          if (i.agencyId !== req.agencyId)
            throw fail(400, 'wrong_agency', {
              zh: `执法人员 ${i.id} 属于 ${i.agencyId}，不属于 ${req.agencyId}`,
              en: `Inspector ${i.id} belongs to ${i.agencyId}, not to ${req.agencyId}`,
            });
        }
        if (i.active !== 1) throw fail(400, 'inactive_inspector', { zh: `执法人员 ${i.id} 已停用`, en: `Inspector ${i.id} is not active` });
        const other = db.prepare('SELECT username FROM users WHERE inspector_id = ? AND id <> ?').get(i.id, self ?? '') as { username: string } | undefined;
        if (other)
          throw fail(409, 'inspector_has_account', {
            zh: `执法人员 ${i.id} 已有账户 ${other.username}`,
            en: `Inspector ${i.id} already has the account ${other.username}`,
          });
        return { name: req.name ?? i.name, agencyId: i.agencyId, inspectorId: i.id };
      }
      case 'enterprise': {
        only(['uscc']);
        if (!req.uscc) throw need('--uscc', { zh: '统一社会信用代码', en: 'its unified social credit code' });
        const e = db.prepare('SELECT uscc, name FROM enterprises WHERE uscc = ?').get(req.uscc) as { uscc: string; name: string } | undefined;
        if (!e)
          throw fail(400, 'unknown_enterprise', { zh: `没有统一社会信用代码为 ${req.uscc} 的企业`, en: `There is no enterprise with the USCC ${req.uscc}` });
        return { name: req.name ?? e.name, uscc: e.uscc };
      }
    }
  }

  /** a new one-time password for an account; every session of it ends */
  async resetPassword(username: string, within?: Within): Promise<{ user: UserSummary; oneTimePassword: string }> {
    const u = this.existing(username);
    const otp = oneTimePassword();
    this.setPassword(u.id, await hashPassword(otp), true, () => within?.(summaryOf(u), summaryOf(this.byId(u.id)!)));
    return { user: summaryOf(this.byId(u.id)!), oneTimePassword: otp };
  }

  /** disable (every session ends at once) or enable an account */
  setDisabled(username: string, disabled: boolean, within?: Within): UserSummary {
    const u = this.existing(username);
    const { db } = this.d;
    db.transaction(() => {
      if (disabled) {
        db.prepare('UPDATE users SET disabled = 1, token_epoch = token_epoch + 1 WHERE id = ?').run(u.id);
        this.d.refresh.revokeAll(u.id);
      } else {
        db.prepare('UPDATE users SET disabled = 0 WHERE id = ?').run(u.id);
      }
      within?.(summaryOf(u), summaryOf(this.byId(u.id)!));
    })();
    return summaryOf(this.byId(u.id)!);
  }

  /**
   * A new role binding (role, agency, inspector record, USCC), checked like a new account's. The principal
   * in the account's tokens changes, so every session of it ends (new token epoch, refresh tokens deleted;
   * the caller closes its sync sessions).
   */
  rebind(username: string, input: { role: Role; agencyId?: string; inspectorId?: string; uscc?: string }, within?: Within): UserSummary {
    const u = this.existing(username);
    const r = CreateUserRequest.safeParse({ ...input, username: u.username, name: u.name });
    if (!r.success) throw zodError(r.error, 'invalid_account');
    const linked = this.linkOf(r.data, u.id);
    const { db } = this.d;
    db.transaction(() => {
      db.prepare('UPDATE users SET role = ?, agency_id = ?, inspector_id = ?, uscc = ?, token_epoch = token_epoch + 1 WHERE id = ?').run(
        r.data.role,
        linked.agencyId ?? null,
        linked.inspectorId ?? null,
        linked.uscc ?? null,
        u.id,
      );
      this.d.refresh.revokeAll(u.id);
      if (linked.inspectorId && (db.prepare('SELECT count(*) AS n FROM users WHERE inspector_id = ?').get(linked.inspectorId) as { n: number }).n > 1)
        throw fail(409, 'inspector_has_account', {
          zh: `执法人员 ${linked.inspectorId} 已有账户`,
          en: `Inspector ${linked.inspectorId} already has an account`,
        });
      within?.(summaryOf(u), summaryOf(this.byId(u.id)!));
    })();
    return summaryOf(this.byId(u.id)!);
  }

  /** accounts matching the filters, a page at a time, by user name */
  search(q: AccountSearch): { total: number; items: UserSummary[] } {
    const w: string[] = [];
    const args: (string | number)[] = [];
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      w.push("(lower(username) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')");
      args.push(like, like);
    }
    if (q.role) {
      w.push('role = ?');
      args.push(q.role);
    }
    if (q.agencyId) {
      w.push('agency_id = ?');
      args.push(q.agencyId);
    }
    if (q.disabled !== undefined) {
      w.push('disabled = ?');
      args.push(q.disabled ? 1 : 0);
    }
    const where = w.length ? `WHERE ${w.join(' AND ')}` : '';
    const total = (this.d.db.prepare(`SELECT count(*) AS n FROM users ${where}`).get(...args) as { n: number }).n;
    const rows = this.d.db.prepare(`SELECT * FROM users ${where} ORDER BY username LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as UserRow[];
    return { total, items: rows.map(summaryOf) };
  }

  /**
   * Sign-out: every access token of the user stops working now (a new token epoch) and their sync sessions
   * end (the caller). Refresh tokens stay: the user's other devices get a new access token at their next
   * refresh, while the signed-out one has deleted its own.
   */
  raiseEpoch(userId: string): void {
    this.d.db.prepare('UPDATE users SET token_epoch = token_epoch + 1 WHERE id = ?').run(userId);
  }

  /** a password hash with current parameters, only if nothing changed the password meanwhile (the token epoch stays) */
  upgradeHash(userId: string, oldHash: string, newHash: string): void {
    this.d.db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(newHash, userId, oldHash);
  }

  list(role?: Role): UserSummary[] {
    const rows = role
      ? this.d.db.prepare('SELECT * FROM users WHERE role = ? ORDER BY username').all(role)
      : this.d.db.prepare('SELECT * FROM users ORDER BY role, username').all();
    return (rows as UserRow[]).map(summaryOf);
  }

  /** enabled accounts that sign in with the published demo password (the demo's sign-in page lists them) */
  demoAccounts(): DemoAccount[] {
    return this.d.db
      .prepare(`SELECT username, role, name FROM users WHERE demo_password = 1 AND disabled = 0
      ORDER BY CASE role WHEN 'inspector' THEN 0 WHEN 'agency' THEN 1 WHEN 'supervisor' THEN 2 ELSE 3 END, username LIMIT 100`)
      .all() as DemoAccount[];
  }

  /**
   * A user's own password change: the current password, then a new one that keeps the rules
   * (src/protocol/auth.ts passwordProblem). 400 `weak_password` or `wrong_password`; the account with its
   * new token epoch on success (every other session has ended).
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<UserRow> {
    const u = this.byId(userId);
    if (!u || u.disabled) throw new HttpError(401, 'unauthorized', { zh: '请先登录', en: 'Sign in first' });
    const problem = passwordProblem(u.username, newPassword, currentPassword);
    if (problem) throw fail(400, 'weak_password', problem);
    if (!(await verifyPassword(currentPassword, u.password_hash))) {
      throw fail(400, 'wrong_password', { zh: '当前密码不正确', en: 'The current password is wrong' });
    }
    this.setPassword(u.id, await hashPassword(newPassword), false);
    return this.byId(u.id)!;
  }

  /** a new password hash: a new token epoch, and the user's refresh tokens deleted, in one transaction */
  private setPassword(userId: string, hash: string, oneTime: boolean, within?: () => void): void {
    const now = this.d.now();
    this.d.db.transaction(() => {
      this.qSetPassword.run(hash, oneTime ? 1 : 0, now, userId);
      this.d.refresh.revokeAll(userId);
      within?.();
    })();
  }
}
