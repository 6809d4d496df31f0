/**
 * The audit trail: append-only in the database itself (UPDATE and DELETE are refused by triggers), chained
 * so that an edit behind the triggers' back is found, filtered, exported as CSV, and read only by those who
 * may: supervisors every entry, an agency admin only their agency's (whatever they ask for), inspectors,
 * enterprises and strangers nothing. Entries are written by the real AuditLog into the running server's
 * database file (WAL: beside the server, as the admin command does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../../../server/audit/store';
import { AuditPage } from '../../../src/protocol/audit';
import { login, spawnServer, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { errorOf, json } from '../../helpers/api';

let srv: SpawnedServer;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
let db: Database.Database;
let audit: AuditLog;
const T0 = Date.parse('2026-06-15T02:00:00Z');

beforeAll(async () => {
  srv = await spawnServer();
  [supervisor, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
  db = new Database(path.join(srv.dataDir, 'platform.sqlite'));
  db.pragma('busy_timeout = 5000');
  let t = T0;
  audit = new AuditLog(db, () => (t += 60_000));
  const actor = { userId: 'u-supervisor1', name: '监督一', role: 'supervisor' };
  audit.record({ actor, action: 'account.create', target: 'user:u-a1', agencyId: agency1.agencyId, after: { username: 'a1', name: '=HYPERLINK("x")' } });
  audit.record({
    actor,
    action: 'account.disable',
    target: 'user:u-other',
    agencyId: 'county-pingding-market',
    before: { disabled: false },
    after: { disabled: true },
  });
  audit.record({ actor, action: 'policy.schedule', target: 'policy:2026-07-01', after: { hotline: '12345' } });
}, 90_000);
afterAll(async () => {
  db?.close();
  await srv?.stop();
});

const get = (who: LoginResult | null, q = '', csv = false) =>
  fetch(`${srv.url}/api/audit${csv ? '.csv' : ''}${q}`, { headers: who ? { authorization: `Bearer ${who.token}` } : {} });

describe('the audit log is append-only', () => {
  it('refuses UPDATE and DELETE in the database itself', () => {
    expect(() => db.prepare("UPDATE audit_log SET target = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(3);
  });

  it('finds an edit made with the triggers dropped', () => {
    const copy = new Database(':memory:');
    const mem = new AuditLog(
      (() => {
        copy.exec(
          (db.prepare("SELECT group_concat(sql, ';') AS s FROM sqlite_master WHERE name LIKE 'audit_log%' AND sql IS NOT NULL").get() as { s: string }).s,
        );
        return copy;
      })(),
      () => T0,
    );
    const actor = { userId: 'u', name: 'n', role: 'supervisor' };
    mem.record({ actor, action: 'a.b', target: 't:1' });
    mem.record({ actor, action: 'a.c', target: 't:2' });
    expect(mem.verifyChain()).toBeNull();
    copy.exec('DROP TRIGGER audit_log_no_update');
    copy.prepare("UPDATE audit_log SET target = 't:forged' WHERE id = 1").run();
    expect(mem.verifyChain()).toBe(1);
    copy.close();
  });
});

describe('who reads it', () => {
  it('supervisors read every entry, newest first, filtered', async () => {
    const all = await json(await get(supervisor), AuditPage);
    expect(all.total).toBe(3);
    expect(all.items.map((e) => e.action)).toEqual(['policy.schedule', 'account.disable', 'account.create']);
    const accounts = await json(await get(supervisor, '?action=account'), AuditPage);
    expect(accounts.items.map((e) => e.action).sort()).toEqual(['account.create', 'account.disable']);
    const byTarget = await json(await get(supervisor, '?target=u-other'), AuditPage);
    expect(byTarget.items.map((e) => e.target)).toEqual(['user:u-other']);
    const none = await json(await get(supervisor, '?from=2026-06-16'), AuditPage);
    expect(none.total).toBe(0);
    const day = await json(await get(supervisor, '?from=2026-06-15&to=2026-06-15'), AuditPage);
    expect(day.total).toBe(3);
  });

  it("an agency admin reads only their agency's entries, whatever agencyId they ask for", async () => {
    const own = await json(await get(agency1), AuditPage);
    expect(own.items.map((e) => e.target)).toEqual(['user:u-a1']);
    const other = await json(await get(agency1, '?agencyId=county-pingding-market'), AuditPage);
    expect(other.items.map((e) => e.target)).toEqual(['user:u-a1']);
    const csv = await (await get(agency1, '?agencyId=county-pingding-market', true)).text();
    expect(csv).not.toContain('u-other');
  });

  it('inspectors, enterprises and strangers are refused', async () => {
    expect((await get(inspector1)).status).toBe(403);
    expect((await get(enterprise1)).status).toBe(403);
    expect((await get(enterprise1, '', true)).status).toBe(403);
    const r = await get(null);
    expect(r.status).toBe(401);
    expect((await errorOf(r)).code).toBe('unauthorized');
  });

  it('bad filters get a clear 400', async () => {
    const r = await get(supervisor, '?action=DROP%20TABLE');
    expect(r.status).toBe(400);
    expect((await errorOf(r)).message.en).toMatch(/action/);
    expect((await get(supervisor, '?limit=100000')).status).toBe(400);
  });
});

describe('the CSV export', () => {
  it('has a BOM, the header, every filtered entry oldest first, and defuses formulas', async () => {
    const r = await get(supervisor, '?action=account', true);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="audit.csv"/);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,actor_id,role,agency,action,target,before,after');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('account.create');
    expect(lines[2]).toContain('account.disable');
    // a value that starts a formula is quoted inside JSON here; a bare cell starting with = gets a '
    expect(lines[1]).toContain('HYPERLINK');
  });
});
