/**
 * The ledger between an inspector and an enterprise over the real server: an entry written by
 * an inspector client with the app's own code (checkin-logic appendEntry, device-signed) reaches the
 * enterprise's client and verifies there; the enterprise's signed acknowledgement reaches the inspector;
 * another enterprise cannot read that ledger. And the enterprise's HTTP side: what a check code stands
 * for (POST /api/check-code/details) and its industry's handbook (GET /api/handbooks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { verifySignedRecord, type DeviceKey } from '../../../src/domain/record-signing';
import { readLedger, readTasks } from '../../../src/model';
import { appendEntry } from '../../../src/pages/inspector/checkin-logic';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import type { Task } from '../../../src/domain/schemas';
import { E2E_NOW } from '../../helpers/moments';
import { json, errorOf } from '../../helpers/api';
import { CheckCode, EnterpriseCode } from '../../../src/protocol/codes';
import { CheckCodeDetails, Handbooks } from '../../../src/protocol/ledger';
import { InspectorList } from '../../../src/protocol/directory';

let srv: SpawnedServer;
let insp: LoginResult;
let ent1: LoginResult;
let ent2: LoginResult;
let sup: LoginResult;
let inspKey: DeviceKey;
let entKey: DeviceKey;
let task: Task;
const room = `ledger/${ENTERPRISE1_USCC}`;
/** inspector1 and inspector2 as the directory names them */
let team: { inspectorId: string; name: string; certificateNumber: string; certificateValid: boolean }[];

