/**
 * Filing (备案, measure 6) against a real server: seed filings imported with matching hashes; who may
 * submit, decide and publish; the server validates the live doc (422 with bilingual problems); the
 * snapshot is immutable (later edits, SQL triggers); the "changed since filing" flag (live hash ≠ filed
 * hash); status written into the doc live for every client; a client that sets a server-only meta key is
 * closed with 4403 and nothing is stored; a county plan's city counterpart writes comments only; the
 * public API (no sign-in) and the supervisors' list of unfiled plans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import * as Y from 'yjs';
import { contentHash, jointHash, planHash } from '../../../src/domain/canonical';
import { FilingFull, FilingList, FilingProblems, FilingSubmitted, FilingSummary, PublicPlans, UnfiledList } from '../../../src/domain/filing';
import { addComment, createPlanItem, readJoint, readPlan, readPlanMeta, removePlanItem, updatePlanItemField, updatePlanItemTarget } from '../../../src/model';
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
import { parsed, responseSchema } from '../../helpers/api';

let srv: SpawnedServer;
const who = {} as Record<'agency1' | 'agency2' | 'county1' | 'supervisor1' | 'enterprise1' | 'inspector1', LoginResult>;
const open: TestProvider[] = [];

beforeAll(async () => {
  srv = await spawnServer();
  for (const u of Object.keys({ agency1: 1, agency2: 1, county1: 1, supervisor1: 1, enterprise1: 1, inspector1: 1 }) as (keyof typeof who)[])
    who[u] = await login(srv.url, u);
}, 90_000);
afterAll(async () => {
  destroyAll(...open);
  await srv?.stop();
});

async function call(method: string, p: string, token?: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${srv.url}${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json: unknown = null;
  try {
    json = await r.json();
  } catch {
    /* empty */
  }
  // every answer is checked against its route's protocol schema (src/protocol/api.ts)
  if (json !== null) parsed(json, responseSchema(method, p, r.status));
  return { status: r.status, json };
}

async function provider(room: string, token: string): Promise<TestProvider> {
  const p = connectProvider(srv.wsUrl, room, token);
  open.push(p);
  await waitSynced(p);
  return p;
}

/** wait until the doc's meta matches */
const metaOf = (d: Y.Doc) => d.getMap('meta').toJSON() as Record<string, unknown>;
const liveHash = (d: Y.Doc) => {
  const v = readPlan(d);
  return planHash(v.meta!, v.items);
};

describe('seed filings', () => {
  it('are imported as filed snapshots whose hashes match the plans and their content', async () => {
    const r = await call('GET', '/api/filings?year=2026', who.supervisor1.token);
    expect(r.status).toBe(200);
    const list = FilingList.parse(r.json).items;
    // twelve agencies, one of them still late (city-culture: the demo's unfiled-plan warning)
    expect(list.length).toBeGreaterThanOrEqual(11);
    expect(list.every((f) => f.status === 'filed' && f.year === 2026)).toBe(true);
    expect(list.map((f) => f.agencyId)).not.toContain('city-culture');
    const id = `filing-${who.agency1.agencyId}-2026`;
    const f = FilingFull.parse((await call('GET', `/api/filings/${id}`, who.agency1.token)).json);
    expect(await contentHash(f.content)).toBe(f.hash);
    expect(Object.keys(f.labels).length).toBe(f.content.items.length);
    const p = await provider(`plan/${who.agency1.agencyId}/2026`, who.agency1.token);
    expect(metaOf(p.doc).filedHash).toBe(f.hash);
    expect(await liveHash(p.doc)).toBe(f.hash);
  });
});

