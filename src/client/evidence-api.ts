/**
 * Evidence files over HTTP (server/evidence/routes.ts, src/protocol/evidence.ts) through the API agent: start or
 * resume an upload, send a chunk at the server's offset, read a file of a ledger. Framework-free (Node tests
 * pass their own agent).
 */
import { OffsetDetails, UploadState, type UploadStart } from '../protocol/evidence';
import { agent as browserAgent, ApiError, type Agent } from './agent';

const S = 'session' as const;
const seg = encodeURIComponent;

export function createEvidenceApi(agent: Agent) {
  return {
    /** start an upload, or ask where an earlier one stands (idempotent): the offset to send from */
    startUpload: (body: UploadStart) => agent.call(UploadState, '/api/evidence/uploads', { body, auth: S }),
    /** one chunk at `offset` (≤ EVIDENCE_CHUNK_BYTES); the answer says where the upload now stands */
    sendChunk: (sha256: string, offset: number, chunk: Blob) =>
      agent.call(UploadState, `/api/evidence/uploads/${seg(sha256)}`, {
        query: { offset },
        raw: { data: chunk, type: 'application/octet-stream' },
        auth: S,
      }),
    /** a file some record of `uscc`'s ledger points at; null when the server does not hold it (404) */
    async file(uscc: string, sha256: string): Promise<Blob | null> {
      try {
        return (await agent.download(`/api/evidence/${seg(uscc)}/${seg(sha256)}`, { auth: S })).blob;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  };
}
export type EvidenceApi = ReturnType<typeof createEvidenceApi>;

/** the server's offset carried by a 409 upload_offset, or null for any other error */
export function offsetOf(e: unknown): number | null {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'upload_offset') return null;
  const d = OffsetDetails.safeParse(e.details);
  return d.success ? d.data.offset : null;
}

export const evidenceApi = createEvidenceApi(browserAgent);
