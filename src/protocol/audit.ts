/**
 * The audit trail on the wire (server/audit/): every administrative action, who did it, when, and the
 * value before and after. zod only, no I/O.
 */
import { z } from 'zod';
import { Id, IsoDate, IsoDateTime } from '../domain/schemas';
import type { Operation } from './operation';

/** who acted: a signed-in user, or the administrator's command on the server (role `cli`) */
export const AuditActor = z.object({ userId: z.string().max(80), name: z.string().max(200), role: z.string().max(20) });
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditEntry = z.object({
  id: z.number().int().positive(),
  at: IsoDateTime,
  actor: AuditActor,
  /** the agency the action concerns (its admins see the entry); absent for city-wide actions */
  agencyId: Id.optional(),
  /** what was done, `<area>.<verb>`: `account.create`, `certificate.revoke`, `policy.schedule`, … */
  action: z.string().max(60),
  /** what it was done to: `user:u-li`, `certificate:SX-123`, `enterprise:9114…`, `import:42` */
  target: z.string().max(200),
  /** the value before and after (secrets never appear: no password, hash, one-time password or activation code) */
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** GET /api/audit and /api/audit.csv: filters; an agency admin's `agencyId` is always their own */
export const AuditQuery = z.object({
  /** the acting user's id or name (part of it) */
  actor: z.string().trim().max(80).optional(),
  /** an action or its area: `account` matches `account.create`, `account.disable`, … */
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-z_.]*$/, 'action: lowercase letters, _ and .')
    .optional(),
  agencyId: Id.optional(),
  /** text in the target (a user name, a certificate number, a USCC) */
  target: z.string().trim().max(100).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(AuditEntry) });
export type AuditPage = z.infer<typeof AuditPage>;

export const AUDIT_OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/api/audit',
    summary: 'The audit trail, newest first (supervisors: every entry; agency admins: their agency’s)',
    access: 'bearer',
    query: AuditQuery,
    responses: { 200: AuditPage },
  },
  {
    method: 'GET',
    path: '/api/audit.csv',
    summary: 'The audit trail with the same filters, as CSV (UTF-8 with BOM, for Excel; at most 100,000 rows)',
    access: 'bearer',
    query: AuditQuery.omit({ limit: true, offset: true }),
    responses: { 200: 'text' },
  },
];
