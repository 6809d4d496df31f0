/**
 * The upload queue of evidence files: one file at a time, oldest first (a photo's thumbnail before the photo),
 * resumable: it asks the server where the file stands (POST /api/evidence/uploads), then sends
 * EVIDENCE_CHUNK_BYTES slices from that offset until the server holds the whole verified file. It runs on
 * `kickUploads()` (after a file is kept), on the `online` event and every 30 s while files wait.
 * - 409 upload_offset: the server is elsewhere (another tab, a lost answer): continue from its offset.
 * - 422 evidence_hash_mismatch: the stored bytes do not hash to their name. An honest phone never sees it; the
 *   file is marked damaged and never sent again (shown as an error). So is a file whose content the server
 *   refuses by type or size (415, 413).
 * - a network error, 401, 429 or a server error ends the round; the next one resumes from the server's offset.
 *   Any other refusal (403, 404: this user may not upload for that enterprise) skips the file for this round:
 *   the files behind it still go.
 * Progress is a Solid signal (`uploadProgress`); `localOnly` is the set of digests the server does not hold
 * yet (the thumbnails' data-state).
 */
import { createSignal, type Accessor, type Signal } from 'solid-js';
import { EVIDENCE_CHUNK_BYTES } from '../domain/evidence';
import type { Text } from '../domain/schemas';
import { ApiError } from './agent';
import { evidenceApi, offsetOf, type EvidenceApi } from './evidence-api';
import type { EvidenceStore, KeptFile } from './evidence-store';

export interface UploadProgress {
  /** files kept on this phone that the server does not hold yet (thumbnails not counted) */
  pending: number;
  bytesLeft: number;
  /** the file being sent */
  active: { sha256: string; sent: number; size: number } | null;
  /** the last failure (shown; the queue retries) */
  error: { zh: string; en: string } | null;
}

const IDLE: UploadProgress = { pending: 0, bytesLeft: 0, active: null, error: null };
const DAMAGED: Text = {
  zh: '有证据文件在本机已损坏，服务器拒收（内容与摘要不符），请重新拍摄或选择该文件',
  en: 'An evidence file on this phone is damaged and the server refused it (its content does not match its digest): take or choose it again',
};
const STOPPED: Text = { zh: '上传中断，稍后自动重试', en: 'The upload stopped; it retries shortly' };

export interface UploadQueueOptions {
  store: Pick<EvidenceStore, 'waiting' | 'localOnly' | 'markUploaded' | 'markDamaged' | 'onChange'>;
  api: Pick<EvidenceApi, 'startUpload' | 'sendChunk'>;
  /** retry period while files wait (default 30 s) */
  intervalMs?: number;
  /** listen to `online` and retry on the timer (default true in a browser) */
  auto?: boolean;
  /** whether to try at all (default: navigator.onLine); offline, files just wait without an error */
  isOnline?: () => boolean;
  /** the signals to write (default: the queue's own) */
  signals?: { progress: Signal<UploadProgress>; localOnly: Signal<ReadonlySet<string>> };
}

export interface UploadQueue {
  progress: Accessor<UploadProgress>;
  /** digests kept on this phone that the server does not hold yet (waiting or damaged) */
  localOnly: Accessor<ReadonlySet<string>>;
  /** start a round (or mark that another is wanted when one runs) */
  kick(): void;
  /** one full round, resolved when it ends (tests) */
  run(): Promise<void>;
  stop(): void;
}

