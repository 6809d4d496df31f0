/**
 * The certificate import on the real server (the generic import jobs, kind `certificates`): a GBK CSV with bad
 * rows is checked row by row (number format and duplicates in the file, the inspector exists and the name
 * matches, dates real and ordered, a number of another inspector, a revoked certificate not brought back), the
 * dry run counts new, changed, unchanged and invalid rows and writes nothing; applied, the registry doc takes
 * every valid row in one change (a phone holding it sees them), the holders' records take their numbers, and
 * the import is audited. Only supervisors import certificates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { json } from '../../helpers/api';
import { csv, gbk } from '../../unit/server/import-fixtures';
import { ImportJob, ImportStarted } from '../../../src/protocol/imports';
import { CertificatePage } from '../../../src/protocol/registry';
import { InspectorList } from '../../../src/protocol/directory';
import { AuditPage } from '../../../src/protocol/audit';
import { readCertificate } from '../../../src/model';
import { normalDate } from '../../../server/registry/import';

let srv: SpawnedServer;
let sup: LoginResult, agency1: LoginResult, inspector1: LoginResult;

beforeAll(async () => {
  srv = await spawnServer();
  [sup, agency1, inspector1] = await Promise.all(['supervisor1', 'agency1', 'inspector1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

const auth = (who: LoginResult): Record<string, string> => ({ authorization: `Bearer ${who.token}` });
const upload = (who: LoginResult, body: Buffer, dryRun = '1') =>
  fetch(`${srv.url}/api/imports/certificates?${new URLSearchParams({ filename: '证件.csv', dryRun })}`, {
    method: 'POST',
    headers: { ...auth(who), 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
async function settled(id: string): Promise<ImportJob> {
  for (let i = 0; i < 400; i++) {
    const j = await json(await fetch(`${srv.url}/api/imports/${id}`, { headers: auth(sup) }), ImportJob);
    if (j.phase === 'done' || j.phase === 'failed') return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the import job did not finish');
}
const certOf = async (n: string) =>
  (await json(await fetch(`${srv.url}/api/certificates?q=${n}`, { headers: auth(sup) }), CertificatePage)).items.find((c) => c.number === n);
const HEADER = ['证号', '姓名', '执法人员编号', '发证日期', '有效期至', '状态'];

describe('dates as registers write them', () => {
  it('normalDate reads dashes, slashes, dots and 年月日, and refuses impossible days', () => {
    expect(normalDate('2026-11-25')).toBe('2026-11-25');
    expect(normalDate('2026/1/5')).toBe('2026-01-05');
    expect(normalDate('2026.01.05')).toBe('2026-01-05');
    expect(normalDate('2026年1月5日')).toBe('2026-01-05');
    expect(normalDate('2026-02-30')).toBeNull();
    expect(normalDate('25/11/2026')).toBeNull();
    expect(normalDate('')).toBeNull();
  });
});

describe('a certificate file', () => {
  let staff: { id: string; name: string; certificateNumber?: string }[] = [];
  let jobId = '';
  let file: Buffer;
  beforeAll(async () => {
    staff = (await json(await fetch(`${srv.url}/api/inspectors?agencyId=city-market`, { headers: auth(inspector1) }), InspectorList)).items;
    const [s1, s2, s3, s4] = ['insp-city-market-1', 'insp-city-market-2', 'insp-city-market-3', 'insp-city-market-4'].map(
      (id) => staff.find((s) => s.id === id)!,
    );
    const emergency = (await json(await fetch(`${srv.url}/api/inspectors?agencyId=city-emergency`, { headers: auth(inspector1) }), InspectorList)).items;
    const revoked = emergency.find((s) => s.id === 'insp-city-emergency-5')!;
    const c2 = (await certOf(s2.certificateNumber!))!;
    file = gbk(
      csv(
        [
          ['SX-IMP-0001', s3.name, s3.id, '2026/11/20', '2031/11/19', '有效'], // 2: new
          ['SX-IMP-0002', s4.name, s4.id, '2026-11-20', '2031-11-19', ''], // 3: new, valid by default
          [s1.certificateNumber!, s1.name, s1.id, '2020-01-01', '2035-12-31', '有效'], // 4: changed (expiry)
          ['SX-IMP-0003', '张冒名', s2.id, '2026-11-20', '2031-11-19', '有效'], // 5: the name does not match
          ['SX-IMP-0004', s2.name, 'insp-nobody-9', '2026-11-20', '2031-11-19', '有效'], // 6: no such inspector
          ['SX-IMP-0005', s2.name, s2.id, '2026-11-20', '2025-01-01', '有效'], // 7: expires before issued
          ['SX-IMP-0006', s2.name, s2.id, '2026-02-30', '2031-11-19', '有效'], // 8: not a date
          ['SX IMP 7', s2.name, s2.id, '2026-11-20', '2031-11-19', '有效'], // 9: bad number
          ['SX-IMP-0008', s2.name, s2.id, '2026-11-20', '2031-11-19', '有效'], // 10: twice in the file
          ['SX-IMP-0008', s2.name, s2.id, '2026-11-20', '2031-11-19', '有效'], // 11
          [c2.number, s2.name, s2.id, c2.issuedOn.replaceAll('-', '/'), c2.expiresOn, '有效'], // 12: unchanged
          [revoked.certificateNumber!, revoked.name, revoked.id, '2020-01-01', '2035-12-31', '有效'], // 13: a revoked one brought back
          [s2.certificateNumber!.replace(/\d$/, 'X'), s1.name, s1.id, '2020-01-01', '2035-12-31', '作废'], // 14: unknown status
        ],
        HEADER,
      ),
    );
  });

  it('the dry run checks each row and writes nothing', async () => {
    const r = await upload(sup, file);
    expect(r.status).toBe(202);
    const j = await settled((await json(r, ImportStarted)).jobId);
    jobId = j.jobId;
    expect(j.phase).toBe('done');
    const bad = new Map(j.result!.invalidRows.map((x) => [x.line, x]));
    expect([...bad.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 13, 14]);
    expect(bad.get(5)!.reason.zh).toContain('不符');
    expect(bad.get(6)!.reason.en).toContain('no inspector record');
    expect(bad.get(7)!.reason.en).toContain('before the issue date');
    expect(bad.get(10)!.reason.zh).toContain('重复');
    expect(bad.get(13)!.reason.en).toContain('revoked');
    expect(j.result).toMatchObject({ new: 2, changed: 1, unchanged: 1, invalid: 9 });
    expect(await certOf('SX-IMP-0001')).toBeUndefined();
  });

  it('agency admins and inspectors may not import certificates', async () => {
    expect((await upload(agency1, file)).status).toBe(403);
    expect((await upload(inspector1, file)).status).toBe(403);
  });

  it('applied: the valid rows reach the registry in one change (a phone sees them), the records take their numbers, audited', async () => {
    const phone = connectProvider(srv.wsUrl, 'registry/certificates', inspector1.token);
    try {
      await waitSynced(phone);
      const r = await fetch(`${srv.url}/api/imports/${jobId}/apply`, {
        method: 'POST',
        headers: { ...auth(sup), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(202);
      const j = await settled(jobId);
      expect(j).toMatchObject({ phase: 'done', applied: true });
      await waitFor(() => !!readCertificate(phone.doc, 'SX-IMP-0001') && !!readCertificate(phone.doc, 'SX-IMP-0002'), 10_000, 'the phone sees the import');
    } finally {
      destroyAll(phone);
    }
    const s3 = staff.find((s) => s.id === 'insp-city-market-3')!;
    expect(await certOf('SX-IMP-0001')).toMatchObject({
      inspectorId: s3.id,
      holderName: s3.name,
      agencyId: 'city-market',
      issuedOn: '2026-11-20',
      status: 'valid',
    });
    expect((await certOf(staff.find((s) => s.id === 'insp-city-market-1')!.certificateNumber!))?.expiresOn).toBe('2035-12-31');
    expect(await certOf('SX-IMP-0003')).toBeUndefined();
    const now = (await json(await fetch(`${srv.url}/api/inspectors?agencyId=city-market`, { headers: auth(inspector1) }), InspectorList)).items;
    expect(now.find((s) => s.id === 'insp-city-market-3')?.certificateNumber).toBe('SX-IMP-0001');
    expect(now.find((s) => s.id === 'insp-city-market-4')?.certificateNumber).toBe('SX-IMP-0002');
    const audit = (await json(await fetch(`${srv.url}/api/audit?action=import.certificates`, { headers: auth(sup) }), AuditPage)).items;
    expect(audit.length).toBe(1);
  });
});
