import { describe, expect, it } from 'vitest';
import { divisionCovers, enterpriseMatchesTargets, suggestJointPlans, type Enterprise } from '../../../src/domain';
import { enterprise, planItem, uscc } from './fixtures';

describe('enterpriseMatchesTargets', () => {
  const e = enterprise({ industry: 'food', division: '140302', riskLevel: 'high' });
  it.each([
    [{ industries: [], divisions: [], riskLevels: [] }, true],
    [{}, true],
    [{ industries: ['food', 'chem'] }, true],
    [{ industries: ['chem'] }, false],
    [{ divisions: ['140302'] }, true],
    [{ divisions: ['140300'] }, true], // the city covers its districts
    [{ divisions: ['140000'] }, true], // the province too
    [{ divisions: ['140303'] }, false],
    [{ riskLevels: ['high', 'major'] as const }, true],
    [{ riskLevels: ['low'] as const }, false],
    [{ industries: ['food'], divisions: ['140303'] }, false],
  ])('%j → %s', (t, want) => expect(enterpriseMatchesTargets(e, { industries: [], divisions: [], riskLevels: [], ...t } as never)).toBe(want));

  it('division codes', () => {
    expect(divisionCovers('140300', '140321')).toBe(true);
    expect(divisionCovers('140321', '140300')).toBe(false);
    expect(divisionCovers('140300', '140400')).toBe(false);
  });
});

describe('suggestJointPlans', () => {
  // 12 enterprises: food in 城区 (4), chem in 矿区 (4, 2 of them major), food in 盂县 (4)
  const ents: Enterprise[] = [
    ...Array.from({ length: 4 }, (_, i) => enterprise({ uscc: uscc(`9114030200000000${i}`), industry: 'food', division: '140302' })),
    ...Array.from({ length: 4 }, (_, i) =>
      enterprise({ uscc: uscc(`9114030300000000${i}`), industry: 'chem', division: '140303', riskLevel: i < 2 ? 'major' : 'high' }),
    ),
    ...Array.from({ length: 4 }, (_, i) => enterprise({ uscc: uscc(`9114032200000000${i}`), industry: 'food', division: '140322' })),
  ];
  const t = (industries: string[], divisions: string[] = [], riskLevels: ('low' | 'medium' | 'high' | 'major')[] = []) => ({
    industries,
    divisions,
    riskLevels,
  });
  const plans = [
    {
      agencyId: 'mkt',
      items: [
        planItem({ id: 'mkt-food', months: [4, 5], targets: t(['food']) }), // 8 food enterprises
        planItem({ id: 'mkt-chem', months: [9], targets: t(['chem']) }),
        planItem({ id: 'mkt-offsite', method: 'offsite', months: [4], targets: t(['food']) }),
      ],
    },
    {
      agencyId: 'health',
      items: [
        planItem({ id: 'hl-food-city', months: [5, 6], targets: t(['food'], ['140302']) }), // 4 in 城区
      ],
    },
    {
      agencyId: 'emerg',
      items: [
        planItem({ id: 'em-major', months: [9, 10], targets: t([], [], ['major']) }), // 2 chem
        planItem({ id: 'em-food', months: [1], targets: t(['food']) }), // no month overlap
      ],
    },
    {
      agencyId: 'eco',
      items: [
        planItem({ id: 'eco-chem-kq', months: [3], targets: t(['chem'], ['140303']) }), // no month overlap with mkt-chem
      ],
    },
  ];

  it('pairs agencies whose items hit the same enterprises in overlapping months', () => {
    const s = suggestJointPlans(plans, ents, { sampleSize: 2 });
    expect(s.map((x) => [x.agencies, x.planItemIds, x.months, x.enterpriseCount])).toEqual([
      [['health', 'mkt'], { health: ['hl-food-city'], mkt: ['mkt-food'] }, [5], 4],
      [['emerg', 'mkt'], { emerg: ['em-major'], mkt: ['mkt-chem'] }, [9], 2],
    ]);
    expect(s[0].sampleUsccs).toEqual([ents[0].uscc, ents[1].uscc].sort());
    expect(s[1].sampleUsccs).toEqual([ents[4].uscc, ents[5].uscc].sort());
  });

  it('merges several item pairs of the same agencies and months, counting enterprises once', () => {
    const s = suggestJointPlans(
      [
        { agencyId: 'a', items: [planItem({ id: 'a1', months: [5], targets: t(['food']) }), planItem({ id: 'a2', months: [5], targets: t([], ['140302']) })] },
        { agencyId: 'b', items: [planItem({ id: 'b1', months: [5], targets: t(['food'], ['140302']) })] },
      ],
      ents,
    );
    expect(s).toHaveLength(1);
    expect(s[0].planItemIds).toEqual({ a: ['a1', 'a2'], b: ['b1'] });
    expect(s[0].enterpriseCount).toBe(4);
  });

  it("respects minEnterprises and ignores one agency's own items", () => {
    expect(suggestJointPlans(plans, ents, { minEnterprises: 3 }).map((x) => x.agencies.join())).toEqual(['health,mkt']);
    expect(suggestJointPlans([plans[0]], ents)).toEqual([]);
  });

  it('only on-site items by default; other methods on request; the output does not depend on input order', () => {
    const withOffsite = suggestJointPlans(plans, ents, { methods: ['onsite', 'offsite'] });
    // mkt-offsite (April) shares no month with another agency's food items here
    expect(withOffsite.flatMap((x) => x.planItemIds.mkt ?? [])).not.toContain('mkt-offsite');
    const plus = [...plans, { agencyId: 'tax', items: [planItem({ id: 'tax-food', method: 'offsite', months: [4], targets: t(['food']) })] }];
    expect(suggestJointPlans(plus, ents).some((x) => x.agencies.includes('tax'))).toBe(false);
    const off = suggestJointPlans(plus, ents, { methods: ['onsite', 'offsite'] }).find((x) => x.agencies.includes('tax'))!;
    expect(off.planItemIds).toEqual({ mkt: ['mkt-food', 'mkt-offsite'], tax: ['tax-food'] });
    expect(off.enterpriseCount).toBe(8);
    const reversed = [...plans].reverse().map((p) => ({ ...p, items: [...p.items].reverse() }));
    expect(suggestJointPlans(reversed, [...ents].reverse())).toEqual(suggestJointPlans(plans, ents));
  });
});
