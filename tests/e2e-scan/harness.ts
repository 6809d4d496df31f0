/**
 * Node side of the scanner harness: bundles harness-entry.ts (which imports src/scan/scanner.ts and
 * src/domain/codes.ts) with esbuild, serves it on 127.0.0.1 (a secure context, so the camera works), and
 * launches Chromium with a fake camera file. Used by tests/e2e-scan/*.spec.ts and bench/scan.ts.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_PATH, fakeCameraArgs } from '../helpers/fake-camera';

const here = path.dirname(fileURLToPath(import.meta.url));

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>scan harness</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="margin:0"><div id="status">loading</div><div id="reader" style="width:640px"></div>
<script type="module" src="/harness.js"></script></body></html>`;

export interface Harness {
  url: string;
  close(): Promise<void>;
}

/** Bundle the harness (code-split, so html5-qrcode is a lazily loaded chunk as in the app) and serve it. */
export async function startHarness(): Promise<Harness> {
  // vite's `import x from 'file?url'` (the zxing-cpp .wasm): the file is served as an asset, x is its path
  const assets = new Map<string, string>();
  const assetUrl: Plugin = {
    name: 'asset-url',
    setup(b) {
      b.onResolve({ filter: /\?url$/ }, async (a) => {
        const r = await b.resolve(a.path.replace(/\?url$/, ''), { resolveDir: a.resolveDir, kind: a.kind });
        return { path: r.path, namespace: 'asset-url' };
      });
      b.onLoad({ filter: /.*/, namespace: 'asset-url' }, (a) => {
        const url = `/assets/${path.basename(a.path)}`;
        assets.set(url, a.path);
        return { contents: `export default ${JSON.stringify(url)};`, loader: 'js' };
      });
    },
  };
  const out = await build({
    entryPoints: { harness: path.join(here, 'harness-entry.ts') },
    bundle: true,
    format: 'esm',
    splitting: true,
    write: false,
    outdir: '/virtual',
    target: 'es2022',
    sourcemap: false,
    minify: false,
    logLevel: 'silent',
    plugins: [assetUrl],
  });
  const files = new Map<string, Uint8Array>();
  for (const f of out.outputFiles) files.set('/' + path.basename(f.path), f.contents);
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0];
    if (p === '/' || p === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    const a = assets.get(p);
    if (a) {
      res.writeHead(200, { 'Content-Type': a.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream' });
      res.end(fs.readFileSync(a));
      return;
    }
    const f = files.get(p);
    if (f) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(f);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function launchWithCamera(file: string): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: fakeCameraArgs(file) });
}

export async function openHarness(browser: Browser, url: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 700 }, permissions: ['camera'] });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.locator('#status', { hasText: 'ready' }).waitFor();
  return page;
}
