/**
 * Test helpers: run the real server as a child process (`node --import tsx server/main.ts`, or the bundle
 * with SERVER_BUNDLE=1) on a random port with a temp data dir, log in as a demo account, and connect stock
 * y-websocket providers.
 *
 *   const srv = await spawnServer();            // PORT=0, fresh DATA_DIR
 *   const a = await login(srv.url, 'agency1');   // password demo1234
 *   const p = connectProvider(srv.wsUrl, 'agency/…', a.token);   // each (re)connect gets a ticket for a.token
 *   await waitSynced(p);
 *   await srv.kill9(); await srv.restart();      // same port and data dir
 *   await srv.stop();                            // SIGTERM, then removes the temp dir it made
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { LoginResult as LoginAnswer, type SessionResponse } from '../../src/protocol/auth';
import { ticketWebSocket } from '../../src/client/ticket-socket';
import { ticketFor } from './raw';
import { SERVER_BUNDLE } from '../../scripts/build-server.mjs';
import { E2E_NOW } from './moments';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'demo1234';

export interface SpawnOptions {
  /** reuse a data dir (kept on stop); default: a fresh temp dir (removed on stop) */
  dataDir?: string;
  /**
   * extra environment for the server (e.g. TOKEN_TTL_SECONDS, IDLE_EVICT_MS, MSG_RATE). CLOCK_NOW defaults
   * to E2E_NOW (tests/helpers/moments.ts), so a test's outcome never depends on the day it runs; pass
   * `CLOCK_NOW: ''` for the real clock.
   */
  env?: Record<string, string>;
  /** pipe the server's stdout/stderr to this process (debugging) */
  verbose?: boolean;
  /** ms to wait for the listening line (first start seeds the database) */
  startTimeoutMs?: number;
}

export interface SpawnedServer {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  pid: number;
  /** JSON log lines received so far (parsed) */
  logs: Record<string, unknown>[];
  /** fetch options that read /metrics: `fetch(`${srv.url}/metrics`, srv.metricsAuth)` (Bearer METRICS_TOKEN) */
  metricsAuth: RequestInit;
  /** SIGTERM and wait for exit (graceful: persists, closes the DB); removes a temp data dir */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: nothing graceful happens */
  kill9(): Promise<void>;
  /** start again on the same port and data dir (after stop/kill9; stops a running one first) */
  restart(): Promise<void>;
}

/** call `onRecord` with each JSON line (a structured log record) the child prints on stdout */
export function onJsonLines(child: ChildProcess, onRecord: (rec: Record<string, unknown>) => void, echo = false): void {
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    if (echo) process.stdout.write(chunk);
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; /* not JSON */
      }
      onRecord(rec);
    }
  });
}

/**
 * How the server is run: the TypeScript through tsx (default: what vitest suites test as they edit), or,
 * with SERVER_BUNDLE=1, the bundle `npm start` runs (dist-server/main.mjs, built by scripts/build-server.mjs;
 * npm test builds it before the end-to-end suites and sets this).
 */
function serverArgs(): string[] {
  if (process.env.SERVER_BUNDLE !== '1') return ['--import', 'tsx', 'server/main.ts'];
  if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`SERVER_BUNDLE=1 but ${SERVER_BUNDLE} is missing: run \`node scripts/build-server.mjs\``);
  return ['--enable-source-maps', SERVER_BUNDLE];
}

function startChild(dataDir: string, port: number, o: SpawnOptions): Promise<{ child: ChildProcess; port: number; logs: Record<string, unknown>[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.SERVER_LOG_LEVEL ?? 'info',
    CLOCK_NOW: E2E_NOW,
    METRICS_TOKEN,
    ...o.env,
  };
  const child = spawn(process.execPath, serverArgs(), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    let err = '';
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`server did not start within ${o.startTimeoutMs ?? 60_000} ms\n${err.slice(-2000)}`)),
      o.startTimeoutMs ?? 60_000,
    );
    const finish = (e: Error | null, p?: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (e) {
        child.kill('SIGKILL');
        reject(e);
      } else resolve({ child, port: p!, logs });
    };
    onJsonLines(
      child,
      (rec) => {
        logs.push(rec);
        if (logs.length > 5000) logs.splice(0, 1000);
        if (rec.msg === 'listening' && typeof rec.port === 'number') finish(null, rec.port);
      },
      o.verbose,
    );
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      err += c;
      if (err.length > 20_000) err = err.slice(-10_000);
      if (o.verbose) process.stderr.write(c);
    });
    child.on('exit', (code, sig) => finish(new Error(`server exited (${code ?? sig}) before listening\n${err.slice(-2000)}`)));
  });
}

const waitExit = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
  });