beforeAll(async () => {
  srv = await spawnServer();
  [insp, ent1, ent2, sup] = await Promise.all(['inspector1', 'enterprise1', 'enterprise2', 'supervisor1'].map((u) => login(srv.url, u)));
  [inspKey, entKey] = await Promise.all([registeredDevice(srv.url, insp.token), registeredDevice(srv.url, ent1.token)]);
  const staff = (await json(
    await fetch(`${srv.url}/api/inspectors?agencyId=city-market`, { headers: { authorization: `Bearer ${insp.token}` } }),
    InspectorList,
  )) as { items: { id: string; name: string; certificateNumber: string }[] };
  team = ['insp-city-market-1', 'insp-city-market-2'].map((id) => {
    const s = staff.items.find((x) => x.id === id)!;
    return { inspectorId: id, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  const tp = connectProvider(srv.wsUrl, 'tasks/city-market/2026', insp.token);
  try {
    await waitSynced(tp);
    task = readTasks(tp.doc).items.find((t) => t.uscc === ENTERPRISE1_USCC && t.kind.type === 'planned' && t.window.from === '2026-11-25')!;
  } finally {
    destroyAll(tp);
  }
  expect(task).toBeTruthy();
});
afterAll(async () => {
  await srv?.stop();
});

const post = (path: string, token: string, body: unknown) =>
  fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('inspector → enterprise, live', () => {
  it('an entry written by the inspector client reaches the enterprise client, signed; the acknowledgement goes back', async () => {
    const enterprise = connectProvider(srv.wsUrl, room, ent1.token);
    const inspector = connectProvider(srv.wsUrl, room, insp.token);
    try {
      await Promise.all([waitSynced(enterprise), waitSynced(inspector)]);
      // the enterprise code the inspector scans (the server checks that it verifies and names this enterprise)
      const code = await json(
        await fetch(`${srv.url}/api/enterprises/${ENTERPRISE1_USCC}/code`, { headers: { authorization: `Bearer ${insp.token}` } }),
        EnterpriseCode,
      );
      const entry = await appendEntry(inspector.doc, {
        task,
        by: insp.userId,
        team,
        exemptions: [],
        token: code.token,
        key: inspKey,
        device: 'test',
        at: new Date(E2E_NOW),
      });
      await waitFor(() => readLedger(enterprise.doc, { uscc: ENTERPRISE1_USCC }).items.some((s) => s.rec.id === entry.id), 10_000, 'entry at the enterprise');
      const got = readLedger(enterprise.doc, { uscc: ENTERPRISE1_USCC }).items.find((s) => s.rec.id === entry.id)!;
      expect(got.rec).toMatchObject({ type: 'entry', via: 'scan', taskId: task.id, team });
      expect(await verifySignedRecord(got, inspKey.publicJwk)).toBe(true);

      const ack = await sign(
        { id: `ack-${Date.now()}`, uscc: ENTERPRISE1_USCC, at: new Date(E2E_NOW).toISOString(), by: ent1.userId, type: 'ack', refId: entry.id },
        entKey,
      );
      enterprise.doc.getMap('records').set(ack.rec.id, ack);
      await waitFor(() => inspector.doc.getMap('records').has(ack.rec.id), 10_000, 'ack at the inspector');
      expect(enterprise.closes).toEqual([]);
      expect(inspector.closes).toEqual([]);
    } finally {
      destroyAll(enterprise, inspector);
    }
  });

  it('another enterprise cannot read that ledger (4403, nothing delivered)', async () => {
    const intruder = connectProvider(srv.wsUrl, room, ent2.token);
    try {
      expect((await intruder.closed).code).toBe(4403);
      expect(intruder.doc.getMap('records').size).toBe(0);
    } finally {
      destroyAll(intruder);
    }
  });
});

describe("the enterprise's HTTP side", () => {
  it("POST /api/check-code/details: agency, certificates, items and plan filing for the code's enterprise only", async () => {
    const inspectors = team.map((m) => ({ id: m.inspectorId, name: m.name, cert: m.certificateNumber }));
    const cc = await post('/api/check-code', insp.token, { taskId: task.id, agencyId: task.agencyId, uscc: task.uscc, window: task.window, inspectors });
    expect(cc.status).toBe(200);
    const issued = await json(cc, CheckCode);
    const code = issued.url;
    // the code names the team by certificate only, so it stays a version a phone reads at arm's length
    expect(issued.qrVersion).toBeLessThanOrEqual(14);
    expect(Buffer.from(issued.token.split('.')[1], 'base64url').toString()).not.toContain(team[0].name);

    const r = await post('/api/check-code/details', ent1.token, { code });
    expect(r.status).toBe(200);
    const d = await json(r, CheckCodeDetails);
    expect(d).toMatchObject({
      taskId: task.id,
      uscc: ENTERPRISE1_USCC,
      window: task.window,
      agency: { id: 'city-market' },
      task: { found: true, kind: task.kind, items: task.itemIds.map((id) => ({ id })) },
      plan: { year: 2026, filed: true, changedSinceFiling: false },
    });
    expect(d.agency.name).toContain('市场监督管理局');
    expect(d.inspectors.map((i) => i.state)).toEqual(['valid', 'valid']);
    // the server names the holders from the registry
    expect(d.inspectors.map((i) => [i.id, i.name])).toEqual(inspectors.map((i) => [i.id, i.name]));
    expect(d.task.items[0].name).not.toBe(task.itemIds[0]);

    // supervisors may look too; another enterprise may not; a forged or an enterprise code is refused
    expect((await post('/api/check-code/details', sup.token, { code })).status).toBe(200);
    const other = await post('/api/check-code/details', ent2.token, { code });
    expect(other.status).toBe(403);
    expect((await errorOf(other)).code).toBe('other_enterprise');
    const forged = code.slice(0, -4) + (code.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await post('/api/check-code/details', ent1.token, { code: forged })).status).toBe(400);
    const ent = await fetch(`${srv.url}/api/enterprises/${ENTERPRISE1_USCC}/code`, { headers: { authorization: `Bearer ${ent1.token}` } });
    const entCode = (await json(ent, EnterpriseCode)).qrText;
    const notChk = await post('/api/check-code/details', ent1.token, { code: entCode });
    expect(notChk.status).toBe(400);
    expect((await errorOf(notChk)).code).toBe('not_check_code');
    expect(
      (await fetch(`${srv.url}/api/check-code/details`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) }))
        .status,
    ).toBe(401);
  });

  it('no check code for a task the platform does not have (422 unknown_task, so no code can name one)', async () => {
    const cc = await post('/api/check-code', insp.token, {
      taskId: 'city-market.no-such-task',
      agencyId: 'city-market',
      uscc: ENTERPRISE2_USCC,
      window: { from: '2026-11-25', to: '2026-11-25' },
      inspectors: [{ id: 'insp-city-market-1', name: '阎晨刚', cert: 'SX-140300-0001' }],
    });
    expect(cc.status).toBe(422);
    expect((await errorOf(cc)).code).toBe('unknown_task');
  });

  it('GET /api/handbooks: the chapters of an industry (public), none for an unknown one', async () => {
    const r = await fetch(`${srv.url}/api/handbooks?industry=catering`);
    expect(r.status).toBe(200);
    const h = await json(r, Handbooks);
    expect(h.chapters.length).toBeGreaterThan(0);
    expect(h.chapters[0]).toMatchObject({ agencyId: 'city-market', chapter: { industry: 'catering' } });
    expect(h.chapters[0].chapter.title).toContain('餐饮');
    expect((await json(await fetch(`${srv.url}/api/handbooks?industry=nothing`), Handbooks)).chapters).toEqual([]);
    expect((await fetch(`${srv.url}/api/handbooks`)).status).toBe(400);
  });
});
