/**
 * Evidence kept on the phone (IndexedDB) until the server has it: photos, files, signature images and PDF
 * documents, each named by its SHA-256. `keepFile` checks the limits (src/domain/evidence.ts), hashes, makes a
 * thumbnail of a photo, stores both locally and queues the upload (client/evidence-upload.ts).
 * STUB: the contract only; the implementation lands with the evidence work.
 */
import type { EvidenceKind, EvidenceRef } from '../domain/schemas';

/** A file refused before storing (wrong type, too large): its bilingual message and code (domain/evidence.ts LimitProblem). */
export class EvidenceLimitError extends Error {
  constructor(
    readonly code: string,
    readonly text: { zh: string; en: string },
  ) {
    super(text.en);
  }
}

/** Keep a file as evidence of `uscc`'s ledger: stored locally at once (offline too), uploaded when online. */
export async function keepFile(_blob: Blob, _o: { kind: EvidenceKind; uscc: string; name?: string }): Promise<EvidenceRef> {
  throw new Error('not implemented');
}

/** The bytes of a file kept on this phone, or null. */
export async function localFile(_sha256: string): Promise<Blob | null> {
  return null;
}

/** An object URL for a file: the local copy first, else fetched from the server with the session (null when neither has it). */
export async function evidenceUrl(_uscc: string, _sha256: string): Promise<string | null> {
  return null;
}
