/**
 * The QR scanner (DESIGN §5): our small `Scanner` interface over html5-qrcode's low-level `Html5Qrcode`,
 * which is loaded lazily (dynamic import) the first time a scanner starts or scans a file, so only the
 * pages that scan pay for it.
 *
 * Behaviour:
 * - QR only, fps 10, a square qrbox of ~70% of the viewfinder's short edge (html5-qrcode decodes the box at
 *   its CSS size), `disableFlip` (rear camera: no mirrored codes), `facingMode: 'environment'` as a
 *   preference (never `exact`, which fails on laptops and some phones).
 * - Starts only when `start()` is called (a tap); stops by itself after the first decoded text, which is
 *   handed to `onResult` as is (never trimmed: verification is the caller's, see domain/codes.ts).
 * - start/stop/scanFile are serialised on one promise chain: html5-qrcode throws on overlapping calls.
 * - When the page is hidden while scanning, the camera is released; when it is visible again, scanning
 *   resumes with the same target and callback (phones freeze or kill the stream in the background).
 * - "Take a photo" fallback: `scanFile(file)` with a file from `<input type=file accept=image/* capture>`,
 *   for phones whose camera fails in standalone mode (iOS). Large photos are scaled down first; when
 *   html5-qrcode reads nothing at any scale, jsQR (a different binariser and locator, loaded only then)
 *   gets a second pass over the same pixels.
 * - Decoder: html5-qrcode uses a `BarcodeDetector` as its primary decoder when there is one: the native
 *   detector (Android Chrome, Safari), else zxing-cpp in WebAssembly (./zxing-detector.ts), which reads
 *   noisy, rotated and defocused codes that html5-qrcode's zxing-js misses. Photos go to zxing-cpp first.
 */
import { unsharpMask } from './sharpen';
import { installBarcodeDetector, zxingDecode, type Decoder } from './zxing-detector';

export type ScannerState = 'idle' | 'starting' | 'running' | 'stopping';

export type ScanErrorCode = 'insecure_context' | 'no_camera' | 'camera_denied' | 'camera_busy' | 'no_code_found' | 'unsupported' | 'failed';

export class ScanError extends Error {
  constructor(
    readonly code: ScanErrorCode,
    readonly text: { zh: string; en: string },
    override readonly cause?: unknown,
  ) {
    super(text.en);
    this.name = 'ScanError';
  }
}

const TEXTS: Record<ScanErrorCode, { zh: string; en: string }> = {
  insecure_context: { zh: '摄像头只能在 https 页面使用', en: 'The camera works only on an https page' },
  no_camera: { zh: '未找到摄像头，请改用“拍照识别”', en: 'No camera found: use “take a photo” instead' },
  camera_denied: {
    zh: '未获准使用摄像头：请在浏览器设置中允许，或改用“拍照识别”',
    en: 'Camera access was refused: allow it in the browser settings, or use “take a photo”',
  },
  camera_busy: { zh: '摄像头被其他应用占用，请关闭后重试', en: 'The camera is in use by another app: close it and try again' },
  no_code_found: { zh: '照片中没有识别到二维码，请靠近一些、保持清晰后重拍', en: 'No QR code found in the photo: move closer, hold steady and try again' },
  unsupported: { zh: '此浏览器不支持扫码', en: 'This browser cannot scan codes' },
  failed: { zh: '扫码启动失败，请重试或改用“拍照识别”', en: 'The scanner failed to start: try again or use “take a photo”' },
};

export interface ScannerOptions {
  fps?: number;
  /** qrbox side as a share of the viewfinder's short edge */
  boxRatio?: number;
  /** decode with a BarcodeDetector: the native one (Android Chrome, Safari) or zxing-cpp (WebAssembly); default true */
  useNative?: boolean;
  /** called when the camera fails while running or cannot be restarted after the page was hidden */
  onError?: (e: ScanError) => void;
  onStateChange?: (s: ScannerState) => void;
  /** the document to watch for visibility (tests); default `document` */
  doc?: Document;
  /** photos larger than this on their long side are scaled down before decoding */
  maxPhotoSide?: number;
}

export interface Scanner {
  /** Start the camera in `target` (an element or its id). Resolves once the camera runs. */
  start(target: string | HTMLElement, onResult: (text: string) => void): Promise<void>;
  /** Stop the camera (no-op when idle). */
  stop(): Promise<void>;
  /** Decode a still image (the "take a photo" fallback). Rejects with ScanError('no_code_found'). */
  scanFile(file: File): Promise<string>;
  readonly state: ScannerState;
  /** the primary decoder, once loaded (html5-qrcode alternates it with zxing-js on live frames) */
  readonly decoder: Decoder | null;
  /** stop and remove listeners */
  dispose(): Promise<void>;
}

