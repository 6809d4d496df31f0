/**
 * `npm run bench:evidence`: evidence and documents on a phone, in Chromium at 4× CPU (CDP
 * Emulation.setCPUThrottlingRate), offline, signed in as inspector1 on the check-in page of today's task at
 * 晋味轩 after the entry (scanned with the fake camera showing the enterprise's real code):
 *  a. keeping a ~5 MB JPEG through `evidence-file-input` (the page's own `evidence:keep` performance measure;
 *     goal < 1 s); baseline in the same page: a plain IndexedDB put of the same Blob plus its SHA-256;
 *  b. making both PDF documents (现场检查笔录, 检查结果告知书) with three such photos and three hand signatures
 *     (the page's `document:pdf` measures; the first of a session also parses the CJK font; goal < 2 s each); baseline in the same page: a one-page Latin-only
 *     pdf-lib document (the same library, standard font, no CJK subset, no images);
 *  c. the first screen's JS (index.html + the sign-in page and its static imports), gzip, and that neither
 *     pdf-lib, fontkit nor signature_pad is in it (built files and the source's static import closure).
 * Each run has its own server (fresh DATA_DIR: a document is made once per inspection); 3 runs, medians.
 * The browser's Date is shifted to the servers' fixed clock by an init script, not by Playwright's clock, which
 * replaces `performance` (its measures would read as empty). Prints figures and ratios; asserts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { spawnServer, login, ROOT, type SpawnedServer } from '../tests/helpers/spawn-server';
import { fakeCameraArgs, makeFakeCameraFile } from '../tests/helpers/fake-camera';
import { E2E_NOW } from '../tests/helpers/moments';
import { ENTERPRISE1_USCC } from '../server/seed/constants';
import { drawSignature, openEnterprise1Task } from '../tests/e2e/inspection-steps';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PHOTOS = 3;
const RATE = 4;
const OUT = fs.mkdtempSync('/tmp/bench-evidence-');
const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function dist(): string {
  const d = process.env.E2E_DIST || process.env.BENCH_DIST || '/tmp/dist-bench-evidence';
  if (!fs.existsSync(path.join(d, 'index.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', d, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  return path.resolve(d);
}

// ---------- c. the first screen ----------

/** the modules a source file imports statically (type-only imports excluded) */
function staticImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g))
    if (!/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  return out;
}

/** the packages the first screen's sources reach through static imports */
function firstScreenPackages(): Set<string> {
  const seen = new Set<string>();
  const pkgs = new Set<string>();
  const todo = ['src/main.tsx', 'src/pages/login/LoginPage.tsx'];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of staticImports(fs.readFileSync(path.join(ROOT, f), 'utf8'))) {
      if (!spec.startsWith('.')) {
        pkgs.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
        continue;
      }
      const base = path.normalize(path.join(path.dirname(f), spec)).replace(/\.(tsx?|js)$/, '');
      const src = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((e) => base + e).find((p) => fs.existsSync(path.join(ROOT, p)));
      if (src) todo.push(src);
    }
  }
  return pkgs;
}

/** markers of the document libraries in built JS */
const LIB_MARKERS: [string, RegExp][] = [
  ['pdf-lib', /PDFDocument|FontFile2|\/Type \/XRef|pdf-lib/],
  ['fontkit', /fontkit|GlyphVariations|hmtx.{0,40}maxp/],
  ['signature_pad', /SignaturePad|signature_pad|minDistance.{0,80}throttle/],
];

