/**
 * Account administration on the real server (demo seed): supervisors manage every account; an agency admin
 * manages only the inspectors of their own agency (record and account in one step); nobody disables or
 * rebinds their own account. Disabling ends the account's sessions at once, its open sync socket included.
 * Every action lands in the audit trail, with account summaries and never a password.
 * The attacks: another agency's inspector, a supervisor's account, a role change, another agency's staff,
 * inspectors and enterprises on admin routes, no token.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/app';
import { fixedClock } from '../../../server/clock';
import { createLogger } from '../../../server/log';
import { E2E_NOW } from '../../helpers/moments';
import { parsed, responseSchema } from '../../helpers/api';
import { connectProvider, destroyAll, login, ROOT, waitSynced, type LoginResult, type TestProvider } from '../../helpers/spawn-server';
import { AccountCreated, AccountPage, StaffCreated, StaffList, StaffMember } from '../../../src/protocol/accounts';
import { PasswordChangeRequired, SessionResponse, UserSummary } from '../../../src/protocol/auth';
import { AuditPage } from '../../../src/protocol/audit';

let srv: RunningServer;
let dataDir: string;
let supervisor1: LoginResult, agency1: LoginResult, agency2: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
const open: TestProvider[] = [];
const otps: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-accounts-'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger: createLogger('silent'),
    clock: fixedClock(E2E_NOW),
  });
  [supervisor1, agency1, agency2, inspector1, enterprise1] = await Promise.all(
    ['supervisor1', 'agency1', 'agency2', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)),
  );
}, 90_000);
afterAll(async () => {
  destroyAll(...open);
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const wsUrl = () => srv.url.replace(/^http/, 'ws') + '/sync';

async function api(method: 'GET' | 'POST', p: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(srv.url + p, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
  });
  const json: unknown = await res.json().catch(() => null);
  if (json !== null) parsed(json, responseSchema(method, p, res.status));
  return { status: res.status, json };
}

/** sign in with a one-time password and set a new one: the account's session */
async function firstSignIn(username: string, otp: string, next = 'a-new-password-123'): Promise<SessionResponse> {
  const r = await fetch(`${srv.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: otp }),
  });
  expect(r.status).toBe(200);
  const step = PasswordChangeRequired.parse(await r.json());
  const c = await fetch(`${srv.url}/api/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${step.passwordChangeToken}` },
    body: JSON.stringify({ currentPassword: otp, newPassword: next }),
  });
  expect(c.status).toBe(200);
  return SessionResponse.parse(await c.json());
}

describe('who may call the account routes', () => {
  const routes: [method: 'GET' | 'POST', path: string, body?: unknown][] = [
    ['GET', '/api/accounts'],
    ['POST', '/api/accounts', { role: 'agency', username: 'x-admin', agencyId: 'city-market' }],
    ['POST', '/api/accounts/u-inspector2/disable', {}],
    ['POST', '/api/accounts/u-inspector2/enable', {}],
    ['POST', '/api/accounts/u-inspector2/reset', {}],
    ['POST', '/api/accounts/u-inspector2/rebind', { role: 'agency', agencyId: 'city-market' }],
    ['GET', '/api/staff?agencyId=city-market'],
    ['POST', '/api/staff', { name: '张三', username: 'zhang-x', agencyId: 'city-market' }],
    ['POST', '/api/staff/insp-city-market-2/active', { active: false }],
  ];
  it('no token: 401; an inspector or an enterprise: 403', async () => {
    for (const [m, p, b] of routes) {
      expect((await api(m, p, null, b)).status, `${m} ${p}`).toBe(401);
      expect((await api(m, p, inspector1.token, b)).status, `${m} ${p} inspector`).toBe(403);
      expect((await api(m, p, enterprise1.token, b)).status, `${m} ${p} enterprise`).toBe(403);
    }
    // a bad body loses nothing and says why, in both languages
    const bad = await api('POST', '/api/accounts', supervisor1.token, { role: 'agency', username: 'X!' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message.zh).toMatch(/请求内容无效/);
    expect((await api('GET', '/api/accounts?limit=201', supervisor1.token)).status).toBe(400);
  });
});

describe('supervisors', () => {
  let adminId = '';
  it('list with search, filters and paging on the server', async () => {
    const all = AccountPage.parse((await api('GET', '/api/accounts?limit=2', supervisor1.token)).json);
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(9);
    const next = AccountPage.parse((await api('GET', '/api/accounts?limit=2&offset=2', supervisor1.token)).json);
    expect(next.items[0].username).not.toBe(all.items[0].username);
    const q = AccountPage.parse((await api('GET', '/api/accounts?q=INSPECTOR', supervisor1.token)).json);
    expect(q.items.map((u) => u.username).sort()).toEqual(['inspector1', 'inspector2', 'inspector3']);
    const byName = AccountPage.parse((await api('GET', `/api/accounts?q=${encodeURIComponent('司法局')}`, supervisor1.token)).json);
    expect(byName.items.map((u) => u.username)).toEqual(['supervisor1']);
    const agencies = AccountPage.parse((await api('GET', '/api/accounts?role=agency&agencyId=city-market', supervisor1.token)).json);
    expect(agencies.items.map((u) => u.username)).toEqual(['agency1']);
    const like = AccountPage.parse((await api('GET', '/api/accounts?q=%25', supervisor1.token)).json);
    expect(like.total).toBe(0);
  });

  it('create an agency admin: the one-time password once, audited without it', async () => {
    const r = await api('POST', '/api/accounts', supervisor1.token, {
      role: 'agency',
      username: 'market-admin2',
      name: '市场局第二管理员',
      agencyId: 'city-market',
    });
    expect(r.status).toBe(200);
    const c = AccountCreated.parse(r.json);
    otps.push(c.oneTimePassword);
    adminId = c.user.userId;
    expect(c.user).toMatchObject({ role: 'agency', agencyId: 'city-market', mustChangePassword: true, disabled: false });
    expect(
      (await api('POST', '/api/accounts', supervisor1.token, { role: 'agency', username: 'Market-Admin2', agencyId: 'city-market' })).json.error.code,
    ).toBe('username_taken');
    expect((await api('POST', '/api/accounts', supervisor1.token, { role: 'agency', username: 'justice-x', agencyId: 'city-justice' })).json.error.code).toBe(
      'wrong_agency_kind',
    );
    const s = await firstSignIn('market-admin2', c.oneTimePassword);
    expect(s.role).toBe('agency');
    const audit = AuditPage.parse((await api('GET', `/api/audit?action=account.create&target=${adminId}`, supervisor1.token)).json);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'account.create', agencyId: 'city-market', actor: { userId: 'u-supervisor1' }, target: `user:${adminId}` });
    expect(UserSummary.parse(audit.items[0].after).username).toBe('market-admin2');
  });

  it('rebind an account (checked like create); nobody disables or rebinds their own', async () => {
    const r = await api('POST', `/api/accounts/${adminId}/rebind`, supervisor1.token, { role: 'agency', agencyId: 'city-emergency' });
    expect(r.status).toBe(200);
    expect(UserSummary.parse(r.json).agencyId).toBe('city-emergency');
    const taken = await api('POST', `/api/accounts/${adminId}/rebind`, supervisor1.token, { role: 'inspector', inspectorId: 'insp-city-market-1' });
    expect(taken.json.error.code).toBe('inspector_has_account');
    expect((await api('POST', `/api/accounts/${adminId}/rebind`, supervisor1.token, { role: 'supervisor', agencyId: 'city-market' })).json.error.code).toBe(
      'wrong_agency_kind',
    );
    const audit = AuditPage.parse((await api('GET', '/api/audit?action=account.rebind', supervisor1.token)).json);
    expect(audit.items[0]).toMatchObject({ agencyId: 'city-emergency', before: { agencyId: 'city-market' }, after: { agencyId: 'city-emergency' } });
    const own = await api('POST', '/api/accounts/u-supervisor1/disable', supervisor1.token);
    expect(own.status).toBe(409);
    expect(own.json.error.code).toBe('own_account');
    expect((await api('POST', '/api/accounts/u-supervisor1/rebind', supervisor1.token, { role: 'agency', agencyId: 'city-market' })).json.error.code).toBe(
      'own_account',
    );
    expect((await api('POST', '/api/accounts/u-nobody/disable', supervisor1.token)).status).toBe(404);
  });
});

describe('agency admins', () => {
  let newInspector = '';
  let newUser = '';
  it('see only their own agency’s inspectors', async () => {
    const page = AccountPage.parse((await api('GET', '/api/accounts?role=agency&agencyId=pd-market', agency1.token)).json);
    expect(page.items.map((u) => u.username).sort()).toEqual(['inspector1', 'inspector2']);
    const staff = StaffList.parse((await api('GET', '/api/staff', agency1.token)).json);
    expect(staff.agencyId).toBe('city-market');
    expect(staff.items.find((m) => m.inspector.id === 'insp-city-market-1')?.account?.username).toBe('inspector1');
    expect((await api('GET', '/api/staff?agencyId=city-emergency', agency1.token)).status).toBe(403);
    expect((await api('GET', '/api/staff', supervisor1.token)).status).toBe(400);
    expect(StaffList.parse((await api('GET', '/api/staff?agencyId=city-market', supervisor1.token)).json).items.length).toBe(staff.items.length);
  });

  it('add an inspector: the record and its account in one step', async () => {
    const r = await api('POST', '/api/staff', agency1.token, { name: '王检查', username: 'wang-jc', certificateNumber: 'SX-0099' });
    expect(r.status).toBe(200);
    const c = StaffCreated.parse(r.json);
    otps.push(c.oneTimePassword);
    newInspector = c.inspector.id;
    newUser = c.user.userId;
    expect(c.inspector).toMatchObject({ agencyId: 'city-market', name: '王检查', certificateNumber: 'SX-0099', active: true });
    expect(c.user).toMatchObject({ role: 'inspector', inspectorId: newInspector, agencyId: 'city-market' });
    const staff = StaffList.parse((await api('GET', '/api/staff', agency1.token)).json);
    expect(staff.items.find((m) => m.inspector.id === newInspector)?.account?.username).toBe('wang-jc');
    // a taken user name creates no record
    const before = staff.items.length;
    expect((await api('POST', '/api/staff', agency1.token, { name: '重名', username: 'inspector1' })).status).toBe(409);
    expect(StaffList.parse((await api('GET', '/api/staff', agency1.token)).json).items.length).toBe(before);
    // the new inspector signs in
    const s = await firstSignIn('wang-jc', c.oneTimePassword);
    expect(s).toMatchObject({ role: 'inspector', inspectorId: newInspector });
    const audit = AuditPage.parse((await api('GET', '/api/audit?actor=u-agency1', agency1.token)).json);
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['inspector.create', 'account.create']));
  });

  it('may not touch another agency’s inspector, a non-inspector account, or a role', async () => {
    for (const action of ['disable', 'enable', 'reset']) {
      expect((await api('POST', `/api/accounts/u-inspector3/${action}`, agency1.token)).status, `inspector3 ${action}`).toBe(403);
      expect((await api('POST', `/api/accounts/u-supervisor1/${action}`, agency1.token)).status, `supervisor1 ${action}`).toBe(403);
      expect((await api('POST', `/api/accounts/u-agency2/${action}`, agency1.token)).status, `agency2 ${action}`).toBe(403);
      expect((await api('POST', `/api/accounts/u-nobody/${action}`, agency1.token)).status, `unknown ${action}`).toBe(403);
      expect((await api('POST', `/api/accounts/${newUser}/${action}`, agency2.token)).status, `agency2 on agency1's ${action}`).toBe(403);
    }
    expect((await api('POST', '/api/accounts/u-inspector2/rebind', agency1.token, { role: 'inspector', inspectorId: 'insp-city-market-2' })).status).toBe(403);
    expect((await api('POST', '/api/accounts', agency1.token, { role: 'agency', username: 'my-admin', agencyId: 'city-market' })).status).toBe(403);
    expect((await api('POST', '/api/accounts', agency1.token, { role: 'inspector', username: 'pd-x', inspectorId: 'insp-pd-market-1' })).status).toBe(403);
    expect((await api('POST', '/api/staff', agency1.token, { name: '外部', username: 'out-x', agencyId: 'city-emergency' })).status).toBe(403);
    expect((await api('POST', '/api/staff/insp-pd-market-1/active', agency1.token, { active: false })).status).toBe(403);
    expect((await api('POST', `/api/staff/${newInspector}/active`, agency2.token, { active: false })).status).toBe(403);
    // nothing changed
    const u = AccountPage.parse((await api('GET', '/api/accounts?q=inspector3', supervisor1.token)).json).items[0];
    expect(u.disabled).toBe(false);
  });

  it('disabling ends the account’s sessions at once: tokens and the open sync socket', async () => {
    const inspector2 = await login(srv.url, 'inspector2');
    const p = connectProvider(wsUrl(), 'config/city', inspector2.token);
    open.push(p);
    await waitSynced(p);
    const t0 = Date.now();
    const r = await api('POST', '/api/accounts/u-inspector2/disable', agency1.token);
    expect(r.status).toBe(200);
    expect(UserSummary.parse(r.json).disabled).toBe(true);
    const closed = await p.closed;
    expect(closed.code).toBe(4401);
    // the route closed it, not the two-second watch of other processes' changes
    expect(Date.now() - t0).toBeLessThan(1500);
    p.disconnect();
    expect((await fetch(`${srv.url}/api/me`, { headers: { authorization: `Bearer ${inspector2.token}` } })).status).toBe(401);
    const refresh = await fetch(`${srv.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `eicp_rt=${inspector2.refreshCookie}` },
      body: '{}',
    });
    expect(refresh.status).toBe(401);
    await expect(login(srv.url, 'inspector2')).rejects.toThrow(/401/);
    expect((await api('POST', '/api/accounts/u-inspector2/enable', agency1.token)).status).toBe(200);
    expect((await login(srv.url, 'inspector2')).role).toBe('inspector');
  });

  it('reset a password: a new one-time password, the old sessions end', async () => {
    const r = await api('POST', `/api/accounts/${newUser}/reset`, agency1.token);
    expect(r.status).toBe(200);
    const c = AccountCreated.parse(r.json);
    otps.push(c.oneTimePassword);
    expect(c.user.mustChangePassword).toBe(true);
    await expect(login(srv.url, 'wang-jc', 'a-new-password-123')).rejects.toThrow(/401/);
    await firstSignIn('wang-jc', c.oneTimePassword, 'another-password-456');
  });

  it('mark an inspector inactive with the account, and active again', async () => {
    const off = StaffMember.parse((await api('POST', `/api/staff/${newInspector}/active`, agency1.token, { active: false })).json);
    expect(off.inspector.active).toBe(false);
    expect(off.account?.disabled).toBe(true);
    await expect(login(srv.url, 'wang-jc', 'another-password-456')).rejects.toThrow(/401/);
    const on = StaffMember.parse((await api('POST', `/api/staff/${newInspector}/active`, agency1.token, { active: true })).json);
    expect(on.inspector.active).toBe(true);
    expect(on.account?.disabled).toBe(false);
    const audit = AuditPage.parse((await api('GET', `/api/audit?target=${newInspector}`, agency1.token)).json);
    expect(audit.items.map((e) => e.action)).toEqual(['inspector.activate', 'inspector.deactivate', 'inspector.create']);
    expect(audit.items[1]).toMatchObject({ before: { active: true }, after: { active: false } });
  });
});

describe('the admin command', () => {
  /** `server/admin.ts` on this server's DATA_DIR (safe beside the running server) */
  const admin = (...args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'server/admin.ts', ...args],
        { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      ),
    );
  it('writes its actions to the audit trail as the command, with the operating-system user', async () => {
    expect(await admin('disable-user', '--username', 'inspector3')).toMatch(/disabled inspector3/);
    const out = await admin('reset-password', '--username', 'inspector3');
    const otp = /one-time password for \S+: (\S+)/.exec(out)?.[1] ?? '';
    otps.push(otp);
    await admin('enable-user', '--username', 'inspector3');
    const audit = AuditPage.parse((await api('GET', '/api/audit?target=u-inspector3', supervisor1.token)).json);
    expect(audit.items.map((e) => e.action)).toEqual(['account.enable', 'account.reset', 'account.disable']);
    for (const e of audit.items) {
      expect(e.actor).toMatchObject({ userId: 'cli', role: 'cli' });
      expect(e.actor.name).toMatch(/^npm run admin \(.+\)$/);
      expect(e.agencyId).toBe('pd-market');
    }
  }, 30_000);
});

describe('the audit trail', () => {
  it('holds every action, never a password, and an agency admin sees only their agency’s', async () => {
    const all = AuditPage.parse((await api('GET', '/api/audit?limit=500', supervisor1.token)).json);
    const actions = new Set(all.items.map((e) => e.action));
    for (const a of ['account.create', 'account.disable', 'account.enable', 'account.reset', 'account.rebind', 'inspector.create', 'inspector.deactivate'])
      expect(actions.has(a), a).toBe(true);
    const text = JSON.stringify(all.items);
    expect(otps.length).toBeGreaterThanOrEqual(3);
    for (const otp of otps) expect(text).not.toContain(otp);
    expect(text).not.toMatch(/password_hash|scrypt|\$s\d|a-new-password|another-password/);
    const mine = AuditPage.parse((await api('GET', '/api/audit?limit=500', agency1.token)).json);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e) => e.agencyId === 'city-market')).toBe(true);
  });
});
