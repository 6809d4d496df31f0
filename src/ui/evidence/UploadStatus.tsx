/** "N files wait for the server" / "uploading 40 %" / the last error: shown wherever evidence is taken. STUB. */
import type { JSX } from 'solid-js';

export function UploadStatus(): JSX.Element {
  return null;
}
