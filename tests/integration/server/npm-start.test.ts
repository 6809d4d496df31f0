/**
 * `npm start` as a newcomer runs it (scripts/start.mjs): it bundles the server (scripts/build-server.mjs)
 * and runs the bundle on plain Node, not the TypeScript through tsx. The bundle must start on a fresh data
 * dir (seeding it), serve the app, log in, relay between two stock providers, and stop cleanly on SIGTERM
 * forwarded by start.mjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_BUNDLE } from '../../../scripts/build-server.mjs';
import { ROOT, connectProvider, destroyAll, login, onJsonLines, waitFor, waitSynced } from '../../helpers/spawn-server';
import { apiJson } from '../../helpers/api';

let child: ChildProcess;
let url = '';
let tmp = '';
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
  // a stand-in for the built PWA, so start.mjs does not run vite build here (the e2e suites cover the real one)
  const staticDir = path.join(tmp, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>start test</title><p>app shell</p>');
  child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(tmp, 'data'),
      STATIC_DIR: staticDir,
      LOG_LEVEL: 'info',
      NODE_ENV: '',
      CLOCK_NOW: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`npm start did not listen within 60 s\n${stderr.slice(-2000)}`)), 60_000);
    onJsonLines(child, (rec) => {
      lines.push(rec);
      if (rec.msg === 'listening' && typeof rec.port === 'number') {
        clearTimeout(t);
        resolve(`http://127.0.0.1:${rec.port}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`npm start exited (${code}) before listening\n${stderr.slice(-2000)}`));
    });
  });
}, 90_000);

afterAll(async () => {
  // after a failure midway: SIGTERM first, which start.mjs forwards, so its server child does not outlive the test
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs)', () => {
  it('says first that it is the demo, and builds the demo around today by the real clock', () => {
    expect(lines[0]).toMatchObject({ level: 'info', mode: 'demo' });
    expect(String(lines[0].msg)).toMatch(/^demo mode/);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(lines.find((l) => l.msg === 'demo data seeded')).toMatchObject({ builtAround: today, scale: 'demo' });
    expect(lines.some((l) => String(l.msg).startsWith('CLOCK_NOW'))).toBe(false);
  });

  it("tells the app its clock only when CLOCK_NOW set it: here the app keeps the device's", async () => {
    const info = (await apiJson(await fetch(`${url}/api/instance`))) as Record<string, unknown>;
    expect(info.mode).toBe('demo');
    expect(info).not.toHaveProperty('serverClock');
  });

  it('runs the bundled server, not tsx', () => {
    const args = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    expect(args).toContain('scripts/start.mjs');
    // the server is start.mjs's child: find it by its command line
    const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    const cmdlines = kids.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    expect(cmdlines.some((c) => c.includes('dist-server/main.mjs'))).toBe(true);
    expect(cmdlines.some((c) => c.includes('tsx'))).toBe(false);
    expect(fs.existsSync(`${SERVER_BUNDLE}.map`)).toBe(true);
  });

  it('serves health, the app shell and security headers', async () => {
    expect(await apiJson(await fetch(`${url}/healthz`))).toEqual({ ok: true });
    const r = await fetch(`${url}/plans/anything`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('app shell');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('logs in a demo account and relays between two stock providers', async () => {
    const a = await login(url, 'agency1');
    const ws = url.replace('http', 'ws') + '/sync';
    const room = `agency/${a.agencyId}`;
    const p1 = connectProvider(ws, room, a.token);
    const p2 = connectProvider(ws, room, a.token);
    await Promise.all([waitSynced(p1), waitSynced(p2)]);
    p1.doc.getMap('profile').set('fromBundle', 'yes');
    await waitFor(() => p2.doc.getMap('profile').get('fromBundle') === 'yes', 10_000, 'relay through the bundle');
    destroyAll(p1, p2);
  });

  it('stops cleanly on SIGTERM (forwarded to the server, exit code 0)', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
