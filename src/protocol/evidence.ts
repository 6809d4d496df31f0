/**
 * Evidence files and rectification follow-ups on the wire (server/evidence/, server/followups/). zod only, no I/O.
 *
 * Files are content-addressed: a file's name is the SHA-256 of its bytes, stored under DATA_DIR outside the Yjs
 * documents; the ledger records hold the digests (signed), never the bytes. An upload is resumable: start (or
 * resume) it, then send chunks at the server's offset; the last chunk completes it, and bytes that do not hash
 * to their name are refused (422) and dropped.
 *
 * Who may do what:
 * - upload: inspectors and agency admins (any enterprise: the record that points at the file is checked by the
 *   ledger's rules), an enterprise (its own uscc only); supervisors and the public never. A chunk belongs to the
 *   user who started that upload.
 * - read `GET /api/evidence/:uscc/:sha256`: who may read `ledger/<uscc>` (that enterprise, every agency's staff,
 *   supervisors), and only a file some record of that ledger points at (otherwise 404, as for a file that
 *   does not exist). A stored file that no longer hashes to its name is never served (409 `evidence_damaged`).
 * - follow-ups `GET /api/followups`: an agency's staff see their agency's, supervisors every agency's (or one).
 */
import { z } from 'zod';
import { EvidenceKind, EvidenceType, Id, IsoDate, IsoDateTime, Sha256Hex, UsccShape } from '../domain/schemas';
import { EVIDENCE_CHUNK_BYTES, EVIDENCE_MAX_BYTES } from '../domain/evidence';
import type { Operation } from './operation';

/** POST /api/evidence/uploads: start an upload, or ask where an earlier one stands (idempotent) */
export const UploadStart = z.object({
  sha256: Sha256Hex,
  kind: EvidenceKind,
  type: EvidenceType,
  size: z.number().int().min(1).max(EVIDENCE_MAX_BYTES),
  /** the enterprise whose ledger the file belongs to */
  uscc: UsccShape,
});
export type UploadStart = z.infer<typeof UploadStart>;

/** where an upload stands: send the next chunk at `offset`; `complete` when the server holds the whole verified file */
export const UploadState = z.object({
  sha256: Sha256Hex,
  size: z.number().int(),
  offset: z.number().int().min(0),
  complete: z.boolean(),
});
export type UploadState = z.infer<typeof UploadState>;

/** POST /api/evidence/uploads/:sha256?offset=N with the chunk's bytes (application/octet-stream) */
export const ChunkQuery = z.object({ offset: z.coerce.number().int().min(0).max(EVIDENCE_MAX_BYTES) });
/** 409 upload_offset: the chunk was not at the server's offset; resend from `offset` */
export const OffsetDetails = z.object({ offset: z.number().int() });

// ---------- follow-ups (整改复查) ----------

/**
 * open: waiting for the enterprise's report · reported: a report waits for the agency · accepted: done ·
 * rejected: the last report was not accepted (the enterprise reports again) · overdue: past the deadline
 * without an accepted report
 */
export const FollowUpStatus = z.enum(['open', 'reported', 'accepted', 'rejected', 'overdue']);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

export const FollowUpQuery = z.object({
  /** supervisors: one agency (default every agency); an agency's staff: their own only */
  agencyId: Id.optional(),
  status: z.enum(['open', 'reported', 'accepted', 'rejected', 'overdue', 'pending', 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type FollowUpQuery = z.infer<typeof FollowUpQuery>;

export const FollowUpRow = z.object({
  /** the result that ordered rectification */
  resultId: Id,
  entryId: Id,
  uscc: UsccShape,
  enterpriseName: z.string(),
  agencyId: Id,
  rectifyBy: IsoDate,
  status: FollowUpStatus,
  /** the follow-up task in tasks/<agencyId>/<year>, when made */
  taskId: Id.nullable(),
  /** the last report, when any */
  reportId: Id.nullable(),
  reportedAt: IsoDateTime.nullable(),
  decidedAt: IsoDateTime.nullable(),
});
export type FollowUpRow = z.infer<typeof FollowUpRow>;
export const FollowUpPage = z.object({ total: z.number().int(), items: z.array(FollowUpRow) });
export type FollowUpPage = z.infer<typeof FollowUpPage>;

export const EVIDENCE_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/api/evidence/uploads',
    summary: 'Start or resume the upload of an evidence file named by its SHA-256 (inspectors, agency admins, the enterprise for its own ledger)',
    access: 'bearer',
    body: UploadStart,
    responses: { 200: UploadState },
    errors: { 404: { codes: ['not_found'] }, 429: { codes: ['evidence_quota'] } },
  },
  {
    method: 'POST',
    path: '/api/evidence/uploads/:sha256',
    summary: 'Send the next chunk of an upload at the server offset; the last chunk is verified against the SHA-256 (the user who started it)',
    access: 'bearer',
    query: ChunkQuery,
    rawBody: { mediaTypes: ['application/octet-stream'], maxBytes: EVIDENCE_CHUNK_BYTES },
    responses: { 200: UploadState },
    errors: {
      404: { codes: ['not_found'] },
      409: { codes: ['upload_offset'], details: OffsetDetails },
      422: { codes: ['evidence_hash_mismatch'] },
    },
  },
  {
    method: 'GET',
    path: '/api/evidence/:uscc/:sha256',
    summary: "An evidence file some record of the enterprise's ledger points at (who may read that ledger)",
    access: 'bearer',
    responses: { 200: 'text' },
    errors: { 404: { codes: ['not_found'] }, 409: { codes: ['evidence_damaged'] } },
  },
  {
    method: 'GET',
    path: '/api/followups',
    summary: "Rectification follow-ups: an agency's own, or every agency's for supervisors",
    access: 'bearer',
    query: FollowUpQuery,
    responses: { 200: FollowUpPage },
  },
];
