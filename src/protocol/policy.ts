/**
 * The city policy on the wire (server/policy/): the policy in force today, the changes scheduled for later
 * days, scheduling a change from a date (today or later) and withdrawing a future one. The config doc
 * `config/city` is written by the server only; these routes are the one way to change it. zod only, no I/O.
 */
import { z } from 'zod';
import { IsoDate, PolicyConfig } from '../domain/schemas';
import type { Operation } from './operation';

/** a policy as an editor sends it: PolicyConfig, plus what a whole policy must hold together */
export const PolicyInput = PolicyConfig.superRefine((p, ctx) => {
  const codes = new Set<string>();
  p.conductRules.forEach((r, i) => {
    if (!r.code.trim()) ctx.addIssue({ code: 'custom', path: ['conductRules', i, 'code'], message: 'a rule needs a code' });
    if (codes.has(r.code)) ctx.addIssue({ code: 'custom', path: ['conductRules', i, 'code'], message: `the code ${r.code} is used twice` });
    codes.add(r.code);
    if (!r.text.zh.trim()) ctx.addIssue({ code: 'custom', path: ['conductRules', i, 'text', 'zh'], message: 'the Chinese wording is empty' });
  });
  if (new Set(p.quietPeriod.quietDays).size !== p.quietPeriod.quietDays.length)
    ctx.addIssue({ code: 'custom', path: ['quietPeriod', 'quietDays'], message: 'a day is listed twice' });
  if (p.quietPeriod.quietDays.length > p.quietPeriod.daysPerMonth)
    ctx.addIssue({ code: 'custom', path: ['quietPeriod', 'quietDays'], message: 'more quiet days listed than quiet days a month' });
});

/** POST /api/policy: the whole policy in force from `effectiveFrom` (today or later, Asia/Shanghai) */
export const SchedulePolicyRequest = z.object({ effectiveFrom: IsoDate, policy: PolicyInput }).strict();
export type SchedulePolicyRequest = z.input<typeof SchedulePolicyRequest>;

/** POST /api/policy/withdraw: a change not yet in force */
export const WithdrawPolicyRequest = z.object({ effectiveFrom: IsoDate }).strict();
export type WithdrawPolicyRequest = z.input<typeof WithdrawPolicyRequest>;

export const ScheduledChange = z.object({ effectiveFrom: IsoDate, policy: PolicyConfig });
export type ScheduledChange = z.infer<typeof ScheduledChange>;

/** GET /api/policy and the answer of every change */
export const PolicyState = z.object({
  /** today (Asia/Shanghai) by the server's clock */
  today: IsoDate,
  /** the policy in force today */
  current: PolicyConfig,
  /** the day the current policy took effect; null: the base policy (in force from the start) */
  currentFrom: IsoDate.nullable(),
  /** changes that take effect after today, oldest first */
  scheduled: z.array(ScheduledChange),
});
export type PolicyState = z.infer<typeof PolicyState>;

/** the policy routes (src/protocol/api.ts lists every route) */
export const POLICY_OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/api/policy',
    summary: 'The city policy in force today and the changes scheduled (everyone signed in)',
    access: 'bearer',
    responses: { 200: PolicyState },
  },
  {
    method: 'POST',
    path: '/api/policy',
    summary: 'Schedule the whole policy from a date, today or later (supervisors); a change on the same date is replaced',
    access: 'bearer',
    body: SchedulePolicyRequest,
    responses: { 200: PolicyState },
  },
  {
    method: 'POST',
    path: '/api/policy/withdraw',
    summary: 'Withdraw a change that has not taken effect yet (supervisors)',
    access: 'bearer',
    body: WithdrawPolicyRequest,
    responses: { 200: PolicyState },
    errors: { 404: { codes: ['not_found'] }, 409: { codes: ['policy_in_force'] } },
  },
];
