/**
 * The certificate registry on the wire (server/registry/): issue, renew, suspend, reinstate, revoke, and the
 * yearly clean-up (年度清理). The registry doc `registry/certificates` is written by the server only; these
 * routes are the one way to change it. zod only, no I/O.
 *
 * Supervisors (the justice bureau) do everything; an agency admin reads the certificates of their own
 * agency's inspectors; inspectors, enterprises and the public do not use these routes (phones read the doc,
 * enterprises verify one certificate through a check code).
 */
import { z } from 'zod';
import { Certificate, CertificateNumber, CertificateStatus, Id, IsoDate, LEN } from '../domain/schemas';
import type { Operation } from './operation';

const Reason = z.string().trim().min(2, 'give a reason (at least 2 characters)').max(LEN.note);

/** GET /api/certificates: filters and paging (an agency admin's `agencyId` is always their own) */
export const CertificateQuery = z.object({
  status: CertificateStatus.optional(),
  agencyId: Id.optional(),
  /** part of the number, the holder's name or the inspector id */
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type CertificateQuery = z.input<typeof CertificateQuery>;

export const CertificatePage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(Certificate) });
export type CertificatePage = z.infer<typeof CertificatePage>;

/** POST /api/certificates: the holder's name and agency come from the inspector record */
export const IssueCertificateRequest = z
  .object({
    number: z.string().trim().pipe(CertificateNumber),
    inspectorId: Id,
    issuedOn: IsoDate,
    expiresOn: IsoDate,
  })
  .strict()
  .refine((r) => r.issuedOn <= r.expiresOn, { message: 'the expiry date is before the issue date', path: ['expiresOn'] });
export type IssueCertificateRequest = z.input<typeof IssueCertificateRequest>;

/** POST /api/certificates/:number/renew */
export const RenewCertificateRequest = z.object({ expiresOn: IsoDate }).strict();
export type RenewCertificateRequest = z.input<typeof RenewCertificateRequest>;

/** POST /api/certificates/:number/suspend and /revoke: the reason is required */
export const CertificateReasonRequest = z.object({ reason: Reason }).strict();
export type CertificateReasonRequest = z.input<typeof CertificateReasonRequest>;

/** POST /api/certificates/:number/reinstate: nothing to say */
export const ReinstateCertificateRequest = z.object({}).strict();

/** why a certificate is listed for the yearly clean-up */
export const CleanupReason = z.enum(['expired', 'expiring', 'holder_inactive', 'no_account', 'no_holder']);
export type CleanupReason = z.infer<typeof CleanupReason>;

/** GET /api/certificates/cleanup: certificates expired, expiring within `withinDays`, or whose holder is gone */
export const CleanupQuery = z.object({ withinDays: z.coerce.number().int().min(0).max(3660).default(60) });
export type CleanupQuery = z.input<typeof CleanupQuery>;

export const CleanupItem = z.object({ certificate: Certificate, reasons: z.array(CleanupReason).min(1) });
export type CleanupItem = z.infer<typeof CleanupItem>;

export const CleanupView = z.object({ asOf: IsoDate, withinDays: z.number().int(), items: z.array(CleanupItem) });
export type CleanupView = z.infer<typeof CleanupView>;

/** the most certificates one clean-up confirms */
export const CLEANUP_MAX = 5000;

/** POST /api/certificates/cleanup: the selected certificates, revoked with one reason or renewed to one date */
export const CleanupRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('revoke'), numbers: z.array(CertificateNumber).min(1).max(CLEANUP_MAX), reason: Reason }).strict(),
  z.object({ action: z.literal('renew'), numbers: z.array(CertificateNumber).min(1).max(CLEANUP_MAX), expiresOn: IsoDate }).strict(),
]);
export type CleanupRequest = z.input<typeof CleanupRequest>;

export const CleanupResult = z.object({
  action: z.enum(['revoke', 'renew']),
  changed: z.array(z.string()),
  /** selected but left as they were: unknown, already revoked, or the new expiry is not later */
  skipped: z.array(z.object({ number: z.string(), reason: z.string() })),
});
export type CleanupResult = z.infer<typeof CleanupResult>;

const conflict = { codes: ['certificate_exists', 'certificate_state'] };
const missing = { codes: ['not_found'] };

/** the registry routes (src/protocol/api.ts lists every route) */
export const REGISTRY_OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/api/certificates',
    summary: 'Certificates, by number (supervisors: all; agency admins: their agency’s)',
    access: 'bearer',
    query: CertificateQuery,
    responses: { 200: CertificatePage },
  },
  {
    method: 'POST',
    path: '/api/certificates',
    summary: 'Issue a certificate to an inspector record (supervisors); the record takes its number',
    access: 'bearer',
    body: IssueCertificateRequest,
    responses: { 201: Certificate },
    errors: { 404: { codes: ['not_found'] }, 409: { codes: ['certificate_exists', 'inspector_inactive'] } },
  },
  {
    method: 'POST',
    path: '/api/certificates/:number/renew',
    summary: 'A new expiry date (supervisors; not for a revoked certificate)',
    access: 'bearer',
    body: RenewCertificateRequest,
    responses: { 200: Certificate },
    errors: { 404: missing, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/certificates/:number/suspend',
    summary: 'Suspend a valid certificate, with a reason (supervisors)',
    access: 'bearer',
    body: CertificateReasonRequest,
    responses: { 200: Certificate },
    errors: { 404: missing, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/certificates/:number/reinstate',
    summary: 'Lift a suspension (supervisors; a revoked certificate is never reinstated)',
    access: 'bearer',
    body: ReinstateCertificateRequest,
    responses: { 200: Certificate },
    errors: { 404: missing, 409: conflict },
  },
  {
    method: 'POST',
    path: '/api/certificates/:number/revoke',
    summary: 'Revoke a certificate for good, with a reason (supervisors)',
    access: 'bearer',
    body: CertificateReasonRequest,
    responses: { 200: Certificate },
    errors: { 404: missing, 409: conflict },
  },
  {
    method: 'GET',
    path: '/api/certificates/cleanup',
    summary: 'The yearly clean-up: expired, expiring, or held by someone no longer active (supervisors)',
    access: 'bearer',
    query: CleanupQuery,
    responses: { 200: CleanupView },
  },
  {
    method: 'POST',
    path: '/api/certificates/cleanup',
    summary: 'Confirm the clean-up: revoke the selected with one reason, or renew them to one date (supervisors)',
    access: 'bearer',
    body: CleanupRequest,
    responses: { 200: CleanupResult },
  },
];
