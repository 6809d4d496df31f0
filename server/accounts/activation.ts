/**
 * Enterprise activation (一企一码): supervisors issue a one-time code per enterprise, printed on the letter or
 * poster the regulator hands over; the enterprise activates its own account with it and chooses its password.
 *
 * Codes are 12 readable random characters (`oneTimePassword`, ≈ 59 bits), kept only as a SHA-256, valid
 * 90 days from the server's clock, single use; a new code replaces the old one. The audit trail records
 * that a code was issued and when it expires, never the code.
 *
 * Guessing: every attempt takes a slot per client address and per USCC before the code is checked, and gives
 * it back only when the code was right; a wrong USCC and a wrong code get the same answer.
 */
import type { Clock } from '../clock';
import type { DB } from '../store/db';
import type { Principal } from '../../src/domain/schemas';
import { ACTIVATION_DAYS, type ActivationIssued } from '../../src/protocol/accounts';
import { passwordProblem, type UserSummary } from '../../src/protocol/auth';
import { oneTimePassword, type Accounts } from '../auth/accounts';
import type { FailureLimiter } from '../auth/ratelimit';
import { actorOf, type AuditLog } from '../audit/store';
import { HttpError, type Bilingual } from '../http/errors';
import { ActivationCodes, codeHash } from './store';
import { requireSupervisor } from '../auth/rights';

export interface ActivationDeps {
  db: DB;
  accounts: Accounts;
  audit: AuditLog;
  clock: Pick<Clock, 'ms'>;
  /** wrong codes per client address, and per USCC from every address */
  limits: { ip: FailureLimiter; uscc: FailureLimiter };
}

const DAY_MS = 86_400_000;
const BAD_CODE: Bilingual = {
  zh: '统一社会信用代码或激活码不正确，或激活码已使用、已过期',
  en: 'The USCC or the activation code is wrong, or the code was used or has expired',
};
const alreadyActivated = (uscc: string) =>
  new HttpError(409, 'already_activated', {
    zh: `企业 ${uscc} 已有账户：请用该账户登录，忘记密码请联系司法局重置`,
    en: `The enterprise ${uscc} already has an account: sign in with it, or ask the justice bureau to reset its password`,
  });

const normalise = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

const deregistered = (uscc: string) =>
  new HttpError(409, 'enterprise_deregistered', {
    zh: `企业 ${uscc} 已注销，不能开通账户`,
    en: `The enterprise ${uscc} is deregistered: no account can be opened for it`,
  });

export class Activation {
  readonly codes: ActivationCodes;
  constructor(private readonly d: ActivationDeps) {
    this.codes = new ActivationCodes(d.db);
  }

  private enterprise(uscc: string): { uscc: string; name: string } {
    const e = this.d.db.prepare('SELECT uscc, name, deregistered FROM enterprises WHERE uscc = ?').get(uscc) as
      | { uscc: string; name: string; deregistered: number }
      | undefined;
    if (!e) throw new HttpError(404, 'unknown_enterprise', { zh: `没有统一社会信用代码为 ${uscc} 的企业`, en: `There is no enterprise with the USCC ${uscc}` });
    // a deregistered enterprise (注销) is kept for its records, but no new account opens for it
    if (e.deregistered) throw deregistered(e.uscc);
    return { uscc: e.uscc, name: e.name };
  }

  private hasAccount(uscc: string): boolean {
    return !!this.d.db.prepare('SELECT 1 FROM users WHERE uscc = ?').get(uscc);
  }

