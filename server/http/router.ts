/**
 * A small router over node:http: method + path pattern (`/api/enterprises/:uscc`), JSON bodies with a
 * size cap, errors as `{error: {code, message: {zh, en}}}`, security headers on every response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { errors, HttpError, zodError } from './errors';
import type { ErrorBody } from '../../src/protocol/errors';

export const CSP = [
  "default-src 'self'",
  // WebAssembly compilation only (the QR decoder, zxing-cpp); no eval
  "script-src 'self' 'wasm-unsafe-eval'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  // the app's own origin only (in current Chromium and Firefox 'self' covers ws: and wss: of the same host)
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self)',
};

/** browsers keep to https for a year, subdomains too (sent only when PUBLIC_URL is https) */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function setSecurityHeaders(res: ServerResponse, o: { hsts?: boolean } = {}): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  if (o.hsts) res.setHeader('Strict-Transport-Security', HSTS);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(data),
    ...headers,
  });
  res.end(data);
}

export function sendError(res: ServerResponse, e: HttpError): void {
  // the one error body of the wire contract (src/protocol/errors.ts), which the app and the tests parse
  const body: ErrorBody = { error: { code: e.code, message: e.text } };
  if (e.details !== undefined) body.error.details = e.details;
  sendJson(res, e.status, body, e.headers);
}

export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<Buffer> {
  const len = Number(req.headers['content-length'] ?? 0);
  if (len > limit) throw errors.tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw errors.tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const ct = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(ct)) throw errors.unsupported();
  const buf = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch {
    throw errors.badRequest('bad_json', { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' });
  }
  const r = schema.safeParse(value);
  if (!r.success) throw zodError(r.error);
  return r.data;
}

export function parseQuery<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  const obj: Record<string, string> = {};
  for (const [k, v] of url.searchParams) obj[k] = v;
  const r = schema.safeParse(obj);
  if (!r.success) throw zodError(r.error);
  return r.data;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  ip: string;
}

type Handler = (ctx: Ctx) => Promise<void> | void;

interface Route {
  method: string;
  pattern: string;
  re: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const re = new RegExp(
      '^' +
        pattern.replace(/\/:([A-Za-z][A-Za-z0-9]*)/g, (_m, k: string) => {
          keys.push(k);
          return '/([^/]+)';
        }) +
        '/?$',
    );
    this.routes.push({ method, pattern, re, keys, handler });
    return this;
  }
  get(p: string, h: Handler) {
    return this.on('GET', p, h);
  }
  post(p: string, h: Handler) {
    return this.on('POST', p, h);
  }

  /** every registered route as written (`GET /api/joints/:id`), in registration order: the OpenAPI test holds the protocol's table against it */
  list(): { method: string; path: string }[] {
    return this.routes.map((r) => ({ method: r.method, path: r.pattern }));
  }

  /** the handler for a request, `null` when no path matches, or a 405 thrower when only the method is wrong */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | null {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          params[k] = m[i + 1];
        }
      });
      return { handler: r.handler, params };
    }
    if (pathMatched)
      return {
        handler: () => {
          throw errors.methodNotAllowed();
        },
        params: {},
      };
    return null;
  }
}
