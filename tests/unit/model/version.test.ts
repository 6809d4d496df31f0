/**
 * Schema versions and migrate-on-read (src/model/version.ts): documents written by today's code (the bytes
 * below were made on 2026-12-02 with setPlanMeta, createPlanItem, addComment, setJointMeta, putJointMember,
 * createJointItem and setJointTeam, and are pinned here so that later code is held against them) still open
 * with today's readers, and still open after a field is added, through a migration step.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import { PlanItem } from '../../../src/domain/schemas';
import { DOC_VERSION, docVersion, planRoots, readJoint, readPlan, readRecordMap, upgrader, VERSION_KEY, type Migrations } from '../../../src/model';

/** plan/city-market/2027 as today's code writes it: meta, two items (one with notes), a comment; no `v` */
const PLAN_2026_12 =
  'ASDpBwAoAQRtZXRhCGFnZW5jeUlkAXcLY2l0eS1tYXJrZXQoAQRtZXRhBHllYXIBfasfKAEEbWV0YQV0aXRsZQF3FjIwMjflubTl' +
  'uqbmo4Dmn6XorqHliJIoAQRtZXRhBnN0YXR1cwF3BWRyYWZ0KAEEbWV0YRBjYXBQZXJFbnRlcnByaXNlAX0CJwEFaXRlbXMTY2l0' +
  'eS1tYXJrZXQucDIwMjctYQEoAOkHBQJpZAF3E2NpdHktbWFya2V0LnAyMDI3LWEoAOkHBQZpdGVtSWQBdxFjaXR5LW1hcmtldC5T' +
  'Si0wMSgA6QcFBm1ldGhvZAF3Bm9uc2l0ZSgA6QcFBm1vbnRocwF1An0DfQQoAOkHBQNjYXABfQIoAOkHBQ1qb2ludFBhcnRuZXJz' +
  'AXUAKADpBwUFbm90ZXMBdwAnAOkHBQd0YXJnZXRzASgA6QcNCmluZHVzdHJpZXMBdQF3CGNhdGVyaW5nKADpBw0JZGl2aXNpb25z' +
  'AXUBdwYxNDAzMDIoAOkHDQpyaXNrTGV2ZWxzAXUACAEFb3JkZXIBdxNjaXR5LW1hcmtldC5wMjAyNy1hJwEFaXRlbXMTY2l0eS1t' +
  'YXJrZXQucDIwMjctYgEoAOkHEgJpZAF3E2NpdHktbWFya2V0LnAyMDI3LWIoAOkHEgZpdGVtSWQBdxFjaXR5LW1hcmtldC5TSi0w' +
  'MigA6QcSBm1ldGhvZAF3B3dyaXR0ZW4oAOkHEgZtb250aHMBdQF9CSgA6QcSA2NhcAF9ASgA6QcSDWpvaW50UGFydG5lcnMBdQAo' +
  'AOkHEgVub3RlcwF3BuWkjeafpScA6QcSB3RhcmdldHMBKADpBxoKaW5kdXN0cmllcwF1ACgA6QcaCWRpdmlzaW9ucwF1ACgA6Qca' +
  'CnJpc2tMZXZlbHMBdQF3BGhpZ2iI6QcRAXcTY2l0eS1tYXJrZXQucDIwMjctYigBCGNvbW1lbnRzAmMxAXYFAmlkdwJjMQJieXcG' +
  'dS1jaXR5CmJ5QWdlbmN5SWR3C2NpdHktbWFya2V0AmF0dxgyMDI2LTEyLTAyVDA4OjAwOjAwLjAwMFoEdGV4dHcP6K+36KGl5YWF' +
  '5L6d5o2uAA==';
/** joint/j-2027-1 as today's code writes it: meta, one member, one item, one team; no `v` */
const JOINT_2026_12 =
  'ARHqBwAoAQRtZXRhAmlkAXcIai0yMDI3LTEoAQRtZXRhBXRpdGxlAXcM6IGU5ZCI5qOA5p+lKAEEbWV0YQxsZWFkQWdlbmN5SWQB' +
  'dwtjaXR5LW1hcmtldCgBBG1ldGEEeWVhcgF9qx8oAQRtZXRhBnN0YXR1cwF3BWRyYWZ0KAEHbWVtYmVycwtjaXR5LW1hcmtldAF2' +
  'AghhZ2VuY3lJZHcLY2l0eS1tYXJrZXQEbmFtZXcP5biC5Zy655uR566h5bGAJwEFaXRlbXMEamktMQEoAOoHBgJpZAF3BGppLTEo' +
  'AOoHBghhZ2VuY3lJZAF3C2NpdHktbWFya2V0KADqBwYGaXRlbUlkAXcRY2l0eS1tYXJrZXQuU0otMDEoAOoHBgZtb250aHMBdQF9' +
  'BSgA6gcGA3dobwF3ACcA6gcGB3RhcmdldHMBKADqBwwKaW5kdXN0cmllcwF1AXcIY2F0ZXJpbmcoAOoHDAlkaXZpc2lvbnMBdQAo' +
  'AOoHDApyaXNrTGV2ZWxzAXUAKAEEdGVhbQtjaXR5LW1hcmtldAF2AghhZ2VuY3lJZHcLY2l0eS1tYXJrZXQMaW5zcGVjdG9ySWRz' +
  'dQJ3DmNpdHktbWFya2V0Lmkxdw5jaXR5LW1hcmtldC5pMgA=';