  /** a new code for one enterprise (none for one that has an account: 409) */
  issue(p: Principal, uscc: string): ActivationIssued {
    requireSupervisor(p);
    const e = this.enterprise(uscc);
    if (this.hasAccount(e.uscc)) throw alreadyActivated(e.uscc);
    const code = oneTimePassword();
    const now = this.d.clock.ms();
    const expiresAt = now + ACTIVATION_DAYS * DAY_MS;
    this.d.db.transaction(() => {
      const replaced = this.codes.get(e.uscc);
      this.codes.put(e.uscc, codeHash(normalise(code)), now, expiresAt, p.userId);
      this.d.audit.record({
        actor: actorOf(p),
        action: 'activation.issue',
        target: `enterprise:${e.uscc}`,
        ...(replaced ? { before: { expiresAt: new Date(replaced.expires_at).toISOString(), used: replaced.used_at !== null } } : {}),
        after: { expiresAt: new Date(expiresAt).toISOString() },
      });
    })();
    return { uscc: e.uscc, name: e.name, code, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Codes for many enterprises in one transaction: the listed USCCs (unknown ones and those with an account
   * are skipped), or every enterprise with no account and no unused code. One audit entry with the counts.
   */
  issueMany(p: Principal, req: { usccs: string[] } | { all: true }, max: number): { rows: [string, string, string, string][]; skipped: number } {
    requireSupervisor(p);
    const now = this.d.clock.ms();
    const expiresAt = now + ACTIVATION_DAYS * DAY_MS;
    const expiry = new Date(expiresAt).toISOString();
    const rows: [string, string, string, string][] = [];
    let skipped = 0;
    this.d.db.transaction(() => {
      let targets: { uscc: string; name: string }[];
      if ('all' in req) targets = this.codes.withoutAccountOrCode(now, max);
      else {
        targets = [];
        const q = this.d.db.prepare('SELECT uscc, name FROM enterprises WHERE uscc = ? AND deregistered = 0');
        for (const uscc of new Set(req.usccs)) {
          const e = q.get(uscc) as { uscc: string; name: string } | undefined;
          if (!e || this.hasAccount(uscc)) skipped++;
          else targets.push(e);
        }
      }
      for (const e of targets) {
        const code = oneTimePassword();
        this.codes.put(e.uscc, codeHash(normalise(code)), now, expiresAt, p.userId);
        rows.push([e.uscc, e.name, code, expiry]);
      }
      this.d.audit.record({
        actor: actorOf(p),
        action: 'activation.issue',
        target: 'all' in req ? 'enterprises:without-account' : 'enterprises:list',
        after: { issued: rows.length, skipped, expiresAt: expiry },
      });
    })();
    return { rows, skipped };
  }

  /**
   * The enterprise's own account: the code checked (rate limited), the password checked against the rules,
   * the account created with it, the code marked used and the action audited, in one transaction.
   */
  async activate(ip: string, body: { uscc: string; code: string; username: string; password: string }): Promise<UserSummary> {
    const { ip: byIp, uscc: byUscc } = this.d.limits;
    const wait = Math.max(byIp.retryAfter(ip), byUscc.retryAfter(body.uscc));
    if (wait > 0) {
      const min = Math.ceil(wait / 60);
      throw new HttpError(
        429,
        'rate_limited',
        { zh: `激活尝试次数过多，请 ${min} 分钟后再试`, en: `Too many activation attempts; try again in ${min} min` },
        { 'Retry-After': String(wait) },
      );
    }
    const t = [byIp.reserve(ip), byUscc.reserve(body.uscc)] as const;
    const now = this.d.clock.ms();
    if (!this.codes.valid(body.uscc, normalise(body.code), now)) throw new HttpError(400, 'bad_activation', BAD_CODE);
    // the code was right: its slots are given back, whatever follows
    byIp.release(ip, t[0]);
    byUscc.release(body.uscc, t[1]);
    if (this.hasAccount(body.uscc)) throw alreadyActivated(body.uscc);
    this.enterprise(body.uscc);
    const problem = passwordProblem(body.username, body.password);
    if (problem) throw new HttpError(400, 'weak_password', problem);
    const { user } = await this.d.accounts.create(
      { role: 'enterprise', username: body.username, uscc: body.uscc },
      {
        password: body.password,
        within: (_before, after) => {
          if (!this.codes.use(body.uscc, now)) throw new HttpError(400, 'bad_activation', BAD_CODE);
          this.d.audit.record({
            actor: { userId: after.userId, name: after.name, role: 'enterprise' },
            action: 'account.activate',
            target: `user:${after.userId}`,
            after,
          });
        },
      },
    );
    return user;
  }
}
