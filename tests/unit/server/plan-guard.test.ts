/**
 * server/sync/plan-guard.ts on constructed updates: the filing keys of a plan's meta are the server's;
 * a commenter (city counterpart) may only add and change its own comments. Each case builds the update a
 * real client would send (the diff of its doc against the server's) and checks the verdict.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createPlanItem, resolveComment, setPlanMeta, updatePlanItemField } from '../../../src/model/plan';
import { checkPlanUpdate, type PlanGuardOptions } from '../../../server/sync/guards/plan';

const META = { agencyId: 'pd-market', year: 2027, title: '2027年度检查计划', status: 'draft' as const, capPerEnterprise: 2 };
const ITEM = { id: 'p1', itemId: 'pd-market.SJ-01', method: 'onsite' as const, targets: { industries: ['catering'] }, months: [3], cap: 1 };

/** a server doc holding a plan (as the seed or the server wrote it), and a client that has synced it */
function setup(serverMeta: Record<string, unknown> = {}): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  setPlanMeta(server, { ...META, ...serverMeta });
  createPlanItem(server, ITEM);
  addComment(server, { id: 'c-city', planItemId: 'p1', by: 'u-agency1', byAgencyId: 'city-market', at: '2026-11-20T10:00:00+08:00', text: '建议增加抽查比例' });
  addComment(server, { id: 'c-county', by: 'u-county1', byAgencyId: 'pd-market', at: '2026-11-21T10:00:00+08:00', text: '已收到' });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** what the client would send after `fn`: its diff against the server's state */
function verdict(server: Y.Doc, client: Y.Doc, fn: (d: Y.Doc) => void, opts?: PlanGuardOptions) {
  fn(client);
  const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
  return checkPlanUpdate(server, Y.decodeUpdate(update), opts);
}

