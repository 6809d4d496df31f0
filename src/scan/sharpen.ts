/**
 * Unsharp mask for QR photos: out = img + amount × (img − blur(img)), on the grey level, with a separable
 * box blur of radius r applied twice (≈ Gaussian). A defocused phone photo of a printed code (module
 * edges smeared over 2–3 px) becomes readable again: on the bench's blur set jsQR goes from 50% to 100%
 * at σ≈1.4 px and from 0% to ~50% at σ≈2.4 px. Pure; no DOM.
 */
export function unsharpMask(rgba: Uint8ClampedArray, width: number, height: number, radius: number, amount: number): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = (rgba[i * 4] * 77 + rgba[i * 4 + 1] * 150 + rgba[i * 4 + 2] * 29) / 256;
  const blurred = boxBlur(boxBlur(grey, width, height, radius), width, height, radius);
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = grey[i] + amount * (grey[i] - blurred[i]);
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = v; // clamped by the array type
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** separable box blur (running sums), edges clamped */
function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const win = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let s = 0;
    for (let k = -r; k <= r; k++) s += src[row + Math.min(w - 1, Math.max(0, k))];
    for (let x = 0; x < w; x++) {
      tmp[row + x] = s / win;
      s += src[row + Math.min(w - 1, x + r + 1)] - src[row + Math.max(0, x - r)];
    }
  }
  for (let x = 0; x < w; x++) {
    let s = 0;
    for (let k = -r; k <= r; k++) s += tmp[Math.min(h - 1, Math.max(0, k)) * w + x];
    for (let y = 0; y < h; y++) {
      out[y * w + x] = s / win;
      s += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
    }
  }
  return out;
}
