/**
 * Rectification follow-ups and second signatures on a real server, with signed records over real sockets:
 *  - an inspection whose result orders rectification makes the follow-up task in tasks/<agency>/<year> (read
 *    through a real provider) and a follow-up row; the enterprise's report moves it to `reported`; agency1's
 *    review accepts it and the task becomes `done`;
 *  - a follow-up past its deadline (relative to the fixed clock) is `overdue` and warned once, seen by agency1
 *    and supervisor1 (GET /api/warnings), not by agency2;
 *  - GET /api/followups for every role;
 *  - a cosign that does not match its entry (sent before the entry) warns at once; after a restart two days
 *    later, the entry nobody cosigned is warned (single_signature), the cosigned one and the seeded ones not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice } from '../../helpers/devices';
import { demoPairTeam, enterprise1TaskOn, ledgerWriter, resultOf, scannedEntry } from '../../helpers/ledger-fixtures';
import { readTask, readTasks } from '../../../src/model';
import { recordHash } from '../../../src/domain/evidence';
import type { DeviceKey } from '../../../src/domain/record-signing';
import type { EntryRecord, ResultRecord, Task, TeamMember } from '../../../src/domain/schemas';
import type { FollowUpPage, FollowUpRow } from '../../../src/protocol/evidence';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { E2E_NOW } from '../../helpers/moments';
import { apiJson } from '../../helpers/api';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-followups-'));
const env: Record<string, string> = { CLOCK_NOW: E2E_NOW };
let srv: SpawnedServer;
let insp1: LoginResult;
let insp2: LoginResult;
let insp3: LoginResult;
let ent1: LoginResult;
let agency1: LoginResult;
let agency2: LoginResult;
let sup: LoginResult;
const keys = new Map<string, DeviceKey>();
let team: TeamMember[];
let task: Task;
let code1: string;

const ROOM = `ledger/${ENTERPRISE1_USCC}`;
const NOW_MS = Date.parse(E2E_NOW);
/** records after the server first started (the follow-up and signature checks watch those): within the 5-minute slack */
const at = (offsetMs = 120_000) => new Date(NOW_MS + offsetMs).toISOString();
let seq = 0;
const id = (p: string) => `${p}-${process.pid}-${++seq}`;

