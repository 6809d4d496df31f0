/**
 * Accounts, passwords and production mode, against real spawned servers and the real admin command
 * (`npm run admin -- …` as a child process on the server's DATA_DIR, beside the running server):
 *  - production on an empty DATA_DIR: no account signs in with demo1234, the log says how to create the first
 *    administrator; create-user prints a one-time password that signs in, must be changed, and then works;
 *    the password-change token opens nothing else (APIs 401, WebSocket 4401); the admin command's refusals;
 *  - production refuses a DATA_DIR seeded as a demo (its demo accounts), naming them, exit code ≠ 0;
 *  - demo: GET /api/instance lists the demo accounts; a password change needs the right current password
 *    (rate-limited per account), keeps the rules, and ends every other session (old access and refresh
 *    tokens, open sockets); disable / enable / reset-password through the admin command on a running server;
 *    an unknown user name costs the same scrypt as a wrong password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InstanceInfo, PasswordChangeRequired, SessionResponse as LoginResponse } from '../../../src/protocol/auth';
import { verifyPassword } from '../../../server/auth/passwords';
import {
  connectProvider,
  destroyAll,
  login,
  onJsonLines,
  setCookieValue,
  spawnServer,
  waitSynced,
  ROOT,
  DEMO_PASSWORD,
  type SpawnedServer,
} from '../../helpers/spawn-server';
import { json, errorOf } from '../../helpers/api';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- <args>` on a DATA_DIR, as an operator types it */
const admin = (dataDir: string, ...args: string[]) => runAdmin('npm', ['run', 'admin', '--', ...args], dataDir);
/** the same program without npm's start-up (the table of refusals) */
const adminDirect = (dataDir: string, ...args: string[]) => runAdmin(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args], dataDir);

