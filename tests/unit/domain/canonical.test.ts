import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, planContentOf, planHash, sha256Hex } from '../../../src/domain';
import { planItem } from './fixtures';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [3, { d: 1, c: 2 }] }, '{"a":[3,{"c":2,"d":1}],"b":1}'],
    [{ x: undefined, y: null }, '{"y":null}'],
    [[1, undefined, 'a'], '[1,null,"a"]'],
    [{ n: -0, f: 1.0, e: 1e21, s: 0.1 + 0.2 }, '{"e":1e+21,"f":1,"n":0,"s":0.30000000000000004}'],
    [{ 中: '文', 'a"b': '\n' }, '{"a\\"b":"\\n","中":"文"}'],
    ['x', '"x"'],
    [true, 'true'],
  ])('%j → %s', (v, out) => expect(canonicalJson(v)).toBe(out));

  it('refuses values that are not JSON', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => canonicalJson(cyc)).toThrow(/cyclic/);
  });

  it('SHA-256 via WebCrypto', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await contentHash({ b: 2, a: 1 })).toBe(await sha256Hex('{"a":1,"b":2}'));
  });
});

describe('plan content hash', () => {
  const meta = { agencyId: 'mkt-city', year: 2026, title: '2026年度检查计划', capPerEnterprise: 2 };
  const A = planItem({ id: 'p-a', months: [3, 5], targets: { industries: ['food', 'chem'], divisions: [], riskLevels: ['high'] } });
  const B = planItem({ id: 'p-b', itemId: 'item-b', months: [9] });

  const f1 = JSON.stringify({ meta, items: [A, B] });
  const f2 = `{
    "items": [
      ${JSON.stringify(B, null, 4)},
      {"notes": "", "jointPartners": [], "cap": 2, "months": [5, 3], "targets": {"riskLevels": ["high"],
       "divisions": [], "industries": ["chem", "food"]}, "method": "onsite", "itemId": "item-a", "id": "p-a"}
    ],
    "meta": {"capPerEnterprise": 2, "title": "2026年度检查计划", "year": 2026, "agencyId": "mkt-city",
             "status": "filed", "filedHash": "whatever"}
  }`;

  it('is stable under key order, item order, set order, whitespace and non-content meta', async () => {
    const p1 = JSON.parse(f1),
      p2 = JSON.parse(f2);
    expect(await planHash(p1.meta, p1.items)).toBe(await planHash(p2.meta, p2.items));
    expect(canonicalJson(planContentOf(p1.meta, p1.items))).toBe(canonicalJson(planContentOf(p2.meta, p2.items)));
  });

  it('applies zod defaults, so omitted defaults hash like explicit ones', async () => {
    const { jointPartners: _j, notes: _n, ...bare } = B;
    expect(await planHash(meta, [bare])).toBe(await planHash(meta, [B]));
  });

  const edits: [string, (m: typeof meta, items: (typeof A)[]) => void][] = [
    [
      'title',
      (m) => {
        m.title += ' ';
      },
    ],
    [
      'year',
      (m) => {
        m.year = 2027;
      },
    ],
    [
      'agency cap',
      (m) => {
        m.capPerEnterprise = 3;
      },
    ],
    [
      'item cap',
      (_, it) => {
        it[0].cap = 1;
      },
    ],
    [
      'months',
      (_, it) => {
        it[0].months = [3, 6];
      },
    ],
    [
      'method',
      (_, it) => {
        it[1].method = 'offsite';
      },
    ],
    [
      'notes',
      (_, it) => {
        it[1].notes = '新增说明';
      },
    ],
    [
      'target industry',
      (_, it) => {
        it[0].targets.industries = ['food'];
      },
    ],
    [
      'sampling ratio',
      (_, it) => {
        it[0].targets.samplingRatio = 0.05;
      },
    ],
    [
      'joint partner',
      (_, it) => {
        it[0].jointPartners = ['eco-city'];
      },
    ],
    [
      'item removed',
      (_, it) => {
        it.pop();
      },
    ],
    [
      'item id',
      (_, it) => {
        it[1].id = 'p-c';
      },
    ],
  ];
  it.each(edits)('changes when %s changes', async (_name, edit) => {
    const m = structuredClone(meta),
      items = structuredClone([A, B]);
    const before = await planHash(m, items);
    edit(m, items);
    expect(await planHash(m, items)).not.toBe(before);
  });

  it('refuses an invalid plan and duplicate item ids', () => {
    expect(() => planContentOf(meta, [{ ...A, months: [] }])).toThrow();
    expect(() => planContentOf(meta, [A, { ...B, id: 'p-a' }])).toThrow(/twice/);
  });
});