export async function spawnServer(o: SpawnOptions = {}): Promise<SpawnedServer> {
  const ownDir = !o.dataDir;
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-test-'));
  let { child, port, logs } = await startChild(dataDir, 0, o);
  const s: SpawnedServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/sync`;
    },
    get port() {
      return port;
    },
    get pid() {
      return child.pid!;
    },
    get logs() {
      return logs;
    },
    metricsAuth: { headers: { authorization: `Bearer ${o.env?.METRICS_TOKEN ?? METRICS_TOKEN}` } },
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitExit(child);
      }
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await waitExit(child);
      }
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitExit(child);
      }
      // the old listening socket is gone once the process has exited; retry briefly if the port lingers
      let last: unknown;
      for (let i = 0; i < 20; i++) {
        try {
          ({ child, port, logs } = await startChild(dataDir, port, o));
          return;
        } catch (e) {
          last = e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      throw last;
    },
  };
  return s;
}

/** spawned servers answer /metrics to this token (METRICS_TOKEN; without one /metrics is 404) */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** GET /metrics of a spawned server (Bearer METRICS_TOKEN): the text */
export async function metricsText(url: string): Promise<string> {
  const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!r.ok) throw new Error(`/metrics: ${r.status}`);
  return r.text();
}

export interface LoginResult extends SessionResponse {
  /** the refresh token of the HttpOnly cookie eicp_rt (send it as `Cookie: eicp_rt=…` to /api/auth/*) */
  refreshCookie: string;
  /** the device cookie eicp_dev (send it as `Cookie: eicp_dev=…` to /api/login) */
  deviceCookie: string;
}

/** the value of cookie `name` among a response's Set-Cookie headers, or '' */
export function setCookieValue(r: Response, name: string): string {
  for (const c of r.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return '';
}

/** POST /api/login as a demo account (password demo1234 unless given) */
export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<LoginResult> {
  const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  // checked against the protocol's answer to a sign-in (kept as sent: a session, or a password-change step)
  const body: unknown = await r.json();
  LoginAnswer.parse(body);
  return { ...(body as SessionResponse), refreshCookie: setCookieValue(r, 'eicp_rt'), deviceCookie: setCookieValue(r, 'eicp_dev') };
}

/**
 * A fetch that keeps cookies like a browser (one jar per call of cookieFetch), for the app's api client in
 * Node tests: the refresh token is an HttpOnly cookie that the app's code never handles itself.
 */
export function cookieFetch(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const r = await fetch(input, { ...init, headers });
    for (const c of r.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (!m) continue;
      if (/Max-Age=0\b/i.test(c) || m[2] === '') jar.delete(m[1]);
      else jar.set(m[1], m[2]);
    }
    return r;
  };
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface TestProvider extends WebsocketProvider {
  /** resolves with the first close event that came from the server */
  closed: Promise<CloseInfo>;
  /** every close event seen (codes from the server) */
  closes: CloseInfo[];
}

/**
 * A stock y-websocket WebsocketProvider (ws polyfill, no BroadcastChannel) on ws://…/sync/<room>?ticket=…, as
 * the holder of the access token `token` (null: anonymous, no ticket): every (re)connect fetches its own
 * single-use ticket first; a token the server refuses opens the socket without one, and the server closes it (4401).
 */
export function connectProvider(wsUrl: string, room: string, token: string | null, doc: Y.Doc = new Y.Doc(), opts: { connect?: boolean } = {}): TestProvider {
  // every provider adds a process 'exit' listener in Node
  if (process.getMaxListeners() < 1000) process.setMaxListeners(1000);
  const p = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill:
      token === null
        ? (WebSocket as unknown as typeof globalThis.WebSocket)
        : ticketWebSocket(
            () =>
              ticketFor(wsUrl, token).then(
                (ticket) => ({ ticket }),
                () => ({ close: 1006, reason: 'no ticket: server unreachable' }),
              ),
            WebSocket,
          ),
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 500,
  }) as TestProvider;
  p.closes = [];
  p.closed = new Promise<CloseInfo>((resolve) => {
    p.on('connection-close', (ev) => {
      if (!ev) return;
      const info = { code: ev.code, reason: String(ev.reason ?? '') };
      p.closes.push(info);
      resolve(info);
    });
  });
  return p;
}

/** resolves when the provider has synced with the server (sync step 2 received) */
export function waitSynced(p: WebsocketProvider, timeoutMs = 15_000): Promise<void> {
  if (p.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      p.off('sync', on);
      reject(new Error(`not synced within ${timeoutMs} ms: ${p.roomname}`));
    }, timeoutMs);
    const on = (s: boolean) => {
      if (s) {
        clearTimeout(t);
        p.off('sync', on);
        resolve();
      }
    };
    p.on('sync', on);
  });
}

/** poll until `pred()` is true (or throw after timeoutMs) */
export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** destroy providers (and their docs) */
export function destroyAll(...ps: (WebsocketProvider | undefined)[]): void {
  for (const p of ps) {
    if (!p) continue;
    p.destroy();
    p.doc.destroy();
  }
}