describe('submitting, deciding, re-filing and publishing a plan', () => {
  const room = () => `plan/${who.agency2.agencyId}/2027`;
  let filingId = '';

  it("only the plan's own agency submits; wrong rooms and bodies are refused", async () => {
    expect((await call('POST', '/api/filings', null, { room: room() })).status).toBe(401);
    for (const u of ['agency1', 'county1', 'supervisor1', 'enterprise1', 'inspector1'] as const) {
      expect((await call('POST', '/api/filings', who[u].token, { room: room() })).status, u).toBe(403);
    }
    expect((await call('POST', '/api/filings', who.agency2.token, { room: `agency/${who.agency2.agencyId}` })).status).toBe(400);
    expect((await call('POST', '/api/filings', who.agency2.token, { room: 'nope' })).status).toBe(400);
  });

  it('validates the live plan: unlisted items and items without targets block, with zh and en messages', async () => {
    const p = await provider(room(), who.agency2.token);
    createPlanItem(p.doc, { id: 'x-bogus', itemId: 'city-emergency.NOPE-99', method: 'onsite', targets: { industries: ['mining'] }, months: [5], cap: 1 });
    createPlanItem(p.doc, { id: 'x-empty', itemId: readPlan(p.doc).items[0].itemId, method: 'onsite', targets: {}, months: [5], cap: 1 });
    await waitFor(async () => (await fetchItemCount()) === readPlan(p.doc).items.length, 10_000, 'edits stored');
    const r = await call('POST', '/api/filings', who.agency2.token, { room: room() });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('plan_invalid');
    const problems = FilingProblems.parse(r.json.error.details).problems;
    const codes = problems.filter((x) => x.severity === 'error').map((x) => `${x.code}@${x.itemId}`);
    expect(codes).toEqual(expect.arrayContaining(['filing.not_in_catalogue@x-bogus', 'filing.no_targets@x-empty']));
    for (const x of problems) {
      expect(x.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.message.en).toMatch(/[a-z]/);
    }
    // nothing was stored, nothing written into the doc
    expect(FilingList.parse((await call('GET', `/api/filings?room=${encodeURIComponent(room())}`, who.agency2.token)).json).items).toEqual([]);
    expect(metaOf(p.doc).status).toBe('draft');
    removePlanItem(p.doc, 'x-bogus');
    removePlanItem(p.doc, 'x-empty');
  });

  /** the plan as the server holds it (read through a fresh supervisor session) */
  async function serverPlan() {
    const q = connectProvider(srv.wsUrl, room(), who.supervisor1.token);
    try {
      await waitSynced(q);
      return readPlan(q.doc);
    } finally {
      destroyAll(q);
    }
  }
  const fetchItemCount = async () => (await serverPlan()).items.length;
  const serverNotes = async (id: string) => (await serverPlan()).items.find((i) => i.id === id)?.notes;

  it('stores a snapshot and every client sees "submitted" live', async () => {
    const editor = await provider(room(), who.agency2.token);
    const watcher = await provider(room(), who.supervisor1.token);
    await waitFor(async () => (await fetchItemCount()) === readPlan(editor.doc).items.length, 10_000, 'edits stored');
    const r = await call('POST', '/api/filings', who.agency2.token, { room: room() });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const out = FilingSubmitted.parse(r.json);
    filingId = out.filing.id;
    expect(out.filing).toMatchObject({
      room: room(),
      agencyId: who.agency2.agencyId,
      year: 2027,
      status: 'submitted',
      officeId: 'city-justice',
      submittedBy: who.agency2.userId,
      latest: true,
    });
    expect(out.filing.hash).toBe(await liveHash(editor.doc));
    await waitFor(() => metaOf(watcher.doc).status === 'submitted' && metaOf(watcher.doc).filingId === filingId, 10_000, 'status live');
    // submitting the same content again is pointless
    expect((await call('POST', '/api/filings', who.agency2.token, { room: room() })).json.error.code).toBe('already_submitted');
  });

  it('the snapshot stays as filed after later edits; the live hash then differs (re-file flag)', async () => {
    const editor = await provider(room(), who.agency2.token);
    const before = FilingFull.parse((await call('GET', `/api/filings/${filingId}`, who.agency2.token)).json);
    const first = readPlan(editor.doc).items[0];
    updatePlanItemField(editor.doc, first.id, 'notes', '备案后修改：增加夜间检查');
    updatePlanItemField(editor.doc, first.id, 'cap', first.cap === 1 ? 2 : 1);
    await waitFor(async () => (await serverNotes(first.id)) === '备案后修改：增加夜间检查', 10_000, 'edit stored');
    const after = FilingFull.parse((await call('GET', `/api/filings/${filingId}`, who.agency2.token)).json);
    expect(after).toEqual(before);
    expect(await contentHash(after.content)).toBe(before.hash);
    expect(await liveHash(editor.doc)).not.toBe(before.hash);
    const snapItem = (after.content.items as { id: string; notes: string }[]).find((i) => i.id === first.id)!;
    expect(snapItem.notes).toBe(first.notes);
  });

  it('the database itself refuses to change or delete a snapshot', () => {
    const db = new Database(path.join(srv.dataDir, 'platform.sqlite'));
    try {
      expect(() => db.prepare('UPDATE filings SET content = ? WHERE id = ?').run('{}', filingId)).toThrow(/immutable/);
      expect(() => db.prepare('UPDATE filings SET hash = hash WHERE id = ?').run(filingId)).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM filings WHERE id = ?').run(filingId)).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });

  it('decisions: supervisors only, a return needs a reason, and the agency reads it live', async () => {
    const agencyView = await provider(room(), who.agency2.token);
    for (const u of ['agency2', 'agency1', 'county1', 'enterprise1'] as const) {
      expect((await call('POST', `/api/filings/${filingId}/decision`, who[u].token, { decision: 'accept' })).status, u).toBe(403);
    }
    const noReason = await call('POST', `/api/filings/${filingId}/decision`, who.supervisor1.token, { decision: 'return', reason: '' });
    expect(noReason.status).toBe(400);
    const reason = '检查对象过宽，请按风险等级细化';
    const r = await call('POST', `/api/filings/${filingId}/decision`, who.supervisor1.token, { decision: 'return', reason });
    expect(r.status).toBe(200);
    expect(FilingSummary.parse(r.json)).toMatchObject({ status: 'returned', reason, decidedBy: who.supervisor1.userId });
    await waitFor(() => metaOf(agencyView.doc).status === 'returned' && metaOf(agencyView.doc).returnReason === reason, 10_000, 'return reason live');
    // decided once
    expect((await call('POST', `/api/filings/${filingId}/decision`, who.supervisor1.token, { decision: 'accept' })).status).toBe(409);
  });

  it('re-filing makes a new snapshot; accepting it records the filed hash in the doc', async () => {
    const editor = await provider(room(), who.agency2.token);
    const r = await call('POST', '/api/filings', who.agency2.token, { room: room() });
    expect(r.status).toBe(201);
    const second = FilingSubmitted.parse(r.json).filing;
    expect(second.id).not.toBe(filingId);
    const old = FilingSummary.parse(
      (await call('GET', `/api/filings?room=${encodeURIComponent(room())}`, who.agency2.token)).json.items.find((f: { id: string }) => f.id === filingId),
    );
    expect(old).toMatchObject({ status: 'returned', latest: false });
    await waitFor(() => metaOf(editor.doc).status === 'submitted' && metaOf(editor.doc).returnReason === undefined, 10_000, 'resubmitted live');
    const a = await call('POST', `/api/filings/${second.id}/decision`, who.supervisor1.token, { decision: 'accept' });
    expect(a.status).toBe(200);
    await waitFor(() => metaOf(editor.doc).status === 'filed' && metaOf(editor.doc).filedHash === second.hash, 10_000, 'filed live');
    expect(await liveHash(editor.doc)).toBe(second.hash);
    // the agency sees only its own filings; the supervisor sees all of the year
    const mine = FilingList.parse((await call('GET', '/api/filings?year=2027', who.agency2.token)).json).items;
    expect(mine.every((f) => f.agencyId === who.agency2.agencyId)).toBe(true);
    expect((await call('GET', `/api/filings/${second.id}`, who.county1.token)).status).toBe(404);
    expect((await call('GET', '/api/filings', who.enterprise1.token)).status).toBe(403);
  });

  it('publishing: owner only, only while unchanged since filing; then public without sign-in', async () => {
    const editor = await provider(room(), who.agency2.token);
    expect((await call('POST', '/api/plans/publish', who.agency1.token, { room: room() })).status).toBe(403);
    // enterprises cannot open the unpublished plan
    const before = connectProvider(srv.wsUrl, room(), who.enterprise1.token);
    open.push(before);
    expect((await before.closed).code).toBe(4403);
    const first = readPlan(editor.doc).items[0];
    const kept = first.notes;
    updatePlanItemField(editor.doc, first.id, 'notes', `${kept}（临时修改）`);
    await waitFor(async () => (await serverNotes(first.id)) === `${kept}（临时修改）`, 10_000, 'edit stored');
    const refused = await call('POST', '/api/plans/publish', who.agency2.token, { room: room() });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('changed_since_filing');
    updatePlanItemField(editor.doc, first.id, 'notes', kept);
    await waitFor(async () => (await serverNotes(first.id)) === kept, 10_000, 'edit reverted');
    const pub = await call('POST', '/api/plans/publish', who.agency2.token, { room: room() });
    expect(pub.status).toBe(200);
    expect(pub.json).toMatchObject({ room: room(), status: 'published' });
    await waitFor(() => metaOf(editor.doc).status === 'published', 10_000, 'published live');
    const after = await provider(room(), who.enterprise1.token);
    expect(readPlanMeta(after.doc).meta?.status).toBe('published');

    const r = await call('GET', '/api/public/plans?year=2027', null);
    expect(r.status).toBe(200);
    const plans = PublicPlans.parse(r.json);
    const mine = plans.items.find((x) => x.room === room())!;
    expect(mine).toBeTruthy();
    expect(mine.agencyName).toBe('阳泉市应急管理局');
    expect(mine.agencyNameEn).toMatch(/Emergency/);
    expect(await contentHash(mine.content)).toBe(mine.hash);
    expect(mine.hash).toBe(metaOf(editor.doc).filedHash);
    // search over agency and item names
    expect(PublicPlans.parse((await call('GET', `/api/public/plans?year=2027&q=${encodeURIComponent('应急')}`, null)).json).items.map((x) => x.room)).toContain(
      room(),
    );
    const anItem = Object.values(mine.labels)[0];
    expect(
      PublicPlans.parse((await call('GET', `/api/public/plans?year=2027&q=${encodeURIComponent(anItem.name)}`, null)).json).items.map((x) => x.room),
    ).toContain(room());
    expect(PublicPlans.parse((await call('GET', '/api/public/plans?year=2027&q=zz-nothing-zz', null)).json).items).toEqual([]);
    // the seed's 2026 plans are public too
    expect(PublicPlans.parse((await call('GET', '/api/public/plans?year=2026', null)).json).items.length).toBeGreaterThanOrEqual(11);
  });
});

describe('server authority over the plan doc', () => {
  it.each(['status', 'filedHash', 'filingId', 'returnReason'])('a client setting meta.%s is closed with 4403 and nothing is stored', async (key) => {
    const room = `plan/${who.agency1.agencyId}/2027`;
    const p = connectProvider(srv.wsUrl, room, who.agency1.token);
    open.push(p);
    await waitSynced(p);
    const was = metaOf(p.doc)[key];
    p.doc.getMap('meta').set(key, key === 'status' ? 'published' : 'forged');
    expect((await p.closed).code).toBe(4403);
    const fresh = await provider(room, who.supervisor1.token);
    expect(metaOf(fresh.doc)[key]).toBe(was);
  });

  it('the city counterpart comments on a county plan (the county sees it live) but cannot edit it', async () => {
    const room = `plan/${who.county1.agencyId}/2027`;
    const county = await provider(room, who.county1.token);
    const city = await provider(room, who.agency1.token);
    const item = readPlan(city.doc).items[0];
    addComment(city.doc, {
      id: 'it-opinion-1',
      planItemId: item.id,
      by: who.agency1.userId,
      byAgencyId: who.agency1.agencyId!,
      at: new Date().toISOString(),
      text: '建议与市局同步开展',
    });
    await waitFor(() => readPlan(county.doc).comments.some((c) => c.id === 'it-opinion-1' && c.planItemId === item.id), 10_000, 'comment live');
    expect(city.closes).toEqual([]);
    updatePlanItemTarget(city.doc, item.id, 'riskLevels', ['major']);
    expect((await city.closed).code).toBe(4403);
    const fresh = await provider(room, who.supervisor1.token);
    expect(readPlan(fresh.doc).items[0].targets.riskLevels).toEqual(item.targets.riskLevels);
  });
});

describe('joint plans and supervision', () => {
  it('the lead files the joint plan; a non-member cannot', async () => {
    const jr = await call('GET', '/api/filings', who.agency1.token);
    expect(jr.status).toBe(200);
    const room = 'joint/joint-2027-catering';
    expect((await call('POST', '/api/filings', who.agency2.token, { room })).status).toBe(403);
    const p = await provider(room, who.agency1.token);
    const r = await call('POST', '/api/filings', who.agency1.token, { room });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const f = FilingSubmitted.parse(r.json).filing;
    expect(f).toMatchObject({ kind: 'joint', agencyId: who.agency1.agencyId, officeId: 'city-justice' });
    const v = readJoint(p.doc);
    expect(
      await jointHash(
        v.meta!,
        v.members.map((m) => m.agencyId),
        v.items,
      ),
    ).toBe(f.hash);
    await waitFor(() => metaOf(p.doc).status === 'submitted', 10_000, 'joint status live');
  });

  it('lists the agencies with no accepted plan for a year, with the due date', async () => {
    expect((await call('GET', '/api/supervision/unfiled?year=2027', who.agency1.token)).status).toBe(403);
    const r = await call('GET', '/api/supervision/unfiled?year=2027', who.supervisor1.token);
    expect(r.status).toBe(200);
    const u = UnfiledList.parse(r.json);
    expect(u.due).toBe('2027-01-31');
    const ids = u.items.map((x) => x.agencyId);
    expect(ids).toContain(who.agency1.agencyId);
    expect(ids).toContain(who.county1.agencyId);
    expect(ids).not.toContain(who.agency2.agencyId); // filed above
    expect(ids).not.toContain('city-justice');
    const u26 = UnfiledList.parse((await call('GET', '/api/supervision/unfiled?year=2026', who.supervisor1.token)).json);
    // the server's clock is 2026-11-25: past the due date, and one agency has still not filed
    expect(u26.items.map((x) => [x.agencyId, x.latestStatus])).toEqual([['city-culture', 'none']]);
    expect(u26.overdue).toBe(true);
  });
});
