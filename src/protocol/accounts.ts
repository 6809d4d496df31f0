/**
 * Account administration and enterprise activation on the wire (server/accounts/): one schema per request
 * and response, and the route list. zod only, no I/O.
 *
 * Supervisors (the justice bureau, the platform's administrators) manage every account; an agency admin
 * manages the inspector accounts and inspector records of their own agency only. Enterprises activate
 * their own account with the one-time code of their letter (一企一码).
 */
import { z } from 'zod';
import { Id, Inspector, Role, UsccShape } from '../domain/schemas';
import { CreateUserRequest, PASSWORD_MAX, SessionResponse, Username, UserSummary } from './auth';
import type { Operation } from './operation';

export { CreateUserRequest, UserSummary } from './auth';

const Bool = z.enum(['true', 'false']).transform((s) => s === 'true');
const Uscc = z.string().trim().toUpperCase().pipe(UsccShape);

// ---------- accounts ----------

/** GET /api/accounts: server-side search and paging (an agency admin sees only their agency's inspectors) */
export const AccountQuery = z.object({
  /** part of the user name or the display name */
  q: z.string().trim().max(64).optional(),
  role: Role.optional(),
  agencyId: Id.optional(),
  disabled: Bool.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type AccountQuery = z.input<typeof AccountQuery>;

export const AccountPage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(UserSummary) });
export type AccountPage = z.infer<typeof AccountPage>;

/** a new account or a reset: the one-time password, shown once */
export const AccountCreated = z.object({ user: UserSummary, oneTimePassword: z.string().max(64) });
export type AccountCreated = z.infer<typeof AccountCreated>;

/** POST /api/accounts/:userId/rebind: the new role binding, checked like a new account's */
export const RebindRequest = z
  .object({
    role: Role,
    agencyId: Id.optional(),
    inspectorId: Id.optional(),
    uscc: Uscc.optional(),
  })
  .strict();
export type RebindRequest = z.input<typeof RebindRequest>;

/** the actions without a body (disable, enable, reset) take an empty JSON object */
export const NoBody = z.object({}).strict();

// ---------- an agency's inspectors ----------

/** an inspector record with its account, if it has one */
export const StaffMember = z.object({ inspector: Inspector, account: UserSummary.optional() });
export type StaffMember = z.infer<typeof StaffMember>;

/** GET /api/staff: an agency admin's own agency; a supervisor names the agency */
export const StaffQuery = z.object({ agencyId: Id.optional() });
export const StaffList = z.object({ agencyId: Id, items: z.array(StaffMember).max(10_000) });
export type StaffList = z.infer<typeof StaffList>;

/** POST /api/staff: a new inspector record and its account in one step */
export const CreateStaffRequest = z
  .object({
    name: z.string().trim().min(1, 'the name is empty').max(60, 'a name has at most 60 characters'),
    username: Username,
    certificateNumber: z.string().trim().min(1).max(40).optional(),
    /** supervisors only: the agency (an agency admin's own agency otherwise) */
    agencyId: Id.optional(),
  })
  .strict();
export type CreateStaffRequest = z.input<typeof CreateStaffRequest>;

export const StaffCreated = z.object({ inspector: Inspector, user: UserSummary, oneTimePassword: z.string().max(64) });
export type StaffCreated = z.infer<typeof StaffCreated>;

/** POST /api/staff/:inspectorId/active: the record active or not, and its account enabled or disabled with it */
export const StaffActiveRequest = z.object({ active: z.boolean() }).strict();

// ---------- enterprise activation (一企一码) ----------

/** how long an activation code is valid */
export const ACTIVATION_DAYS = 90;
/** the most enterprises one bulk issue covers */
export const ACTIVATION_BULK_MAX = 200_000;
/** the most USCCs one listed bulk issue names */
export const ACTIVATION_LIST_MAX = 2_000;

/** a code as printed: 12 readable characters, grouped `k7fq-m2xp-9hte` (spaces, dashes and case do not matter) */
export const ActivationCode = z
  .string()
  .max(40)
  .transform((s) => s.toLowerCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[a-z0-9]{12}$/, 'the activation code has 12 letters and digits'));

/** POST /api/activation-codes: a new code for one enterprise (replaces an unused one) */
export const IssueActivationRequest = z.object({ uscc: Uscc }).strict();
export const ActivationIssued = z.object({ uscc: z.string(), name: z.string(), code: z.string().max(40), expiresAt: z.string() });
export type ActivationIssued = z.infer<typeof ActivationIssued>;

/**
 * POST /api/activation-codes/bulk: codes for a list of USCCs, or (`all`) for every enterprise with no
 * account and no unused code; the answer is a CSV (uscc, name, code, expires_at) for the letters
 */
