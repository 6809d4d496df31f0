/**
 * Hardening of sessions, each performed against a real server over HTTP and WebSocket:
 *  - sign-out ends that session's access token and the user's open sockets; `npm run admin -- disable-user`
 *    (another process writing the database) closes the user's open sockets within seconds;
 *  - the refresh token is an HttpOnly, Secure, SameSite=Strict cookie, never in a body; refresh and logout
 *    refuse a cross-site form post (no JSON);
 *  - sockets open with a single-use ticket of at most 60 s: a ticket works once, an access token in the URL
 *    is refused (4401);
 *  - CSP connect-src is the app's origin only; HSTS only when PUBLIC_URL is https;
 *  - /metrics needs METRICS_TOKEN (404 when none is configured, 401 for a wrong one);
 *  - DATA_DIR is 0700 and its files 0600;
 *  - scrypt N = 2^17; a hash of older parameters is replaced at the next sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { SessionResponse, SyncTicket } from '../../../src/protocol/auth';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  ROOT,
  METRICS_TOKEN,
  setCookieValue,
  type SpawnedServer,
} from '../../helpers/spawn-server';
import { socketUrl, ticketFor } from '../../helpers/raw';
import { json } from '../../helpers/api';

let srv: SpawnedServer;
beforeAll(async () => {
  srv = await spawnServer();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

const post = (p: string, o: { body?: string; token?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${srv.url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
    body: o.body ?? '{}',
  });
const me = (token: string) => fetch(`${srv.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

/** the close code and reason of a bare socket on `url` */
const closeOf = (url: string) =>
  new Promise<{ code: number; reason: string; greeted: boolean }>((resolve) => {
    const ws = new WebSocket(url);
    let greeted = false;
    ws.on('message', () => {
      greeted = true;
    });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason), greeted }));
  });