type Lib = typeof import('html5-qrcode');
type Html5Qrcode = import('html5-qrcode').Html5Qrcode;

/** Html5QrcodeScannerState.NOT_STARTED (a const enum value in html5-qrcode 2.3.8) */
const NOT_STARTED = 1;

let libPromise: Promise<Lib> | null = null;
let decoderInUse: Decoder | null = null;
/**
 * Load html5-qrcode and the BarcodeDetector (zxing-cpp where there is no native one), once. Exposed so a
 * page can prefetch both when the check-in screen opens.
 */
export function loadScannerLib(): Promise<Lib> {
  if (!libPromise) {
    libPromise = Promise.all([import('html5-qrcode'), installBarcodeDetector().catch((): Decoder => 'zxing-js')]).then(([lib, d]) => {
      decoderInUse = d;
      return lib;
    });
    libPromise.catch(() => {
      libPromise = null;
    });
  }
  return libPromise;
}

let idSeq = 0;
function elementId(target: string | HTMLElement): string {
  if (typeof target === 'string') return target;
  if (!target.id) target.id = `qr-scan-${++idSeq}-${Math.random().toString(36).slice(2, 8)}`;
  return target.id;
}

function toScanError(e: unknown): ScanError {
  if (e instanceof ScanError) return e;
  const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
  const msg = String(typeof e === 'object' && e !== null && 'message' in e ? (e as { message: unknown }).message : e);
  const has = (re: RegExp) => re.test(name) || re.test(msg);
  let code: ScanErrorCode = 'failed';
  if (typeof window !== 'undefined' && window.isSecureContext === false) code = 'insecure_context';
  else if (has(/NotAllowed|Permission|denied/i)) code = 'camera_denied';
  else if (has(/NotFound|OverconstrainedError|Requested device not found|no camera/i)) code = 'no_camera';
  else if (has(/NotReadable|TrackStart|Could not start video source/i)) code = 'camera_busy';
  else if (has(/not supported|getUserMedia|mediaDevices/i)) code = 'unsupported';
  return new ScanError(code, TEXTS[code], e);
}

/**
 * The photo at a few long-side sizes, largest first (at most `maxSide`). zxing-js (no TRY_HARDER in
 * html5-qrcode) misses some sharp or noisy images at one scale and reads them at another: downscaling
 * averages noise and changes how module edges fall on pixels. Each attempt costs ~20–80 ms.
 */
async function photoVariants(file: File, maxSide: number): Promise<File[]> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas === 'undefined') return [file];
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file);
  } catch {
    return [file];
  }
  try {
    const long = Math.max(bmp.width, bmp.height);
    const sides = [...new Set([Math.min(long, maxSide), Math.round(long * 0.75), Math.round(long * 0.5), 800, 640])]
      .filter((x) => x <= Math.min(long, maxSide) && x >= 320)
      .sort((a, b) => b - a);
    // small photos: one enlarged attempt too (helps slightly blurred codes with few pixels per module)
    if (long <= 1000) sides.push(Math.round(long * 1.5));
    const out: File[] = [];
    for (const side of sides) {
      if (side === long) {
        out.push(file);
        continue;
      }
      const k = side / long;
      const c = new OffscreenCanvas(Math.round(bmp.width * k), Math.round(bmp.height * k));
      const ctx = c.getContext('2d');
      if (!ctx) continue;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bmp, 0, 0, c.width, c.height);
      out.push(new File([await c.convertToBlob({ type: 'image/png' })], `photo-${side}.png`, { type: 'image/png' }));
    }
    return out.length ? out : [file];
  } finally {
    bmp.close();
  }
}

/**
 * Second pass for a photo html5-qrcode could not read: jsQR on the RGBA pixels at two scales, with both
 * polarities (light-on-dark prints), then on sharpened copies (defocused photos). Null when it finds
 * nothing either (or the browser cannot draw).
 */
const SHARPEN: readonly (readonly [number, number])[] = [
  [1, 2],
  [2, 1.5],
];