export function createUploadQueue(o: UploadQueueOptions): UploadQueue {
  const [progress, setProgress] = o.signals?.progress ?? createSignal<UploadProgress>(IDLE);
  const [localOnly, setLocalOnly] = o.signals?.localOnly ?? createSignal<ReadonlySet<string>>(new Set(), { equals: false });
  const auto = o.auto ?? typeof window !== 'undefined';
  const isOnline = o.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  let running: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** the last refusal of a file for good (shown until the page reloads) */
  let refusedText: Text | null = null;

  const refreshLocal = () => {
    void o.store.localOnly().then(setLocalOnly, () => undefined);
  };
  const unsubscribe = o.store.onChange(refreshLocal);
  refreshLocal();

  const summary = (files: KeptFile[], active: UploadProgress['active'], error: Text | null): UploadProgress => ({
    // a photo and its thumbnail are one file to the user
    pending: files.filter((f) => !f.thumbOf).length,
    bytesLeft: files.reduce((n, f) => n + f.blob.size, 0) - (active?.sent ?? 0),
    active,
    error,
  });

  /** send one file from the server's offset; 'done', or the server's refusal of its content for good */
  async function sendFile(f: KeptFile, files: KeptFile[]): Promise<'done' | { refused: Text }> {
    try {
      let st = await o.api.startUpload({ sha256: f.sha256, kind: f.ref.kind, type: f.ref.type, size: f.blob.size, uscc: f.uscc });
      let offset = st.offset;
      for (let guard = 0; !st.complete; guard++) {
        if (guard > 4 * Math.ceil(f.blob.size / EVIDENCE_CHUNK_BYTES) + 8) throw new Error('upload makes no progress');
        setProgress(summary(files, { sha256: f.sha256, sent: offset, size: f.blob.size }, null));
        try {
          st = await o.api.sendChunk(f.sha256, offset, f.blob.slice(offset, Math.min(offset + EVIDENCE_CHUNK_BYTES, f.blob.size)));
          offset = st.offset;
        } catch (e) {
          const at = offsetOf(e);
          if (at === null) throw e;
          offset = at;
        }
      }
      return 'done';
    } catch (e) {
      // bytes that do not hash to their name, or content the server refuses by type or size: sending them
      // again cannot help
      if (e instanceof ApiError && e.code === 'evidence_hash_mismatch') return { refused: DAMAGED };
      if (e instanceof ApiError && (e.status === 413 || e.status === 415)) return { refused: e.text };
      throw e;
    }
  }

  /** a failure that ends the round (the next one retries): offline, signed out, quota, the server's trouble */
  const endsRound = (e: unknown) => !(e instanceof ApiError) || e.network || e.status === 401 || e.status === 429 || e.status >= 500;

  async function round(): Promise<void> {
    let files: KeptFile[];
    try {
      files = await o.store.waiting();
    } catch {
      return;
    }
    let error: Text | null = refusedText;
    /** files refused in this round for this user (rights): they wait, the files behind them still go */
    const skipped: KeptFile[] = [];
    setProgress(summary(files, null, error));
    if (!isOnline()) return;
    while (files.length) {
      const f = files[0];
      try {
        const r = await sendFile(f, [...skipped, ...files]);
        if (r === 'done') await o.store.markUploaded(f.sha256);
        else {
          refusedText = error = r.refused;
          await o.store.markDamaged(f.sha256);
        }
      } catch (e) {
        error = e instanceof ApiError ? (e.network ? STOPPED : e.text) : STOPPED;
        if (endsRound(e)) {
          setProgress(summary([...skipped, ...files], null, error));
          return;
        }
        skipped.push(f);
      }
      files = files.slice(1);
      setProgress(summary([...skipped, ...files], null, error));
    }
  }

  function schedule(): void {
    if (!auto || timer) return;
    timer = setTimeout(() => {
      timer = null;
      kick();
    }, o.intervalMs ?? 30_000);
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again);
    })().finally(() => {
      running = null;
      if (progress().bytesLeft > 0) schedule();
    });
    return running;
  }
  function kick(): void {
    void run();
  }

  const onOnline = () => kick();
  if (auto) {
    window.addEventListener('online', onOnline);
    kick();
  }

  return {
    progress,
    localOnly,
    kick,
    run,
    stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      if (auto) window.removeEventListener('online', onOnline);
    },
  };
}

// ---------- the app's queue (evidence-store.ts attaches its store when it loads) ----------

let queue: UploadQueue | null = null;
const appProgress = createSignal<UploadProgress>(IDLE);
const appLocal = createSignal<ReadonlySet<string>>(new Set(), { equals: false });

/** The app's queue over the app's store (called once by evidence-store.ts). */
export function attachUploadStore(store: UploadQueueOptions['store'], api: UploadQueueOptions['api'] = evidenceApi): void {
  queue ??= createUploadQueue({ store, api, signals: { progress: appProgress, localOnly: appLocal } });
}

export const uploadProgress: Accessor<UploadProgress> = appProgress[0];
/** digests kept on this phone that the server does not hold yet */
export const localOnlyDigests: Accessor<ReadonlySet<string>> = appLocal[0];

/** 'local' while this phone holds a file the server does not have yet, else 'uploaded' */
export function uploadedState(sha256: string): 'local' | 'uploaded' {
  return appLocal[0]().has(sha256) ? 'local' : 'uploaded';
}

/** Start (or nudge) the queue: call after keeping a file and when the phone comes online. */
export function kickUploads(): void {
  queue?.kick();
}