function firstScreen(d: string) {
  const html = fs.readFileSync(path.join(d, 'index.html'), 'utf8');
  const files = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  const assets = fs.readdirSync(path.join(d, 'assets'));
  const loginChunk = assets.find((f) => /^LoginPage-.*\.js$/.test(f));
  const add = (f: string) => {
    if (files.has(`/assets/${f}`) && f !== loginChunk) return;
    files.add(`/assets/${f}`);
    const src = fs.readFileSync(path.join(d, 'assets', f), 'utf8');
    for (const m of src.matchAll(/from\s*"\.\/([^"]+\.js)"|import\s*"\.\/([^"]+\.js)"/g)) add(m[1] ?? m[2]);
  };
  if (loginChunk) add(loginChunk);
  let raw = 0,
    gz = 0;
  const found = new Set<string>();
  for (const f of files) {
    const buf = fs.readFileSync(path.join(d, f));
    raw += buf.length;
    gz += zlib.gzipSync(buf, { level: 9 }).length;
    const text = buf.toString('utf8');
    for (const [name, re] of LIB_MARKERS) if (re.test(text)) found.add(name);
  }
  const pkgs = firstScreenPackages();
  const inSources = ['@cantoo/pdf-lib', '@cantoo/fontkit', 'signature_pad', 'pdf-lib'].filter((p) => pkgs.has(p));
  // where the document libraries went: the lazy chunks that hold them
  const lazy = assets.filter((f) => f.endsWith('.js') && LIB_MARKERS.some(([, re]) => re.test(fs.readFileSync(path.join(d, 'assets', f), 'utf8'))));
  return { files: files.size, raw, gz, inBuilt: [...found], inSources, lazy };
}

// ---------- a, b. in the page ----------

/** a ~5 MB JPEG: coloured noise at quality 90 (`seed` makes each unique, as content-addressed files must be) */
function bigJpeg(seed: number, W = 2000, H = 1500): Buffer {
  const d = Buffer.alloc(W * H * 4);
  let a = seed >>> 0 || 1;
  const r = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a >>> 24;
  };
  for (let i = 0; i < d.length; i += 4) {
    d[i] = (((i >> 2) % W) / W) * 200 + (r() >> 2);
    d[i + 1] = r();
    d[i + 2] = (r() >> 1) + 64;
    d[i + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ data: d, width: W, height: H }, 90).data);
}

/** the browser's Date on the servers' fixed clock, leaving `performance` alone */
const shiftDate = (offset: number) => `(() => {
  const R = Date, off = ${offset};
  class D extends R { constructor(...a) { if (a.length === 0) super(R.now() + off); else super(...a); } static now() { return R.now() + off; } }
  globalThis.Date = D;
})();`;

async function json<T>(r: Response): Promise<T> {
  if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** durations of the page's performance measures named `name` */
const measures = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);