describe('plan guard: server-only meta keys', () => {
  it('lets owners edit items, the title and comments', () => {
    let { server, client } = setup();
    expect(verdict(server, client, (d) => updatePlanItemField(d, 'p1', 'notes', '重点检查后厨'))).toEqual({ ok: true });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => setPlanMeta(d, { title: '新标题' }))).toEqual({ ok: true });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => resolveComment(d, 'c-city'))).toEqual({ ok: true });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => createPlanItem(d, { ...ITEM, id: 'p2' }))).toEqual({ ok: true });
  });

  it.each([
    ['status', { status: 'published' }],
    ['status', { status: 'filed' }],
    ['filedHash', { filedHash: 'f'.repeat(64) }],
    ['filingId', { filingId: 'f-1' }],
    ['returnReason', { returnReason: '不予备案' }],
  ] as const)('refuses a client setting meta.%s', (key, patch) => {
    const { server, client } = setup();
    const r = verdict(server, client, (d) => setPlanMeta(d, patch));
    expect(r).toMatchObject({ ok: false, reason: 'server_field' });
    expect((r as { detail: string }).detail).toContain(`meta.${key}`);
  });

  it('refuses overwriting or deleting server-written values', () => {
    let { server, client } = setup({ status: 'filed', filedHash: 'a'.repeat(64), filingId: 'f-1' });
    expect(verdict(server, client, (d) => setPlanMeta(d, { filedHash: 'b'.repeat(64) }))).toMatchObject({ ok: false, reason: 'server_field' });
    ({ server, client } = setup({ status: 'filed', filedHash: 'a'.repeat(64), filingId: 'f-1' }));
    expect(verdict(server, client, (d) => d.getMap('meta').delete('filedHash'))).toMatchObject({ ok: false, reason: 'server_field' });
    ({ server, client } = setup({ status: 'returned', returnReason: '缺少检查对象' }));
    expect(verdict(server, client, (d) => d.getMap('meta').delete('returnReason'))).toMatchObject({ ok: false, reason: 'server_field' });
    // a raw set bypassing the model is caught the same way
    ({ server, client } = setup({ status: 'filed' }));
    expect(verdict(server, client, (d) => d.getMap('meta').set('status', 'published'))).toMatchObject({ ok: false, reason: 'server_field' });
  });

  it('lets a client create a new plan as a draft, nothing else', () => {
    const server = new Y.Doc();
    const ok = new Y.Doc();
    setPlanMeta(ok, META);
    expect(checkPlanUpdate(server, Y.decodeUpdate(Y.encodeStateAsUpdate(ok)))).toEqual({ ok: true });
    const filed = new Y.Doc();
    setPlanMeta(filed, { ...META, status: 'filed' });
    expect(checkPlanUpdate(server, Y.decodeUpdate(Y.encodeStateAsUpdate(filed)))).toMatchObject({ ok: false, reason: 'server_field' });
    const withHash = new Y.Doc();
    setPlanMeta(withHash, { ...META, filedHash: 'x' });
    expect(checkPlanUpdate(server, Y.decodeUpdate(Y.encodeStateAsUpdate(withHash)))).toMatchObject({ ok: false, reason: 'server_field' });
  });

  it('follows origins inside the same update (draft, then overwritten to filed, merged into one update)', () => {
    const c = new Y.Doc();
    const ups: Uint8Array[] = [];
    c.on('update', (u: Uint8Array) => ups.push(u));
    setPlanMeta(c, META);
    setPlanMeta(c, { status: 'filed' });
    const merged = Y.mergeUpdates(ups);
    expect(checkPlanUpdate(new Y.Doc(), Y.decodeUpdate(merged))).toMatchObject({ ok: false, reason: 'server_field' });
    // and the first update alone is fine
    expect(checkPlanUpdate(new Y.Doc(), Y.decodeUpdate(ups[0]))).toEqual({ ok: true });
  });

  it('refuses an update whose origin the server does not know (it would integrate later, unchecked)', () => {
    const { server, client } = setup();
    setPlanMeta(client, { title: 'A' });
    const sv = Y.encodeStateVector(client);
    setPlanMeta(client, { title: 'B' });
    const onlySecond = Y.encodeStateAsUpdate(client, sv);
    expect(checkPlanUpdate(server, Y.decodeUpdate(onlySecond))).toMatchObject({ ok: false, reason: 'gap' });
  });

  it('resolves long chains of origins in one update (a plan filled offline, sent on reconnect)', () => {
    const { server, client } = setup();
    for (let i = 0; i < 3000; i++) client.getArray<string>('order').push([`x${i}`]); // each push: origin = the previous element
    for (let i = 0; i < 50; i++) createPlanItem(client, { ...ITEM, id: `n${i}` });
    for (let i = 0; i < 50; i++) updatePlanItemField(client, `n${i}`, 'notes', `第${i}项`); // nested maps made in the same update
    const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(checkPlanUpdate(server, Y.decodeUpdate(update))).toEqual({ ok: true });
    // a chain that cannot merge: two offline clients taking turns, each element's origin the other's
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
    for (let i = 0; i < 800; i++) {
      const d = i % 2 ? client : other;
      const before = Y.encodeStateVector(d === client ? other : client);
      d.getArray<string>('order').push([`t${i}`]);
      Y.applyUpdate(d === client ? other : client, Y.encodeStateAsUpdate(d, before));
    }
    const both = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    const decoded = Y.decodeUpdate(both);
    expect(decoded.structs.length).toBeGreaterThan(800);
    expect(checkPlanUpdate(server, decoded)).toEqual({ ok: true });
    // the same long update with one forbidden write at its end is still caught
    setPlanMeta(client, { status: 'published' });
    expect(checkPlanUpdate(server, Y.decodeUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))))).toMatchObject({
      ok: false,
      reason: 'server_field',
    });
  });

  it('ignores what the server already has (a resent update)', () => {
    const { server } = setup({ status: 'filed', filedHash: 'a'.repeat(64) });
    expect(checkPlanUpdate(server, Y.decodeUpdate(Y.encodeStateAsUpdate(server)))).toEqual({ ok: true });
  });
});

describe('plan guard: a commenter (city counterpart) writes comments only', () => {
  const commenter = { agencyId: 'city-market' };
  const comment = (id: string, byAgencyId = 'city-market') => ({
    id,
    planItemId: 'p1',
    by: 'u-agency1',
    byAgencyId,
    at: '2026-11-25T09:00:00+08:00',
    text: '意见',
  });

  it('adds, edits and removes its own comments', () => {
    let { server, client } = setup();
    expect(verdict(server, client, (d) => addComment(d, comment('c-new')), { commenter })).toEqual({ ok: true });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => d.getMap('comments').set('c-city', { ...comment('c-city'), text: '改为：建议提高比例' }), { commenter })).toEqual({
      ok: true,
    });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => d.getMap('comments').delete('c-city'), { commenter })).toEqual({ ok: true });
  });

  it('refuses anything else', () => {
    let { server, client } = setup();
    expect(verdict(server, client, (d) => updatePlanItemField(d, 'p1', 'notes', 'x'), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => setPlanMeta(d, { title: 'x' }), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => addComment(d, comment('c-x', 'pd-market')), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => resolveComment(d, 'c-county'), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => d.getMap('comments').delete('c-county'), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
    ({ server, client } = setup());
    expect(verdict(server, client, (d) => d.getMap('probe').set('x', 1), { commenter })).toMatchObject({ ok: false, reason: 'comment_only' });
  });
});