function runAdmin(cmd: string, args: string[], dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const otpOf = (r: Run): string => {
  const m = /one-time password(?: for \S+)?: (\S+)/.exec(r.stdout);
  if (!m) throw new Error(`no one-time password in the output (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return m[1];
};

const call = (srv: SpawnedServer, p: string, o: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${srv.url}${p}`, {
    method: o.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...o.headers,
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });

/** the close code a stock y-websocket client gets for a token on a room */
async function wsClose(srv: SpawnedServer, token: string, room = 'config/city'): Promise<number> {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    return (await p.closed).code;
  } finally {
    destroyAll(p);
  }
}

/** every user of a DATA_DIR whose password is the demo password (read from the database itself) */
async function demoPasswordUsers(dataDir: string): Promise<string[]> {
  const db = new Database(path.join(dataDir, 'platform.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT username, password_hash AS h FROM users').all() as { username: string; h: string }[];
    const out: string[] = [];
    for (const r of rows) if (await verifyPassword(DEMO_PASSWORD, r.h)) out.push(r.username);
    return out;
  } finally {
    db.close();
  }
}

const PRODUCTION = { NODE_ENV: 'production', LOGIN_MAX_FAILS_IP: '1000' };
const HINT = /npm run admin -- create-user --role supervisor --agency city-justice --username <name>/;

describe('production mode on an empty DATA_DIR', () => {
  let srv: SpawnedServer;
  beforeAll(async () => {
    srv = await spawnServer({ env: PRODUCTION });
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
  });

  it('has no account that signs in with demo1234 and logs how to create the first administrator', async () => {
    expect(await demoPasswordUsers(srv.dataDir)).toEqual([]);
    for (const u of ['supervisor1', 'agency1', 'inspector1', 'enterprise1']) {
      expect((await call(srv, '/api/login', { body: { username: u, password: DEMO_PASSWORD } })).status, u).toBe(401);
    }
    expect(srv.logs.some((l) => typeof l.msg === 'string' && HINT.test(l.msg))).toBe(true);
    const info = await json(await call(srv, '/api/instance'), InstanceInfo);
    // nothing about demo accounts (the test server's fixed clock is reported: CLOCK_NOW is set)
    expect(info).toEqual({ mode: 'production', serverClock: expect.objectContaining({ startedAt: expect.any(String) }) });
  });

  it('npm run admin -- create-user prints a one-time password that signs in, must be changed, then works', async () => {
    const made = await admin(
      srv.dataDir,
      'create-user',
      '--role',
      'supervisor',
      '--agency',
      'city-justice',
      '--username',
      'Chief.Admin',
      '--name',
      '市司法局管理员',
    );
    expect(made.code, made.stderr).toBe(0);
    const otp = otpOf(made);
    expect(otp).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(made.stdout).toMatch(/created supervisor account chief\.admin/);

    // the one-time password opens no session: only the password-change step
    const r = await call(srv, '/api/login', { body: { username: 'chief.admin', password: otp } });
    expect(r.status).toBe(200);
    const step = await json(r, PasswordChangeRequired);
    expect(step).toMatchObject({ passwordChangeRequired: true, username: 'chief.admin', role: 'supervisor', name: '市司法局管理员' });
    expect(LoginResponse.safeParse(step).success).toBe(false);
    const tok = step.passwordChangeToken;

    // …which no other API and no WebSocket accepts
    for (const p of ['/api/me', '/api/filings', '/api/enterprises', `/api/warnings?year=2027`, '/api/quarantine']) {
      expect((await call(srv, p, { token: tok })).status, p).toBe(401);
    }
    expect((await call(srv, '/api/joints', { token: tok, body: { title: 'x', year: 2027, memberAgencyIds: [] } })).status).toBe(401);
    expect((await call(srv, '/api/auth/refresh', { body: {}, headers: { cookie: `eicp_rt=${tok.slice(0, 120)}` } })).status).toBe(401);
    expect(await wsClose(srv, tok)).toBe(4401);

    // the rules, each with a bilingual message
    const change = (currentPassword: string, newPassword: string, token = tok) => call(srv, '/api/password', { token, body: { currentPassword, newPassword } });
    const wrong = await change('not-the-otp-at-all', 'a long enough password');
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toEqual({ code: 'wrong_password', message: { zh: '当前密码不正确', en: 'The current password is wrong' } });
    for (const [next, en] of [
      ['short', /at least 10 characters \(it has 5\)/],
      [DEMO_PASSWORD, /at least 10 characters/],
      ['x'.repeat(257), /at most 256/],
      ['CHIEF.ADMIN', /must not be your user name/],
      [otp, /must differ from the current one/],
    ] as const) {
      const res = await change(otp, next);
      expect(res.status, next).toBe(400);
      const e = await errorOf(res);
      expect(e.code).toBe('weak_password');
      expect(e.message.en).toMatch(en);
      expect(e.message.zh).toMatch(/密码/);
    }

    // the change gives a normal session
    const done = await change(otp, 'correct horse battery staple');
    expect(done.status).toBe(200);
    const s = await json(done, LoginResponse);
    expect(s).toMatchObject({ role: 'supervisor', agencyId: 'city-justice', name: '市司法局管理员' });
    expect((await call(srv, '/api/me', { token: s.token })).status).toBe(200);
    expect((await call(srv, '/api/filings', { token: s.token })).status).toBe(200);
    const p = connectProvider(srv.wsUrl, 'config/city', s.token);
    try {
      await waitSynced(p);
    } finally {
      destroyAll(p);
    }
    // the step's token is spent, the one-time password too
    expect((await change(otp, 'another good password', tok)).status).toBe(401);
    expect((await call(srv, '/api/login', { body: { username: 'chief.admin', password: otp } })).status).toBe(401);
    LoginResponse.parse(await login(srv.url, 'chief.admin', 'correct horse battery staple'));

    const list = await admin(srv.dataDir, 'list-users');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/chief\.admin\s+supervisor\s+市司法局管理员\s+agency city-justice\s+enabled/);

    // with an administrator, a restart is quiet about creating one
    await srv.restart();
    expect(srv.logs.some((l) => typeof l.msg === 'string' && HINT.test(l.msg))).toBe(false);
    LoginResponse.parse(await login(srv.url, 'chief.admin', 'correct horse battery staple'));
  }, 120_000);

  it('the admin command refuses bad input with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['create-user', '--role', 'supervisor', '--agency', 'nowhere', '--username', 'sup2'], /no agency with the id nowhere/],
      [['create-user', '--role', 'supervisor', '--agency', 'city-market', '--username', 'sup2'], /supervisor belongs to a justice bureau/],
      [['create-user', '--role', 'agency', '--agency', 'city-justice', '--username', 'adm2'], /agency admin belongs to an enforcement agency/],
      [['create-user', '--role', 'agency', '--username', 'adm2'], /needs --agency/],
      [['create-user', '--role', 'supervisor', '--agency', 'city-justice', '--username', 'chief.admin'], /user name chief\.admin is taken/],
      [['create-user', '--role', 'supervisor', '--agency', 'city-justice', '--username', 'x'], /user name is 3–32 characters/],
      [['create-user', '--role', 'supervisor', '--agency', 'city-justice', '--username', 'has space'], /user name is 3–32 characters/],
      [['create-user', '--role', 'supervisor', '--agency', 'city-justice', '--uscc', '91140302MA0L2RXA6K', '--username', 'sup3'], /--uscc does not apply/],
      [['create-user', '--role', 'enterprise', '--uscc', '91140302MA0L2RXA6K', '--username', 'ent1'], /no enterprise with the USCC/],
      [['create-user', '--role', 'inspector', '--inspector', 'insp-nobody', '--username', 'insp1'], /no inspector record/],
      [['create-user', '--role', 'root', '--username', 'x1x'], /--role: Invalid option/],
      [['create-user', '--role', 'agency', '--username', 'adm3', '--colour', 'red'], /Unknown option '--colour'/],
      [['reset-password', '--username', 'nobody'], /no account with the user name nobody/],
      [['disable-user'], /give --username/],
      [['list-users', '--username', 'x'], /list-users does not take --username/],
      [['launch'], /unknown command "launch"/],
    ];
    for (const [args, message] of cases) {
      const r = await adminDirect(srv.dataDir, ...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-admin-empty-'));
    try {
      const r = await admin(empty, 'create-user', '--role', 'supervisor', '--agency', 'city-justice', '--username', 'first');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/start the server once first/);
      expect(fs.existsSync(path.join(empty, 'platform.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const help = await admin(srv.dataDir, 'help');
    expect(help.code).toBe(0);
    for (const c of ['create-user', 'reset-password', 'disable-user', 'enable-user', 'list-users']) expect(help.stdout).toContain(c);
  }, 120_000);
});

describe('production start on a DATA_DIR seeded as a demo', () => {
  it('refuses to start, naming the demo accounts, with a non-zero exit code', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-demo-then-prod-'));
    try {
      const demo = await spawnServer({ dataDir });
      await demo.stop();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logs: Record<string, unknown>[] = [];
      onJsonLines(child, (rec) => logs.push(rec));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).not.toBe(0);
      expect(logs.some((l) => l.msg === 'listening')).toBe(false);
      const refusal = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('refusing to start in production'));
      expect(refusal, JSON.stringify(logs.slice(-3))).toBeTruthy();
      expect(refusal!.msg).toMatch(/sign in with the published demo password demo1234: .*supervisor1/);
      expect(refusal!.msg).toMatch(/reset-password|disable-user/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('demo mode: password change, sessions, the admin command on a running server', () => {
  let srv: SpawnedServer;
  beforeAll(async () => {
    srv = await spawnServer({ env: { TRUST_PROXY: '1', LOGIN_MAX_FAILS_ACCOUNT: '3', LOGIN_MAX_FAILS_IP: '1000' } });
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
  });
  const change = (token: string, currentPassword: string, newPassword: string, ip = '10.1.0.1') =>
    call(srv, '/api/password', { token, body: { currentPassword, newPassword }, headers: { 'x-forwarded-for': ip } });

  it('GET /api/instance names the demo and its accounts', async () => {
    const info = await json(await call(srv, '/api/instance'), InstanceInfo);
    expect(info.mode).toBe('demo');
    expect(info.demoPassword).toBe(DEMO_PASSWORD);
    expect(info.demoAccounts!.map((a) => a.username)).toEqual(expect.arrayContaining(['inspector1', 'agency1', 'supervisor1', 'enterprise1']));
    expect(info.demoAccounts!.find((a) => a.username === 'supervisor1')).toMatchObject({ role: 'supervisor' });
  });

  it('a password change needs the current password, and ends every other session', async () => {
    const a = await login(srv.url, 'agency2');
    const b = await login(srv.url, 'agency2'); // another device
    const bSocket = connectProvider(srv.wsUrl, 'config/city', b.token);
    await waitSynced(bSocket);

    const weak = await change(a.token, DEMO_PASSWORD, DEMO_PASSWORD);
    expect(weak.status).toBe(400);
    expect((await errorOf(weak)).code).toBe('weak_password');
    const wrong = await change(a.token, 'demo12345', 'a new password for agency2');
    expect((await errorOf(wrong)).code).toBe('wrong_password');
    expect((await call(srv, '/api/password', { body: { currentPassword: DEMO_PASSWORD, newPassword: 'a new password for agency2' } })).status).toBe(401);
    expect(
      (await call(srv, '/api/password', { token: 'garbage', body: { currentPassword: DEMO_PASSWORD, newPassword: 'a new password for agency2' } })).status,
    ).toBe(401);
    expect((await call(srv, '/api/password', { token: a.token, body: { currentPassword: DEMO_PASSWORD } })).status).toBe(400);

    const r = await change(a.token, DEMO_PASSWORD, 'a new password for agency2');
    expect(r.status).toBe(200);
    const c = await json(r, LoginResponse);
    expect(c.userId).toBe(a.userId);

    // old access tokens (this device's and the other's) and old refresh tokens are refused
    for (const t of [a.token, b.token]) expect((await call(srv, '/api/me', { token: t })).status).toBe(401);
    for (const rt of [a.refreshCookie, b.refreshCookie])
      expect((await call(srv, '/api/auth/refresh', { body: {}, headers: { cookie: `eicp_rt=${rt}` } })).status).toBe(401);
    // the other device's open socket is closed; an old token cannot open a new one
    expect((await bSocket.closed).code).toBe(4401);
    destroyAll(bSocket);
    expect(await wsClose(srv, a.token)).toBe(4401);
    // the new session works, and refreshes
    expect((await call(srv, '/api/me', { token: c.token })).status).toBe(200);
    const p = connectProvider(srv.wsUrl, 'config/city', c.token);
    try {
      await waitSynced(p);
    } finally {
      destroyAll(p);
    }
    const refreshed = await call(srv, '/api/auth/refresh', { body: {}, headers: { cookie: `eicp_rt=${setCookieValue(r, 'eicp_rt')}` } });
    expect(refreshed.status).toBe(200);
    // the old password is gone, and the account is no longer listed as a demo account
    expect((await call(srv, '/api/login', { body: { username: 'agency2', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '10.1.0.2' } })).status).toBe(
      401,
    );
    LoginResponse.parse(await login(srv.url, 'agency2', 'a new password for agency2'));
    const info = await json(await call(srv, '/api/instance'), InstanceInfo);
    expect(info.demoAccounts!.map((x) => x.username)).not.toContain('agency2');
  }, 60_000);

  it("wrong current passwords are limited per account from every address; the owner's sign-ins elsewhere are not", async () => {
    const s = await login(srv.url, 'county1');
    for (let i = 0; i < 3; i++) expect((await change(s.token, `guess-${i}`, 'a new password for county1', `10.2.0.${i}`)).status).toBe(400);
    const limited = await change(s.token, DEMO_PASSWORD, 'a new password for county1', '10.2.0.9');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).message.en).toMatch(/Too many wrong passwords/);
    // a session holder's guesses (perhaps a stolen access token) do not lock the owner's sign-in out
    expect(
      (await call(srv, '/api/login', { body: { username: 'county1', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '10.2.0.10' } })).status,
    ).toBe(200);
  });

  it('disable-user on a running server ends the sessions at once; enable-user lets the user back in', async () => {
    const s = await login(srv.url, 'inspector2');
    const off = await admin(srv.dataDir, 'disable-user', '--username', 'inspector2');
    expect(off.code, off.stderr).toBe(0);
    expect((await call(srv, '/api/me', { token: s.token })).status).toBe(401);
    expect((await call(srv, '/api/auth/refresh', { body: {}, headers: { cookie: `eicp_rt=${s.refreshCookie}` } })).status).toBe(401);
    expect(await wsClose(srv, s.token)).toBe(4401);
    const refused = await call(srv, '/api/login', { body: { username: 'inspector2', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '10.3.0.1' } });
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).code).toBe('bad_credentials');
    const on = await admin(srv.dataDir, 'enable-user', '--username', 'inspector2');
    expect(on.code).toBe(0);
    expect((await call(srv, '/api/me', { token: s.token })).status).toBe(401); // still: the epoch moved on
    LoginResponse.parse(await login(srv.url, 'inspector2'));
  }, 60_000);

  it('reset-password ends the sessions and hands out a one-time password to change first', async () => {
    const s = await login(srv.url, 'enterprise2');
    const r = await admin(srv.dataDir, 'reset-password', '--username', 'enterprise2');
    expect(r.code, r.stderr).toBe(0);
    const otp = otpOf(r);
    expect((await call(srv, '/api/me', { token: s.token })).status).toBe(401);
    expect((await call(srv, '/api/auth/refresh', { body: {}, headers: { cookie: `eicp_rt=${s.refreshCookie}` } })).status).toBe(401);
    expect(
      (await call(srv, '/api/login', { body: { username: 'enterprise2', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '10.4.0.1' } })).status,
    ).toBe(401);
    const step = await json(await call(srv, '/api/login', { body: { username: 'enterprise2', password: otp } }), PasswordChangeRequired);
    expect(await wsClose(srv, step.passwordChangeToken, 'ledger/91140371MA0K8QW3PX')).toBe(4401);
    // another user's password-change token changes only its own account
    const done = await json(await change(step.passwordChangeToken, otp, 'enterprise two, new password'), LoginResponse);
    expect(done.role).toBe('enterprise');
    LoginResponse.parse(await login(srv.url, 'enterprise2', 'enterprise two, new password'));
  }, 60_000);

  it('an unknown or disabled account costs the same scrypt as a wrong password (no user-name oracle)', async () => {
    const timed = async (username: string, i: number) => {
      const t0 = performance.now();
      const res = await call(srv, '/api/login', { body: { username, password: 'wrong password' }, headers: { 'x-forwarded-for': `10.5.${i}.1` } });
      expect(res.status).toBe(401);
      return performance.now() - t0;
    };
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    await admin(srv.dataDir, 'disable-user', '--username', 'enterprise1');
    const known: number[] = [],
      unknown: number[] = [],
      disabled: number[] = [];
    const real = ['inspector1', 'inspector3', 'agency1', 'supervisor1', 'inspector2'];
    for (let i = 0; i < 5; i++) {
      known.push(await timed(real[i], i));
      unknown.push(await timed(`nobody-${i}`, 10 + i));
      // three: past the per-account limit a sign-in is refused before any scrypt (429)
      if (i < 3) disabled.push(await timed('enterprise1', 20 + i));
    }
    // a scrypt is ~60 ms and a lookup well under 1 ms: without the dummy hash the ratio would be ~0.02
    expect(median(unknown) / median(known)).toBeGreaterThan(0.3);
    expect(median(disabled) / median(known)).toBeGreaterThan(0.3);
  }, 60_000);
});
