/**
 * Browser side of the scanner harness (bundled by harness.ts with esbuild). Exposes `window.harness`.
 * Only test code: it drives src/scan/scanner.ts and src/domain/codes.ts exactly as a page would.
 */
import jsQR from 'jsqr';
import { createScanner, type Scanner } from '../../src/scan/scanner';
import { verifyCode, type Jwks, type VerifyResult } from '../../src/domain/codes';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { generateDeviceKey, type DeviceKey } from '../../src/domain/record-signing';
import { checkScan, appendEntry } from '../../src/pages/inspector/checkin-logic';
import type { Task } from '../../src/domain/schemas';

export interface ScanOnce {
  text: string;
  verified: VerifyResult;
  native: boolean;
  decoder: Scanner['decoder'];
}
export interface LatencyRun {
  ok: boolean;
  reason?: string;
  decodeMs?: number;
  verifyMs?: number;
  storedMs?: number;
  text?: string;
}

const BENCH_TEAM = [
  { inspectorId: 'insp-city-market-1', name: '王建国', certificateNumber: '14030001', certificateValid: true },
  { inspectorId: 'insp-city-market-2', name: '李秀英', certificateNumber: '14030002', certificateValid: true },
];

/** A ledger doc persisted in IndexedDB exactly as the app's DocPool keeps it, and a device key. */
let ledgerStore: { doc: Y.Doc; idb: IndexeddbPersistence; key: DeviceKey } | null = null;
async function ledger(): Promise<NonNullable<typeof ledgerStore>> {
  if (!ledgerStore) {
    const doc = new Y.Doc();
    const idb = new IndexeddbPersistence(`bench-ledger-${Date.now()}`, doc);
    await idb.whenSynced;
    ledgerStore = { doc, idb, key: await generateDeviceKey() };
  }
  return ledgerStore;
}

/**
 * Resolves once what y-indexeddb wrote for the last update is committed: it opens a readwrite
 * transaction on its 'updates' store synchronously in the doc's update event, and a later transaction
 * on the same store only runs after it completes.
 */
