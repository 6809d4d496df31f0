/**
 * Take photos with the camera and attach files, kept as evidence of the enterprise's ledger at once (offline
 * too: client/evidence-store.ts), uploaded when online.
 * Camera habits (as the QR scanner's): started only on a tap, the rear camera as a preference (`facingMode:
 * 'environment'`, never `exact`, which fails on laptops), start and stop serialised on one promise chain, the
 * stream stopped after the photo is taken, when the page is hidden and when the component goes away. The photo
 * is the video's current frame as a JPEG (quality 0.85, longer edge at most 2560 px). The file input is the
 * way for phones without a usable camera: images chosen there are kept as photos (when `photos`), the rest
 * as files.
 */
import { createSignal, onCleanup, Show, type JSX } from 'solid-js';
import type { EvidenceKind, EvidenceRef, Text } from '../../domain/schemas';
import { EvidenceLimitError, keepFile } from '../../client/evidence-store';
import { THUMB_EDGE } from '../../domain/evidence';
import { en as EN, t, zh as ZH } from '../../i18n/dict-evidence';
import { tx } from '../../i18n';
import { now } from '../../domain/time';

/** the photo's longer edge at most (px): sharp enough to read a licence, small enough to send from the field */
export const PHOTO_MAX_EDGE = 2560;
export const PHOTO_QUALITY = 0.85;

type CameraProblem = 'evidence.cameraDenied' | 'evidence.noCamera' | 'evidence.cameraBusy' | 'evidence.cameraFailed' | 'evidence.insecure';

function cameraProblem(e: unknown): CameraProblem {
  const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
  if (typeof window !== 'undefined' && window.isSecureContext === false) return 'evidence.insecure';
  if (/NotAllowed|Security|Permission/i.test(name)) return 'evidence.cameraDenied';
  if (/NotFound|Overconstrained|NoCamera/i.test(name)) return 'evidence.noCamera';
  if (/NotReadable|TrackStart|Abort/i.test(name)) return 'evidence.cameraBusy';
  return 'evidence.cameraFailed';
}

/** The video's current frame as a JPEG with its longer edge at most `maxEdge` px. */
export function frameToJpeg(video: HTMLVideoElement, maxEdge = PHOTO_MAX_EDGE, quality = PHOTO_QUALITY): Promise<Blob> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) return Promise.reject(Object.assign(new Error('no frame yet'), { name: 'NotReadableError' }));
  const k = Math.min(1, maxEdge / Math.max(w, h));
  const c = document.createElement('canvas');
  c.width = Math.round(w * k);
  c.height = Math.round(h * k);
  c.getContext('2d')?.drawImage(video, 0, 0, c.width, c.height);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', quality));
}

/** resolves once the video has a frame (a tap right after the camera opened), or after 3 s */
function firstFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', done);
      resolve();
    };
    const timer = setTimeout(done, 3000);
    video.addEventListener('loadeddata', done);
  });
}

