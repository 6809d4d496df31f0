/** Thumbnails of a record's evidence (photos as images, files as named links), local copy first. STUB. */
import type { JSX } from 'solid-js';
import type { EvidenceRef } from '../../domain/schemas';

export function EvidenceThumbs(_p: { uscc: string; refs: readonly EvidenceRef[] }): JSX.Element {
  return null;
}
