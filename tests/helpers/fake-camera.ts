/**
 * Video files for Chromium's fake camera (DESIGN §5) and still images of codes, made from a QR that we
 * render ourselves with `qrcode` (so the test scans exactly what the platform signs).
 *
 * Chromium plays the file in a loop as the camera:
 *   --use-fake-ui-for-media-stream --use-fake-device-for-media-stream --use-file-for-fake-video-capture=F
 * Both formats work with Debian's Chromium 156 (checked by tests/e2e-scan/scanner.spec.ts):
 * - `.mjpeg`: concatenated baseline JPEGs, played at 30 fps; ~15–60 KB a frame: the default.
 * - `.y4m`:   `YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n`, then per frame `FRAME\n` + I420 planes
 *             (Y w·h, U and V (w/2)·(h/2)); 460 KB a frame, exact pixels (no JPEG loss).
 *
 * A frame is a light-grey "scene" with the QR (black on white, its quiet zone included) centred; optional
 * rotation (bilinear), blur (three box passes ≈ Gaussian), additive Gaussian noise (new per frame), and a
 * marker square in the top-left corner that is black on frames showing the code and white on blank ones
 * (the scan benchmark reads it to find the first frame that shows the code).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import jpeg from 'jpeg-js';
import { createRequire } from 'node:module';

// pngjs ships no types (and @types/pngjs is not installed): the little we use, typed here
interface PngImage {
  data: Buffer;
}
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { new (o: { width: number; height: number }): PngImage; sync: { write(p: PngImage): Buffer } };
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
/** launch args for a fake camera playing `file` */
export function fakeCameraArgs(file: string): string[] {
  return [...CHROMIUM_BASE_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`];
}

export interface FrameOptions {
  width?: number;
  height?: number;
  /** pixels per QR module; default: the largest that keeps the code (with quiet zone) within 60% of the short edge, min 2 */
  modulePx?: number;
  /** quiet zone in modules (default 4) */
  margin?: number;
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  /** Gaussian noise standard deviation in grey levels (0–255) */
  noise?: number;
  /** blur radius in pixels (three box-blur passes) */
  blur?: number;
  /** rotation of the code in degrees */
  rotateDeg?: number;
  /** draw the frame marker (black when the code shows) */
  marker?: boolean;
  /** seed for the noise */
  seed?: number;
}

export interface CameraFileOptions extends FrameOptions {
  format?: 'mjpeg' | 'y4m';
  /** frames that show the code */
  frames?: number;
  /** blank frames (no code) played before the code frames */
  blankFrames?: number;
  /** JPEG quality for mjpeg (default 85) */
  quality?: number;
  /** directory for the file (default: os.tmpdir()) */
  dir?: string;
}

export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const SCENE = 200; // light grey background

/** Mulberry32: a small seeded PRNG for reproducible noise. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The QR modules of `text` (true = dark). */
export function qrMatrix(
  text: string,
  ecl: FrameOptions['errorCorrectionLevel'] = 'M',
): { size: number; version: number; dark(r: number, c: number): boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: ecl });
  const m = qr.modules;
  return { size: m.size, version: qr.version, dark: (r, c) => !!m.get(r, c) };
}

/** One grey frame; `text` null gives a blank frame (scene only). */
export function renderFrame(text: string | null, o: FrameOptions = {}): GrayImage {
  const W = o.width ?? 640,
    H = o.height ?? 480;
  const out = new Uint8Array(W * H).fill(SCENE);
  if (text !== null) {
    const m = qrMatrix(text, o.errorCorrectionLevel);
    const margin = o.margin ?? 4;
    const total = m.size + 2 * margin;
    const px = o.modulePx ?? Math.max(2, Math.floor((Math.min(W, H) * 0.6) / total));
    const side = total * px;
    // integer-aligned top-left so that unrotated module edges fall on pixel edges
    const cx = Math.round((W - side) / 2) + side / 2,
      cy = Math.round((H - side) / 2) + side / 2;
    const a = ((o.rotateDeg ?? 0) * Math.PI) / 180;
    const cos = Math.cos(a),
      sin = Math.sin(a);
    // value of the (unrotated) code image at code coords (u, v) in pixels, origin top-left of the quiet zone
    const at = (u: number, v: number): number => {
      if (u < 0 || v < 0 || u >= side || v >= side) return -1;
      const c = Math.floor(u / px) - margin,
        r = Math.floor(v / px) - margin;
      return r >= 0 && c >= 0 && r < m.size && c < m.size && m.dark(r, c) ? 0 : 255;
    };
    const half = side / 2;
    const reach = Math.ceil(half * Math.SQRT2) + 2;
    for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(H, Math.ceil(cy + reach)); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(W, Math.ceil(cx + reach)); x++) {
        // inverse rotation, sampled at the pixel centre, 2×2 supersampling for smooth edges
        let acc = 0,
          n = 0,
          inside = false;
        for (const [sx, sy] of [
          [0.25, 0.25],
          [0.75, 0.25],
          [0.25, 0.75],
          [0.75, 0.75],
        ]) {
          const dx = x + sx - cx,
            dy = y + sy - cy;
          const u = cos * dx + sin * dy + half,
            v = -sin * dx + cos * dy + half;
          const val = at(u, v);
          if (val >= 0) {
            acc += val;
            inside = true;
          } else acc += SCENE;
          n++;
        }
        if (inside) out[y * W + x] = Math.round(acc / n);
      }
    }
  }
  if (o.blur && o.blur > 0) boxBlur3(out, W, H, Math.round(o.blur));
  if (o.noise && o.noise > 0) addNoise(out, o.noise, rng(o.seed ?? 1));
  if (o.marker) {
    const v = text !== null ? 0 : 255;
    for (let y = 8; y < 40; y++) for (let x = 8; x < 40; x++) out[y * W + x] = v;
  }
  return { width: W, height: H, data: out };
}

function boxBlur3(d: Uint8Array, W: number, H: number, r: number): void {
  const tmp = new Float32Array(W * H);
  const buf = Float32Array.from(d);
  for (let pass = 0; pass < 3; pass++) {
    for (let y = 0; y < H; y++) {
      let s = 0;
      for (let x = -r; x <= r; x++) s += buf[y * W + Math.min(W - 1, Math.max(0, x))];
      for (let x = 0; x < W; x++) {
        tmp[y * W + x] = s / (2 * r + 1);
        s += buf[y * W + Math.min(W - 1, x + r + 1)] - buf[y * W + Math.max(0, x - r)];
      }
    }
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let y = -r; y <= r; y++) s += tmp[Math.min(H - 1, Math.max(0, y)) * W + x];
      for (let y = 0; y < H; y++) {
        buf[y * W + x] = s / (2 * r + 1);
        s += tmp[Math.min(H - 1, y + r + 1) * W + x] - tmp[Math.max(0, y - r) * W + x];
      }
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = Math.round(buf[i]);
}

function addNoise(d: Uint8Array, sigma: number, rand: () => number): void {
  for (let i = 0; i < d.length; i++) {
    // Box–Muller
    const g = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    d[i] = Math.max(0, Math.min(255, Math.round(d[i] + g * sigma)));
  }
}

function rgba(img: GrayImage): Buffer {
  const b = Buffer.alloc(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.data.length; i++, j += 4) {
    b[j] = b[j + 1] = b[j + 2] = img.data[i];
    b[j + 3] = 255;
  }
  return b;
}

export function encodeJpeg(img: GrayImage, quality = 85): Buffer {
  return Buffer.from(jpeg.encode({ data: rgba(img), width: img.width, height: img.height }, quality).data);
}

export function encodePng(img: GrayImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  rgba(img).copy(png.data);
  return PNG.sync.write(png);
}

/** RGBA pixels (for jsQR). */
export function toRgba(img: GrayImage): Uint8ClampedArray {
  const b = rgba(img);
  return new Uint8ClampedArray(b.buffer, b.byteOffset, b.length);
}

/**
 * Write a fake-camera file showing `text` and return its path. The file loops in Chromium:
 * `blankFrames` frames without the code, then `frames` frames with it.
 */
export function makeFakeCameraFile(text: string, opts: CameraFileOptions = {}): string {
  const format = opts.format ?? 'mjpeg';
  const W = opts.width ?? 640,
    H = opts.height ?? 480;
  if (W % 2 || H % 2) throw new RangeError('width and height must be even (I420)');
  const frames = opts.frames ?? 30;
  const blank = opts.blankFrames ?? 0;
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([text, opts]))
    .digest('hex')
    .slice(0, 16);
  const dir = opts.dir ?? os.tmpdir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `fake-camera-${key}.${format}`);
  if (fs.existsSync(file)) return file;

  const frameOpts = (i: number): FrameOptions => ({ ...opts, width: W, height: H, seed: (opts.seed ?? 1) * 7919 + i });
  // frames without noise are identical: render once and reuse
  const noisy = !!opts.noise;
  const cache = new Map<string, Buffer>();
  const encode = (t: string | null, i: number): Buffer => {
    const k = `${t === null}:${noisy ? i : 0}`;
    let b = cache.get(k);
    if (!b) {
      const img = renderFrame(t, frameOpts(i));
      b = format === 'mjpeg' ? encodeJpeg(img, opts.quality ?? 85) : i420(img);
      if (!noisy) cache.set(k, b);
    }
    return b;
  };
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    if (format === 'y4m') fs.writeSync(fd, `YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`);
    for (let i = 0; i < blank + frames; i++) {
      const buf = encode(i < blank ? null : text, i);
      if (format === 'y4m') fs.writeSync(fd, 'FRAME\n');
      fs.writeSync(fd, buf);
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return file;
}

/** I420 planes of a grey image: Y = grey, U = V = 128. */
function i420(img: GrayImage): Buffer {
  const ySize = img.width * img.height;
  const b = Buffer.alloc((ySize * 3) / 2, 128);
  Buffer.from(img.data.buffer, img.data.byteOffset, ySize).copy(b, 0);
  return b;
}
