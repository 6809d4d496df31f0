/**
 * Enterprise activation (一企一码) on the real server, on a clock the test moves: supervisors issue codes (one,
 * or in bulk as CSV), stored as hashes and audited without the code; an enterprise activates its own account
 * with its code and its own password and gets a session at once. Refused: a wrong code or USCC (the same
 * answer), a used code, a replaced code, an expired one (90 days on), a weak password (the code stays good),
 * an enterprise that already has an account (409); other roles and no token on the issuing routes;
 * guessing hits the limits per USCC and per address.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/app';
import { clockOf } from '../../../server/clock';
import { createLogger } from '../../../server/log';
import { E2E_NOW } from '../../helpers/moments';
import { parsed, responseSchema } from '../../helpers/api';
import { login, setCookieValue, type LoginResult } from '../../helpers/spawn-server';
import { ActivationIssued } from '../../../src/protocol/accounts';
import { SessionResponse } from '../../../src/protocol/auth';
import { AuditPage } from '../../../src/protocol/audit';
import { EnterprisePage } from '../../../src/protocol/directory';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';

let srv: RunningServer;
let dataDir: string;
let now = Date.parse(E2E_NOW);
let supervisor1: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
/** enterprises of the demo directory with no account */
let free: { uscc: string; name: string }[] = [];
const codes: string[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-activation-'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger: createLogger('silent'),
    clock: clockOf(() => now, E2E_NOW),
    // small budgets of wrong codes, so that the guessing test is short
    loginMaxFailsIp: 12,
    loginMaxFailsAccountTotal: 5,
  });
  [supervisor1, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
  const page = EnterprisePage.parse(
    await (await fetch(`${srv.url}/api/enterprises?limit=50`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json(),
  );
  free = page.items.filter((e) => e.uscc !== ENTERPRISE1_USCC && e.uscc !== ENTERPRISE2_USCC).map((e) => ({ uscc: e.uscc, name: e.name }));
  expect(free.length).toBeGreaterThan(10);
}, 90_000);
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api(
  p: string,
  token: string | null,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; res: Response }> {
  const res = await fetch(srv.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json().catch(() => null);
  if (json !== null) parsed(json, responseSchema('POST', p, res.status));
  return { status: res.status, json, res };
}

const issue = async (uscc: string): Promise<ActivationIssued> => {
  const r = await api('/api/activation-codes', supervisor1.token, { uscc });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const c = ActivationIssued.parse(r.json);
  codes.push(c.code);
  return c;
};
const activate = (body: { uscc: string; code: string; username: string; password: string }) => api('/api/activate', null, body);

describe('issuing codes', () => {
  it('only supervisors issue; a code is 12 readable characters valid 90 days, stored as a hash', async () => {
    const e = free[0];
    for (const [token, status] of [
      [null, 401],
      [agency1.token, 403],
      [inspector1.token, 403],
      [enterprise1.token, 403],
    ] as const) {
      expect((await api('/api/activation-codes', token, { uscc: e.uscc })).status).toBe(status);
      expect((await api('/api/activation-codes/bulk', token, { all: true })).status).toBe(status);
    }
    const c = await issue(e.uscc);
    expect(c.code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(Date.parse(c.expiresAt) - now).toBe(90 * DAY);
    expect(c.name).toBe(e.name);
    const db = new Database(path.join(dataDir, 'platform.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM activation_codes WHERE uscc = ?').get(e.uscc) as Record<string, unknown>;
      expect(JSON.stringify(row)).not.toContain(c.code);
      expect(JSON.stringify(row)).not.toContain(c.code.replace(/-/g, ''));
    } finally {
      db.close();
    }
    expect((await api('/api/activation-codes', supervisor1.token, { uscc: ENTERPRISE1_USCC })).json.error.code).toBe('already_activated');
    expect((await api('/api/activation-codes', supervisor1.token, { uscc: '91140302MA0L2RXA7K' })).status).toBe(404);
    expect((await api('/api/activation-codes', supervisor1.token, { uscc: 'not-a-uscc' })).status).toBe(400);
  });

  it('in bulk: a CSV for a list, or for every enterprise with no account and no unused code', async () => {
    const list = [free[1].uscc, free[2].uscc, ENTERPRISE1_USCC];
    const r = await fetch(`${srv.url}/api/activation-codes/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor1.token}` },
      body: JSON.stringify({ usccs: list }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await r.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('uscc,name,code,expires_at');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([free[1].uscc, free[2].uscc]);
    for (const l of lines.slice(1)) codes.push(l.split(',')[2]);

    const all = await fetch(`${srv.url}/api/activation-codes/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor1.token}` },
      body: JSON.stringify({ all: true }),
    });
    const rows = (await all.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1);
    const usccs = rows.map((l) => l.split(',')[0]);
    expect(usccs.length).toBeGreaterThan(5);
    // not the ones with an account, nor those with an unused code
    for (const u of [ENTERPRISE1_USCC, ENTERPRISE2_USCC, free[0].uscc, free[1].uscc, free[2].uscc]) expect(usccs).not.toContain(u);
    const audit = AuditPage.parse(
      await (await fetch(`${srv.url}/api/audit?action=activation.issue`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json(),
    );
    expect(audit.items[0]).toMatchObject({ target: 'enterprises:without-account', after: { issued: rows.length, skipped: 0 } });
    expect(audit.items[1]).toMatchObject({ target: 'enterprises:list', after: { issued: 2, skipped: 1 } });
  });
});

describe('activating', () => {
  it('a wrong code and a wrong USCC get the same answer; a weak password keeps the code good', async () => {
    const e = free[3];
    const c = await issue(e.uscc);
    const wrong = await activate({ uscc: e.uscc, code: 'abcd-efgh-jkmn', username: 'ent-three', password: 'a-good-password-1' });
    const other = await activate({ uscc: free[4].uscc, code: c.code, username: 'ent-three', password: 'a-good-password-1' });
    expect(wrong.status).toBe(400);
    expect(other.status).toBe(400);
    expect(wrong.json.error).toEqual(other.json.error);
    expect(wrong.json.error.code).toBe('bad_activation');
    const weak = await activate({ uscc: e.uscc, code: c.code, username: 'ent-three', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.code).toBe('weak_password');
    expect(weak.json.error.message.zh).toMatch(/至少 10 个字符/);
    const taken = await activate({ uscc: e.uscc, code: c.code, username: 'enterprise2', password: 'a-good-password-1' });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('username_taken');
  });

  it('the right code: the account with the chosen password, and a session at once', async () => {
    const e = free[5];
    const c = await issue(e.uscc);
    // spaces, case and dashes as typed from a letter do not matter
    const typed = ` ${c.code.toUpperCase().replace(/-/g, ' ')} `;
    const r = await activate({ uscc: e.uscc.toLowerCase(), code: typed, username: 'Ent-Five', password: 'a-good-password-1' });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const s = SessionResponse.parse(r.json);
    expect(s).toMatchObject({ role: 'enterprise', uscc: e.uscc, name: e.name, userId: 'u-ent-five' });
    expect(setCookieValue(r.res, 'eicp_rt')).not.toBe('');
    expect((await fetch(`${srv.url}/api/me`, { headers: { authorization: `Bearer ${s.token}` } })).status).toBe(200);
    // the password is the one chosen, with no forced change
    expect((await login(srv.url, 'ent-five', 'a-good-password-1')).role).toBe('enterprise');
    // used: once only
    const again = await activate({ uscc: e.uscc, code: c.code, username: 'ent-five-b', password: 'a-good-password-1' });
    expect(again.json.error.code).toBe('bad_activation');
    const audit = AuditPage.parse(
      await (await fetch(`${srv.url}/api/audit?action=account.activate`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json(),
    );
    expect(audit.items[0]).toMatchObject({ actor: { userId: 'u-ent-five', role: 'enterprise' }, target: 'user:u-ent-five', after: { uscc: e.uscc } });
  });

  it('an enterprise that has an account meanwhile: 409 with a valid code', async () => {
    const e = free[6];
    const c = await issue(e.uscc);
    expect((await api('/api/accounts', supervisor1.token, { role: 'enterprise', username: 'ent-six', uscc: e.uscc })).status).toBe(200);
    const r = await activate({ uscc: e.uscc, code: c.code, username: 'ent-six-b', password: 'a-good-password-1' });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('already_activated');
  });

  it('a replaced code stops working; an expired one too (90 days on)', async () => {
    const e = free[7];
    const first = await issue(e.uscc);
    const second = await issue(e.uscc);
    expect((await activate({ uscc: e.uscc, code: first.code, username: 'ent-seven', password: 'a-good-password-1' })).json.error.code).toBe('bad_activation');
    now += 90 * DAY + 1000;
    try {
      expect((await activate({ uscc: e.uscc, code: second.code, username: 'ent-seven', password: 'a-good-password-1' })).json.error.code).toBe(
        'bad_activation',
      );
    } finally {
      now -= 90 * DAY + 1000;
    }
    expect((await activate({ uscc: e.uscc, code: second.code, username: 'ent-seven', password: 'a-good-password-1' })).status).toBe(200);
  });

  it('no code and no secret in the audit trail', async () => {
    const all = AuditPage.parse(await (await fetch(`${srv.url}/api/audit?limit=500`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json());
    const text = JSON.stringify(all.items);
    expect(codes.length).toBeGreaterThan(5);
    for (const c of codes) {
      expect(text).not.toContain(c);
      expect(text).not.toContain(c.replace(/-/g, ''));
    }
    expect(text).not.toContain('a-good-password-1');
  });

  it('a deregistered enterprise (注销, through the register import) gets no code, and its old code opens no account', async () => {
    const e = free[10];
    const c = await issue(e.uscc);
    // the register says it is deregistered: imported like any register export
    const csv = Buffer.from(`统一社会信用代码,登记状态\r\n${e.uscc},注销\r\n`);
    const up = await fetch(`${srv.url}/api/imports/enterprises?dryRun=0&filename=dereg.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${supervisor1.token}` },
      body: csv,
    });
    expect(up.status).toBe(202);
    const { jobId } = (await up.json()) as { jobId: string };
    for (let i = 0; i < 100; i++) {
      const j = (await (await fetch(`${srv.url}/api/imports/${jobId}`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json()) as {
        phase: string;
      };
      if (j.phase === 'done') break;
      expect(j.phase).not.toBe('failed');
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = await api('/api/activation-codes', supervisor1.token, { uscc: e.uscc });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('enterprise_deregistered');
    const r = await activate({ uscc: e.uscc, code: c.code, username: 'ent-closed', password: 'a-good-password-1' });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('enterprise_deregistered');
    const bulk = await fetch(`${srv.url}/api/activation-codes/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor1.token}` },
      body: JSON.stringify({ usccs: [e.uscc] }),
    });
    expect((await bulk.text()).trim().split('\r\n')).toHaveLength(1);
  });

  it('guessing hits the limit per USCC, then per address; a right code is refused too while limited', async () => {
    const a = free[8];
    const b = free[9];
    const ca = await issue(a.uscc);
    const guess = (uscc: string, headers?: Record<string, string>) =>
      api('/api/activate', null, { uscc, code: 'zzzz-zzzz-zzzz', username: 'guesser', password: 'a-good-password-1' }, headers);
    for (let i = 0; i < 5; i++) expect((await guess(a.uscc)).status).toBe(400);
    const limited = await guess(a.uscc);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await activate({ uscc: a.uscc, code: ca.code, username: 'ent-eight', password: 'a-good-password-1' })).status).toBe(429);
    // another USCC from this address: a few more wrong codes reach the address's 12 (earlier tests spent some)
    let tries = 0;
    while ((await guess(b.uscc)).status === 400) tries++;
    expect(tries).toBeGreaterThan(0);
    expect(tries).toBeLessThan(5);
    expect((await guess(b.uscc)).status).toBe(429);
  });
});