export function EvidenceCapture(p: {
  uscc: string;
  onAdded: (ref: EvidenceRef) => void;
  /** show the camera and keep chosen images as photos (default true) */
  photos?: boolean;
  /** accept PDF files too (default true) */
  files?: boolean;
  /** disable every control (e.g. the record is being written) */
  disabled?: boolean;
}): JSX.Element {
  const photos = () => p.photos !== false;
  const [on, setOn] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<Text | null>(null);
  let video: HTMLVideoElement | undefined;
  let stream: MediaStream | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let gone = false;
  const serial = <T,>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const release = () => {
    for (const tr of stream?.getTracks() ?? []) tr.stop();
    stream = null;
    if (video) video.srcObject = null;
  };
  const stop = () =>
    serial(async () => {
      release();
      setOn(false);
    });
  const start = () =>
    serial(async () => {
      setError(null);
      if (stream) return;
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no getUserMedia'), { name: 'NotFoundError' });
        const s = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1440 } },
          audio: false,
        });
        if (gone) {
          for (const tr of s.getTracks()) tr.stop();
          return;
        }
        stream = s;
        setOn(true);
        if (video && video.srcObject !== s) {
          video.srcObject = s;
          await video.play().catch(() => undefined);
        }
      } catch (e) {
        release();
        setOn(false);
        const key = cameraProblem(e);
        setError({ zh: tZh(key), en: tEn(key) });
      }
    });

  const keep = async (blob: Blob, kind: EvidenceKind, name?: string, thumb?: Blob): Promise<boolean> => {
    let ref: EvidenceRef;
    try {
      ref = await keepFile(blob, { kind, uscc: p.uscc, name, thumb });
    } catch (e) {
      if (e instanceof EvidenceLimitError) setError(e.text);
      else {
        const msg = e instanceof Error ? e.message : String(e);
        setError({ zh: fillKey('zh', msg), en: fillKey('en', msg) });
      }
      return false;
    }
    p.onAdded(ref);
    return true;
  };

  const take = () =>
    serial(async () => {
      if (!video || !stream) return;
      setBusy(true);
      setError(null);
      try {
        if (!video.videoWidth) await firstFrame(video);
        // the photo and its thumbnail from the same frame: keeping it then decodes no JPEG
        const [blob, thumb] = await Promise.all([frameToJpeg(video), frameToJpeg(video, THUMB_EDGE, 0.8)]);
        release();
        setOn(false);
        await keep(blob, 'photo', photoName(), thumb);
      } catch (e) {
        const key = cameraProblem(e);
        setError({ zh: tZh(key), en: tEn(key) });
      } finally {
        setBusy(false);
      }
    });

  const onFiles = async (input: HTMLInputElement) => {
    const list = [...(input.files ?? [])];
    input.value = '';
    if (!list.length) return;
    setBusy(true);
    setError(null);
    try {
      for (const f of list) await keep(f, photos() && f.type.startsWith('image/') ? 'photo' : 'file', f.name);
    } finally {
      setBusy(false);
    }
  };

  // the camera is released in the background (phones freeze or kill the stream there) and when leaving
  const onVisibility = () => {
    if (document.visibilityState === 'hidden' && stream) void stop();
  };
  document.addEventListener('visibilitychange', onVisibility);
  onCleanup(() => {
    gone = true;
    document.removeEventListener('visibilitychange', onVisibility);
    void stop();
  });

  return (
    <div class="evidence-capture" style={{ display: 'grid', gap: '8px' }}>
      <Show when={photos()}>
        <Show when={on()}>
          <video
            data-testid="evidence-video"
            ref={(el) => {
              video = el;
              if (stream && el.srcObject !== stream) {
                el.srcObject = stream;
                void el.play().catch(() => undefined);
              }
            }}
            playsinline
            muted
            autoplay
            aria-label={t('evidence.video')}
            style={{ width: '100%', 'max-height': '60vh', background: '#000', 'border-radius': '8px' }}
          />
        </Show>
        <div style={{ display: 'flex', gap: '8px', 'flex-wrap': 'wrap' }}>
          <Show
            when={on()}
            fallback={
              <button type="button" class="btn" data-testid="evidence-photo-start" disabled={p.disabled || busy()} onClick={() => void start()}>
                {t('evidence.photoStart')}
              </button>
            }
          >
            <button type="button" class="btn btn-primary" data-testid="evidence-photo-take" disabled={p.disabled || busy()} onClick={() => void take()}>
              {t('evidence.photoTake')}
            </button>
            <button type="button" class="btn" data-testid="evidence-photo-stop" onClick={() => void stop()}>
              {t('evidence.photoStop')}
            </button>
          </Show>
        </div>
      </Show>
      <label class="btn" style={{ 'justify-self': 'start', position: 'relative' }}>
        {p.files === false ? t('evidence.attachPhotos') : t('evidence.attach')}
        <input
          type="file"
          data-testid="evidence-file-input"
          multiple
          accept={p.files === false ? 'image/*' : 'image/*,application/pdf'}
          disabled={p.disabled || busy()}
          onChange={(e) => void onFiles(e.currentTarget)}
          style={{ position: 'absolute', width: '1px', height: '1px', opacity: '0', overflow: 'hidden' }}
        />
      </label>
      <Show when={busy()}>
        <p class="muted" role="status">
          {t('evidence.busy')}
        </p>
      </Show>
      <Show when={error()}>
        {(e) => (
          <p class="error" role="alert" data-testid="evidence-error">
            {tx(e())}
          </p>
        )}
      </Show>
    </div>
  );
}

const tZh = (k: CameraProblem) => ZH[k];
const tEn = (k: CameraProblem) => EN[k];
const fillKey = (l: 'zh' | 'en', e: string) => (l === 'zh' ? ZH : EN)['evidence.keepFailed'].replace('{e}', e);
/** a photo's name: its local time, e.g. photo-2026-11-25-100312.jpg */
const photoName = () => {
  const d = now();
  const two = (n: number) => String(n).padStart(2, '0');
  return `photo-${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}.jpg`;
};
