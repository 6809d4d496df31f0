/**
 * Plans and tasks refer to catalogue versions, so a catalogue edit never changes a filed plan: filing
 * checks the plan against the agency's latest published version (an item only in the draft: "publish your
 * catalogue first"), records that version and takes its labels from it; a later edit and publish leave
 * the filing and the tasks made from it as they were; a new filing uses the new version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilingFull, FilingProblems, FilingSubmitted } from '../../../src/domain/filing';
import { CatalogueVersion, CataloguePublished } from '../../../src/protocol/catalogue';
import { generatePlanTasks } from '../../../src/domain/task-plan';
import {
  addTasks,
  createPlanItem,
  putItem,
  readAgency,
  readPlan,
  readTasks,
  removePlanItem,
  updatePlanItemField,
  updatePlanItemTarget,
} from '../../../src/model';
import type { InspectionItem } from '../../../src/domain/schemas';
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
import { errorOf, json } from '../../helpers/api';

let srv: SpawnedServer;
let agency1: LoginResult, supervisor1: LoginResult;
const open: TestProvider[] = [];
const A = 'city-market';
const PLAN = `plan/${A}/2027`;

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, supervisor1] = await Promise.all([login(srv.url, 'agency1'), login(srv.url, 'supervisor1')]);
}, 90_000);
afterAll(async () => {
  destroyAll(...open);
  await srv?.stop();
});

const req = (method: string, p: string, u: LoginResult, body?: unknown) =>
  fetch(`${srv.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${u.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function provider(room: string, u: LoginResult = agency1): Promise<TestProvider> {
  const p = connectProvider(srv.wsUrl, room, u.token);
  open.push(p);
  await waitSynced(p);
  return p;
}
/** `read` over the room as the server holds it (a fresh session) */
async function onServer<T>(room: string, read: (p: TestProvider) => T, u: LoginResult = supervisor1): Promise<T> {
  const q = connectProvider(srv.wsUrl, room, u.token);
  try {
    await waitSynced(q);
    return read(q);
  } finally {
    destroyAll(q);
  }
}

let item: InspectionItem;
let filingId = '';

