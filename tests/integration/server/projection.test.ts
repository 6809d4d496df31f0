/**
 * The projection on a real server with stock WebsocketProvider clients (DESIGN §6 step 6):
 *  - an inspector appends a third on-site entry by one agency at one enterprise in a year → a
 *    supervisor's open `supervision/2026` doc receives an over_cap warning live (and nothing for the
 *    first two);
 *  - a restart (and a new record after it) raises nothing again: no duplicate warning;
 *  - GET /api/warnings: supervisors see all, an agency only its own, others are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { appendRecord, createTask, readPlanItems, readWarnings, setHandling, updatePlanItemField, type WarningT } from '../../../src/model';
import type { DeviceKey } from '../../../src/domain/record-signing';
import type { EntryRecord, TeamMember } from '../../../src/domain/schemas';
import { apiJson } from '../../helpers/api';

let srv: SpawnedServer;
let inspector1: LoginResult;
let supervisor: LoginResult;
let agency1: LoginResult;
let agency2: LoginResult;
let key: DeviceKey;
let uscc: string;
let team: TeamMember[];

const get = (path: string, token?: string) => fetch(`${srv.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const relogin = async () => {
  [inspector1, supervisor, agency1, agency2] = await Promise.all(['inspector1', 'supervisor1', 'agency1', 'agency2'].map((u) => login(srv.url, u)));
};

/** an enterprise whose ledger is still empty (the seed fills a few) */
async function quietEnterprise(): Promise<string> {
  const r = (await apiJson(await get('/api/enterprises?limit=50&offset=1500', agency1.token))) as { items: { uscc: string; quietZone: boolean }[] };
  for (const e of r.items.filter((x) => !x.quietZone)) {
    const p = connectProvider(srv.wsUrl, `ledger/${e.uscc}`, supervisor.token);
    await waitSynced(p);
    const empty = p.doc.getMap('records').size === 0;
    destroyAll(p);
    if (empty) return e.uscc;
  }
  throw new Error('no enterprise with an empty ledger');
}

let n = 0;
/** the enterprise code the inspector scans (the server verifies it) */
let code: string;
/** a planned task of city-market at `uscc` per entry (the server accepts an entry only for a task of its agency) */
async function taskFor(at: string): Promise<string> {
  const id = `proj-task-${process.pid}-${n}`;
  const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', agency1.token);
  await waitSynced(p);
  createTask(p.doc, {
    id,
    agencyId: 'city-market',
    year: 2026,
    uscc,
    enterpriseName: 'x',
    itemIds: ['city-market.SJ-01'],
    window: { from: at.slice(0, 10), to: at.slice(0, 10) },
    inspectorIds: team.map((m) => m.inspectorId),
    kind: { type: 'planned', planned: 'routine' },
    method: 'onsite',
    status: 'assigned',
    createdAt: '2026-01-05T00:00:00Z',
  });
  await waitFor(
    async () => {
      const c = connectProvider(srv.wsUrl, 'tasks/city-market/2026', agency1.token);
      await waitSynced(c);
      const has = c.doc.getMap('tasks').has(id);
      destroyAll(c);
      return has;
    },
    10_000,
    'task stored',
  );
  destroyAll(p);
  return id;
}
async function entry(at: string): Promise<EntryRecord> {
  n++;
  return {
    id: `proj-entry-${process.pid}-${n}`,
    uscc,
    at,
    by: inspector1.userId,
    type: 'entry',
    agencyId: 'city-market',
    taskId: await taskFor(at),
    kind: { type: 'planned', planned: 'routine' },
    team,
    itemIds: ['city-market.SJ-01'],
    method: 'onsite',
    via: 'scan',
    code,
    exemptions: [],
    device: key.kid,
    conductAcknowledged: true,
  };
}

