/**
 * The enterprise import on the real server: a GBK CSV with bad rows is checked (counts, the invalid rows with
 * line and reason, errors.csv), applied from the same upload, upserted by USCC (a second file changes one,
 * leaves one, marks one 注销 and deletes nothing), audited once with the file's SHA-256; an apply that fails
 * midway (a constraint injected into the test database) leaves nothing written; the rights (only supervisors
 * import; only the job's owner reads or applies it) and the limits (32 MB, the media type, one job at a time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/app';
import { createLogger } from '../../../server/log';
import { hashPassword } from '../../../server/auth/passwords';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { E2E_NOW } from '../../helpers/moments';
import { errorOf, json } from '../../helpers/api';
import { login, type LoginResult } from '../../helpers/spawn-server';
import { ImportJob, ImportStarted } from '../../../src/protocol/imports';
import { EnterprisePage, Enterprise } from '../../../src/protocol/directory';
import { AuditPage } from '../../../src/protocol/audit';
import { badCheck, csv, gbk, row, uscc } from '../../unit/server/import-fixtures';
import { createAgent } from '../../../src/client/agent';
import { createImportsApi } from '../../../src/client/imports-api';

let srv: RunningServer;
let dataDir: string;
let db: Database.Database;
let supervisor1: LoginResult, supervisor2: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-import-'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger: createLogger('silent'),
    clockNow: E2E_NOW,
  });
  db = new Database(path.join(dataDir, 'platform.sqlite'));
  db.pragma('busy_timeout = 5000');
  // a second supervisor (the demo city has one)
  db.prepare(
    'INSERT INTO users(id, username, password_hash, role, name, agency_id, inspector_id, uscc, disabled, created_at, demo_password) VALUES (?,?,?,?,?,?,?,?,0,?,0)',
  ).run('u-supervisor-b', 'supervisor-b', await hashPassword('another-Passw0rd'), 'supervisor', '监督二', 'city-justice', null, null, Date.parse(E2E_NOW));
  [supervisor1, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
  supervisor2 = await login(srv.url, 'supervisor-b', 'another-Passw0rd');
}, 90_000);
afterAll(async () => {
  db?.close();
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const auth = (who: LoginResult | null): Record<string, string> => (who ? { authorization: `Bearer ${who.token}` } : {});

function upload(who: LoginResult | null, body: Buffer, o: { filename?: string; dryRun?: '0' | '1'; kind?: string; type?: string } = {}) {
  const q = new URLSearchParams({ filename: o.filename ?? '企业名录.csv', dryRun: o.dryRun ?? '1' });
  return fetch(`${srv.url}/api/imports/${o.kind ?? 'enterprises'}?${q}`, {
    method: 'POST',
    headers: { ...auth(who), 'content-type': o.type ?? 'application/octet-stream' },
    body: new Uint8Array(body),
  });
}
const job = (who: LoginResult | null, id: string) => fetch(`${srv.url}/api/imports/${id}`, { headers: auth(who) });
const applyJob = (who: LoginResult | null, id: string) =>
  fetch(`${srv.url}/api/imports/${id}/apply`, { method: 'POST', headers: { ...auth(who), 'content-type': 'application/json' }, body: '{}' });

async function settled(who: LoginResult, id: string): Promise<ImportJob> {
  for (let i = 0; i < 400; i++) {
    const j = await json(await job(who, id), ImportJob);
    if (j.phase === 'done' || j.phase === 'failed') return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the import job did not finish');
}
async function dryRun(who: LoginResult, body: Buffer, filename = '企业名录.csv'): Promise<ImportJob> {
  const r = await upload(who, body, { filename });
  expect(r.status).toBe(202);
  return settled(who, (await json(r, ImportStarted)).jobId);
}
async function applied(who: LoginResult, id: string): Promise<ImportJob> {
  const r = await applyJob(who, id);
  expect(r.status).toBe(202);
  return settled(who, id);
}
const stored = async (u: string) => {
  const r = await fetch(`${srv.url}/api/enterprises/${u}`, { headers: auth(supervisor1) });
  return r.status === 200 ? json(r, Enterprise) : undefined;
};
const count = () => (db.prepare('SELECT count(*) AS n FROM enterprises').get() as { n: number }).n;

const A = uscc(101);
const B = uscc(102);
const C = uscc(103, '140321');
const wrong = badCheck(uscc(104));

describe('a GBK file with bad rows: dry run, errors.csv, apply', () => {
  let id = '';
  const file = gbk(
    csv([
      row(A, '阳泉市新开张餐饮有限公司'),
      row(B, '阳泉市新开张超市', { industry: '零售', risk: '中', kind: '个体工商户' }),
      row(wrong.bad, '校验码错误的公司'),
      row(uscc(105), '外地公司', { division: '110101' }),
      row(C, '平定县新开张化工厂', { industry: '危险化学品', risk: '重大', division: '140321' }),
      row(uscc(106), '未知行业', { industry: '航天' }),
      row(uscc(107), '第一次'),
      row(uscc(107), '第二次'),
    ]),
  );

  it('the dry run counts new and invalid rows, names each invalid row’s line and reason, and writes nothing', async () => {
    const before = count();
    const j = await dryRun(supervisor1, file);
    id = j.jobId;
    expect(j).toMatchObject({ phase: 'done', dryRun: true, applied: false, filename: '企业名录.csv' });
    expect(j.result).toMatchObject({ new: 3, changed: 0, unchanged: 0, invalid: 5 });
    expect(j.result!.invalidRows.map((r) => [r.line, r.column])).toEqual([
      [4, 'uscc'],
      [5, 'division'],
      [7, 'industry'],
      [8, 'uscc'],
      [9, 'uscc'],
    ]);
    expect(j.result!.invalidRows[0].reason.zh).toContain(`应为“${wrong.right}”`);
    // each invalid row also says which enterprise it is, as the file writes it
    expect(j.result!.invalidRows[1].key).toBe(uscc(105));
    expect(j.result!.invalidRows[3].reason.zh).toContain('第 8 行与第 9 行');
    expect(count()).toBe(before);
    expect(await stored(A)).toBeUndefined();
  });

  it('errors.csv has every invalid row with its line, column and reason (UTF-8 with BOM)', async () => {
    const r = await fetch(`${srv.url}/api/imports/${id}/errors.csv`, { headers: auth(supervisor1) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('行号 line,标识 key,列 column,原因,reason');
    expect(lines[1]).toMatch(/^4,\w{18},uscc,/);
    expect(lines[1]).toContain(wrong.right);
    expect(lines[5]).toMatch(new RegExp(`^9,${uscc(107)},uscc,`));
  });

  it('apply writes the valid rows from the same upload, in one go, with one audit entry', async () => {
    const before = count();
    const j = await applied(supervisor1, id);
    expect(j).toMatchObject({ phase: 'done', applied: true, result: { new: 3, invalid: 5 } });
    expect(count()).toBe(before + 3);
    expect(await stored(B)).toMatchObject({ name: '阳泉市新开张超市', kind: 'individual', industry: 'retail', riskLevel: 'medium', creditLevel: 'B' });
    expect(await stored(C)).toMatchObject({ division: '140321', industry: 'hazardous_chemicals', riskLevel: 'major' });
    const audit = await json(await fetch(`${srv.url}/api/audit?action=import`, { headers: auth(supervisor1) }), AuditPage);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: 'import.enterprises',
      target: `import:${id}`,
      actor: { userId: 'u-supervisor1' },
      after: { file: '企业名录.csv', sha256: createHash('sha256').update(file).digest('hex'), new: 3, changed: 0, invalid: 5 },
    });
    // the directory search finds it
    const page = await json(await fetch(`${srv.url}/api/enterprises?q=${encodeURIComponent('新开张')}`, { headers: auth(supervisor1) }), EnterprisePage);
    expect(page.items.map((e) => e.uscc).sort()).toEqual([A, B, C].sort());
    const byUscc = await json(await fetch(`${srv.url}/api/enterprises?q=${B.slice(0, 12)}`, { headers: auth(supervisor1) }), EnterprisePage);
    expect(byUscc.items.map((e) => e.uscc)).toContain(B);
  });

  it('a job is applied once', async () => {
    const r = await applyJob(supervisor1, id);
    expect(r.status).toBe(409);
    expect((await errorOf(r)).code).toBe('import_applied');
  });
});

describe('upsert by USCC; 注销 is marked, never deleted', () => {
  it('changes one, leaves one, marks one deregistered; the search shows and filters them', async () => {
    const before = count();
    const file = Buffer.from(
      csv([
        row(A, '阳泉市新开张餐饮有限公司', { risk: '高' }),
        row(B, '阳泉市新开张超市', { industry: '零售', risk: '中', kind: '个体工商户' }),
        row(C, '平定县新开张化工厂', { industry: '危险化学品', risk: '重大', division: '140321', status: '注销' }),
      ]),
    );
    const j = await dryRun(supervisor1, file, 'update.csv');
    expect(j.result).toMatchObject({ new: 0, changed: 2, unchanged: 1, invalid: 0 });
    await applied(supervisor1, j.jobId);
    expect(count()).toBe(before);
    expect((await stored(A))?.riskLevel).toBe('high');
    expect((await stored(C))?.status).toBe('deregistered');
    const q = (s: string) => fetch(`${srv.url}/api/enterprises?q=${encodeURIComponent('新开张')}${s}`, { headers: auth(supervisor1) });
    expect((await json(await q(''), EnterprisePage)).total).toBe(3);
    expect((await json(await q('&status=deregistered'), EnterprisePage)).items.map((e) => e.uscc)).toEqual([C]);
    expect((await json(await q('&status=active'), EnterprisePage)).items.map((e) => e.uscc).sort()).toEqual([A, B].sort());
  });

  it('an existing enterprise of the seed: a file with only some columns keeps the others', async () => {
    const seeded = (await stored(ENTERPRISE1_USCC))!;
    const j = await dryRun(supervisor1, Buffer.from(`统一社会信用代码,风险等级\r\n${ENTERPRISE1_USCC},重大\r\n`), 'risk.csv');
    expect(j.result).toMatchObject({ changed: 1, invalid: 0 });
    await applied(supervisor1, j.jobId);
    expect(await stored(ENTERPRISE1_USCC)).toEqual({ ...seeded, riskLevel: 'major' });
  });

  it('an XLSX file is read the same way (dryRun=0: checked and applied at once)', async () => {
    const XLSX = await import('@e965/xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['USCC', 'Name', 'Division', 'Industry', 'Risk'],
        [uscc(120), 'Excel Co.', '140303', 'catering', 'low'],
      ]),
      'S',
    );
    const r = await upload(supervisor1, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, { filename: 'e.xlsx', dryRun: '0' });
    const j = await settled(supervisor1, (await json(r, ImportStarted)).jobId);
    expect(j).toMatchObject({ phase: 'done', applied: true, result: { new: 1 } });
    expect((await stored(uscc(120)))?.name).toBe('Excel Co.');
  });
});

describe('the app’s client (src/client/imports-api.ts over the API agent)', () => {
  it('uploads the raw file, follows the job, downloads errors.csv with its name, applies; an error carries the bilingual message', async () => {
    const api = createImportsApi(createAgent({ base: srv.url, auth: { token: supervisor1.token, refresh: async () => 'invalid' } }));
    const file = new Blob([new Uint8Array(gbk(csv([row(uscc(400), '客户端导入测试公司'), row(uscc(401), '坏', { risk: '?' })])))]);
    const { jobId } = await api.upload('enterprises', file, { filename: 'app.csv' });
    let j = await api.job(jobId);
    while (j.phase !== 'done' && j.phase !== 'failed') j = await api.job(jobId);
    expect(j.result).toMatchObject({ new: 1, invalid: 1 });
    const { blob, filename } = await api.errorsCsv(jobId);
    expect(filename).toBe('app-errors.csv');
    expect(await blob.text()).toContain('风险等级');
    await api.apply(jobId);
    do j = await api.job(jobId);
    while (j.phase !== 'done' && j.phase !== 'failed');
    expect(j.applied).toBe(true);
    const page = await api.enterprises({ q: '客户端导入测试' });
    expect(page.items.map((e) => e.uscc)).toEqual([uscc(400)]);
    const refused = createImportsApi(createAgent({ base: srv.url, auth: { token: agency1.token, refresh: async () => 'invalid' } }));
    await expect(refused.upload('enterprises', file, { filename: 'x.csv' })).rejects.toMatchObject({ status: 403, text: { zh: '无权访问' } });
  });
});

describe('all or nothing', () => {
  it('an apply that fails midway leaves nothing written and no audit entry', async () => {
    db.exec("CREATE TRIGGER test_boom BEFORE INSERT ON enterprises WHEN NEW.name = 'BOOM' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
    try {
      const rows = Array.from({ length: 300 }, (_, i) => row(uscc(1000 + i), i === 150 ? 'BOOM' : `全有全无测试${i}`));
      const before = count();
      const auditBefore = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      const j = await dryRun(supervisor1, Buffer.from(csv(rows)));
      expect(j.result).toMatchObject({ new: 300, invalid: 0 });
      const after = await applied(supervisor1, j.jobId);
      expect(after).toMatchObject({ phase: 'failed', applied: false, error: { code: 'import_failed' } });
      expect(after.error!.message.zh).toContain('没有写入任何数据');
      expect(count()).toBe(before);
      expect(await stored(uscc(1000))).toBeUndefined();
      expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(auditBefore);
    } finally {
      db.exec('DROP TRIGGER test_boom');
    }
  });
});

describe('rights', () => {
  const file = Buffer.from(csv([row(uscc(200), '权限测试')]));

  it('agency admins, inspectors and enterprises are refused (403); no token is 401; an unknown kind is 404', async () => {
    for (const who of [agency1, inspector1, enterprise1]) {
      const r = await upload(who, file);
      expect(r.status).toBe(403);
      expect((await errorOf(r)).code).toBe('forbidden');
    }
    expect((await upload(null, file)).status).toBe(401);
    expect((await upload(supervisor1, file, { kind: 'nonsense' })).status).toBe(404);
  });

  it('another user cannot read, apply or download your job (404), nor can anyone without a token', async () => {
    const mine = await dryRun(supervisor1, file);
    for (const who of [supervisor2, agency1, inspector1, enterprise1]) {
      expect((await job(who, mine.jobId)).status).toBe(404);
      expect((await applyJob(who, mine.jobId)).status).toBe(404);
      expect((await fetch(`${srv.url}/api/imports/${mine.jobId}/errors.csv`, { headers: auth(who) })).status).toBe(404);
    }
    expect((await job(null, mine.jobId)).status).toBe(401);
    expect((await job(supervisor1, mine.jobId)).status).toBe(200);
    expect((await job(supervisor1, '00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect(await stored(uscc(200))).toBeUndefined();
  });
});

describe('limits', () => {
  it('refuses a body over 32 MB (413), a JSON body (415), a missing file name (400)', async () => {
    const big = await upload(supervisor1, Buffer.alloc(32 * 1024 * 1024 + 1, 0x41));
    expect(big.status).toBe(413);
    expect((await upload(supervisor1, Buffer.from('{}'), { type: 'application/json' })).status).toBe(415);
    const r = await fetch(`${srv.url}/api/imports/enterprises`, {
      method: 'POST',
      headers: { ...auth(supervisor1), 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(r.status).toBe(400);
  });

  it('a file the job cannot read fails with a bilingual reason; a file without a USCC column too', async () => {
    const bad = await dryRun(supervisor1, Buffer.from('a,"b\n1,2\n'));
    expect(bad).toMatchObject({ phase: 'failed', error: { code: 'bad_file' } });
    const nocol = await dryRun(supervisor1, Buffer.from('企业名称\n某公司\n'));
    expect(nocol.error?.code).toBe('missing_column');
    expect(nocol.error?.message.zh).toContain('统一社会信用代码');
    expect((await applyJob(supervisor1, nocol.jobId)).status).toBe(409);
  });

  it('one running job per user (409); the server keeps answering while a large file is checked', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(uscc(10_000 + i), `大文件${i}`));
    const r = await upload(supervisor1, Buffer.from(csv(rows)));
    const { jobId } = await json(r, ImportStarted);
    const second = await upload(supervisor1, Buffer.from(csv([row(uscc(300), 'x')])));
    expect(second.status).toBe(409);
    expect((await errorOf(second)).code).toBe('import_running');
    const t0 = performance.now();
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
    const j = await settled(supervisor1, jobId);
    expect(j.result).toMatchObject({ new: 20_000 });
  }, 60_000);
});
