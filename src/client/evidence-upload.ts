/**
 * The upload queue of evidence files: runs whenever the phone is online (and at start), resumable (asks the
 * server for its offset, then sends 1 MiB chunks from there), one file at a time, progress as a signal.
 * STUB: the contract only.
 */
import { createSignal } from 'solid-js';

export interface UploadProgress {
  /** files kept on this phone that the server does not hold yet */
  pending: number;
  bytesLeft: number;
  /** the file being sent */
  active: { sha256: string; sent: number; size: number } | null;
  /** the last failure (shown; the queue retries) */
  error: { zh: string; en: string } | null;
}

const [progress, setProgress] = createSignal<UploadProgress>({ pending: 0, bytesLeft: 0, active: null, error: null });
export const uploadProgress = progress;
void setProgress;

/** Start (or nudge) the queue: call after keeping a file and when the phone comes online. */
export function kickUploads(): void {}
