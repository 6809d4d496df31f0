/**
 * The certificate registry over the real server: only supervisors issue, renew, suspend, reinstate and
 * revoke (agency admins read their own agency's certificates; inspectors, enterprises and strangers nothing);
 * every change is audited with the certificate before and after; issuing gives the inspector record its
 * number; a suspended or revoked certificate refuses the next check code at once and reaches a phone holding
 * the registry doc live; the yearly clean-up lists what is expired, expiring or held by someone gone, and
 * revokes or renews a selection with one audit entry per certificate and one summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { errorOf, json } from '../../helpers/api';
import { certificateValidOn, readCertificate, readTasks } from '../../../src/model';
import { teamRule } from '../../../src/domain/rules';
import { Certificate, type Task } from '../../../src/domain/schemas';
import { CertificatePage, CleanupResult, CleanupView } from '../../../src/protocol/registry';
import { InspectorList } from '../../../src/protocol/directory';
import { AuditPage } from '../../../src/protocol/audit';

let srv: SpawnedServer;
let sup: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
const TODAY = '2026-11-25'; // E2E_NOW, the spawned server's clock

beforeAll(async () => {
  srv = await spawnServer();
  [sup, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

const auth = (who: LoginResult | null): Record<string, string> => (who ? { authorization: `Bearer ${who.token}` } : {});
const get = (p: string, who: LoginResult | null) => fetch(`${srv.url}${p}`, { headers: auth(who) });
const post = (p: string, who: LoginResult | null, body: unknown) =>
  fetch(`${srv.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(who) }, body: JSON.stringify(body) });
const refusal = async (r: Response) => ({ status: r.status, code: (await errorOf(r)).code });
const staffOf = async (agencyId: string) => (await json(await get(`/api/inspectors?agencyId=${agencyId}`, inspector1), InspectorList)).items;
const certOf = async (number: string) => (await json(await get(`/api/certificates?q=${number}`, sup), CertificatePage)).items.find((c) => c.number === number);
const auditOf = async (q: string, who: LoginResult = sup) => (await json(await get(`/api/audit?${q}`, who), AuditPage)).items;

describe('who may call the registry', () => {
  const writes: [string, unknown][] = [
    ['/api/certificates', { number: 'SX-ATTACK-0001', inspectorId: 'insp-city-market-3', issuedOn: TODAY, expiresOn: '2029-01-01' }],
    ['/api/certificates/SX-140300-0001/renew', { expiresOn: '2099-01-01' }],
    ['/api/certificates/SX-140300-0001/suspend', { reason: '测试攻击' }],
    ['/api/certificates/SX-140300-0001/reinstate', {}],
    ['/api/certificates/SX-140300-0001/revoke', { reason: '测试攻击' }],
    ['/api/certificates/cleanup', { action: 'revoke', numbers: ['SX-140300-0001'], reason: '测试攻击' }],
  ];

  it('no token: 401 on every route', async () => {
    expect((await get('/api/certificates', null)).status).toBe(401);
    expect((await get('/api/certificates/cleanup', null)).status).toBe(401);
    for (const [p, b] of writes) expect((await post(p, null, b)).status, p).toBe(401);
  });

  it('an agency admin, an inspector or an enterprise changes nothing (403), and the registry is as it was', async () => {
    const before = await certOf('SX-140300-0001');
    expect(before?.status).toBe('valid');
    for (const who of [agency1, inspector1, enterprise1]) {
      for (const [p, b] of writes) expect(await refusal(await post(p, who, b)), `${who.role} ${p}`).toEqual({ status: 403, code: 'forbidden' });
      expect((await get('/api/certificates/cleanup', who)).status).toBe(403);
    }
    expect(await certOf('SX-140300-0001')).toEqual(before);
    expect(await certOf('SX-ATTACK-0001')).toBeUndefined();
  });

  it('inspectors and enterprises do not list certificates; an agency admin lists only their own agency, whatever they ask for', async () => {
    expect((await get('/api/certificates', inspector1)).status).toBe(403);
    expect((await get('/api/certificates', enterprise1)).status).toBe(403);
    const own = await json(await get('/api/certificates?agencyId=city-emergency&limit=500', agency1), CertificatePage);
    expect(own.total).toBeGreaterThan(0);
    expect(new Set(own.items.map((c) => c.agencyId))).toEqual(new Set([agency1.agencyId]));
    const all = await json(await get('/api/certificates?limit=500', sup), CertificatePage);
    expect(new Set(all.items.map((c) => c.agencyId)).size).toBeGreaterThan(3);
    const revoked = await json(await get('/api/certificates?status=revoked', sup), CertificatePage);
    expect(revoked.items.every((c) => c.status === 'revoked')).toBe(true);
  });
});

describe('issue', () => {
  it('issues to an inspector record (name and agency from the record), gives the record its number, and audits both', async () => {
    const holder = (await staffOf('city-market')).find((s) => s.id === 'insp-city-market-3')!;
    const r = await post('/api/certificates', sup, { number: 'SX-NEW-0001', inspectorId: holder.id, issuedOn: TODAY, expiresOn: '2029-11-24' });
    expect(r.status).toBe(201);
    const c = await json(r, Certificate);
    expect(c).toEqual({
      number: 'SX-NEW-0001',
      inspectorId: holder.id,
      agencyId: 'city-market',
      holderName: holder.name,
      issuedOn: TODAY,
      expiresOn: '2029-11-24',
      status: 'valid',
    });
    expect((await staffOf('city-market')).find((s) => s.id === holder.id)?.certificateNumber).toBe('SX-NEW-0001');
    const [entry] = await auditOf('action=certificate.issue');
    expect(entry).toMatchObject({ target: 'certificate:SX-NEW-0001', agencyId: 'city-market', after: c, actor: { userId: sup.userId } });
    // the holder's agency admin sees it in their own audit trail
    expect((await auditOf('action=certificate.issue', agency1)).map((e) => e.target)).toContain('certificate:SX-NEW-0001');
    expect((await auditOf('action=inspector.certificate'))[0]).toMatchObject({ target: `inspector:${holder.id}`, after: { certificateNumber: 'SX-NEW-0001' } });
  });

  it('refuses a taken number (409), an unknown or inactive holder, bad dates and a bad number, changing nothing', async () => {
    const base = { number: 'SX-NEW-0002', inspectorId: 'insp-city-market-4', issuedOn: TODAY, expiresOn: '2029-11-24' };
    expect(await refusal(await post('/api/certificates', sup, { ...base, number: 'SX-NEW-0001' }))).toEqual({ status: 409, code: 'certificate_exists' });
    expect(await refusal(await post('/api/certificates', sup, { ...base, inspectorId: 'insp-nobody-1' }))).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(await post('/api/certificates', sup, { ...base, inspectorId: 'insp-city-emergency-5' }))).toEqual({
      status: 409,
      code: 'inspector_inactive',
    });
    expect((await post('/api/certificates', sup, { ...base, expiresOn: '2025-01-01' })).status).toBe(400);
    expect((await post('/api/certificates', sup, { ...base, issuedOn: '2026-13-45x' })).status).toBe(400);
    for (const number of ['x', 'SX 0001', 'SX/../0001', '证号0001', 'A'.repeat(41)])
      expect((await post('/api/certificates', sup, { ...base, number })).status, number).toBe(400);
    expect((await post('/api/certificates', sup, { ...base, extra: true })).status).toBe(400);
    const e = await errorOf(await post('/api/certificates', sup, { ...base, expiresOn: '2025-01-01' }));
    expect(e.message.zh).toBeTruthy();
    expect(e.message.en).toContain('expiry');
    expect(await certOf('SX-NEW-0002')).toBeUndefined();
    expect((await auditOf('action=certificate.issue')).length).toBe(1);
  });
});

describe('renew, suspend, reinstate, revoke', () => {
  it('renews to a later date only; suspends with a reason; reinstates; revokes for good', async () => {
    const n = 'SX-NEW-0001';
    expect((await post(`/api/certificates/${n}/renew`, sup, { expiresOn: '2029-01-01' })).status).toBe(400); // not later
    expect((await json(await post(`/api/certificates/${n}/renew`, sup, { expiresOn: '2030-06-30' }), Certificate)).expiresOn).toBe('2030-06-30');
    expect((await post(`/api/certificates/${n}/suspend`, sup, {})).status).toBe(400); // a reason is required
    expect((await post(`/api/certificates/${n}/suspend`, sup, { reason: ' ' })).status).toBe(400);
    const s = await json(await post(`/api/certificates/${n}/suspend`, sup, { reason: '涉嫌违纪，暂停执法' }), Certificate);
    expect(s).toMatchObject({ status: 'suspended', suspendedOn: TODAY, suspendedReason: '涉嫌违纪，暂停执法' });
    expect(await refusal(await post(`/api/certificates/${n}/suspend`, sup, { reason: '再次' }))).toEqual({ status: 409, code: 'certificate_state' });
    const back = await json(await post(`/api/certificates/${n}/reinstate`, sup, {}), Certificate);
    expect(back.status).toBe('valid');
    expect(back.suspendedOn).toBeUndefined();
    expect(await refusal(await post(`/api/certificates/${n}/reinstate`, sup, {}))).toEqual({ status: 409, code: 'certificate_state' });
    expect((await post(`/api/certificates/${n}/revoke`, sup, {})).status).toBe(400);
    const gone = await json(await post(`/api/certificates/${n}/revoke`, sup, { reason: '调离执法岗位' }), Certificate);
    expect(gone).toMatchObject({ status: 'revoked', revokedOn: TODAY, revokedReason: '调离执法岗位' });
    for (const [p, b] of [
      ['reinstate', {}],
      ['revoke', { reason: '再次注销' }],
      ['renew', { expiresOn: '2031-01-01' }],
      ['suspend', { reason: '暂停' }],
    ] as const)
      expect(await refusal(await post(`/api/certificates/${n}/${p}`, sup, b)), p).toEqual({ status: 409, code: 'certificate_state' });
    expect(await refusal(await post('/api/certificates/SX-NONE-0000/revoke', sup, { reason: '不存在' }))).toEqual({ status: 404, code: 'not_found' });
    // each change audited with the certificate before and after, for the holder's agency
    const trail = (await auditOf('target=SX-NEW-0001')).map((e) => e.action).reverse();
    expect(trail).toEqual(['certificate.issue', 'certificate.renew', 'certificate.suspend', 'certificate.reinstate', 'certificate.revoke']);
    const [rev] = await auditOf('action=certificate.revoke&target=SX-NEW-0001');
    expect(rev).toMatchObject({ agencyId: 'city-market', before: { status: 'valid' }, after: { status: 'revoked' } });
  });

  it('a phone holding the registry doc sees a revocation made through the API live, and its check-in rule blocks', async () => {
    const number = (await staffOf('city-transport')).find((s) => s.id === 'insp-city-transport-1')!.certificateNumber!;
    const phone = connectProvider(srv.wsUrl, 'registry/certificates', inspector1.token);
    try {
      await waitSynced(phone);
      const before = readCertificate(phone.doc, number)!;
      expect(certificateValidOn(before, TODAY)).toBe(true);
      expect((await post(`/api/certificates/${number}/revoke`, sup, { reason: '调离执法岗位' })).status).toBe(200);
      await waitFor(() => readCertificate(phone.doc, number)?.status === 'revoked', 10_000, 'the revocation reaches the phone');
      const now = readCertificate(phone.doc, number)!;
      expect(certificateValidOn(now, TODAY)).toBe(false);
      const v = teamRule(
        [
          { inspectorId: 'insp-city-transport-1', certificate: now },
          { inspectorId: 'insp-city-transport-2', certificate: readCertificate(phone.doc, (await staffOf('city-transport'))[1].certificateNumber!) },
        ],
        `${TODAY}T10:00:00+08:00`,
      );
      expect(v.verdict).toBe('block');
      expect(v.members[0].verdict.code).toBe('cert.revoked');
    } finally {
      destroyAll(phone);
    }
  });

  it('a suspended certificate refuses the next check code at once; reinstated, the code is signed again; revoked, refused', async () => {
    const tasks = await (async () => {
      const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', inspector1.token);
      try {
        await waitSynced(p);
        return readTasks(p.doc).items;
      } finally {
        destroyAll(p);
      }
    })();
    const task = tasks.find(
      (t: Task) => t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.includes('insp-city-market-2') && t.status !== 'cancelled',
    )!;
    const staff = await staffOf('city-market');
    const body = {
      taskId: task.id,
      agencyId: task.agencyId,
      uscc: task.uscc,
      window: task.window,
      inspectors: task.inspectorIds.map((id) => {
        const s = staff.find((x) => x.id === id)!;
        return { id: s.id, name: s.name, cert: s.certificateNumber };
      }),
    };
    const code = () => post('/api/check-code', inspector1, body);
    expect((await code()).status).toBe(200);
    const cert2 = staff.find((s) => s.id === 'insp-city-market-2')!.certificateNumber!;
    expect((await post(`/api/certificates/${cert2}/suspend`, sup, { reason: '暂扣执法证件' })).status).toBe(200);
    expect(await refusal(await code())).toEqual({ status: 422, code: 'certificate_invalid' });
    expect((await post(`/api/certificates/${cert2}/reinstate`, sup, {})).status).toBe(200);
    expect((await code()).status).toBe(200);
    expect((await post(`/api/certificates/${cert2}/revoke`, sup, { reason: '调离执法岗位' })).status).toBe(200);
    expect(await refusal(await code())).toEqual({ status: 422, code: 'certificate_invalid' });
  });
});

describe('the yearly clean-up', () => {
  it('lists expired, expiring and held-by-someone-gone certificates, never a revoked one', async () => {
    const v = await json(await get('/api/certificates/cleanup', sup), CleanupView);
    expect(v).toMatchObject({ asOf: TODAY, withinDays: 60 });
    const by = new Map(v.items.map((i) => [i.certificate.inspectorId, i.reasons]));
    expect(by.get('insp-city-market-5')).toContain('expired');
    expect(by.get('insp-city-housing-5')).toContain('expiring');
    expect(by.has('insp-city-emergency-5')).toBe(false); // revoked already
    expect(v.items.every((i) => i.certificate.status !== 'revoked')).toBe(true);
    // inspectors with no account are listed as such; the demo inspectors with accounts are not
    expect(by.get('insp-city-market-4')).toEqual(['no_account']);
    expect(by.has('insp-city-market-1')).toBe(false);
    const narrow = await json(await get('/api/certificates/cleanup?withinDays=0', sup), CleanupView);
    expect(narrow.items.some((i) => i.certificate.inspectorId === 'insp-city-housing-5' && i.reasons.includes('expiring'))).toBe(false);
    expect((await get('/api/certificates/cleanup?withinDays=-1', sup)).status).toBe(400);
  });

  it('revokes a selection with one reason: one audit entry per certificate and one summary; unknown numbers are skipped', async () => {
    const v = await json(await get('/api/certificates/cleanup', sup), CleanupView);
    const expired = v.items.filter((i) => i.reasons.includes('expired')).map((i) => i.certificate.number);
    expect(expired.length).toBeGreaterThanOrEqual(2);
    const pick = expired.slice(0, 2);
    const revokesBefore = (await auditOf('action=certificate.revoke')).length;
    const r = await json(
      await post('/api/certificates/cleanup', sup, { action: 'revoke', numbers: [...pick, 'SX-NONE-0001'], reason: '年度清理：证件过期' }),
      CleanupResult,
    );
    expect(r.changed.sort()).toEqual([...pick].sort());
    expect(r.skipped).toEqual([{ number: 'SX-NONE-0001', reason: 'not_found' }]);
    for (const n of pick) expect((await certOf(n))?.status).toBe('revoked');
    expect((await auditOf('action=certificate.revoke')).length).toBe(revokesBefore + 2);
    const [summary] = await auditOf('action=certificate.cleanup');
    expect(summary.after).toMatchObject({ action: 'revoke', changed: 2, skipped: 1, reason: '年度清理：证件过期' });
    const after = await json(await get('/api/certificates/cleanup', sup), CleanupView);
    expect(after.items.some((i) => pick.includes(i.certificate.number))).toBe(false);
  });

  it('renews a selection to one date (not in the past), skipping what would not be later', async () => {
    const v = await json(await get('/api/certificates/cleanup', sup), CleanupView);
    const expiring = v.items.filter((i) => i.reasons.includes('expiring')).map((i) => i.certificate.number);
    expect(expiring.length).toBeGreaterThan(0);
    expect((await post('/api/certificates/cleanup', sup, { action: 'renew', numbers: expiring, expiresOn: '2026-01-01' })).status).toBe(400);
    const r = await json(await post('/api/certificates/cleanup', sup, { action: 'renew', numbers: expiring, expiresOn: '2029-12-31' }), CleanupResult);
    expect(r.changed.sort()).toEqual([...expiring].sort());
    for (const n of expiring) expect((await certOf(n))?.expiresOn).toBe('2029-12-31');
    const again = await json(await post('/api/certificates/cleanup', sup, { action: 'renew', numbers: expiring, expiresOn: '2029-12-31' }), CleanupResult);
    expect(again.changed).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(expiring.map(() => 'not_later'));
    // bounded: too many numbers, or none, is a bad request
    expect((await post('/api/certificates/cleanup', sup, { action: 'renew', numbers: [], expiresOn: '2029-12-31' })).status).toBe(400);
    expect((await post('/api/certificates/cleanup', sup, { action: 'wipe', numbers: expiring })).status).toBe(400);
  });
});
