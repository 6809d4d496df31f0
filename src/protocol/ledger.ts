/**
 * The ledger's side of the API: quarantined records (server/ledger/routes.ts), what a check code stands
 * for (server/codes/routes.ts) and the handbooks (一业一册, server/directory/routes.ts). zod only: no I/O.
 */
import { z } from 'zod';
import { HandbookChapter, InspectionKind, UsccShape } from '../domain/schemas';

/** GET /api/quarantine?uscc=&limit=&offset= (supervisors) */
export const QuarantineQuery = z.object({
  uscc: UsccShape.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
/** a ledger record the relay refused (server/ledger/quarantine.ts), without its bytes */
export const QuarantineItem = z.object({
  room: z.string(),
  uscc: z.string().nullable(),
  recordId: z.string(),
  userId: z.string(),
  /** signature failures, `not_author`, or a record rule (server/sync/record-rules.ts) */
  reason: z.string(),
  kid: z.string().nullable(),
  record: z.unknown(),
  bytes: z.number().int(),
  /** ms since the epoch, when it was first refused */
  at: z.number(),
  /** how many times this record was sent again after it was first quarantined */
  resent: z.number().int(),
});
export type QuarantineItem = z.infer<typeof QuarantineItem>;
export const QuarantinePage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(QuarantineItem) });
export type QuarantinePage = z.infer<typeof QuarantinePage>;

/** POST /api/check-code/details {code} */
export const CheckCodeDetailsRequest = z.object({ code: z.string().min(1).max(4000) });
export const CertState = z.enum(['valid', 'expired', 'revoked', 'unknown']);
export type CertState = z.infer<typeof CertState>;
/** what a check code (检查码) stands for, from the server's documents */
export const CheckCodeDetails = z.object({
  taskId: z.string(),
  uscc: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  issuedAt: z.string(),
  agency: z.object({ id: z.string(), name: z.string(), nameEn: z.string() }),
  inspectors: z.array(
    z.object({ id: z.string().nullable(), name: z.string().nullable(), cert: z.string(), state: CertState, expiresOn: z.string().nullable() }),
  ),
  task: z.object({
    found: z.boolean(),
    kind: InspectionKind.optional(),
    method: z.string().optional(),
    status: z.string().optional(),
    items: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string(), legalBasis: z.string() })),
  }),
  plan: z.object({ year: z.number().int(), status: z.string().nullable(), filed: z.boolean(), changedSinceFiling: z.boolean().nullable() }),
});
export type CheckCodeDetails = z.infer<typeof CheckCodeDetails>;

/** GET /api/handbooks?industry= (public): the chapters of 一业一册 for one industry (server/directory/routes.ts) */
export const HandbookQuery = z.object({ industry: z.string().min(1).max(60) });
export const Handbooks = z.object({ industry: z.string(), chapters: z.array(z.object({ agencyId: z.string(), chapter: HandbookChapter })) });
export type Handbooks = z.infer<typeof Handbooks>;
