/**
 * Save an evidence file (a document's PDF) to the device: the copy kept on this phone first, else the server's
 * (GET /api/evidence/:uscc/:sha256 with the session; an object URL cannot be fetched under the CSP).
 */
import { evidenceApi } from '../client/evidence-api';
import { localFile } from '../client/evidence-store';
import { saveBlob } from '../client/save-file';

/** Throws when neither this phone nor the server has the file (offline, or not uploaded yet). */
export async function saveEvidence(uscc: string, sha256: string, filename: string, missing: { zh: string; en: string }): Promise<void> {
  const blob = (await localFile(sha256)) ?? (await evidenceApi.file(uscc, sha256));
  if (!blob) throw Object.assign(new Error(missing.en), { text: missing });
  saveBlob(blob, filename);
}
