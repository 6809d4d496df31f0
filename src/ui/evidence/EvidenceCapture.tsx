/**
 * Take photos with the camera (getUserMedia, rear camera preferred) and attach files, kept as evidence of the
 * enterprise's ledger at once (offline too). STUB.
 */
import type { JSX } from 'solid-js';
import type { EvidenceRef } from '../../domain/schemas';

export function EvidenceCapture(_p: { uscc: string; onAdded: (ref: EvidenceRef) => void; photos?: boolean; files?: boolean }): JSX.Element {
  return null;
}
