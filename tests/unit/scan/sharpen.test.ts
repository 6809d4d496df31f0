/** The unsharp mask of the "take a photo" second pass (src/scan/sharpen.ts). */
import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import jpeg from 'jpeg-js';
import { unsharpMask } from '../../../src/scan/sharpen';
import { encodeJpeg, renderFrame } from '../../helpers/fake-camera';

const TEXT = `https://insp.yq.gov.cn/c#eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.${'x'.repeat(200)}.${'y'.repeat(86)}`;

describe('unsharpMask', () => {
  it('steepens a blurred edge and leaves flat areas alone', () => {
    const w = 16,
      h = 1;
    const row = [0, 0, 0, 0, 0, 40, 80, 120, 160, 200, 230, 230, 230, 230, 230, 230];
    const rgba = new Uint8ClampedArray(w * 4);
    row.forEach((v, i) => {
      rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
      rgba[i * 4 + 3] = 255;
    });
    const out = unsharpMask(rgba, w, h, 1, 2);
    const g = (i: number) => out[i * 4];
    expect(g(0)).toBe(0);
    expect(g(15)).toBe(230);
    expect(g(5)).toBeLessThan(40); // the foot of the ramp gets darker
    expect(g(10)).toBeGreaterThan(230); // its shoulder lighter
  });

  it('makes a defocused QR photo readable that jsQR could not read as it was', () => {
    let plain = 0,
      sharpened = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const d = jpeg.decode(encodeJpeg(renderFrame(TEXT, { modulePx: 4, seed, blur: 1 }), 80), { useTArray: true });
      const px = new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.length);
      if (jsQR(px, d.width, d.height)?.data === TEXT) plain++;
      if (jsQR(unsharpMask(px, d.width, d.height, 1, 2), d.width, d.height)?.data === TEXT) sharpened++;
    }
    expect(sharpened).toBe(6);
    expect(plain).toBeLessThan(6);
  });
});