/** The photo sharpened (each SHARPEN strength) as PNG files, for another zxing attempt. */
async function sharpenedPhotos(file: Blob, maxSide: number): Promise<File[]> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas === 'undefined') return [];
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file);
  } catch {
    return [];
  }
  try {
    const k = Math.min(1, maxSide / Math.max(bmp.width, bmp.height));
    const c = new OffscreenCanvas(Math.max(1, Math.round(bmp.width * k)), Math.max(1, Math.round(bmp.height * k)));
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) return [];
    ctx.drawImage(bmp, 0, 0, c.width, c.height);
    const img = ctx.getImageData(0, 0, c.width, c.height);
    const out: File[] = [];
    for (const [radius, amount] of SHARPEN) {
      ctx.putImageData(new ImageData(unsharpMask(img.data, img.width, img.height, radius, amount), img.width, img.height), 0, 0);
      out.push(new File([await c.convertToBlob({ type: 'image/png' })], `sharpened-${radius}.png`, { type: 'image/png' }));
    }
    return out;
  } catch {
    return [];
  } finally {
    bmp.close();
  }
}

export async function decodeWithJsqr(file: Blob, maxSide: number): Promise<string | null> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas === 'undefined') return null;
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    const jsQR = (await import('jsqr')).default;
    const long = Math.max(bmp.width, bmp.height);
    for (const side of [...new Set([Math.min(long, maxSide), Math.min(long, 1000)])]) {
      const k = side / long;
      const c = new OffscreenCanvas(Math.max(1, Math.round(bmp.width * k)), Math.max(1, Math.round(bmp.height * k)));
      const ctx = c.getContext('2d', { willReadFrequently: true });
      if (!ctx) return null;
      ctx.drawImage(bmp, 0, 0, c.width, c.height);
      const img = ctx.getImageData(0, 0, c.width, c.height);
      const r = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
      if (r?.data) return r.data;
      // a defocused photo: sharpen (unsharp mask, two strengths) and try again
      for (const [radius, amount] of SHARPEN) {
        const s = jsQR(unsharpMask(img.data, img.width, img.height, radius, amount), img.width, img.height, { inversionAttempts: 'attemptBoth' });
        if (s?.data) return s.data;
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    bmp.close();
  }
}