function committed(idb: IndexeddbPersistence): Promise<void> {
  const db = (idb as unknown as { db: IDBDatabase | null }).db;
  if (!db) return Promise.reject(new Error('IndexedDB not open'));
  return new Promise((resolve, reject) => {
    const tx = db.transaction(['updates'], 'readonly');
    tx.objectStore('updates').count();
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

let scanner: Scanner | null = null;
const reader = () => document.getElementById('reader')!;
const native = () => 'BarcodeDetector' in window;

/** Mean grey of the marker square (8..40, 8..40) of the current video frame, from a tiny canvas. */
function markerProbe(video: HTMLVideoElement): () => number {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  return () => {
    const sx = video.videoWidth / 640,
      sy = video.videoHeight / 480;
    ctx.drawImage(video, 12 * sx, 12 * sy, 24 * sx, 24 * sy, 0, 0, 8, 8);
    const d = ctx.getImageData(0, 0, 8, 8).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i];
    return s / 64;
  };
}

async function waitForVideo(root: HTMLElement, timeoutMs = 10_000): Promise<HTMLVideoElement> {
  const t = performance.now();
  for (;;) {
    const v = root.querySelector('video');
    if (v && v.readyState >= 2 && v.videoWidth > 0) return v;
    if (performance.now() - t > timeoutMs) throw new Error('no video');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * rVFC only reports the newest frame when the main thread gets to it: frames are skipped while a decode
 * blocks it. The code may thus have appeared on any frame after the last blank one seen, so t0 is the
 * earliest possible: one frame (33 ms at 30 fps) after that blank frame (the latency is an upper bound).
 */
function earliestOnset(darkSeenAt: number, lastLightAt: number): number {
  return Math.min(darkSeenAt, lastLightAt + 1000 / 30);
}

/**
 * Watch the video frames (requestVideoFrameCallback) of `video`: arm on the first frame without the code
 * (marker light), then record the presentation time of the first frame that shows it (marker dark).
 */
function watchCodeOnset(video: HTMLVideoElement): { armed: () => boolean; onset: () => number | null; stop: () => void } {
  const probe = markerProbe(video);
  let armed = false,
    onset: number | null = null,
    stopped = false,
    lastLight = 0;
  const cb = (now: number, meta: VideoFrameCallbackMetadata) => {
    if (stopped) return;
    const g = probe();
    const t = Math.min(now, meta.presentationTime ?? now);
    if (g > 160) {
      armed = true;
      lastLight = t;
    } else if (armed && onset === null && g < 80) onset = earliestOnset(t, lastLight);
    video.requestVideoFrameCallback(cb);
  };
  video.requestVideoFrameCallback(cb);
  return {
    armed: () => armed,
    onset: () => onset,
    stop: () => {
      stopped = true;
    },
  };
}

const harness = {
  native,
  /** Start the scanner on #reader and resolve with the first text read and its verification. */
  async scanOnce(jwks: Jwks, timeoutMs = 20_000): Promise<ScanOnce> {
    scanner ??= createScanner();
    const text = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('scan timeout')), timeoutMs);
      scanner!
        .start(reader(), (s) => {
          clearTimeout(t);
          resolve(s);
        })
        .catch(reject);
    });
    return { text, verified: await verifyCode(text, jwks), native: native(), decoder: scanner!.decoder };
  },
  state: () => scanner?.state ?? 'idle',
  /** the scanner's primary decoder (after its first start) */
  decoder: () => scanner?.decoder ?? null,
  async stop() {
    await scanner?.stop();
  },
  /** overlapping start/stop calls must not throw (serialised) */
  async hammer(): Promise<string> {
    scanner ??= createScanner();
    const noop = () => {};
    const ps = [
      scanner.start(reader(), noop),
      scanner.stop(),
      scanner.start(reader(), noop),
      scanner.start(reader(), noop),
      scanner.stop(),
      scanner.start(reader(), noop),
    ];
    await Promise.all(ps);
    const s = scanner.state;
    await scanner.stop();
    return s;
  },
  async scanFileB64(b64: string, type = 'image/jpeg'): Promise<{ ok: boolean; text?: string; code?: string; ms: number }> {
    scanner ??= createScanner();
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const f = new File([bytes], 'photo', { type });
    const t0 = performance.now();
    try {
      const text = await scanner.scanFile(f);
      return { ok: true, text, ms: performance.now() - t0 };
    } catch (e) {
      return { ok: false, code: (e as { code?: string }).code ?? String(e), ms: performance.now() - t0 };
    }
  },
  /**
   * One latency run with our Scanner (html5-qrcode): first frame showing the code → onResult → verified,
   * and with a `task`, → entry signed, appended and committed to IndexedDB (the check-in page's path).
   */
  async latencyScanner(jwks: Jwks, timeoutMs = 15_000, task?: Task): Promise<LatencyRun> {
    scanner ??= createScanner();
    const w: { watch: ReturnType<typeof watchCodeOnset> | null } = { watch: null };
    const res = await new Promise<LatencyRun>((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
      scanner!
        .start(reader(), (text) => {
          const tDecode = performance.now();
          clearTimeout(timer);
          const on = w.watch?.onset() ?? null;
          if (on === null) {
            resolve({ ok: false, reason: 'read before onset' });
            return;
          }
          void (async () => {
            const v = await verifyCode(text, jwks);
            const tVerified = performance.now();
            if (!v.ok || v.kind !== 'ent' || !task) {
              resolve({ ok: v.ok, reason: v.ok ? undefined : `verify ${!v.ok && v.code}`, decodeMs: tDecode - on, verifyMs: tVerified - on, text });
              return;
            }
            // then what the check-in page does with a good scan: check it against the task, sign the entry
            // with the device key, append it to the ledger doc; stored = y-indexeddb's write committed
            const l = await ledger();
            const c = await checkScan(text, jwks, { ...task, uscc: v.payload.uscc });
            if (!c.ok) {
              resolve({ ok: false, reason: c.message.en });
              return;
            }
            await appendEntry(l.doc, {
              task: { ...task, uscc: v.payload.uscc },
              by: 'inspector1',
              team: BENCH_TEAM,
              exemptions: [],
              token: c.token,
              key: l.key,
              device: 'bench',
            });
            await committed(l.idb);
            resolve({ ok: true, decodeMs: tDecode - on, verifyMs: tVerified - on, storedMs: performance.now() - on, text });
          })().catch((e) => resolve({ ok: false, reason: String(e) }));
        })
        .then(async () => {
          w.watch = watchCodeOnset(await waitForVideo(reader()));
        })
        .catch((e) => resolve({ ok: false, reason: String(e) }));
    });
    w.watch?.stop();
    await scanner.stop();
    return res;
  },
  /** Baseline: our own getUserMedia + jsQR on every full 640×480 video frame (rVFC), same onset rule. */
  async latencyJsqr(timeoutMs = 15_000): Promise<LatencyRun> {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: 640, height: 480 } });
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.body.appendChild(video);
    await video.play();
    const c = document.createElement('canvas');
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    const probe = markerProbe(video);
    try {
      return await new Promise<LatencyRun>((resolve) => {
        let armed = false,
          onset: number | null = null,
          done = false,
          lastLight = 0;
        const timer = setTimeout(() => {
          done = true;
          resolve({ ok: false, reason: 'timeout' });
        }, timeoutMs);
        const cb = (now: number, meta: VideoFrameCallbackMetadata) => {
          if (done) return;
          const g = probe();
          const t = Math.min(now, meta.presentationTime ?? now);
          if (g > 160) {
            armed = true;
            lastLight = t;
          } else if (armed && onset === null && g < 80) onset = earliestOnset(t, lastLight);
          if (armed && onset !== null) {
            c.width = video.videoWidth;
            c.height = video.videoHeight;
            ctx.drawImage(video, 0, 0);
            const r = jsQR(ctx.getImageData(0, 0, c.width, c.height).data, c.width, c.height, { inversionAttempts: 'dontInvert' });
            if (r) {
              done = true;
              clearTimeout(timer);
              resolve({ ok: true, decodeMs: performance.now() - onset, text: r.data });
              return;
            }
          }
          video.requestVideoFrameCallback(cb);
        };
        video.requestVideoFrameCallback(cb);
      });
    } finally {
      stream.getTracks().forEach((t) => {
        t.stop();
      });
      video.remove();
    }
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.getElementById('status')!.textContent = 'ready';
