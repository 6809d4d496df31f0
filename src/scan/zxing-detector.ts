/**
 * zxing-cpp (WebAssembly, `zxing-wasm`) behind the browser's `BarcodeDetector` interface, so html5-qrcode
 * uses it as its primary decoder wherever the browser has no native detector (desktop Chromium, Firefox,
 * most Android WebViews). Why: html5-qrcode's own decoder is zxing-js without TRY_HARDER; zxing-cpp with
 * TRY_HARDER, rotation, inversion and downscaling reads noisy, rotated and defocused codes that zxing-js
 * misses, in ~3–5 ms a frame instead of ~50 ms (bench/scan.ts has the figures).
 *
 * The .wasm file (~0.95 MB) is one of our own build assets (vite `?url`), precached by the service worker,
 * never fetched from a CDN (the library's default): the scanner must work offline and under our CSP
 * (`script-src 'self' 'wasm-unsafe-eval'`). If it cannot load, html5-qrcode keeps its zxing-js decoder.
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** QR only; try harder (rotated, inverted, small and large codes); the first symbol is enough. */
const READER: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

let ready: Promise<boolean> | null = null;

/** Load and compile the WebAssembly module once. Resolves false (never rejects) when it cannot load. */
export function prepareZxing(): Promise<boolean> {
  if (!ready) {
    const href = new URL(wasmUrl, globalThis.location?.href ?? 'http://localhost/').href;
    ready = prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? href : prefix + path) },
      fireImmediately: true,
    }).then(
      () => true,
      () => {
        ready = null;
        return false;
      },
    );
  }
  return ready;
}

/** The text of the first QR code in an image, or null. */
export async function zxingDecode(input: ImageData | Blob): Promise<string | null> {
  if (!(await prepareZxing())) return null;
  const found = await readBarcodes(input, READER);
  return found.find((r) => r.isValid && r.text)?.text ?? null;
}

type Source = ImageData | Blob | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement | HTMLVideoElement | ImageBitmap;

function pixelsOf(source: Source): ImageData | Blob {
  if (source instanceof Blob || (typeof ImageData !== 'undefined' && source instanceof ImageData)) return source;
  const w = 'videoWidth' in source ? source.videoWidth : 'naturalWidth' in source ? source.naturalWidth : source.width;
  const h = 'videoHeight' in source ? source.videoHeight : 'naturalHeight' in source ? source.naturalHeight : source.height;
  if (typeof HTMLCanvasElement !== 'undefined' && source instanceof HTMLCanvasElement) {
    const ctx = source.getContext('2d');
    if (ctx) return ctx.getImageData(0, 0, w, h);
  }
  const c = new OffscreenCanvas(Math.max(1, w), Math.max(1, h));
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source as CanvasImageSource, 0, 0);
  return ctx.getImageData(0, 0, c.width, c.height);
}

interface DetectedBarcode {
  rawValue: string;
  format: string;
  boundingBox: DOMRectReadOnly;
  cornerPoints: { x: number; y: number }[];
}

/** The subset of the Barcode Detection API that html5-qrcode calls (construct, getSupportedFormats, detect). */
export class ZxingBarcodeDetector {
  static getSupportedFormats(): Promise<string[]> {
    return Promise.resolve(['qr_code']);
  }
  // the formats asked for are QR in every use of ours
  constructor(_options?: { formats?: string[] }) {}
  async detect(source: Source): Promise<DetectedBarcode[]> {
    if (!(await prepareZxing())) return [];
    const found = await readBarcodes(pixelsOf(source), READER);
    return found
      .filter((r) => r.isValid && r.text)
      .map((r) => {
        const p = r.position;
        const xs = [p.topLeft.x, p.topRight.x, p.bottomRight.x, p.bottomLeft.x];
        const ys = [p.topLeft.y, p.topRight.y, p.bottomRight.y, p.bottomLeft.y];
        const x = Math.min(...xs),
          y = Math.min(...ys);
        return {
          rawValue: r.text,
          format: 'qr_code',
          boundingBox: new DOMRectReadOnly(x, y, Math.max(...xs) - x, Math.max(...ys) - y),
          cornerPoints: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map(({ x: px, y: py }) => ({ x: px, y: py })),
        };
      });
  }
}

/**
 * Make `window.BarcodeDetector` available for html5-qrcode: the native one when the browser has it,
 * else zxing-cpp once its module has loaded. Returns the decoder html5-qrcode will use first
 * ('zxing-js': its own, when the WebAssembly module could not load).
 */
export type Decoder = 'native' | 'zxing-wasm' | 'zxing-js';

export async function installBarcodeDetector(): Promise<Decoder> {
  const w = window as unknown as { BarcodeDetector?: unknown };
  if (w.BarcodeDetector && w.BarcodeDetector !== ZxingBarcodeDetector) return 'native';
  if (!(await prepareZxing())) return 'zxing-js';
  w.BarcodeDetector = ZxingBarcodeDetector;
  return 'zxing-wasm';
}