const get = (p: string, token?: string) => fetch(`${srv.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const followUps = async (l: LoginResult, query = ''): Promise<FollowUpPage> => {
  const r = await get(`/api/followups${query}`, l.token);
  expect(r.status).toBe(200);
  return (await r.json()) as FollowUpPage;
};
const rowOf = async (resultId: string): Promise<FollowUpRow | undefined> =>
  (await followUps(sup, '?status=all&limit=500')).items.find((f) => f.resultId === resultId);
const warnings = async (
  l: LoginResult,
  kind: string,
): Promise<{ id: string; kind: string; refId?: string; agencyId?: string; message: { zh: string; en: string } }[]> => {
  const r = await get(`/api/warnings?year=2026&kind=${kind}`, l.token);
  expect(r.status).toBe(200);
  return ((await r.json()) as { items: { id: string; kind: string; refId?: string; agencyId?: string; message: { zh: string; en: string } }[] }).items;
};

const writer = ledgerWriter({
  get wsUrl() {
    return srv.wsUrl;
  },
  get httpUrl() {
    return srv.url;
  },
  room: ROOM,
  supervisor: () => sup,
  keyOf: (u) => keys.get(u)!,
});
const store = writer.stored;
const entryBy = (l: LoginResult, over: Partial<EntryRecord> = {}): EntryRecord =>
  scannedEntry({ id: id('entry'), by: l.userId, at: at(), task, team, code: code1 }, over);
const rectifyResult = (entryId: string, rectifyBy: string): ResultRecord =>
  resultOf(
    { id: id('result'), by: insp1.userId, at: at(), entry: { id: entryId, uscc: ENTERPRISE1_USCC, agencyId: 'city-market' } },
    {
      checklist: [{ itemId: task.itemIds[0], ok: false, note: '' }],
      findings: [{ itemId: task.itemIds[0], description: '台账不全', suggestion: 'none' }],
      outcome: 'rectify',
      rectifyBy,
      notice: `请于${rectifyBy}前完成整改`,
    },
  );
/** the enterprise's report on a result */
const reportOn = (resultId: string, text: string) => ({
  id: id('report'),
  uscc: ENTERPRISE1_USCC,
  at: at(),
  by: ent1.userId,
  type: 'rectification' as const,
  resultId,
  text,
  evidence: [],
});

async function taskIn(room: string, pred: (t: Task) => boolean): Promise<Task | undefined> {
  const p = connectProvider(srv.wsUrl, room, insp1.token);
  try {
    await waitSynced(p);
    return readTasks(p.doc).items.find(pred);
  } finally {
    destroyAll(p);
  }
}

async function signIn(): Promise<void> {
  [insp1, insp2, insp3, ent1, agency1, agency2, sup] = await Promise.all(
    ['inspector1', 'inspector2', 'inspector3', 'enterprise1', 'agency1', 'agency2', 'supervisor1'].map((u) => login(srv.url, u)),
  );
}

beforeAll(async () => {
  srv = await spawnServer({ dataDir, env });
  await signIn();
  for (const l of [insp1, insp2, ent1, agency1]) keys.set(l.userId, await registeredDevice(srv.url, l.token));
  team = await demoPairTeam(srv.url, insp1.token);
  task = await enterprise1TaskOn(srv.wsUrl, insp1.token, '2026-11-25');
  code1 = ((await apiJson(await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`, insp1.token))) as { token: string }).token;
}, 90_000);
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a follow-up from order to acceptance', () => {
  let result: ResultRecord;
  let entry: EntryRecord;

  it('a result ordering rectification makes the follow-up task at its deadline, once', async () => {
    entry = (await store(insp1, entryBy(insp1))).rec as EntryRecord;
    result = (await store(insp1, rectifyResult(entry.id, '2026-12-10'))).rec as ResultRecord;
    let fu: Task | undefined;
    await waitFor(
      async () => !!(fu = await taskIn('tasks/city-market/2026', (t) => t.followUpOf === result.id)),
      10_000,
      'the follow-up task in the tasks room',
    );
    expect(fu).toMatchObject({
      agencyId: 'city-market',
      year: 2026,
      uscc: ENTERPRISE1_USCC,
      enterpriseName: task.enterpriseName,
      itemIds: entry.itemIds,
      window: { from: '2026-12-10', to: '2026-12-10' },
      inspectorIds: team.map((m) => m.inspectorId),
      kind: { type: 'planned', planned: 'other' },
      method: 'written',
      status: 'assigned',
      followUpOf: result.id,
      followUpEntryId: entry.id,
    });
    expect(fu!.id.startsWith('fu.')).toBe(true);
    expect(await rowOf(result.id)).toMatchObject({ entryId: entry.id, status: 'open', taskId: fu!.id, rectifyBy: '2026-12-10', reportId: null });
    // the agency's own list shows it as pending
    expect((await followUps(agency1)).items.map((f) => f.resultId)).toContain(result.id);
    // a later record on the ledger makes no second task
    await store(ent1, { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(), by: ent1.userId, type: 'ack', refId: result.id });
    const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', insp1.token);
    await waitSynced(p);
    expect(readTasks(p.doc).items.filter((t) => t.followUpOf === result.id)).toHaveLength(1);
    destroyAll(p);
  });

  it("the enterprise's report moves it to reported; agency1's acceptance to accepted, and the task is done", async () => {
    const report = await store(ent1, reportOn(result.id, '台账已补全，附照片'));
    await waitFor(async () => (await rowOf(result.id))?.status === 'reported', 10_000, 'reported');
    expect(await rowOf(result.id)).toMatchObject({ reportId: report.rec.id, reportedAt: report.rec.at, decidedAt: null });
    await store(agency1, {
      id: id('review'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: agency1.userId,
      type: 'review',
      reportId: report.rec.id,
      resultId: result.id,
      agencyId: 'city-market',
      accepted: true,
      note: '',
    });
    await waitFor(async () => (await rowOf(result.id))?.status === 'accepted', 10_000, 'accepted');
    const row = (await rowOf(result.id))!;
    await waitFor(async () => (await taskIn('tasks/city-market/2026', (t) => t.id === row.taskId))?.status === 'done', 10_000, 'the follow-up task done');
    // pending lists leave it out; `accepted` finds it
    expect((await followUps(agency1)).items.map((f) => f.resultId)).not.toContain(result.id);
    expect((await followUps(agency1, '?status=accepted')).items.map((f) => f.resultId)).toContain(result.id);
  });
});

describe('overdue follow-ups', () => {
  it('past its deadline and not accepted: overdue, warned once to agency1 and supervisors, not agency2', async () => {
    const entry = await store(insp1, entryBy(insp1));
    const result = (await store(insp1, rectifyResult(entry.rec.id, '2026-11-20'))).rec as ResultRecord;
    await waitFor(async () => (await rowOf(result.id))?.status === 'overdue', 10_000, 'overdue');
    await waitFor(async () => (await warnings(sup, 'rectification_overdue')).some((w) => w.refId === result.id), 10_000, 'warned');
    const w = (await warnings(sup, 'rectification_overdue')).find((x) => x.refId === result.id)!;
    expect(w).toMatchObject({ agencyId: 'city-market' });
    expect(w.message.zh).toContain('晋味轩');
    expect(w.message.en).toContain('2026-11-20');
    expect((await warnings(agency1, 'rectification_overdue')).map((x) => x.refId)).toContain(result.id);
    expect((await warnings(agency2, 'rectification_overdue')).map((x) => x.refId)).not.toContain(result.id);
    // a report does not lift it (the agency has not accepted), and nothing warns twice
    await store(ent1, reportOn(result.id, '已整改完毕'));
    await waitFor(async () => !!(await rowOf(result.id))?.reportId, 10_000, 'reported');
    expect((await rowOf(result.id))?.status).toBe('overdue');
    expect((await followUps(agency1, '?status=overdue')).items.map((f) => f.resultId)).toContain(result.id);
    expect((await warnings(sup, 'rectification_overdue')).filter((x) => x.refId === result.id)).toHaveLength(1);
    // the seeded city (results before this server first ran, deadlines passed) warns nothing
    expect((await warnings(sup, 'rectification_overdue')).every((x) => x.id.includes(String(process.pid)))).toBe(true);
  });
});

