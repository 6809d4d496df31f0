/**
 * Filing in the domain: the joint plan's canonical content and hash (stable under key order, item and
 * set order, whitespace and non-content meta; different for any content change), the item-by-item diff
 * between a snapshot and today, the due date, and the validation a plan must pass to be filed.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, jointContentOf, jointHash, planContentOf } from '../../../src/domain/canonical';
import { daysToDue, diffContent, planDueDate } from '../../../src/domain/filing';
import { validateJointForFiling, validatePlanForFiling } from '../../../src/domain/plan-validate';
import type { InspectionItem, JointContentItem } from '../../../src/domain/schemas';
import { planItem } from './fixtures';

describe('joint plan content hash', () => {
  const meta = { id: 'joint-x', title: '餐饮联合检查', leadAgencyId: 'mkt-city', year: 2027, window: { from: '2027-05-01', to: '2027-06-30' } };
  const I1: JointContentItem = {
    id: 'ji-1',
    agencyId: 'mkt-city',
    itemId: 'mkt-city.SJ-01',
    targets: { industries: ['catering', 'food'], divisions: [], riskLevels: ['high', 'medium'] },
    months: [6, 5],
    who: '市抽县查',
  };
  const I2: JointContentItem = {
    id: 'ji-2',
    agencyId: 'health-city',
    itemId: 'health-city.WJ-06',
    targets: { industries: ['catering'], divisions: [], riskLevels: [] },
    months: [5],
    who: '',
  };

  const f1 = JSON.stringify({ meta, members: ['mkt-city', 'health-city'], items: [I1, I2] });
  const f2 = `{
    "items": [ ${JSON.stringify(I2, null, 3)},
      {"who": "市抽县查", "months": [5, 6, 6], "targets": {"riskLevels": ["medium", "high"], "divisions": [], "industries": ["food", "catering"]},
       "itemId": "mkt-city.SJ-01", "agencyId": "mkt-city", "id": "ji-1"} ],
    "members": ["health-city", "mkt-city", "mkt-city"],
    "meta": {"window": {"to": "2027-06-30", "from": "2027-05-01"}, "year": 2027, "leadAgencyId": "mkt-city", "title": "餐饮联合检查",
             "id": "joint-x", "status": "filed", "filedHash": "abc", "filingId": "f-1"}
  }`;

  it('is stable under key order, item and member order, set order, whitespace and non-content meta', async () => {
    const a = JSON.parse(f1),
      b = JSON.parse(f2);
    expect(canonicalJson(jointContentOf(a.meta, a.members, a.items))).toBe(canonicalJson(jointContentOf(b.meta, b.members, b.items)));
    expect(await jointHash(a.meta, a.members, a.items)).toBe(await jointHash(b.meta, b.members, b.items));
  });

  it('applies defaults (who = "")', async () => {
    const { who: _w, ...bare } = I2;
    expect(await jointHash(meta, ['mkt-city', 'health-city'], [I1, bare])).toBe(await jointHash(meta, ['mkt-city', 'health-city'], [I1, I2]));
  });

  type M = typeof meta & { targets?: { industries: string[] } };
  const edits: [string, (m: M, members: string[], items: (typeof I1)[]) => void][] = [
    [
      'title',
      (m) => {
        m.title += '。';
      },
    ],
    [
      'lead',
      (m) => {
        m.leadAgencyId = 'health-city';
      },
    ],
    [
      'year',
      (m) => {
        m.year = 2028;
      },
    ],
    [
      'window',
      (m) => {
        m.window = { from: '2027-05-02', to: '2027-06-30' };
      },
    ],
    [
      'shared targets',
      (m) => {
        m.targets = { industries: ['catering'] };
      },
    ],
    [
      'a member',
      (_, mem) => {
        mem.push('eco-city');
      },
    ],
    [
      'months',
      (_, _m, it) => {
        it[0].months = [5];
      },
    ],
    [
      'targets',
      (_, _m, it) => {
        it[1].targets.riskLevels = ['high'];
      },
    ],
    [
      'who goes',
      (_, _m, it) => {
        it[0].who = '市县联查';
      },
    ],
    [
      'item agency',
      (_, _m, it) => {
        it[1].agencyId = 'mkt-city';
      },
    ],
    [
      'item removed',
      (_, _m, it) => {
        it.pop();
      },
    ],
  ];
  it.each(edits)('changes when the %s changes', async (_name, edit) => {
    const m: M = structuredClone(meta),
      mem = ['mkt-city', 'health-city'],
      items = structuredClone([I1, I2]);
    const before = await jointHash(m, mem, items);
    edit(m, mem, items);
    expect(await jointHash(m, mem, items)).not.toBe(before);
  });

  it('refuses duplicate item ids and invalid items', () => {
    expect(() => jointContentOf(meta, [], [I1, { ...I2, id: 'ji-1' }])).toThrow(/twice/);
    expect(() => jointContentOf(meta, [], [{ ...I1, months: [] }])).toThrow();
  });
});

describe('diff between a filed snapshot and today', () => {
  const meta = { agencyId: 'mkt-city', year: 2027, title: '计划', capPerEnterprise: 2 };
  const A = planItem({ id: 'p-a', months: [3] });
  const B = planItem({ id: 'p-b', itemId: 'item-b', months: [9] });
  const filed = planContentOf(meta, [A, B]);

  it('is empty for the same content in another order', () => {
    expect(diffContent(filed, planContentOf(meta, [B, A])).same).toBe(true);
  });

  it('lists added, removed and changed items with the changed fields', () => {
    const C = planItem({ id: 'p-c', itemId: 'item-c', months: [1] });
    const now = planContentOf({ ...meta, title: '计划（修订）' }, [{ ...A, cap: 3, targets: { ...A.targets, industries: ['food', 'catering'] } }, C]);
    const d = diffContent(filed, now);
    expect(d.same).toBe(false);
    expect(d.meta).toEqual([{ field: 'title', before: '计划', after: '计划（修订）' }]);
    const by = Object.fromEntries(d.items.map((i) => [i.id, i]));
    expect(by['p-b'].change).toBe('removed');
    expect(by['p-c'].change).toBe('added');
    expect(by['p-a'].change).toBe('changed');
    expect(by['p-a'].fields.map((f) => f.field)).toEqual(['cap', 'targets.industries']);
  });
});

describe('due date (measure 4: by the end of January)', () => {
  it('is 31 January of the plan year unless the city sets another day', () => {
    expect(planDueDate(2027)).toBe('2027-01-31');
    expect(planDueDate(2027, '02-15')).toBe('2027-02-15');
    expect(daysToDue('2026-11-25', 2027)).toBe(67);
    expect(daysToDue('2027-01-31', 2027)).toBe(0);
    expect(daysToDue('2027-02-03', 2027)).toBe(-3);
  });
});

describe('validation before filing', () => {
  const cat = (over: Partial<InspectionItem> & { id: string }): InspectionItem => ({
    agencyId: 'mkt-city',
    code: over.id.toUpperCase(),
    name: `事项${over.id}`,
    nameEn: `Item ${over.id}`,
    legalBasis: '《法》',
    level: 'any',
    industries: ['food'],
    defaultMethod: 'onsite',
    published: true,
    ...over,
  });
  const catalogue = [cat({ id: 'item-a', level: 'city' }), cat({ id: 'item-b', level: 'county' }), cat({ id: 'item-x', published: false })];
  const meta = { agencyId: 'mkt-city', year: 2027, title: '计划', status: 'draft' as const, capPerEnterprise: 2 };
  const pi = (over: Parameters<typeof planItem>[0]) => planItem({ targets: { industries: ['food'], divisions: [], riskLevels: [] }, ...over });
  const run = (items: ReturnType<typeof planItem>[], over: Partial<Parameters<typeof validatePlanForFiling>[0]> = {}) =>
    validatePlanForFiling({ room: { agencyId: 'mkt-city', year: 2027 }, meta, items, catalogue, agency: { level: 'city' }, ...over });
  const codes = (ps: { code: string; severity: string; itemId?: string }[]) => ps.map((p) => `${p.severity}:${p.code}${p.itemId ? '@' + p.itemId : ''}`);

  it('passes a good plan', () => {
    expect(run([pi({ id: 'p1', itemId: 'item-a' })])).toEqual([]);
  });

  it('blocks: no plan, an empty plan, unlisted or unpublished items, items without targets, a mismatched room', () => {
    expect(codes(run([], { meta: null }))).toEqual(['error:filing.no_plan']);
    expect(codes(run([]))).toEqual(['error:filing.empty']);
    expect(codes(run([pi({ id: 'p1', itemId: 'other.item' })]))).toEqual(['error:filing.not_in_catalogue@p1']);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-x' })]))).toContain('error:filing.unpublished_item@p1');
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a', targets: { industries: [], divisions: [], riskLevels: [] } })]))).toEqual([
      'error:filing.no_targets@p1',
    ]);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a', targets: { industries: [], divisions: [], riskLevels: [], samplingRatio: 0.05 } })]))).toEqual([]);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a' })], { room: { agencyId: 'mkt-city', year: 2028 } }))).toEqual(['error:filing.meta_mismatch']);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a' })], { invalid: [{ key: 'p9', error: 'months: pick at least one month' }] }))).toEqual([
      'error:filing.unreadable',
    ]);
  });

  it('warns: the level rule (measure 1), a cap above the agency cap, the same item twice', () => {
    expect(codes(run([pi({ id: 'p1', itemId: 'item-b' })]))).toEqual(['warning:filing.level@p1']);
    // a county-level item aimed at major-impact enterprises goes to the city: no warning for a city agency
    expect(codes(run([pi({ id: 'p1', itemId: 'item-b', targets: { industries: ['food'], divisions: [], riskLevels: ['major'] } })]))).toEqual([]);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a', cap: 3 })]))).toEqual(['warning:filing.cap_over@p1']);
    expect(codes(run([pi({ id: 'p1', itemId: 'item-a' }), pi({ id: 'p2', itemId: 'item-a' })]))).toEqual(['warning:filing.duplicate_item@p2']);
  });

  it('joint plans: items of member agencies from their own catalogues', () => {
    const item = { id: 'ji-1', agencyId: 'mkt-city', itemId: 'item-a', targets: { industries: ['food'], divisions: [], riskLevels: [] }, months: [5], who: '' };
    const base = {
      meta: { id: 'j', leadAgencyId: 'mkt-city', year: 2027, title: '联合' },
      members: ['mkt-city'],
      catalogues: new Map([['mkt-city', catalogue]]),
    };
    expect(validateJointForFiling({ ...base, items: [item] })).toEqual([]);
    expect(codes(validateJointForFiling({ ...base, items: [{ ...item, agencyId: 'eco-city' }] }))).toEqual(['error:filing.not_member@ji-1']);
    expect(codes(validateJointForFiling({ ...base, items: [{ ...item, itemId: 'nope' }] }))).toEqual(['error:filing.not_in_catalogue@ji-1']);
    expect(codes(validateJointForFiling({ ...base, items: [] }))).toEqual(['error:filing.empty']);
  });
});