async function waitMeasures(page: Page, name: string, count: number, timeoutMs = 120_000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = await measures(page, name);
    if (m.length >= count) return m;
    if (Date.now() > end) throw new Error(`no ${count} '${name}' measures within ${timeoutMs} ms (have ${m.length})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** baseline a: the same bytes as a Blob put into IndexedDB, plus crypto.subtle.digest (ms) */
async function putBaseline(page: Page, photo: Buffer): Promise<number> {
  await page.evaluate((b64) => {
    const bin = atob(b64);
    const u = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    (globalThis as unknown as { __benchBlob: Blob }).__benchBlob = new Blob([u], { type: 'image/jpeg' });
  }, photo.toString('base64'));
  return page.evaluate(async () => {
    const blob = (globalThis as unknown as { __benchBlob: Blob }).__benchBlob;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('bench-baseline', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('files');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const t0 = performance.now();
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    const key = Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('files', 'readwrite');
      tx.objectStore('files').put(blob, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const t = performance.now() - t0;
    db.close();
    return t;
  });
}

/** baseline b: a one-page Latin-only document with the same pdf-lib, standard font (ms) */
async function latinPdfBaseline(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const L = (globalThis as unknown as { PDFLib: typeof import('@cantoo/pdf-lib') }).PDFLib;
    const t0 = performance.now();
    const doc = await L.PDFDocument.create();
    const p = doc.addPage([595, 842]);
    const font = await doc.embedFont(L.StandardFonts.Helvetica);
    let y = 800;
    for (const line of ['On-site inspection record', 'Enterprise: Jinweixuan Catering Co., Ltd.', 'Finding: none', 'Decision: no problem found'])
      p.drawText(line, { x: 50, y: (y -= 24), size: 12, font });
    await doc.save();
    return performance.now() - t0;
  });
}

interface RunFigures {
  keep: number[];
  put: number[];
  pdf: number[];
  latin: number[];
}

async function run(d: string, i: number): Promise<RunFigures> {
  let srv: SpawnedServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let step = 'server';
  try {
    srv = await spawnServer({ env: { STATIC_DIR: d } });
    const insp = await login(srv.url, 'inspector1');
    const code = await json<{ qrText: string }>(
      await fetch(`${srv.url}/api/enterprises/${ENTERPRISE1_USCC}/code`, { headers: { authorization: `Bearer ${insp.token}` } }),
    );
    const cam = makeFakeCameraFile(code.qrText, { width: 360, height: 480, margin: 3, frames: 20, blankFrames: 3, modulePx: 4, dir: OUT });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: fakeCameraArgs(cam) });
    const ctx = await browser.newContext({
      baseURL: srv.url,
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['camera'],
    });
    await ctx.addInitScript(shiftDate(new Date(E2E_NOW).getTime() - Date.now()));
    let blocked = false;
    const live = new Set<{ close(o?: { code?: number; reason?: string }): Promise<void> }>();
    await ctx.routeWebSocket(/\/sync\//, (ws) => {
      if (blocked) return void ws.close({ code: 1001, reason: 'offline (bench)' });
      ws.connectToServer();
      live.add(ws);
    });
    page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    step = 'sign-in, task, scan';

    // the harness, unthrottled: sign in, open today's task, compose the team, scan → entry
    await page.goto('/login');
    await page.getByLabel(/用户名|User name/).fill('inspector1');
    await page.getByLabel(/密码|Password/).fill('demo1234');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('role').waitFor();
    // offline work needs the service worker controlling the page (lazy chunks, the document font)
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', null, { timeout: 60_000 });
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
    await openEnterprise1Task(page);
    await page.getByTestId('scan-start').click();
    await page.getByTestId('entered').waitFor({ timeout: 60_000 });
    const latinLib = fs.readFileSync(path.join(ROOT, 'node_modules/@cantoo/pdf-lib/dist/pdf-lib.min.js'), 'utf8');
    await page.evaluate(latinLib); // CDP evaluation: not subject to the page's CSP
    const photos = Array.from({ length: PHOTOS }, (_, k) => bigJpeg(1000 * i + k + 1));

    // offline, 4× CPU
    blocked = true;
    await ctx.setOffline(true);
    for (const ws of live) void ws.close({ code: 1001, reason: 'offline (bench)' });
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });

    step = 'keep photos';
    const f: RunFigures = { keep: [], put: [], pdf: [], latin: [] };
    const input = page.getByTestId('evidence-section').getByTestId('evidence-file-input');
    for (let k = 0; k < PHOTOS; k++) {
      await input.setInputFiles({ name: `photo-${k + 1}.jpg`, mimeType: 'image/jpeg', buffer: photos[k] });
      const m = await waitMeasures(page, 'evidence:keep', k + 1);
      f.keep.push(m[k]);
      f.put.push(await putBaseline(page, photos[k]));
    }
    await page
      .getByTestId('evidence-section')
      .getByTestId('evidence-thumb')
      .nth(PHOTOS - 1)
      .waitFor();

    step = 'check out, sign, make documents';
    await page.getByTestId('outcome-no_problem').check();
    await page.getByTestId('checkout').click();
    await page.getByTestId('checked-out').waitFor();
    for (const pad of ['sigpad-inspector-0', 'sigpad-inspector-1', 'sigpad-enterprise'])
      await drawSignature(page, page.getByTestId('docs-card').getByTestId(pad));
    await page.getByTestId('doc-rep-name').fill('王建国');
    await page.getByTestId('doc-make').click();
    f.pdf = await waitMeasures(page, 'document:pdf', 2, 180_000);
    await page.getByTestId('doc-item').nth(1).waitFor({ timeout: 120_000 });
    for (let k = 0; k < 3; k++) f.latin.push(await latinPdfBaseline(page));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    return f;
  } catch (e) {
    const shot = `/tmp/bench-evidence-failed-${i}.png`;
    await page?.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`${step}: ${(e as Error).message.split('\n')[0]} (screenshot ${shot})`);
  } finally {
    await browser?.close();
    await srv?.stop();
  }
}

const d = dist();
const fs1 = firstScreen(d);
console.log(`First screen (index.html + sign-in page, ${fs1.files} JS files): ${kb(fs1.raw)} raw, ${kb(fs1.gz)} gzip`);
console.log(`  pdf-lib / fontkit / signature_pad in the built first screen: ${fs1.inBuilt.length ? fs1.inBuilt.join(', ') : 'none'}`);
console.log(`  ... reached by the first screen's static imports: ${fs1.inSources.length ? fs1.inSources.join(', ') : 'none'}`);
console.log(`  lazy chunks holding them: ${fs1.lazy.join(', ') || 'none found'}`);
if (process.env.BENCH_BASE_DIST) {
  const base = firstScreen(process.env.BENCH_BASE_DIST);
  console.log(
    `  base build (${process.env.BENCH_BASE_DIST}): ${kb(base.gz)} gzip → now ${kb(fs1.gz)} (${fs1.gz - base.gz >= 0 ? '+' : ''}${fs1.gz - base.gz} bytes)`,
  );
}

const all: RunFigures[] = [];
for (let i = 1; i <= RUNS; i++) {
  const t0 = Date.now();
  try {
    const f = await run(d, i);
    all.push(f);
    console.log(
      `run ${i} (${((Date.now() - t0) / 1000).toFixed(0)} s): keep ${f.keep.map(ms).join(', ')} | put+digest ${f.put.map(ms).join(', ')} | pdf ${f.pdf.map(ms).join(', ')} | latin pdf ${f.latin.map(ms).join(', ')}`,
    );
  } catch (e) {
    console.log(`run ${i} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}
const col = (k: keyof RunFigures) => median(all.flatMap((f) => f[k]));
const keep = col('keep'),
  put = col('put'),
  latin = col('latin');
// the first document of a session also loads and parses the CJK font; the second reuses it
const pdf = median(all.map((f) => f.pdf[0])),
  pdf2 = median(all.map((f) => f.pdf[1]));
const photoBytes = bigJpeg(1001).length;
console.log(`\nAt ${RATE}× CPU, offline, 360×740 phone; medians over ${all.length} run(s):`);
console.log('  measure                                   | median     | baseline (same page)                 | ratio | goal');
console.log(
  `  a. keep a ${(photoBytes / 1024 / 1024).toFixed(1)} MB JPEG (evidence:keep)       | ${ms(keep).padEnd(10)} | IndexedDB put + SHA-256 ${ms(put).padEnd(12)} | ${(keep / put).toFixed(2).padStart(5)} | < 1000 ms`,
);
console.log(
  `  b. first PDF (document:pdf), 3 photos      | ${ms(pdf).padEnd(10)} | 1-page Latin pdf-lib ${ms(latin).padEnd(15)} | ${(pdf / latin).toFixed(2).padStart(5)} | < 2000 ms`,
);
console.log(
  `     second PDF (the font already parsed)    | ${ms(pdf2).padEnd(10)} | 1-page Latin pdf-lib ${ms(latin).padEnd(15)} | ${(pdf2 / latin).toFixed(2).padStart(5)} | < 2000 ms`,
);
console.log(
  `  c. first-screen JS gzip                   | ${kb(fs1.gz).padEnd(10)} | document libraries in it: ${fs1.inBuilt.length || fs1.inSources.length ? 'YES' : 'none'}`,
);
console.log(JSON.stringify({ keep, put, pdf, pdf2, latin, firstScreen: fs1, runs: all, photoBytes }));
fs.rmSync(OUT, { recursive: true, force: true });
process.exit(0);