beforeAll(async () => {
  srv = await spawnServer();
  await relogin();
  key = await registeredDevice(srv.url, inspector1.token);
  uscc = await quietEnterprise();
  const staff = (await apiJson(await get('/api/inspectors?agencyId=city-market', agency1.token))) as {
    items: { id: string; name: string; certificateNumber: string }[];
  };
  team = ['insp-city-market-1', 'insp-city-market-2'].map((id) => {
    const s = staff.items.find((x) => x.id === id)!;
    return { inspectorId: s.id, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  code = ((await apiJson(await get(`/api/enterprises/${uscc}/code`, inspector1.token))) as { token: string }).token;
});
afterAll(async () => {
  await srv?.stop();
});

/** the warnings about these records (records of past months uploaded now are also reported as late uploads: not counted here) */
const mine = (doc: Y.Doc, ids: string[]) => readWarnings(doc).items.filter((w) => w.refId && ids.includes(w.refId) && w.kind !== 'late_upload');

describe("projection: ledger entries → supervisors' warnings", () => {
  const ids: string[] = [];

  it("a third entry by one agency at one enterprise in a year reaches the supervisor's doc as over_cap", async () => {
    const sup = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    const ins = connectProvider(srv.wsUrl, `ledger/${uscc}`, inspector1.token);
    await Promise.all([waitSynced(sup), waitSynced(ins)]);
    // three visits months apart (no duplicate), on the 23rd (not a quiet day), with a filed 2026 plan
    const recs = [await entry('2026-03-23T02:00:00Z'), await entry('2026-06-23T02:00:00Z'), await entry('2026-09-23T02:00:00Z')];
    ids.push(...recs.map((r) => r.id));
    for (const r of recs.slice(0, 2)) appendRecord(ins.doc, await sign(r, key));
    // a marker after the first two: once its ledger is projected, so are they
    appendRecord(ins.doc, await sign(recs[2], key));
    await waitFor(() => mine(sup.doc, ids).length > 0, 15_000, 'over_cap warning in supervision/2026');
    const ws = mine(sup.doc, ids);
    expect(ws.map((w) => [w.kind, w.refId])).toEqual([['over_cap', recs[2].id]]);
    expect(ws[0]).toMatchObject({ id: `over_cap.${recs[2].id}`, severity: 'block', agencyId: 'city-market', uscc, at: recs[2].at });
    expect(ws[0].message.zh).toContain('年度频次上限');
    destroyAll(sup, ins);
  });

  it('a restart and a new record raise nothing again (no duplicate warning)', async () => {
    const before = (await apiJson(await get('/api/warnings?year=2026', supervisor.token))) as { items: WarningT[] };
    await srv.restart();
    await relogin();
    key = await registeredDevice(srv.url, inspector1.token);
    const ins = connectProvider(srv.wsUrl, `ledger/${uscc}`, inspector1.token);
    const sup = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    await Promise.all([waitSynced(ins), waitSynced(sup)]);
    const warningsBefore = readWarnings(sup.doc).items.length;
    // the room is projected again on this record: nothing already projected is raised again
    const res = await sign(
      {
        id: `proj-result-${process.pid}`,
        uscc,
        at: '2026-11-25T01:00:00Z',
        by: inspector1.userId,
        type: 'result',
        entryId: ids[0],
        agencyId: 'city-market',
        checklist: [],
        findings: [],
        outcome: 'no_problem',
        notice: '未发现问题',
        checkedOutAt: '2026-11-25T01:00:00Z',
      },
      key,
    );
    appendRecord(ins.doc, res);
    // a fourth visit, later (within a day of the server's clock: not a late upload): the projection has certainly processed the room once it is raised
    const fourth = await entry('2026-11-25T01:30:00Z');
    ids.push(fourth.id);
    appendRecord(ins.doc, await sign(fourth, key));
    await waitFor(() => mine(sup.doc, [fourth.id]).length > 0, 15_000, 'over_cap for the fourth entry');
    expect(mine(sup.doc, ids).map((w) => w.kind)).toEqual(['over_cap', 'over_cap']);
    expect(readWarnings(sup.doc).items.length).toBe(warningsBefore + 1);
    // one 'warnings raised' since the restart: the fourth entry's, nothing replayed
    // the log line is written after the doc change is relayed: wait for it to come through the pipe
    await waitFor(() => srv.logs.some((l) => l.msg === 'warnings raised'), 10_000, 'log line');
    await new Promise((r) => setTimeout(r, 300)); // and for any (wrong) second one
    const raised = srv.logs.filter((l) => l.msg === 'warnings raised');
    expect(raised.map((l) => l.n)).toEqual([1]);
    const after = (await apiJson(await get('/api/warnings?year=2026', supervisor.token))) as { items: WarningT[] };
    expect(after.items.length).toBe(before.items.length + 1);
    expect(new Set(after.items.map((w) => w.id)).size).toBe(after.items.length);
    destroyAll(ins, sup);
  });

  it('GET /api/warnings: supervisors all, an agency only its own (with handling status, not notes), others 403', async () => {
    const target = `over_cap.${ids[2]}`;
    // a supervisor handles the warning in the live doc
    const sup = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    await waitSynced(sup);
    setHandling(sup.doc, { warningId: target, status: 'acknowledged', by: supervisor.userId, at: new Date().toISOString(), note: '已约谈该局' });
    await waitFor(
      async () => {
        const r = (await apiJson(await get('/api/warnings?year=2026', supervisor.token))) as { items: (WarningT & { handling?: { status: string } })[] };
        return r.items.find((w) => w.id === target)?.handling?.status === 'acknowledged';
      },
      10_000,
      'handling visible through the API',
    );
    destroyAll(sup);

    const all = (await apiJson(await get('/api/warnings?year=2026', supervisor.token))) as {
      year: number;
      items: (WarningT & { handling?: { note?: string } })[];
      counts: Record<string, number>;
    };
    expect(all.year).toBe(2026);
    const w = all.items.find((x) => x.id === target)!;
    expect(w.handling?.note).toBe('已约谈该局');
    expect(all.counts.over_cap).toBeGreaterThanOrEqual(2);

    const own = (await apiJson(await get('/api/warnings?year=2026', agency1.token))) as { items: (WarningT & { handling?: Record<string, unknown> })[] };
    expect(own.items.length).toBeGreaterThanOrEqual(2);
    expect(own.items.every((x) => x.agencyId === 'city-market')).toBe(true);
    const ownW = own.items.find((x) => x.id === target)!;
    expect(ownW.handling).toMatchObject({ status: 'acknowledged' });
    expect(ownW.handling?.note).toBeUndefined();

    const other = (await apiJson(await get('/api/warnings?year=2026', agency2.token))) as { items: WarningT[] };
    expect(other.items.some((x) => x.id === target)).toBe(false);
    expect(other.items.every((x) => x.agencyId === agency2.agencyId)).toBe(true);
    expect((await get('/api/warnings?year=2026&agencyId=city-market', agency2.token)).status).toBe(403);
    expect((await get('/api/warnings?year=2026', inspector1.token)).status).toBe(403);
    expect((await get('/api/warnings?year=2026')).status).toBe(401);
    expect((await get('/api/warnings?year=abc', supervisor.token)).status).toBe(400);

    const filtered = (await apiJson(await get('/api/warnings?year=2026&agencyId=city-emergency', supervisor.token))) as { items: WarningT[] };
    expect(filtered.items.every((x) => x.agencyId === 'city-emergency')).toBe(true);
  });

  it('an edit of a filed plan raises changed_since_filing for that plan once', async () => {
    const room = 'plan/city-market/2026';
    const sup = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    const ag = connectProvider(srv.wsUrl, room, agency1.token);
    await Promise.all([waitSynced(sup), waitSynced(ag)]);
    const planWarnings = () => readWarnings(sup.doc).items.filter((w) => w.refId === room);
    expect(planWarnings()).toEqual([]);
    const first = readPlanItems(ag.doc).items[0];
    updatePlanItemField(ag.doc, first.id, 'notes', `${first.notes} 调整：增加夜间检查`);
    await waitFor(() => planWarnings().length > 0, 15_000, 'changed_since_filing in supervision/2026');
    expect(planWarnings().map((w) => [w.kind, w.severity, w.agencyId])).toEqual([['changed_since_filing', 'info', 'city-market']]);
    // further edits of the same filing raise nothing new
    updatePlanItemField(ag.doc, first.id, 'notes', `${first.notes} 再次调整`);
    const marker = await entry('2026-05-23T02:00:00Z');
    const ins = connectProvider(srv.wsUrl, `ledger/${uscc}`, inspector1.token);
    await waitSynced(ins);
    appendRecord(ins.doc, await sign(marker, key));
    await waitFor(() => readWarnings(sup.doc).items.some((w) => w.refId === marker.id), 15_000, 'a later warning');
    expect(planWarnings()).toHaveLength(1);
    const own = (await apiJson(await get('/api/warnings?year=2026&kind=changed_since_filing', agency1.token))) as { items: WarningT[] };
    expect(own.items.map((w) => w.refId)).toContain(room);
    destroyAll(sup, ag, ins);
  });

  it('supervision rooms stay closed to agencies and inspectors (they use the API)', async () => {
    const p = connectProvider(srv.wsUrl, 'supervision/2026', agency1.token);
    expect((await p.closed).code).toBe(4403);
    destroyAll(p);
  });
});
