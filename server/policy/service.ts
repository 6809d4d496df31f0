/**
 * The city policy (`config/city`): the only writer of the doc. A change is a whole PolicyConfig in force from
 * a date (today or later, Asia/Shanghai), kept in the doc's schedule beside the base policy, so phones
 * offline for days still apply the right policy on the right day (model/config.ts `policyOn`). A change not
 * yet in force can be withdrawn. Each is audited: before = the policy that would have been in force on
 * that date, after = the new one (or, for a withdrawal, the policy in force on that date without it).
 */
import type { RoomPort } from '../sync/port';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/store';
import { actorOf } from '../audit/store';
import { HttpError, errors } from '../http/errors';
import { rooms } from '../../src/domain/rooms';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import type { PolicyConfig, Principal } from '../../src/domain/schemas';
import { policyOn, readPolicy, readPolicySchedule, schedulePolicy, withdrawPolicy } from '../../src/model/config';
import type { PolicyState } from '../../src/protocol/policy';
import type * as Y from 'yjs';
import { requireSupervisor } from '../auth/rights';

export interface PolicyDeps {
  rooms: RoomPort;
  audit: Pick<AuditLog, 'record'>;
  clock: Pick<Clock, 'today'>;
}

/** the policy in force on `date`; the defaults when the doc holds none that is valid */
const inForce = (doc: Y.Doc, date: string): PolicyConfig => policyOn(doc, date) ?? defaultPolicy();

export class PolicyService {
  constructor(private readonly d: PolicyDeps) {}

  /** everyone signed in: today's policy and the changes to come */
  async state(): Promise<PolicyState> {
    const today = this.d.clock.today();
    return this.d.rooms.read(rooms.config(), (doc) => stateOf(doc, today));
  }

  async schedule(p: Principal, effectiveFrom: string, policy: PolicyConfig): Promise<PolicyState> {
    requireSupervisor(p);
    const today = this.d.clock.today();
    if (effectiveFrom < today)
      throw errors.badRequest(
        'policy_past_date',
        {
          zh: `生效日期 ${effectiveFrom} 已过去，须为今天（${today}）或以后`,
          en: `The effective date ${effectiveFrom} is in the past; use today (${today}) or later`,
        },
        [{ path: 'effectiveFrom', message: 'in the past' }],
      );
    let before!: PolicyConfig;
    let after!: PolicyConfig;
    await this.d.rooms.change(rooms.config(), (doc) => {
      before = inForce(doc, effectiveFrom);
      after = schedulePolicy(doc, effectiveFrom, policy);
    });
    this.d.audit.record({ actor: actorOf(p), action: 'policy.schedule', target: `policy:${effectiveFrom}`, before, after });
    return this.state();
  }

  async withdraw(p: Principal, effectiveFrom: string): Promise<PolicyState> {
    requireSupervisor(p);
    const today = this.d.clock.today();
    let before!: PolicyConfig;
    let after!: PolicyConfig;
    await this.d.rooms.change(rooms.config(), (doc) => {
      if (!readPolicySchedule(doc).items.some((s) => s.effectiveFrom === effectiveFrom) && !doc.getMap('schedule').has(effectiveFrom))
        throw errors.notFound({ zh: `没有 ${effectiveFrom} 生效的政策调整`, en: `No change scheduled for ${effectiveFrom}` });
      if (effectiveFrom <= today)
        throw new HttpError(409, 'policy_in_force', {
          zh: `${effectiveFrom} 的调整已经生效，不能撤回；请另行设定新的调整`,
          en: `The change of ${effectiveFrom} is already in force and cannot be withdrawn; schedule a new change instead`,
        });
      before = inForce(doc, effectiveFrom);
      withdrawPolicy(doc, effectiveFrom);
      after = inForce(doc, effectiveFrom);
    });
    this.d.audit.record({ actor: actorOf(p), action: 'policy.withdraw', target: `policy:${effectiveFrom}`, before, after });
    return this.state();
  }
}

function stateOf(doc: Y.Doc, today: string): PolicyState {
  const schedule = readPolicySchedule(doc).items;
  const current = policyOn(doc, today) ?? readPolicy(doc).policy ?? defaultPolicy();
  const since = schedule.filter((s) => s.effectiveFrom <= today).at(-1)?.effectiveFrom ?? null;
  return { today, current, currentFrom: since, scheduled: schedule.filter((s) => s.effectiveFrom > today) };
}
