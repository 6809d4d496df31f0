/**
 * Who may write which ledger record, attacked over real sockets on a real server (server/sync/record-rules.ts,
 * server/quarantine.ts): every forged record below was stored by the server of 2026-12-01; here each is
 * quarantined with its reason, never reaches a reader, and the sender's session stays open. The honest
 * records around them are stored; a correction by the author and an enterprise's dispute are stored and
 * shown to supervisors; a record uploaded days late is stored and reported; every exemption used is a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  type LoginResult,
  type SpawnedServer,
  type TestProvider,
} from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { readLedger, readTasks } from '../../../src/model';
import type { DeviceKey } from '../../../src/domain/record-signing';
import { LedgerRecord as LedgerRecordSchema } from '../../../src/domain/schemas';
import type { EntryRecord, ResultRecord, SignedRecord, Task, TeamMember } from '../../../src/domain/schemas';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import { E2E_NOW } from '../../helpers/moments';
import type { z } from 'zod';
import { apiJson } from '../../helpers/api';

let srv: SpawnedServer;
let insp1: LoginResult;
let insp3: LoginResult;
let ent1: LoginResult;
let sup: LoginResult;
const keys = new Map<string, DeviceKey>();
let observer: TestProvider;
let team: TeamMember[];
let task: Task;
let code1: string;
let code2: string;
/** a result of city-market on enterprise1's ledger (seeded), and its entry */
let seededResult: ResultRecord;
let seededEntry: EntryRecord;

const ROOM = `ledger/${ENTERPRISE1_USCC}`;
const NOW_MS = Date.parse(E2E_NOW);
const at = (offsetMs = -60_000) => new Date(NOW_MS + offsetMs).toISOString();
let seq = 0;
const id = (p: string) => `${p}-${process.pid}-${++seq}`;

