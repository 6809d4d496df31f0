#!/usr/bin/env node
// Generates the PWA icons (public/icons/*.png) with pngjs: a calm blue tile with a white shield and
// a check mark (检查, inspection). `purpose: any` icons have rounded corners and a transparent
// margin; the maskable one is full-bleed with the emblem inside the 80% safe zone.
// Run: node scripts/make-icons.mjs   (the PNGs are committed; re-run only to change the design)
import { PNG } from 'pngjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
fs.mkdirSync(out, { recursive: true });

const BLUE = [11, 79, 138];
const BLUE2 = [21, 101, 170];
const WHITE = [255, 255, 255];
const GOLD = [242, 183, 5];

/** signed distance helpers in unit coordinates (0..1) */
const clamp = (x, a, b) => Math.max(a, Math.min(b, x));
function roundedRect(x, y, r) {
  // square 0..1 with corner radius r
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  return Math.hypot(dx, dy) - r; // <0 inside
}
function shield(x, y) {
  // inside test of a shield shape centred at 0.5, width 0.56, height 0.64
  const top = 0.2,
    mid = 0.52,
    bottom = 0.84,
    half = 0.28;
  if (y < top || y > bottom) return false;
  if (y <= mid) return Math.abs(x - 0.5) <= half;
  // lower part: tapers to the bottom point along a curve
  const t = (y - mid) / (bottom - mid);
  return Math.abs(x - 0.5) <= half * Math.sqrt(1 - t * t);
}
function segDist(px, py, ax, ay, bx, by) {
  const vx = bx - ax,
    vy = by - ay;
  const t = clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0, 1);
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

function render(size, { maskable }) {
  const png = new PNG({ width: size, height: size });
  const ss = 4; // supersampling
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let acc = [0, 0, 0, 0];
      for (let sj = 0; sj < ss; sj++)
        for (let si = 0; si < ss; si++) {
          const u = (i + (si + 0.5) / ss) / size;
          const v = (j + (sj + 0.5) / ss) / size;
          let col = null;
          // tile
          const inTile = maskable ? true : roundedRect(u, v, 0.2) < 0;
          if (inTile) {
            const g = v; // gentle vertical gradient
            col = BLUE.map((c, k) => Math.round(c + (BLUE2[k] - c) * (1 - g) * 0.6));
            // emblem scaled into the safe zone for maskable icons
            const s = maskable ? 0.78 : 1;
            const x = (u - 0.5) / s + 0.5,
              y = (v - 0.5) / s + 0.5;
            if (shield(x, y)) col = WHITE;
            // check mark in blue on the shield
            const d = Math.min(segDist(x, y, 0.37, 0.5, 0.47, 0.61), segDist(x, y, 0.47, 0.61, 0.65, 0.39));
            if (shield(x, y) && d < 0.045) col = BLUE;
            // small gold star-dot at the top (a civic accent)
            if (Math.hypot(x - 0.5, y - 0.13) < 0.035) col = GOLD;
          }
          if (col) {
            acc[0] += col[0];
            acc[1] += col[1];
            acc[2] += col[2];
            acc[3] += 255;
          }
        }
      const n = ss * ss;
      const idx = (size * j + i) << 2;
      const a = acc[3] / n;
      png.data[idx] = a ? Math.round(acc[0] / (acc[3] / 255)) : 0;
      png.data[idx + 1] = a ? Math.round(acc[1] / (acc[3] / 255)) : 0;
      png.data[idx + 2] = a ? Math.round(acc[2] / (acc[3] / 255)) : 0;
      png.data[idx + 3] = Math.round(a);
    }
  }
  return PNG.sync.write(png);
}

const files = [
  ['icon-192.png', 192, { maskable: false }],
  ['icon-512.png', 512, { maskable: false }],
  ['icon-maskable-512.png', 512, { maskable: true }],
  ['apple-touch-icon.png', 180, { maskable: true }],
];
for (const [name, size, o] of files) {
  fs.writeFileSync(path.join(out, name), render(size, o));
  console.log(`wrote public/icons/${name} (${size}×${size})`);
}
