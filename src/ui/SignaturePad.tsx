/** A handwritten signature (signature_pad on a canvas), returned as a PNG. STUB. */
import type { JSX } from 'solid-js';

export function SignaturePad(_p: { label: string; testid?: string; onDone: (png: Blob) => void; onClear?: () => void }): JSX.Element {
  return null;
}