describe('filing against the published catalogue', () => {
  it("the demo's filings were checked against version 1", async () => {
    const f = await json(await req('GET', `/api/filings/filing-${A}-2026`, agency1), FilingFull);
    expect(f.catalogueVersions).toEqual({ [A]: 1 });
  });

  it('an item only in the draft is refused: publish your catalogue first (422, bilingual)', async () => {
    const cat = await provider(`agency/${A}`);
    const plan = await provider(PLAN);
    const first = readPlan(plan.doc).items[0];
    item = readAgency(cat.doc).items.find((i) => i.id === first.itemId)!;
    putItem(cat.doc, { ...item, id: `${A}.DRAFT-1`, code: 'DRAFT-1', name: '仅在草稿中的事项' });
    createPlanItem(plan.doc, { id: 'x-draft', itemId: `${A}.DRAFT-1`, method: 'onsite', targets: { industries: ['catering'] }, months: [5], cap: 1 });
    await waitFor(
      async () =>
        (await onServer(PLAN, (q) => readPlan(q.doc).items.some((i) => i.id === 'x-draft'))) &&
        (await onServer(`agency/${A}`, (q) => readAgency(q.doc).items.some((i) => i.id === `${A}.DRAFT-1`))),
      10_000,
      'draft stored',
    );
    const r = await req('POST', '/api/filings', agency1, { room: PLAN });
    expect(r.status).toBe(422);
    const e = await errorOf(r);
    const p = FilingProblems.parse(e.details).problems.find((x) => x.itemId === 'x-draft')!;
    expect(p.code).toBe('filing.catalogue_unpublished');
    expect(p.message.zh).toMatch(/请先发布检查事项清单/);
    expect(p.message.en).toMatch(/publish your catalogue first/);
    removePlanItem(plan.doc, 'x-draft');
    // the seed's draft for next year leaves one item without targets: give it a sampling ratio
    for (const i of readPlan(plan.doc).items)
      if (!i.targets.industries.length && !i.targets.divisions.length && !i.targets.riskLevels.length && i.targets.samplingRatio === undefined)
        updatePlanItemTarget(plan.doc, i.id, 'samplingRatio', 0.1);
    await waitFor(
      async () =>
        (await onServer(PLAN, (q) => readPlan(q.doc).items)).every(
          (i) =>
            i.id !== 'x-draft' &&
            (i.targets.industries.length || i.targets.divisions.length || i.targets.riskLevels.length || i.targets.samplingRatio !== undefined),
        ),
      10_000,
      'plan ready',
    );
  });

  it('the filing records version 1 and takes its labels from it', async () => {
    const r = await req('POST', '/api/filings', agency1, { room: PLAN });
    expect(r.status, await r.clone().text()).toBe(201);
    filingId = (await json(r, FilingSubmitted)).filing.id;
    const f = await json(await req('GET', `/api/filings/${filingId}`, agency1), FilingFull);
    expect(f.catalogueVersions).toEqual({ [A]: 1 });
    expect(f.labels[item.id]).toEqual({ code: item.code, name: item.name, nameEn: item.nameEn });
  });

  it('an edit and a new version later: the filing and the tasks made from it still show the old name', async () => {
    const cat = await provider(`agency/${A}`);
    putItem(cat.doc, { ...item, name: '改名后的事项', nameEn: 'Renamed item' });
    await waitFor(
      async () => (await onServer(`agency/${A}`, (q) => readAgency(q.doc).items.find((i) => i.id === item.id)?.name)) === '改名后的事项',
      10_000,
      'rename stored',
    );
    const pub = await req('POST', '/api/catalogue/publish', agency1, {});
    expect(pub.status).toBe(201);
    expect((await json(pub, CataloguePublished)).version.version).toBe(2);
    const f = await json(await req('GET', `/api/filings/${filingId}`, agency1), FilingFull);
    expect(f.catalogueVersions).toEqual({ [A]: 1 });
    expect(f.labels[item.id].name).toBe(item.name);
    expect((await req('POST', `/api/filings/${filingId}/decision`, supervisor1, { decision: 'accept' })).status).toBe(200);

    // tasks made from the filed plan (as the agency's task screen makes them) carry the filing's version
    const plan = await provider(PLAN);
    const planItem = readPlan(plan.doc).items.find((i) => i.itemId === item.id)!;
    const tasksRoom = await provider(`tasks/${A}/2027`);
    const [task] = generatePlanTasks({
      agencyId: A,
      year: 2027,
      planItem,
      enterprises: [{ uscc: '91140300MA0L000019', name: '测试企业' }],
      window: { from: '2027-05-01', to: '2027-05-31' },
      inspectorIds: [],
      createdAt: '2026-11-25T02:00:00.000Z',
      catalogueVersion: f.catalogueVersions?.[A],
    });
    addTasks(tasksRoom.doc, [task]);
    const stored = await (async () => {
      let t: ReturnType<typeof readTasks>['items'][number] | undefined;
      await waitFor(
        async () => {
          t = await onServer(`tasks/${A}/2027`, (q) => readTasks(q.doc).items.find((x) => x.id === task.id), agency1);
          return !!t;
        },
        10_000,
        'task stored',
      );
      return t!;
    })();
    expect(stored.catalogueVersion).toBe(1);
    const v = await json(await req('GET', `/api/catalogue/${A}/versions/${stored.catalogueVersion}`, agency1), CatalogueVersion);
    expect(v.content.items.find((i) => i.id === stored.itemIds[0])?.name).toBe(item.name);
  });

  it('a new filing uses the new version and its names', async () => {
    const plan = await provider(PLAN);
    const first = readPlan(plan.doc).items[0];
    updatePlanItemField(plan.doc, first.id, 'notes', '重新备案');
    await waitFor(async () => (await onServer(PLAN, (q) => readPlan(q.doc).items.find((i) => i.id === first.id)?.notes)) === '重新备案', 10_000, 'edit stored');
    const r = await req('POST', '/api/filings', agency1, { room: PLAN });
    expect(r.status, await r.clone().text()).toBe(201);
    const id = (await json(r, FilingSubmitted)).filing.id;
    const f = await json(await req('GET', `/api/filings/${id}`, agency1), FilingFull);
    expect(f.catalogueVersions).toEqual({ [A]: 2 });
    expect(f.labels[item.id].name).toBe('改名后的事项');
    // the first filing is as it was
    expect((await json(await req('GET', `/api/filings/${filingId}`, agency1), FilingFull)).labels[item.id].name).toBe(item.name);
  });
});