export function createScanner(options: ScannerOptions = {}): Scanner {
  const fps = options.fps ?? 10;
  const boxRatio = options.boxRatio ?? 0.7;
  const maxPhotoSide = options.maxPhotoSide ?? 1600;
  const doc = options.doc ?? (typeof document !== 'undefined' ? document : undefined);

  let state: ScannerState = 'idle';
  let chain: Promise<unknown> = Promise.resolve();
  let inst: Html5Qrcode | null = null;
  let instFor: string | null = null;
  /** what to resume when the page becomes visible again */
  let session: { target: string | HTMLElement; onResult: (text: string) => void } | null = null;
  let resumeOnVisible = false;
  let generation = 0;
  let fileHost: HTMLElement | null = null;
  let listening = false;

  const setState = (s: ScannerState) => {
    if (s !== state) {
      state = s;
      options.onStateChange?.(s);
    }
  };
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };

  async function instanceFor(id: string): Promise<Html5Qrcode> {
    const lib = await loadScannerLib();
    if (inst && instFor === id && document.getElementById(id)) return inst;
    if (inst) {
      try {
        inst.clear();
      } catch {
        /* element may be gone */
      }
    }
    inst = new lib.Html5Qrcode(id, {
      verbose: false,
      formatsToSupport: [lib.Html5QrcodeSupportedFormats.QR_CODE],
      useBarCodeDetectorIfSupported: options.useNative ?? true,
    });
    instFor = id;
    return inst;
  }

  /** html5-qrcode's own state (its `isScanning` flag lags behind: it is set when the first frame renders) */
  const libBusy = (q: Html5Qrcode | null): boolean => q !== null && q.getState() !== NOT_STARTED;

  async function stopNow(): Promise<void> {
    if (!libBusy(inst)) {
      if (state !== 'idle') setState('idle');
      return;
    }
    setState('stopping');
    try {
      await inst!.stop();
    } catch {
      // html5-qrcode can wedge (a stop before its video played leaves it "scanning" for ever):
      // release the camera ourselves and start from a fresh instance next time
      hardReset();
    }
    setState('idle');
  }

  function hardReset(): void {
    const el = instFor ? document.getElementById(instFor) : null;
    el?.querySelectorAll('video').forEach((v) => {
      const ms = v.srcObject as MediaStream | null;
      ms?.getTracks().forEach((t) => {
        t.stop();
      });
      v.srcObject = null;
    });
    if (el) el.replaceChildren();
    inst = null;
    instFor = null;
  }

  /** html5-qrcode resolves start() before the video plays, and its UI (needed by stop()) is built on 'playing' */
  async function untilPlaying(q: Html5Qrcode, gen: number): Promise<void> {
    const t0 = Date.now();
    while (!q.isScanning && gen === generation && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 16));
  }

  async function startNow(target: string | HTMLElement, onResult: (text: string) => void): Promise<void> {
    if (doc && typeof window !== 'undefined' && !window.isSecureContext) throw toScanError(new Error('insecure'));
    await stopNow();
    const id = elementId(target);
    const q = await instanceFor(id);
    const gen = ++generation;
    let delivered = false;
    setState('starting');
    try {
      await q.start(
        { facingMode: 'environment' },
        {
          fps,
          disableFlip: true,
          qrbox: (w: number, h: number) => {
            const side = Math.max(50, Math.floor(Math.min(w, h) * boxRatio));
            return { width: side, height: side };
          },
        },
        (text: string) => {
          if (delivered || gen !== generation) return;
          delivered = true;
          session = null;
          resumeOnVisible = false;
          void enqueue(async () => {
            if (gen === generation) await stopNow();
          });
          onResult(text);
        },
        () => {
          /* no code in this frame: normal */
        },
      );
    } catch (e) {
      if (libBusy(q)) hardReset();
      setState('idle');
      session = null;
      throw toScanError(e);
    }
    await untilPlaying(q, gen);
    setState('running');
  }

  const onVisibility = () => {
    if (!doc) return;
    if (doc.visibilityState === 'hidden') {
      if (session && (state === 'running' || state === 'starting')) {
        resumeOnVisible = true;
        void enqueue(stopNow);
      }
    } else if (resumeOnVisible && session) {
      resumeOnVisible = false;
      const s = session;
      void enqueue(() => startNow(s.target, s.onResult)).catch((e) => options.onError?.(toScanError(e)));
    }
  };

  function listen() {
    if (listening || !doc) return;
    doc.addEventListener('visibilitychange', onVisibility);
    listening = true;
  }

  return {
    get state() {
      return state;
    },
    get decoder() {
      return options.useNative === false ? 'zxing-js' : decoderInUse;
    },
    start(target, onResult) {
      listen();
      session = { target, onResult };
      resumeOnVisible = false;
      return enqueue(() => startNow(target, onResult));
    },
    stop() {
      session = null;
      resumeOnVisible = false;
      generation++;
      return enqueue(stopNow);
    },
    scanFile(file) {
      return enqueue(async () => {
        session = null;
        resumeOnVisible = false;
        generation++;
        await stopNow();
        if (!fileHost || !fileHost.isConnected) {
          fileHost = document.createElement('div');
          fileHost.setAttribute('aria-hidden', 'true');
          fileHost.style.cssText = 'position:absolute;left:-10000px;top:0;width:600px;height:600px;overflow:hidden';
          document.body.appendChild(fileHost);
        }
        const q = await instanceFor(elementId(fileHost));
        // zxing-cpp on the photo as it is (it scales and rotates by itself), then html5-qrcode's ladder
        try {
          const text = await zxingDecode(file);
          if (text !== null) return text;
        } catch {
          /* next */
        }
        let last: unknown = null;
        for (const img of await photoVariants(file, maxPhotoSide)) {
          try {
            return await q.scanFile(img, false);
          } catch (e) {
            last = e;
          } finally {
            try {
              q.clear();
            } catch {
              /* ignore */
            }
          }
        }
        // html5-qrcode rejects with strings (or NotFoundException) when no code is found
        if (last === null || typeof last === 'string' || (last instanceof Error && /No MultiFormat Readers|NotFound|parse error/i.test(last.message))) {
          const second = await decodeWithJsqr(file, maxPhotoSide);
          if (second !== null) return second;
          // third: zxing on sharpened copies (it copes with rotation better than jsQR)
          for (const img of await sharpenedPhotos(file, maxPhotoSide)) {
            try {
              return await q.scanFile(img, false);
            } catch {
              /* next */
            } finally {
              try {
                q.clear();
              } catch {
                /* ignore */
              }
            }
          }
          throw new ScanError('no_code_found', TEXTS.no_code_found, last);
        }
        throw toScanError(last);
      });
    },
    async dispose() {
      session = null;
      generation++;
      if (listening && doc) doc.removeEventListener('visibilitychange', onVisibility);
      listening = false;
      await enqueue(stopNow);
      if (inst) {
        try {
          inst.clear();
        } catch {
          /* ignore */
        }
      }
      inst = null;
      instFor = null;
      fileHost?.remove();
      fileHost = null;
    },
  };
}
