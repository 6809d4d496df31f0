/**
 * HTTP: login for every demo role, the wrong-password message, the failed-login limits (per account and
 * address, per IP) with 429 + Retry-After, refresh-token rotation (HttpOnly cookie) and reuse detection, logout, /api/me, the
 * directory API with its access rules, /healthz, /metrics names, security headers, static files with
 * cache headers and the SPA fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Principal } from '../../../src/domain/schemas';
import { SessionResponse as LoginResponse } from '../../../src/protocol/auth';
import { login, METRICS_TOKEN, setCookieValue, spawnServer, type SpawnedServer } from '../../helpers/spawn-server';
import { json, errorOf } from '../../helpers/api';
import { ErrorBody } from '../../../src/protocol/errors';
import { Directory, Enterprise, EnterprisePage, InspectorList } from '../../../src/protocol/directory';
import { Health } from '../../../src/protocol/api';

let srv: SpawnedServer;
let staticDir: string;

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (p: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}${p}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

beforeAll(async () => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-dist-'));
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title><div id="root">SPA-INDEX</div>');
  fs.writeFileSync(path.join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  fs.writeFileSync(path.join(staticDir, 'manifest.webmanifest'), '{"name":"x"}');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app-3f2a.js'), 'console.log(1)');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app-3f2a.css'), 'body{}');
  srv = await spawnServer({ env: { STATIC_DIR: staticDir, TRUST_PROXY: '1', LOGIN_MAX_FAILS_ACCOUNT: '3', LOGIN_MAX_FAILS_IP: '6' } });
});
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

const USERS = ['inspector1', 'inspector2', 'inspector3', 'agency1', 'agency2', 'county1', 'supervisor1', 'enterprise1', 'enterprise2'];

describe('auth', () => {
  it('every demo account signs in; the response and the token claims match', async () => {
    const roles: Record<string, string> = {};
    for (const u of USERS) {
      const r = await post('/api/login', { username: u, password: 'demo1234' });
      expect(r.status, u).toBe(200);
      const body = await json(r, LoginResponse);
      roles[u] = body.role;
      expect(body.token.split('.')).toHaveLength(3);
      expect(body.expiresIn).toBe(900);
      const me = await get('/api/me', body.token);
      expect(me.status).toBe(200);
      const p = await json(me, Principal);
      expect(p).toEqual({ userId: body.userId, role: body.role, name: body.name, agencyId: body.agencyId, inspectorId: body.inspectorId, uscc: body.uscc });
      if (body.role === 'inspector') expect(body.inspectorId).toBeTruthy();
      if (body.role === 'enterprise') expect(body.uscc).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
      if (body.role === 'agency') expect(body.agencyId).toBeTruthy();
    }
    expect(roles).toMatchObject({
      inspector1: 'inspector',
      inspector3: 'inspector',
      agency1: 'agency',
      county1: 'agency',
      supervisor1: 'supervisor',
      enterprise1: 'enterprise',
    });
  });

  it('a wrong password gets 401 with a clear bilingual message; a bad body gets 400', async () => {
    const r = await post('/api/login', { username: 'agency2', password: 'wrong' });
    expect(r.status).toBe(401);
    expect(await json(r, ErrorBody)).toEqual({ error: { code: 'bad_credentials', message: { zh: '用户名或密码错误', en: 'Wrong user name or password' } } });
    const unknown = await post('/api/login', { username: 'nobody-here', password: 'x' }, { 'x-forwarded-for': '10.9.9.9' });
    expect(unknown.status).toBe(401);
    const b = await post('/api/login', { username: '' });
    expect(b.status).toBe(400);
    const be = await json(b, ErrorBody);
    expect(be.error.code).toBe('bad_request');
    expect(be.error.message.en).toMatch(/Invalid request/);
    expect((await post('/api/login', '{not json')).status).toBe(400);
    expect((await fetch(`${srv.url}/api/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });

  it('failed logins are limited per account and address (429 + Retry-After), even with the right password; elsewhere the owner still signs in', async () => {
    const ip = { 'x-forwarded-for': '10.0.0.1' };
    for (let i = 0; i < 3; i++) expect((await post('/api/login', { username: 'inspector2', password: `bad${i}` }, ip)).status).toBe(401);
    // a stranger's failures do not lock the owner out at another address
    expect((await post('/api/login', { username: 'inspector2', password: 'demo1234' }, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(200);
    const r = await post('/api/login', { username: 'inspector2', password: 'demo1234' }, ip);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await json(r, ErrorBody);
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message.zh).toMatch(/登录失败次数过多/);
    expect(body.error.message.en).toMatch(/Too many failed sign-ins/);
  });

  it('failed logins are limited per IP across accounts', async () => {
    const ip = { 'x-forwarded-for': '10.0.0.77' };
    for (let i = 0; i < 6; i++) expect((await post('/api/login', { username: `ghost${i}`, password: 'x' }, ip)).status).toBe(401);
    const r = await post('/api/login', { username: 'enterprise2', password: 'demo1234' }, ip);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeTruthy();
    // another IP is not affected
    expect((await post('/api/login', { username: 'enterprise2', password: 'demo1234' }, { 'x-forwarded-for': '10.0.0.78' })).status).toBe(200);
  });

  it('refresh tokens (HttpOnly cookie) rotate; a reused one is refused and ends the session family; logout revokes', async () => {
    const rt = (v: string) => ({ cookie: `eicp_rt=${v}` });
    const a = await login(srv.url, 'agency1');
    const r1 = await post('/api/auth/refresh', {}, rt(a.refreshCookie));
    expect(r1.status).toBe(200);
    const b = await json(r1, LoginResponse);
    const bCookie = setCookieValue(r1, 'eicp_rt');
    expect(bCookie).toBeTruthy();
    expect(bCookie).not.toBe(a.refreshCookie);
    expect(b.userId).toBe(a.userId);
    expect((await get('/api/me', b.token)).status).toBe(200);
    // the old one was used: refused, and the newer one dies with it (token theft signal)
    const reuse = await post('/api/auth/refresh', {}, rt(a.refreshCookie));
    expect(reuse.status).toBe(401);
    expect((await errorOf(reuse)).code).toBe('bad_refresh_token');
    expect((await post('/api/auth/refresh', {}, rt(bCookie))).status).toBe(401);
    // logout
    const c = await login(srv.url, 'agency1');
    expect((await post('/api/auth/logout', {}, rt(c.refreshCookie))).status).toBe(200);
    expect((await post('/api/auth/refresh', {}, rt(c.refreshCookie))).status).toBe(401);
    expect((await post('/api/auth/refresh', {}, rt('x'))).status).toBe(401);
  });

  it('/api/me needs a valid bearer token', async () => {
    expect((await get('/api/me')).status).toBe(401);
    const r = await get('/api/me', 'garbage');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/Bearer/);
  });
});

describe('directory API', () => {
  it('GET /api/directory is public: divisions and agencies', async () => {
    const r = await get('/api/directory');
    expect(r.status).toBe(200);
    const d = await json(r, Directory);
    expect(d.divisions.length).toBeGreaterThan(0);
    expect(d.agencies.length).toBeGreaterThan(0);
  });

  it('enterprise search for agencies, supervisors and inspectors; not for enterprises', async () => {
    const a = await login(srv.url, 'agency1');
    const all = await get('/api/enterprises?limit=5', a.token);
    expect(all.status).toBe(200);
    const page = await json(all, EnterprisePage);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.length).toBeLessThanOrEqual(5);
    expect(page.total).toBeGreaterThanOrEqual(page.items.length);
    const first = page.items[0];
    const byName = await json(await get(`/api/enterprises?q=${encodeURIComponent(first.name.slice(0, 4))}`, a.token), EnterprisePage);
    expect(byName.items.some((e) => e.uscc === first.uscc)).toBe(true);
    const byDiv = await json(await get(`/api/enterprises?division=${first.division}&limit=200`, a.token), EnterprisePage);
    expect(byDiv.items.every((e) => e.division === first.division)).toBe(true);
    expect((await get('/api/enterprises?limit=100000', a.token)).status).toBe(400);
    expect((await get('/api/enterprises?division=abc', a.token)).status).toBe(400);
    const e = await login(srv.url, 'enterprise1');
    expect((await get('/api/enterprises', e.token)).status).toBe(403);
    expect((await get('/api/enterprises')).status).toBe(401);
  });

  it('GET /api/enterprises/:uscc for the enterprise itself and officials; 404 with a clear error', async () => {
    const e = await login(srv.url, 'enterprise1');
    const own = await get(`/api/enterprises/${e.uscc}`, e.token);
    expect(own.status).toBe(200);
    expect((await json(own, Enterprise)).uscc).toBe(e.uscc);
    const e2 = await login(srv.url, 'enterprise2');
    expect((await get(`/api/enterprises/${e.uscc}`, e2.token)).status).toBe(403);
    const s = await login(srv.url, 'supervisor1');
    expect((await get(`/api/enterprises/${e.uscc}`, s.token)).status).toBe(200);
    const missing = await get('/api/enterprises/91350203M0001QAY9B', s.token);
    expect(missing.status).toBe(404);
    const body = await json(missing, ErrorBody);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message.en).toContain('91350203M0001QAY9B');
    expect((await get('/api/enterprises/lowercase-nope', s.token)).status).toBe(400);
  });

  it('GET /api/inspectors?agencyId=', async () => {
    const a = await login(srv.url, 'agency1');
    const r = await get(`/api/inspectors?agencyId=${a.agencyId}`, a.token);
    expect(r.status).toBe(200);
    const { items } = await json(r, InspectorList);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.agencyId === a.agencyId)).toBe(true);
    const i1 = await login(srv.url, 'inspector1');
    expect(items.some((i) => i.id === i1.inspectorId)).toBe(true);
  });

  it('unknown API paths are JSON 404s; wrong methods 405', async () => {
    const r = await get('/api/nope');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${srv.url}/api/login`)).status).toBe(405);
  });
});

describe('operations and static files', () => {
  it('/healthz and /metrics', async () => {
    const h = await get('/healthz');
    expect(h.status).toBe(200);
    expect(await json(h, Health)).toEqual({ ok: true });
    // /metrics needs METRICS_TOKEN (spawned servers have one)
    expect((await get('/metrics')).status).toBe(401);
    const m = await get('/metrics', METRICS_TOKEN);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await m.text();
    for (const name of [
      'eicp_ws_connections',
      'eicp_docs_loaded',
      'eicp_updates_accepted_total',
      'eicp_updates_rejected_total',
      'eicp_bytes_stored_total',
      'eicp_reader_messages_dropped_total',
      'eicp_login_failures_total',
      'eicp_logins_total',
      'eicp_ws_refused_total',
      'eicp_compactions_total',
      'eicp_doc_evictions_total',
      'process_resident_memory_bytes',
    ])
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
    expect(text).toMatch(/^eicp_login_failures_total\{reason="bad_credentials"\} [1-9]/m);
  });

  it('security headers on every response', async () => {
    for (const p of ['/healthz', '/api/directory', '/api/nope', '/', '/assets/app-3f2a.js', '/some/deep/link']) {
      const r = await get(p, undefined, { accept: 'text/html' });
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(/connect-src 'self'(;|$)/);
      expect(csp).toContain("media-src 'self' blob: mediastream:");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('permissions-policy')).toBe('camera=(self)');
    }
  });

  it('serves the build with the right types and caching, and falls back to index.html for navigations', async () => {
    const idx = await get('/');
    expect(idx.status).toBe(200);
    expect(idx.headers.get('content-type')).toMatch(/text\/html/);
    expect(idx.headers.get('cache-control')).toBe('no-cache');
    expect(await idx.text()).toContain('SPA-INDEX');
    const js = await get('/assets/app-3f2a.js');
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect((await get('/assets/app-3f2a.css')).headers.get('content-type')).toMatch(/text\/css/);
    const sw = await get('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/manifest.webmanifest')).headers.get('content-type')).toMatch(/application\/manifest\+json/);
    // deep links (SPA routes) get index.html
    for (const p of ['/inspector/tasks/42', '/enterprise', '/plans/2026?x=1']) {
      const r = await get(p, undefined, { accept: 'text/html,application/xhtml+xml' });
      expect(r.status, p).toBe(200);
      expect(await r.text()).toContain('SPA-INDEX');
    }
    // missing assets are real 404s, and /api and /sync never fall back
    expect((await get('/assets/missing-1234.js', undefined, { accept: '*/*' })).status).toBe(404);
    expect((await get('/api/unknown', undefined, { accept: 'text/html' })).status).toBe(404);
    expect((await get('/sync/agency/x', undefined, { accept: 'text/html' })).status).toBe(404);
    // no escaping the static dir
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/hosts']) {
      expect(await (await get(p)).text(), p).not.toMatch(/root:|localhost/);
    }
    const etag = js.headers.get('etag')!;
    expect((await get('/assets/app-3f2a.js', undefined, { 'if-none-match': etag })).status).toBe(304);
  });
});
