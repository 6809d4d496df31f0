/**
 * Signed codes over the real server: the JWKS is public; an enterprise gets its own code (and not another's);
 * agencies and inspectors get any enterprise's code; the code verifies offline against the JWKS and survives a
 * restart (the key is kept in the data dir); check codes only for a task of the caller's agency as the server holds it,
 * with its enterprise, window and team, while every certificate is valid (no codes for anything); device keys register.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCode } from '../../../src/domain/codes';
import { generateDeviceKey } from '../../../src/domain/record-signing';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type SpawnedServer } from '../../helpers/spawn-server';
import { createTask, readTasks } from '../../../src/model';
import type { Task } from '../../../src/domain/schemas';
import { json, errorOf } from '../../helpers/api';
import { CheckCode, DeviceRegistered, EnterpriseCode, Jwks } from '../../../src/protocol/codes';
import { InspectorList } from '../../../src/protocol/directory';

let srv: SpawnedServer;
beforeAll(async () => {
  srv = await spawnServer();
});
afterAll(async () => {
  await srv?.stop();
});

const get = (p: string, token?: string) => fetch(`${srv.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const post = (p: string, token: string, body: unknown) =>
  fetch(`${srv.url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('enterprise codes', () => {
  it('serves a public JWKS and a code that verifies offline, stable across a restart', async () => {
    const jwks = await json(await get('/api/keys'), Jwks);
    expect(jwks.keys.length).toBeGreaterThan(0);
    const e1 = await login(srv.url, 'enterprise1');
    const r = await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`, e1.token);
    expect(r.status).toBe(200);
    const code = await json(r, EnterpriseCode);
    expect(code.url).toContain('/c#EC1:'); // the compact form (COSE in base43)
    expect(code.qrVersion).toBeLessThanOrEqual(11);
    const v = await verifyCode(code.url, jwks as never);
    expect(v.ok && v.kind === 'ent' && v.payload.uscc).toBe(ENTERPRISE1_USCC);

    await srv.restart();
    const jwks2 = await json(await get('/api/keys'), Jwks);
    expect((await verifyCode(code.token, jwks2 as never)).ok).toBe(true);
  });

  it('refuses another enterprise and the unsigned; agencies and inspectors may fetch any', async () => {
    const e1 = await login(srv.url, 'enterprise1');
    expect((await get(`/api/enterprises/${ENTERPRISE2_USCC}/code`, e1.token)).status).toBe(403);
    expect((await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`)).status).toBe(401);
    for (const u of ['inspector1', 'agency2', 'supervisor1']) {
      const t = (await login(srv.url, u)).token;
      expect((await get(`/api/enterprises/${ENTERPRISE2_USCC}/code`, t)).status, u).toBe(200);
    }
  });
});

describe('check codes and device keys', () => {
  type Staff = { id: string; name: string; certificateNumber: string };
  const staffOf = async (token: string, agencyId: string) =>
    (await json(await get(`/api/inspectors?agencyId=${agencyId}`, token), InspectorList)).items as Staff[];
  const asCode = (s: Staff) => ({ id: s.id, name: s.name, cert: s.certificateNumber });
  /** the tasks of an agency's tasks room as the server holds them */
  const tasksOf = async (token: string, agencyId: string, year = 2026) => {
    const p = connectProvider(srv.wsUrl, `tasks/${agencyId}/${year}`, token);
    try {
      await waitSynced(p);
      return readTasks(p.doc).items;
    } finally {
      destroyAll(p);
    }
  };
  const bodyOf = (t: Task, staff: Staff[]) => ({
    taskId: t.id,
    agencyId: t.agencyId,
    uscc: t.uscc,
    window: t.window,
    inspectors: t.inspectorIds.map((id) => asCode(staff.find((s) => s.id === id)!)),
  });
  const refusal = async (r: Response) => ({ status: r.status, ...(await errorOf(r)) });

  it("signs a check code for a task of the caller's agency, with that task's enterprise, window and team", async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const task = (await tasksOf(i1.token, 'city-market')).find(
      (t) => t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.length === 2 && t.status !== 'cancelled',
    )!;
    expect(task).toBeTruthy();
    const ok = await post('/api/check-code', i1.token, bodyOf(task, staff));
    expect(ok.status).toBe(200);
    const jwks = await json(await get('/api/keys'), Jwks);
    const v = await verifyCode((await json(ok, CheckCode)).token, jwks as never);
    expect(v.ok && v.kind).toBe('chk');
    if (v.ok && v.kind === 'chk') {
      expect(v.payload).toMatchObject({ taskId: task.id, agencyId: 'city-market', uscc: task.uscc, window: task.window });
      expect(v.payload.inspectors.map((i) => i.cert).sort()).toEqual(
        bodyOf(task, staff)
          .inspectors.map((i) => i.cert)
          .sort(),
      );
    }
    // the agency's admin may ask for it too; another agency is refused outright
    expect((await post('/api/check-code', (await login(srv.url, 'agency1')).token, bodyOf(task, staff))).status).toBe(200);
    expect((await post('/api/check-code', i1.token, { ...bodyOf(task, staff), agencyId: 'city-emergency' })).status).toBe(403);
  });

  it('refuses a made-up task id (422 unknown_task)', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const body = {
      taskId: 't-made-up-1',
      agencyId: 'city-market',
      uscc: ENTERPRISE1_USCC,
      inspectors: staff.slice(0, 2).map(asCode),
      window: { from: '2026-11-25', to: '2026-11-27' },
    };
    const r = await refusal(await post('/api/check-code', i1.token, body));
    expect(r.status).toBe(422);
    expect(r.code).toBe('unknown_task');
    expect(r.message.zh).toContain('t-made-up-1');
    expect(r.message.en).toContain('t-made-up-1');
  });

  it('refuses a real task pointed at another enterprise, or with another window (422 task_mismatch)', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const task = (await tasksOf(i1.token, 'city-market')).find((t) => t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.length === 2)!;
    const other = task.uscc === ENTERPRISE1_USCC ? ENTERPRISE2_USCC : ENTERPRISE1_USCC;
    const a = await refusal(await post('/api/check-code', i1.token, { ...bodyOf(task, staff), uscc: other }));
    expect([a.status, a.code]).toEqual([422, 'task_mismatch']);
    expect(a.message.en).toContain(task.uscc);
    const b = await refusal(await post('/api/check-code', i1.token, { ...bodyOf(task, staff), window: { from: task.window.from, to: '2026-12-31' } }));
    expect([b.status, b.code]).toEqual([422, 'task_mismatch']);
  });

  it("refuses a team that is not the task's, and an inspector who is not on it (422 not_on_team)", async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const task = (await tasksOf(i1.token, 'city-market')).find((t) => t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.length === 2)!;
    const outsider = staff.find((s) => !task.inspectorIds.includes(s.id))!;
    const body = bodyOf(task, staff);
    const a = await refusal(await post('/api/check-code', i1.token, { ...body, inspectors: [body.inspectors[0], asCode(outsider)] }));
    expect([a.status, a.code]).toEqual([422, 'not_on_team']);
    // a task of the agency that inspector1 is not on
    const notMine = (await tasksOf(i1.token, 'city-market')).find((t) => !t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.length > 0);
    if (notMine) {
      const b = await refusal(await post('/api/check-code', i1.token, bodyOf(notMine, staff)));
      expect([b.status, b.code]).toEqual([422, 'not_on_team']);
    }
    // a certificate number that is not the inspector's
    const c = await refusal(
      await post('/api/check-code', i1.token, { ...body, inspectors: [body.inspectors[0], { ...body.inspectors[1], cert: body.inspectors[0].cert }] }),
    );
    expect([c.status, c.code]).toEqual([422, 'certificate_mismatch']);
  });

  it('a triggered task started on the phone: its inspector and a colleague of the agency get a code', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', i1.token);
    const id = `city-market.t2026-trg-codes${Date.now().toString(36)}`;
    try {
      await waitSynced(p);
      createTask(p.doc, {
        id,
        agencyId: 'city-market',
        year: 2026,
        uscc: ENTERPRISE2_USCC,
        enterpriseName: '企业二',
        itemIds: ['city-market.SJ-02'],
        window: { from: '2026-11-25', to: '2026-11-25' },
        inspectorIds: ['insp-city-market-1'],
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: '12345-CODES' } },
        method: 'onsite',
        status: 'assigned',
        createdAt: '2026-11-25T02:00:00.000Z',
      });
      await waitFor(async () => (await tasksOf(i1.token, 'city-market')).some((t) => t.id === id), 10_000, 'triggered task stored');
    } finally {
      destroyAll(p);
    }
    const team = ['insp-city-market-1', 'insp-city-market-2'].map((x) => asCode(staff.find((s) => s.id === x)!));
    const body = { taskId: id, agencyId: 'city-market', uscc: ENTERPRISE2_USCC, window: { from: '2026-11-25', to: '2026-11-25' }, inspectors: team };
    expect((await post('/api/check-code', i1.token, body)).status).toBe(200);
    // but not a team without any of the task's inspectors
    const others = staff
      .filter((s) => s.id !== 'insp-city-market-1')
      .slice(0, 2)
      .map(asCode);
    const r = await refusal(await post('/api/check-code', i1.token, { ...body, inspectors: others }));
    expect([r.status, r.code]).toEqual([422, 'not_on_team']);
  });

  // last in this file: it revokes a certificate of the demo team
  it("refuses while a team member's certificate is not valid today (422 certificate_invalid)", async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await staffOf(i1.token, 'city-market');
    const task = (await tasksOf(i1.token, 'city-market')).find(
      (t) => t.inspectorIds.includes('insp-city-market-1') && t.inspectorIds.includes('insp-city-market-2'),
    )!;
    expect((await post('/api/check-code', i1.token, bodyOf(task, staff))).status).toBe(200);
    const cert2 = staff.find((s) => s.id === 'insp-city-market-2')!.certificateNumber;
    // revoked through the registry's API (the registry doc is written by the server only): refused at once
    const sup = await login(srv.url, 'supervisor1');
    expect((await post(`/api/certificates/${cert2}/revoke`, sup.token, { reason: '调离执法岗位' })).status).toBe(200);
    const r = await refusal(await post('/api/check-code', i1.token, bodyOf(task, staff)));
    expect([r.status, r.code]).toEqual([422, 'certificate_invalid']);
    expect(r.message.zh).toContain(cert2);
    expect(r.message.en).toContain('not valid');
  });

  it('registers a device public key and refuses a private one', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const dk = await generateDeviceKey();
    const r = await post('/api/devices', i1.token, { publicJwk: dk.publicJwk });
    expect(r.status).toBe(201);
    expect((await json(r, DeviceRegistered)).kid).toBe(dk.kid);
    const bad = await post('/api/devices', i1.token, { publicJwk: { ...dk.publicJwk, d: 'AAAA' } });
    expect(bad.status).toBe(400);
  });
});