describe('sessions end within seconds', () => {
  it("sign-out: that session's access token stops working and the user's open sockets close", async () => {
    const a = await login(srv.url, 'inspector1');
    const p = connectProvider(srv.wsUrl, 'config/city', a.token);
    await waitSynced(p);
    const out = await post('/api/auth/logout', { headers: { cookie: `eicp_rt=${a.refreshCookie}` } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join('\n')).toMatch(/eicp_rt=; Path=\/api\/auth; Max-Age=0/);
    expect((await me(a.token)).status).toBe(401);
    expect((await p.closed).code).toBe(4401);
    destroyAll(p);
    // and the refresh cookie is gone on the server
    expect((await post('/api/auth/refresh', { headers: { cookie: `eicp_rt=${a.refreshCookie}` } })).status).toBe(401);
  }, 30_000);

  it("disable-user from the admin command (another process) closes the user's open sockets within seconds", async () => {
    const s = await login(srv.url, 'inspector2');
    const p = connectProvider(srv.wsUrl, 'config/city', s.token);
    await waitSynced(p);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin.ts', 'disable-user', '--username', 'inspector2'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: srv.dataDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code, run.stderr).toBe(0);
    // the server polls the accounts every 2 s
    const closed = await Promise.race([p.closed, new Promise<null>((r) => setTimeout(() => r(null), 8000))]);
    expect(closed?.code).toBe(4401);
    destroyAll(p);
    expect((await me(s.token)).status).toBe(401);
  }, 60_000);
});

describe('the refresh token is an HttpOnly cookie', () => {
  it('sign-in sets it HttpOnly, Secure, SameSite=Strict on /api/auth and never puts it in the body; refresh rotates it', async () => {
    const r = await fetch(`${srv.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agency1', password: 'demo1234' }),
    });
    expect(r.status).toBe(200);
    const body = await json(r, SessionResponse);
    expect(SessionResponse.strict().safeParse(body).success).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/refresh/i);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('eicp_rt='))!;
    expect(cookie).toMatch(/; Path=\/api\/auth; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/);
    const rt = setCookieValue(r, 'eicp_rt');
    // a cross-site form can post text/plain or a urlencoded body, never JSON without a preflight: refused
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect((await post('/api/auth/refresh', { headers: { cookie: `eicp_rt=${rt}`, 'content-type': ct } })).status).toBe(415);
    }
    const next = await post('/api/auth/refresh', { headers: { cookie: `eicp_rt=${rt}` } });
    expect(next.status).toBe(200);
    expect(SessionResponse.strict().safeParse(await json(next, SessionResponse)).success).toBe(true);
    expect(setCookieValue(next, 'eicp_rt')).not.toBe(rt);
    // the old endpoints that took the token in the body are gone
    expect((await post('/api/refresh', { body: JSON.stringify({ refreshToken: rt }) })).status).toBe(404);
    // no cookie: 401
    expect((await post('/api/auth/refresh')).status).toBe(401);
  });
});

describe('sockets open with a single-use ticket', () => {
  it('POST /api/sync/ticket needs a session and gives a ticket of at most 60 s; it opens one socket, once', async () => {
    expect((await post('/api/sync/ticket')).status).toBe(401);
    const a = await login(srv.url, 'agency1');
    const r = await post('/api/sync/ticket', { token: a.token });
    expect(r.status).toBe(200);
    const t = await json(r, SyncTicket);
    expect(t.expiresIn).toBeGreaterThan(0);
    expect(t.expiresIn).toBeLessThanOrEqual(60);
    const url = socketUrl(srv.wsUrl, 'config/city', t.ticket);
    const ws = new WebSocket(url);
    const greeted = await new Promise<boolean>((resolve) => {
      ws.on('message', () => resolve(true));
      ws.on('close', () => resolve(false));
      ws.on('error', () => {});
    });
    expect(greeted).toBe(true);
    ws.close();
    // the same ticket a second time
    expect(await closeOf(url)).toMatchObject({ code: 4401, greeted: false });
  });

  it('an access token in the URL is refused (4401), alone or beside a valid ticket', async () => {
    const a = await login(srv.url, 'agency1');
    expect(await closeOf(`${srv.wsUrl}/config/city?token=${encodeURIComponent(a.token)}`)).toMatchObject({ code: 4401, greeted: false });
    const ticket = await ticketFor(srv.wsUrl, a.token);
    expect(await closeOf(`${socketUrl(srv.wsUrl, 'config/city', ticket)}&token=${encodeURIComponent(a.token)}`)).toMatchObject({ code: 4401, greeted: false });
  });
});

describe('headers, /metrics, files', () => {
  it("CSP connect-src is the app's own origin only; no HSTS without an https PUBLIC_URL", async () => {
    const r = await fetch(`${srv.url}/healthz`);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(/connect-src ([^;]*)/.exec(csp)?.[1]).toBe("'self'");
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });

  it('/metrics: 401 without or with a wrong token, 200 with METRICS_TOKEN', async () => {
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    const ok = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/eicp_logins_total/);
  });

  it('DATA_DIR is 0700 and every file in it 0600', async () => {
    const bad: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        const mode = fs.statSync(f).mode & 0o777;
        if (e.isDirectory()) {
          if (mode !== 0o700) bad.push(`${f} ${mode.toString(8)}`);
          walk(f);
        } else if (mode !== 0o600) bad.push(`${f} ${mode.toString(8)}`);
      }
    };
    expect((fs.statSync(srv.dataDir).mode & 0o777).toString(8)).toBe('700');
    walk(srv.dataDir);
    expect(bad).toEqual([]);
    expect(fs.readdirSync(srv.dataDir)).toEqual(expect.arrayContaining(['platform.sqlite', 'jwt-secret']));
  });

  it('scrypt N = 2^17; a hash with older parameters is replaced at the next sign-in, and the password still works', async () => {
    const db = new Database(path.join(srv.dataDir, 'platform.sqlite'));
    try {
      // enterprise1 with a hash of the old parameters (N = 2^15), as an older version stored it
      const salt = randomBytes(16);
      const key = scryptSync('demo1234', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 128 * (1 << 15) * 8 * 2 });
      const old = `scrypt$${1 << 15}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
      db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(old, 'enterprise1');
      await login(srv.url, 'enterprise1');
      const hashOf = () => (db.prepare('SELECT password_hash AS h FROM users WHERE username = ?').get('enterprise1') as { h: string }).h;
      await waitFor(() => hashOf() !== old, 10_000, 'rehash');
      expect(hashOf()).toMatch(/^scrypt\$131072\$8\$1\$/);
      await login(srv.url, 'enterprise1');
    } finally {
      db.close();
    }
  }, 30_000);
});

describe('a server with an https PUBLIC_URL and no METRICS_TOKEN', () => {
  let s2: SpawnedServer;
  beforeAll(async () => {
    s2 = await spawnServer({ env: { PUBLIC_URL: 'https://insp.example.gov.cn', METRICS_TOKEN: '' } });
  }, 120_000);
  afterAll(async () => {
    await s2?.stop();
  });

  it('sends HSTS on every response, and has no /metrics (404)', async () => {
    for (const p of ['/healthz', '/api/nope', '/']) {
      expect((await fetch(`${s2.url}${p}`)).headers.get('strict-transport-security'), p).toBe('max-age=31536000; includeSubDomains');
    }
    expect((await fetch(`${s2.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${s2.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  });
});
