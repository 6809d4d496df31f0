/**
 * A handwritten signature (signature_pad on a canvas), returned as a PNG: transparent background, cropped to
 * the strokes with a small margin (it lies on the document's white paper and scales into the signature box).
 * The canvas is sized to its CSS box × devicePixelRatio and follows its size (ResizeObserver), keeping the
 * strokes. signature_pad is imported here only, and this component only by the lazily loaded documents card,
 * so it never reaches the first screen (tests/unit/habits/boundaries.test.ts).
 */
import SignaturePadLib from 'signature_pad';
import { createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { t } from '../i18n/dict-evidence';

/** the strokes' bounding box (alpha > 0) of a canvas, with `margin` px around, or null when empty */
function strokesBox(c: HTMLCanvasElement, margin: number): { x: number; y: number; w: number; h: number } | null {
  const ctx = c.getContext('2d');
  if (!ctx || !c.width || !c.height) return null;
  const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if (data[row + x * 4 + 3] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  const x = Math.max(0, x0 - margin);
  const y = Math.max(0, y0 - margin);
  return { x, y, w: Math.min(width, x1 + margin + 1) - x, h: Math.min(height, y1 + margin + 1) - y };
}

/** the drawing as a cropped PNG */
function croppedPng(c: HTMLCanvasElement): Promise<Blob> {
  const box = strokesBox(c, Math.round(8 * (window.devicePixelRatio || 1))) ?? { x: 0, y: 0, w: c.width, h: c.height };
  const out = document.createElement('canvas');
  out.width = box.w;
  out.height = box.h;
  out.getContext('2d')?.drawImage(c, box.x, box.y, box.w, box.h, 0, 0, box.w, box.h);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

export function SignaturePad(p: { label: string; testid?: string; onDone: (png: Blob) => void; onClear?: () => void; disabled?: boolean }): JSX.Element {
  let canvas!: HTMLCanvasElement;
  let pad: SignaturePadLib | null = null;
  const [empty, setEmpty] = createSignal(true);
  const [signed, setSigned] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  /** the backing store follows the CSS box × devicePixelRatio; the strokes are redrawn at the new size */
  const fitCanvas = () => {
    if (!pad) return;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const w = Math.round(canvas.offsetWidth * ratio);
    const h = Math.round(canvas.offsetHeight * ratio);
    if (!w || !h || (canvas.width === w && canvas.height === h)) return;
    const data = pad.toData();
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d')?.scale(ratio, ratio);
    pad.clear();
    if (data.length) pad.fromData(data);
  };

  onMount(() => {
    pad = new SignaturePadLib(canvas, { backgroundColor: 'rgba(0,0,0,0)', penColor: '#111', minWidth: 0.8, maxWidth: 2.6 });
    pad.addEventListener('endStroke', () => {
      setEmpty(pad?.isEmpty() ?? true);
      // a stroke after "done" changes the drawing: it must be confirmed again
      setSigned(false);
    });
    fitCanvas();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => fitCanvas()) : null;
    ro?.observe(canvas);
    if (!ro) window.addEventListener('resize', fitCanvas);
    onCleanup(() => {
      ro?.disconnect();
      window.removeEventListener('resize', fitCanvas);
      pad?.off();
      pad = null;
    });
  });

  const clear = () => {
    pad?.clear();
    setEmpty(true);
    setSigned(false);
    p.onClear?.();
  };
  const done = async () => {
    if (!pad || pad.isEmpty()) return;
    setBusy(true);
    try {
      p.onDone(await croppedPng(canvas));
      setSigned(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sigpad" data-testid={p.testid ?? 'sigpad'} data-signed={signed() ? 'true' : 'false'} style={{ display: 'grid', gap: '6px' }}>
      <span>{p.label}</span>
      <canvas
        ref={canvas}
        data-testid="sigpad-canvas"
        role="img"
        aria-label={t('sigpad.canvas', { label: p.label })}
        style={{ width: '100%', height: '180px', border: '1px dashed var(--border)', 'border-radius': '8px', background: '#fff', 'touch-action': 'none' }}
      />
      <div style={{ display: 'flex', gap: '8px', 'align-items': 'center' }}>
        <button type="button" class="btn btn-small" data-testid="sigpad-clear" disabled={p.disabled || busy()} onClick={clear}>
          {t('sigpad.clear')}
        </button>
        <button
          type="button"
          class="btn btn-small btn-primary"
          data-testid="sigpad-done"
          disabled={p.disabled || empty() || busy()}
          onClick={() => void done()}
        >
          {t('sigpad.done')}
        </button>
        <span class="muted" aria-live="polite">
          {signed() ? `✓ ${t('sigpad.signed')}` : ''}
        </span>
      </div>
    </div>
  );
}