const get = (path: string, token: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function quarantine(): Promise<{ recordId: string; reason: string; userId: string }[]> {
  const r = await get(`/api/quarantine?uscc=${ENTERPRISE1_USCC}&limit=500`, sup.token);
  return ((await apiJson(r)) as { items: { recordId: string; reason: string; userId: string }[] }).items;
}
async function warnings(kind: string): Promise<{ kind: string; refId?: string; severity: string; agencyId?: string; message: { zh: string; en: string } }[]> {
  const r = await get(`/api/warnings?year=2026&kind=${kind}`, sup.token);
  return ((await apiJson(r)) as { items: { kind: string; refId?: string; severity: string; agencyId?: string; message: { zh: string; en: string } }[] }).items;
}

/** write one signed record from a fresh session of `l`; the session must stay open whatever the verdict */
async function write(l: LoginResult, rec: z.input<typeof LedgerRecordSchema>): Promise<{ signed: SignedRecord; session: TestProvider }> {
  const signed = await sign(rec, keys.get(l.userId)!);
  const session = connectProvider(srv.wsUrl, ROOM, l.token);
  await waitSynced(session);
  session.doc.getMap('records').set(signed.rec.id, signed);
  return { signed, session };
}
async function expectQuarantined(l: LoginResult, rec: Parameters<typeof write>[1], reason: string): Promise<void> {
  const { signed, session } = await write(l, rec);
  try {
    await waitFor(async () => (await quarantine()).some((q) => q.recordId === signed.rec.id), 10_000, `${signed.rec.id} quarantined`);
    expect((await quarantine()).find((q) => q.recordId === signed.rec.id)).toMatchObject({ reason, userId: l.userId });
    expect(observer.doc.getMap('records').has(signed.rec.id)).toBe(false);
    expect(session.closes).toEqual([]);
    expect(session.wsconnected).toBe(true);
  } finally {
    destroyAll(session);
  }
}
async function expectStored(l: LoginResult, rec: Parameters<typeof write>[1]): Promise<SignedRecord> {
  const { signed, session } = await write(l, rec);
  try {
    await waitFor(() => observer.doc.getMap('records').has(signed.rec.id), 10_000, `${signed.rec.id} stored and relayed`);
    expect(session.closes).toEqual([]);
  } finally {
    destroyAll(session);
  }
  return signed;
}

const entryBy = (l: LoginResult, over: Partial<EntryRecord> = {}): EntryRecord => ({
  id: id('entry'),
  uscc: ENTERPRISE1_USCC,
  at: at(),
  by: l.userId,
  type: 'entry',
  agencyId: 'city-market',
  taskId: task.id,
  kind: task.kind,
  team,
  itemIds: task.itemIds,
  method: 'onsite',
  via: 'scan',
  code: code1,
  exemptions: [],
  device: 'test',
  conductAcknowledged: true,
  ...over,
});
const resultBy = (l: LoginResult, entryId: string, over: Partial<ResultRecord> = {}): ResultRecord => ({
  id: id('result'),
  uscc: ENTERPRISE1_USCC,
  at: at(),
  by: l.userId,
  type: 'result',
  entryId,
  agencyId: 'city-market',
  checklist: [],
  findings: [],
  outcome: 'no_problem',
  notice: '未发现问题',
  checkedOutAt: at(),
  ...over,
});

beforeAll(async () => {
  srv = await spawnServer();
  [insp1, insp3, ent1, sup] = await Promise.all(['inspector1', 'inspector3', 'enterprise1', 'supervisor1'].map((u) => login(srv.url, u)));
  for (const l of [insp1, insp3, ent1]) keys.set(l.userId, await registeredDevice(srv.url, l.token));
  const staff = (await apiJson(await get('/api/inspectors?agencyId=city-market', insp1.token))) as {
    items: { id: string; name: string; certificateNumber: string }[];
  };
  team = ['insp-city-market-1', 'insp-city-market-2'].map((i) => {
    const s = staff.items.find((x) => x.id === i)!;
    return { inspectorId: i, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  const tp = connectProvider(srv.wsUrl, 'tasks/city-market/2026', insp1.token);
  await waitSynced(tp);
  task = readTasks(tp.doc).items.find((t) => t.uscc === ENTERPRISE1_USCC && t.kind.type === 'planned' && t.window.from === '2026-11-25')!;
  destroyAll(tp);
  expect(task).toBeTruthy();
  const codeOf = async (u: string) => ((await apiJson(await get(`/api/enterprises/${u}/code`, insp1.token))) as { token: string }).token;
  [code1, code2] = await Promise.all([codeOf(ENTERPRISE1_USCC), codeOf(ENTERPRISE2_USCC)]);
  observer = connectProvider(srv.wsUrl, ROOM, sup.token);
  await waitSynced(observer);
  const recs = readLedger(observer.doc, { uscc: ENTERPRISE1_USCC }).items.map((s) => s.rec);
  seededResult = recs.find((r): r is ResultRecord => r.type === 'result' && r.agencyId === 'city-market')!;
  seededEntry = recs.find((r): r is EntryRecord => r.type === 'entry' && r.id === seededResult.entryId)!;
  expect(seededResult && seededEntry).toBeTruthy();
});
afterAll(async () => {
  destroyAll(observer);
  await srv?.stop();
});

describe('records bound to their author (quarantined with the reason, session open)', () => {
  it("an enterprise cannot write an entry in an agency's name, nor a result", async () => {
    await expectQuarantined(
      ent1,
      entryBy(ent1, { agencyId: 'city-emergency', taskId: undefined, kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'X' } } }),
      'not_permitted',
    );
    await expectQuarantined(ent1, resultBy(ent1, seededEntry.id), 'not_permitted');
  });

  it('a county inspector cannot write an entry for a city agency', async () => {
    await expectQuarantined(insp3, entryBy(insp3), 'not_permitted');
  });

  it("an inspector cannot acknowledge or dispute in the enterprise's name", async () => {
    await expectQuarantined(insp1, { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(), by: insp1.userId, type: 'ack', refId: seededResult.id }, 'not_permitted');
  });

  it('an entry needs a task of its agency for this enterprise, or a triggered inspection its author is on', async () => {
    await expectQuarantined(insp1, entryBy(insp1, { taskId: 'city-market.no-such-task' }), 'unknown_task');
    await expectQuarantined(insp1, entryBy(insp1, { taskId: undefined }), 'unknown_task');
    const others = team.filter((m) => m.inspectorId !== insp1.inspectorId);
    await expectQuarantined(
      insp1,
      entryBy(insp1, { taskId: undefined, kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'T-9' } }, team: others }),
      'unknown_task',
    );
  });

  it('a scanned entry carries a code that verifies and names this enterprise', async () => {
    await expectQuarantined(insp1, entryBy(insp1, { code: undefined }), 'bad_code');
    await expectQuarantined(insp1, entryBy(insp1, { code: code2 }), 'bad_code');
    await expectQuarantined(insp1, entryBy(insp1, { code: `${code1.slice(0, -6)}AAAAAA` }), 'bad_code');
  });

  it('a record may not lie more than 5 minutes in the future', async () => {
    await expectQuarantined(insp1, entryBy(insp1, { at: at(24 * 3600_000) }), 'future_time');
    await expectQuarantined(
      ent1,
      { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(10 * 60_000), by: ent1.userId, type: 'ack', refId: seededResult.id },
      'future_time',
    );
  });

  it("the honest records are stored: a planned entry with its task and code, its result, the enterprise's acknowledgement", async () => {
    const e = await expectStored(insp1, entryBy(insp1, { at: at(2 * 60_000) }));
    await expectStored(insp1, resultBy(insp1, e.rec.id));
    await expectStored(ent1, { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(), by: ent1.userId, type: 'ack', refId: seededResult.id });
    // a triggered inspection started on the phone (its task may come later) by an inspector on its team
    await expectStored(
      insp1,
      entryBy(insp1, {
        taskId: undefined,
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'TS-1' } },
        via: 'late',
        code: undefined,
        lateReason: '现场无法扫码',
      }),
    );
  });

  it('a record uploaded more than 24 h after its time is stored and reported to supervisors as a late upload', async () => {
    const e = await expectStored(insp1, entryBy(insp1, { at: at(-3 * 24 * 3600_000) }));
    await waitFor(async () => (await warnings('late_upload')).some((w) => w.refId === e.rec.id), 10_000, 'late_upload warning');
    const w = (await warnings('late_upload')).find((x) => x.refId === e.rec.id)!;
    expect(w).toMatchObject({ severity: 'warn', agencyId: 'city-market' });
    expect(w.message.en).toContain(insp1.userId);
  });
});

