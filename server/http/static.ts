/**
 * Serves the built PWA (STATIC_DIR, ./dist): correct content types, long cache for /assets/* (hashed
 * names), no-cache for index.html and sw.js, SPA fallback to index.html for navigations. When the build
 * is missing, `/` explains how to make it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
};

const MISSING_BUILD = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>涉企检查协同平台</title></head>
<body><h1>涉企检查协同平台</h1><p>尚未构建前端：请运行 <code>npm run build</code>，然后刷新本页。</p>
<p lang="en">The app has not been built yet: run <code>npm run build</code>, then reload this page.</p></body></html>`;

function cacheControl(rel: string): string {
  if (rel === '/index.html' || rel === '/sw.js' || rel.endsWith('.html') || rel.endsWith('.webmanifest') || /^\/workbox-[^/]+\.js$/.test(rel))
    return 'no-cache';
  if (rel.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

export function createStaticHandler(staticDir: string) {
  const root = path.resolve(staticDir);

  const sendFile = (req: IncomingMessage, res: ServerResponse, file: string, rel: string, st: fs.Stats) => {
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', cacheControl(rel));
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', st.mtime.toUTCString());
    if (rel === '/sw.js') res.setHeader('Service-Worker-Allowed', '/');
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.setHeader('Content-Length', st.size);
    res.writeHead(200);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const stat = (f: string): fs.Stats | null => {
    try {
      const s = fs.statSync(f);
      return s.isFile() ? s : null;
    } catch {
      return null;
    }
  };

  /** true when handled (response sent) */
  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    if (rel.includes('\0')) return false;
    if (rel === '/') rel = '/index.html';
    const file = path.resolve(root, '.' + path.posix.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) return false;
    const st = stat(file);
    if (st) {
      sendFile(req, res, file, rel, st);
      return true;
    }
    // SPA fallback: navigations (HTML wanted, or no file extension) get index.html
    const accept = String(req.headers.accept ?? '');
    const isNavigation = accept.includes('text/html') || path.extname(rel) === '';
    if (!isNavigation) return false;
    const index = path.join(root, 'index.html');
    const ist = stat(index);
    if (ist) {
      sendFile(req, res, index, '/index.html', ist);
      return true;
    }
    res.writeHead(rel === '/index.html' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : MISSING_BUILD);
    return true;
  };
}