export const BulkActivationRequest = z.union([
  // a JSON body has at most 64 KB: a longer list is issued in parts
  z.object({ usccs: z.array(Uscc).min(1).max(ACTIVATION_LIST_MAX) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type BulkActivationRequest = z.input<typeof BulkActivationRequest>;

/** POST /api/activate (public): the enterprise's own account, with a password of its choosing */
export const ActivateRequest = z
  .object({
    uscc: Uscc,
    code: ActivationCode,
    username: Username,
    // the rules are passwordProblem's (a bilingual message); this cap only bounds the input
    password: z.string().max(4 * PASSWORD_MAX),
  })
  .strict();
export type ActivateRequest = z.input<typeof ActivateRequest>;

// ---------- routes ----------

const bearer = 'bearer' as const;
export const ACCOUNT_OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/api/accounts',
    summary: 'Accounts, searched and paged (supervisors: all; agency admins: their agency’s inspectors)',
    access: bearer,
    query: AccountQuery,
    responses: { 200: AccountPage },
  },
  {
    method: 'POST',
    path: '/api/accounts',
    summary: 'Create an account with a one-time password (supervisors; agency admins: an inspector of their agency)',
    access: bearer,
    body: CreateUserRequest,
    responses: { 200: AccountCreated },
    errors: { 409: { codes: ['username_taken', 'inspector_has_account'] } },
  },
  {
    method: 'POST',
    path: '/api/accounts/:userId/disable',
    summary: 'Disable an account: every session of it ends at once',
    access: bearer,
    body: NoBody,
    responses: { 200: UserSummary },
    errors: { 404: { codes: ['no_such_user'] }, 409: { codes: ['own_account', 'last_supervisor'] } },
  },
  {
    method: 'POST',
    path: '/api/accounts/:userId/enable',
    summary: 'Enable an account',
    access: bearer,
    body: NoBody,
    responses: { 200: UserSummary },
    errors: { 404: { codes: ['no_such_user'] } },
  },
  {
    method: 'POST',
    path: '/api/accounts/:userId/reset',
    summary: 'A new one-time password for an account; every session of it ends',
    access: bearer,
    body: NoBody,
    responses: { 200: AccountCreated },
    errors: { 404: { codes: ['no_such_user'] } },
  },
  {
    method: 'POST',
    path: '/api/accounts/:userId/rebind',
    summary: 'Change the role binding of an account (supervisors); every session of it ends',
    access: bearer,
    body: RebindRequest,
    responses: { 200: UserSummary },
    errors: { 404: { codes: ['no_such_user'] }, 409: { codes: ['own_account', 'last_supervisor', 'inspector_has_account'] } },
  },
  {
    method: 'GET',
    path: '/api/staff',
    summary: 'An agency’s inspector records with their accounts (agency admins: their own; supervisors: name the agency)',
    access: bearer,
    query: StaffQuery,
    responses: { 200: StaffList },
  },
  {
    method: 'POST',
    path: '/api/staff',
    summary: 'A new inspector record and its account in one step (agency admins; supervisors name the agency)',
    access: bearer,
    body: CreateStaffRequest,
    responses: { 200: StaffCreated },
    errors: { 409: { codes: ['username_taken'] } },
  },
  {
    method: 'POST',
    path: '/api/staff/:inspectorId/active',
    summary: 'Mark an inspector record active or inactive, its account enabled or disabled with it',
    access: bearer,
    body: StaffActiveRequest,
    responses: { 200: StaffMember },
    errors: { 404: { codes: ['no_such_inspector'] } },
  },
  {
    method: 'POST',
    path: '/api/activation-codes',
    summary: 'An activation code for one enterprise, valid 90 days, single use (supervisors); it replaces an unused one',
    access: bearer,
    body: IssueActivationRequest,
    responses: { 200: ActivationIssued },
    errors: { 404: { codes: ['unknown_enterprise'] }, 409: { codes: ['already_activated', 'enterprise_deregistered'] } },
  },
  {
    method: 'POST',
    path: '/api/activation-codes/bulk',
    summary: 'Activation codes for a list of enterprises or every one without an account or unused code, as CSV (supervisors)',
    access: bearer,
    body: BulkActivationRequest,
    responses: { 200: 'text' },
  },
  {
    method: 'POST',
    path: '/api/activate',
    summary: 'An enterprise activates its account with its code and chooses its password; the answer is a session',
    access: 'public',
    body: ActivateRequest,
    responses: { 200: SessionResponse },
    errors: {
      400: { codes: ['bad_activation', 'weak_password'] },
      409: { codes: ['already_activated', 'username_taken', 'enterprise_deregistered'] },
      429: { codes: ['rate_limited'] },
    },
  },
];