describe('corrections and disputes', () => {
  it("an enterprise cannot correct (erase) an inspector's result, and a county inspector cannot correct a city entry", async () => {
    await expectQuarantined(
      ent1,
      { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(), by: ent1.userId, type: 'ack', refId: seededResult.id, corrects: seededResult.id },
      'bad_correction',
    );
    await expectQuarantined(
      insp3,
      entryBy(insp3, {
        agencyId: 'pd-market',
        taskId: undefined,
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'Z' } },
        team: [{ inspectorId: insp3.inspectorId!, name: '王', certificateNumber: 'X', certificateValid: true }],
        corrects: seededEntry.id,
      }),
      'bad_correction',
    );
    // another inspector of the same agency cannot correct a colleague's record either
    const insp2 = await login(srv.url, 'inspector2');
    keys.set(insp2.userId, await registeredDevice(srv.url, insp2.token));
    const byColleague = seededEntry.by === insp2.userId ? insp1 : insp2;
    await expectQuarantined(byColleague, entryBy(byColleague, { corrects: seededEntry.id }), 'bad_correction');
    // the corrected records stay in force
    expect(observer.doc.getMap('records').has(seededResult.id)).toBe(true);
  });

  it('the author corrects their own record; supervisors see the correction', async () => {
    const e = await expectStored(insp1, entryBy(insp1));
    const fix = await expectStored(insp1, entryBy(insp1, { corrects: e.rec.id, itemIds: task.itemIds.slice(0, 1) }));
    await waitFor(async () => (await warnings('correction')).some((w) => w.refId === fix.rec.id), 10_000, 'correction warning');
    const w = (await warnings('correction')).find((x) => x.refId === fix.rec.id)!;
    expect(w).toMatchObject({ severity: 'info', agencyId: 'city-market' });
    expect(w.message.en).toContain(e.rec.id);
  });

  it("the enterprise disputes an inspector's result with a record of its own; the result stays; supervisors and the agency see it", async () => {
    const d = await expectStored(ent1, {
      id: id('dispute'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: ent1.userId,
      type: 'dispute',
      refId: seededResult.id,
      text: '检查结论与现场情况不符，台账当场已出示',
    });
    expect(observer.doc.getMap('records').has(seededResult.id)).toBe(true);
    await waitFor(async () => (await warnings('dispute')).some((w) => w.refId === d.rec.id), 10_000, 'dispute warning');
    expect((await warnings('dispute')).find((w) => w.refId === d.rec.id)).toMatchObject({ severity: 'warn', agencyId: 'city-market' });
    const agency1 = await login(srv.url, 'agency1');
    const own = (await apiJson(await get('/api/warnings?year=2026&kind=dispute', agency1.token))) as { items: { kind: string }[] };
    expect(own.items.length).toBeGreaterThan(0);
    // a dispute must name an inspection record of this ledger
    await expectQuarantined(
      ent1,
      { id: id('dispute'), uscc: ENTERPRISE1_USCC, at: at(), by: ent1.userId, type: 'dispute', refId: 'no-such-record', text: '没有这条记录也要异议' },
      'unknown_ref',
    );
  });
});

describe('exemptions are never silent', () => {
  it('an entry declaring an exemption raises an exemption warning with its kind, reason and reference', async () => {
    const e = await expectStored(
      insp1,
      entryBy(insp1, {
        taskId: undefined,
        kind: { type: 'triggered', trigger: { kind: 'referral', ref: 'JB-2026-117' } },
        exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '燃气泄漏隐患需立即排查' }],
      }),
    );
    await waitFor(async () => (await warnings('exemption')).some((w) => w.refId === e.rec.id), 10_000, 'exemption warning');
    const w = (await warnings('exemption')).find((x) => x.refId === e.rec.id && x.message.zh.includes('燃气泄漏隐患需立即排查'))!;
    expect(w).toBeTruthy();
    expect(w.message.en).toMatch(/rule quiet.*hazard.*燃气泄漏隐患需立即排查.*JB-2026-117/);
  });
});