describe('GET /api/followups rights', () => {
  it('agency staff their own agency, supervisors any, enterprises and the public never', async () => {
    const mine = await followUps(insp1);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((f) => f.agencyId === 'city-market')).toBe(true);
    expect((await followUps(agency1, '?agencyId=city-market&status=all')).total).toBeGreaterThanOrEqual(2);
    expect((await get('/api/followups?agencyId=city-market', agency2.token)).status).toBe(403);
    expect((await get('/api/followups?agencyId=city-market', insp3.token)).status).toBe(403);
    expect((await followUps(insp3, '?status=all')).items.every((f) => f.agencyId === insp3.agencyId)).toBe(true);
    expect((await followUps(agency2, '?status=all')).items.every((f) => f.agencyId === agency2.agencyId)).toBe(true);
    expect((await get('/api/followups', ent1.token)).status).toBe(403);
    expect((await get('/api/followups')).status).toBe(401);
    expect((await followUps(sup, '?agencyId=city-market&status=all')).items.every((f) => f.agencyId === 'city-market')).toBe(true);
    expect((await followUps(sup, `?agencyId=${agency2.agencyId}&status=all`)).items.every((f) => f.agencyId === agency2.agencyId)).toBe(true);
    expect((await get('/api/followups?status=nope', sup.token)).status).toBe(400);
    const page = await followUps(sup, '?status=all&limit=1');
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });
});

describe('second signatures', () => {
  let alone: EntryRecord;
  let cosigned: EntryRecord;

  it('a cosign sent before its entry that does not match it warns when the entry arrives', async () => {
    const later = entryBy(insp1);
    await store(insp2, {
      id: id('cosign'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: insp2.userId,
      type: 'cosign',
      entryId: later.id,
      agencyId: 'city-market',
      entryHash: 'b'.repeat(64),
      via: 'screen',
    });
    expect((await warnings(sup, 'single_signature')).some((w) => w.refId === later.id)).toBe(false);
    await store(insp1, later);
    await waitFor(async () => (await warnings(sup, 'single_signature')).some((w) => w.refId === later.id), 10_000, 'mismatch warned');
    const w = (await warnings(sup, 'single_signature')).find((x) => x.refId === later.id)!;
    expect(w.message.en).toContain('does not match');
    expect(w.message.zh).toContain(team[0].name);
    expect((await warnings(agency1, 'single_signature')).some((x) => x.refId === later.id)).toBe(true);
  });

  it('an entry nobody cosigned is warned a day later; a cosigned one and the seeded ones are not', async () => {
    alone = (await store(insp1, entryBy(insp1))).rec as EntryRecord;
    cosigned = (await store(insp1, entryBy(insp1))).rec as EntryRecord;
    await store(insp2, {
      id: id('cosign'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: insp2.userId,
      type: 'cosign',
      entryId: cosigned.id,
      agencyId: 'city-market',
      entryHash: await recordHash(cosigned),
      via: 'screen',
    });
    expect((await warnings(sup, 'single_signature')).some((w) => w.refId === alone.id)).toBe(false);
    // two days later (the server's check runs at start, then hourly)
    env.CLOCK_NOW = new Date(NOW_MS + 2 * 24 * 3600_000).toISOString();
    await srv.restart();
    await signIn();
    await waitFor(async () => (await warnings(sup, 'single_signature')).some((w) => w.refId === alone.id), 15_000, 'single signature warned');
    const ws = await warnings(sup, 'single_signature');
    const w = ws.find((x) => x.refId === alone.id)!;
    expect(w).toMatchObject({ agencyId: 'city-market', kind: 'single_signature' });
    expect(w.message.zh).toContain('晋味轩');
    expect(w.message.zh).toContain(team[0].name);
    expect(ws.some((x) => x.refId === cosigned.id)).toBe(false);
    // only this test's entries: seeded entries (before the server first ran) are never warned
    expect(ws.every((x) => x.refId?.includes(String(process.pid)))).toBe(true);
    expect((await warnings(agency1, 'single_signature')).some((x) => x.refId === alone.id)).toBe(true);
    expect((await warnings(agency2, 'single_signature')).some((x) => x.refId === alone.id)).toBe(false);
    // the follow-up task row survived the restart, and nothing was made twice
    const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', insp1.token);
    await waitSynced(p);
    const fus = readTasks(p.doc).items.filter((t) => t.followUpOf);
    expect(new Set(fus.map((t) => t.followUpOf)).size).toBe(fus.length);
    expect(readTask(p.doc, fus[0].id)).toBeTruthy();
    destroyAll(p);
  });
});