const open = (b64: string) => {
  const d = new Y.Doc();
  Y.applyUpdate(d, Uint8Array.from(Buffer.from(b64, 'base64')));
  return d;
};

describe('model/version: migrate-on-read', () => {
  it("documents written by today's code carry no version and read as version 1, every record valid", () => {
    const plan = open(PLAN_2026_12);
    expect(planRoots(plan).meta.has(VERSION_KEY)).toBe(false);
    expect(docVersion(planRoots(plan).meta)).toBe(1);
    expect(DOC_VERSION.plan).toBe(1);
    const p = readPlan(plan);
    expect(p.invalid).toEqual([]);
    expect(p.meta).toMatchObject({ agencyId: 'city-market', year: 2027, status: 'draft' });
    expect(p.items.map((i) => i.id)).toEqual(['city-market.p2027-a', 'city-market.p2027-b']);
    expect(p.items[1]).toMatchObject({ method: 'written', notes: '复查', months: [9] });
    expect(p.comments.map((c) => c.id)).toEqual(['c1']);

    const j = readJoint(open(JOINT_2026_12));
    expect(j.invalid).toEqual([]);
    expect(j.meta).toMatchObject({ id: 'j-2027-1', leadAgencyId: 'city-market' });
    expect(j.items.map((i) => i.id)).toEqual(['ji-1']);
    expect(j.team).toEqual([{ agencyId: 'city-market', inspectorIds: ['city-market.i1', 'city-market.i2'] }]);
  });

  it('after a required field is added (version 2), a version-1 document still opens through its migration step', () => {
    // tomorrow's plan item: a required `priority`, filled in for items written before it existed
    const PlanItemV2 = PlanItem.extend({ priority: z.enum(['normal', 'high']) });
    const steps: { plan: Migrations } = { plan: { items: { 1: (rec) => ({ ...rec, priority: 'normal' }) } } };
    const plan = open(PLAN_2026_12);
    const { items } = planRoots(plan);
    const from = docVersion(planRoots(plan).meta);

    // without the step, every item of the old document would be skipped as invalid
    const raw = readRecordMap(items as Y.Map<unknown>, PlanItemV2, (i) => i.id);
    expect(raw.items).toEqual([]);
    expect(raw.invalid.map((x) => x.key)).toEqual(['city-market.p2027-a', 'city-market.p2027-b']);

    const up = readRecordMap(items as Y.Map<unknown>, PlanItemV2, (i) => i.id, upgrader('plan', 'items', from, steps, 2));
    expect(up.invalid).toEqual([]);
    expect(up.items.map((i) => [i.id, i.priority, i.notes])).toEqual([
      ['city-market.p2027-a', 'normal', ''],
      ['city-market.p2027-b', 'normal', '复查'],
    ]);
    // reads never write: the stored document is as it was
    expect(Y.encodeStateAsUpdate(plan)).toEqual(Y.encodeStateAsUpdate(open(PLAN_2026_12)));

    // a document already at version 2 is not migrated again (its own value is kept)
    const v2 = open(PLAN_2026_12);
    v2.transact(() => {
      planRoots(v2).meta.set(VERSION_KEY, 2);
      const it = planRoots(v2).items.get('city-market.p2027-b')!;
      it.set('priority', 'high');
    });
    const r2 = readRecordMap(
      planRoots(v2).items as Y.Map<unknown>,
      PlanItemV2,
      (i) => i.id,
      upgrader('plan', 'items', docVersion(planRoots(v2).meta), steps, 2),
    );
    expect(r2.items.find((i) => i.id === 'city-market.p2027-b')?.priority).toBe('high');
    expect(r2.invalid.map((x) => x.key)).toEqual(['city-market.p2027-a']); // stamped v2 but written without the field: refused, not guessed
  });

  it("a document from a newer app (higher v, unknown fields) still reads with today's schemas", () => {
    const plan = open(PLAN_2026_12);
    plan.transact(() => {
      planRoots(plan).meta.set(VERSION_KEY, 7);
      planRoots(plan).items.get('city-market.p2027-a')!.set('priority', 'high');
    });
    const p = readPlan(plan);
    expect(p.invalid).toEqual([]);
    expect(p.items).toHaveLength(2);
    expect(p.items[0]).not.toHaveProperty('priority');
    expect(p.meta).not.toHaveProperty(VERSION_KEY);
  });

  it('a version that is not a positive integer reads as 1', () => {
    const m = new Y.Doc().getMap('meta');
    for (const v of [0, -1, 1.5, '2', null]) {
      m.set(VERSION_KEY, v);
      expect(docVersion(m)).toBe(1);
    }
    m.set(VERSION_KEY, 3);
    expect(docVersion(m)).toBe(3);
    expect(docVersion(undefined)).toBe(1);
  });
});
