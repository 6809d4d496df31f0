import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ZodError } from 'zod';
import {
  addComment,
  createPlanItem,
  moveItem,
  planRoots,
  readPlan,
  readPlanContent,
  removePlanItem,
  resolveComment,
  setPlanMeta,
  updatePlanItemField,
  updatePlanItemTarget,
} from '../../../src/model';
import { pair, sync } from './helpers';

const item = (id: string) => ({
  id,
  itemId: 'cat-1',
  method: 'onsite' as const,
  targets: { industries: ['catering'], divisions: ['140302'], riskLevels: [] },
  months: [3, 4],
  cap: 2,
});
const meta = { agencyId: 'city-market', year: 2027, title: '2027年度检查计划', status: 'draft' as const, capPerEnterprise: 2 };

describe('model/plan', () => {
  it('creates, reads in order, moves and removes items', () => {
    const doc = new Y.Doc();
    setPlanMeta(doc, meta);
    createPlanItem(doc, item('a'));
    createPlanItem(doc, item('b'));
    createPlanItem(doc, item('c'));
    expect(readPlan(doc).items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    moveItem(doc, 'c', 0);
    expect(readPlan(doc).items.map((i) => i.id)).toEqual(['c', 'a', 'b']);
    moveItem(doc, 'c', 2);
    expect(readPlan(doc).items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    moveItem(doc, 'a', 1);
    expect(readPlan(doc).items.map((i) => i.id)).toEqual(['b', 'a', 'c']);
    removePlanItem(doc, 'a');
    const v = readPlan(doc);
    expect(v.items.map((i) => i.id)).toEqual(['b', 'c']);
    expect(v.meta).toEqual(meta);
    expect(v.invalid).toEqual([]);
    expect(v.items[0]).toEqual({ ...item('b'), jointPartners: [], notes: '' });
    expect(readPlanContent(doc)?.items).toHaveLength(2);
  });

  it('concurrent edits of different fields of one item both survive', () => {
    const [a, b] = pair();
    setPlanMeta(a, meta);
    createPlanItem(a, item('x'));
    sync(a, b);
    updatePlanItemField(a, 'x', 'months', [5, 6]);
    updatePlanItemField(b, 'x', 'cap', 3);
    updatePlanItemTarget(a, 'x', 'industries', ['retail']);
    updatePlanItemTarget(b, 'x', 'divisions', ['140303']);
    sync(a, b);
    for (const d of [a, b]) {
      const [x] = readPlan(d).items;
      expect(x.months).toEqual([5, 6]);
      expect(x.cap).toBe(3);
      expect(x.targets.industries).toEqual(['retail']);
      expect(x.targets.divisions).toEqual(['140303']);
    }
    expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(a));
    expect(readPlan(a)).toEqual(readPlan(b));
  });

  it('concurrent creates in two docs both appear, once each', () => {
    const [a, b] = pair();
    createPlanItem(a, item('p'));
    createPlanItem(b, item('q'));
    sync(a, b);
    expect(
      readPlan(a)
        .items.map((i) => i.id)
        .sort(),
    ).toEqual(['p', 'q']);
    expect(readPlan(a).items.map((i) => i.id)).toEqual(readPlan(b).items.map((i) => i.id));
    // concurrent moves of the same item never duplicate it
    moveItem(a, 'p', 1);
    moveItem(b, 'p', 0);
    sync(a, b);
    expect(readPlan(a).items).toHaveLength(2);
    expect(readPlan(a).items.map((i) => i.id)).toEqual(readPlan(b).items.map((i) => i.id));
  });

  it('validates writes with ZodError naming the field', () => {
    const doc = new Y.Doc();
    createPlanItem(doc, item('x'));
    expect(() => updatePlanItemField(doc, 'x', 'months', [])).toThrow(ZodError);
    try {
      updatePlanItemField(doc, 'x', 'cap', 0);
    } catch (e) {
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues[0].path).toEqual(['cap']);
    }
    expect(() => updatePlanItemTarget(doc, 'x', 'samplingRatio', 2)).toThrow(ZodError);
    expect(() => createPlanItem(doc, { ...item('y'), method: 'telepathy' as never })).toThrow(ZodError);
    expect(() => createPlanItem(doc, item('x'))).toThrow(/already exists/);
    expect(() => updatePlanItemField(doc, 'nope', 'cap', 2)).toThrow(/does not exist/);
    expect(() => setPlanMeta(doc, { agencyId: 'a' })).toThrow(ZodError);
    expect(readPlan(doc).items[0].cap).toBe(2);
  });

  it('skips and reports an invalid item instead of throwing', () => {
    const doc = new Y.Doc();
    createPlanItem(doc, item('good'));
    createPlanItem(doc, item('bad'));
    (planRoots(doc).items.get('bad') as Y.Map<unknown>).set('cap', 99);
    planRoots(doc).meta.set('year', 'soon');
    const v = readPlan(doc);
    expect(v.items.map((i) => i.id)).toEqual(['good']);
    expect(v.invalid.map((i) => i.key).sort()).toEqual(['bad', 'meta']);
    expect(v.invalid.find((i) => i.key === 'bad')?.error).toMatch(/cap/);
    expect(v.meta).toBeNull();
  });

  it('comments: add and resolve; origin is passed to the transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0) origins.push(tr.origin);
    });
    const me = { who: 'me' };
    addComment(doc, { id: 'c1', by: 'u1', byAgencyId: 'city-market', at: '2026-11-25T09:00:00+08:00', text: '建议增加频次' }, me);
    resolveComment(doc, 'c1', true, me);
    expect(readPlan(doc).comments).toEqual([
      { id: 'c1', by: 'u1', byAgencyId: 'city-market', at: '2026-11-25T09:00:00+08:00', text: '建议增加频次', resolved: true },
    ]);
    expect(origins).toEqual([me, me]);
  });

  it('undo of one user leaves the other user edits', () => {
    const [a, b] = pair();
    createPlanItem(a, item('x'));
    sync(a, b);
    const origin = { user: 'a' };
    const um = new Y.UndoManager(Object.values(planRoots(a)), { trackedOrigins: new Set([origin]) });
    updatePlanItemField(a, 'x', 'notes', 'hello', origin);
    updatePlanItemField(b, 'x', 'cap', 4);
    sync(a, b);
    um.undo();
    sync(a, b);
    expect(readPlan(b).items[0].notes).toBe('');
    expect(readPlan(b).items[0].cap).toBe(4);
  });
});
