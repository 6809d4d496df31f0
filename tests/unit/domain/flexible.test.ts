import { describe, expect, it } from 'vitest';
import { matchFlexible, type FlexEntry, type LedgerRecord } from '../../../src/domain';
import { entry, result } from './fixtures';

const flex = (list: FlexEntry['list'], violationCode: string, itemId?: string): FlexEntry => ({
  id: `f-${list}-${violationCode}`,
  agencyId: 'mkt-city',
  list,
  violationCode,
  itemId,
  description: '',
  legalBasis: `依据-${violationCode}`,
});
const lists = [
  flex('first_offence_exempt', 'V-LABEL'),
  flex('lighter', 'V-LABEL'),
  flex('mitigated', 'V-HYGIENE'),
  flex('lighter', 'V-HYGIENE'),
  flex('lighter', 'V-RECORD', 'item-b'),
  flex('first_offence_exempt', 'V-ONLY-FIRST'),
];
const f = (violationCode?: string, itemId = 'item-a') => ({ itemId, violationCode });
const past = (code: string, at = '2025-03-01T02:00:00Z') => {
  const e = entry({ at });
  return [e, result({ entryId: e.id, at, outcome: 'rectify', findings: [{ itemId: 'item-a', description: '问题', violationCode: code, suggestion: 'none' }] })];
};

describe('matchFlexible (measure 13)', () => {
  it.each<[string, ReturnType<typeof f>, LedgerRecord[], string, boolean, number]>([
    ['first time, listed for 首违不罚', f('V-LABEL'), [], 'first_offence_exempt', true, 0],
    ['first time, other codes in history', f('V-LABEL'), past('V-HYGIENE'), 'first_offence_exempt', true, 0],
    ['repeat: falls back to 从轻', f('V-LABEL'), past('V-LABEL'), 'lighter', false, 1],
    ['two earlier findings', f('V-LABEL'), [...past('V-LABEL'), ...past('V-LABEL', '2026-01-05T02:00:00Z')], 'lighter', false, 2],
    ['减轻 beats 从轻', f('V-HYGIENE'), [], 'mitigated', true, 0],
    ['item-specific entry applies to its item', f('V-RECORD', 'item-b'), [], 'lighter', true, 0],
    ['item-specific entry does not apply to another item', f('V-RECORD', 'item-a'), [], 'none', true, 0],
    ['only 首违不罚 listed, repeat → none', f('V-ONLY-FIRST'), past('V-ONLY-FIRST'), 'none', false, 1],
    ['unlisted code', f('V-OTHER'), [], 'none', true, 0],
    ['no code', f(undefined), past('V-LABEL'), 'none', true, 0],
  ])('%s', (_n, finding, history, suggestion, first, prior) => {
    const m = matchFlexible(finding, lists, history);
    expect(m.suggestion).toBe(suggestion);
    expect(m.firstViolation).toBe(first);
    expect(m.priorCount).toBe(prior);
    expect(m.message.zh.length).toBeGreaterThan(0);
    expect(m.message.en.length).toBeGreaterThan(0);
  });

  it('explains why 首违不罚 does not apply to a repeat', () => {
    const m = matchFlexible(f('V-ONLY-FIRST'), lists, past('V-ONLY-FIRST'));
    expect(m.matched.map((x) => x.list)).toEqual(['first_offence_exempt']);
    expect(m.message.zh).toContain('不适用首违不罚');
  });

  it('ignores the result being evaluated and later history', () => {
    const h = past('V-LABEL', '2026-05-01T02:00:00Z');
    expect(matchFlexible(f('V-LABEL'), lists, h, { excludeResultId: h[1].id }).suggestion).toBe('first_offence_exempt');
    expect(matchFlexible(f('V-LABEL'), lists, h, { before: '2026-04-01T00:00:00Z' }).firstViolation).toBe(true);
    expect(matchFlexible(f('V-LABEL'), lists, h, { before: '2026-06-01T00:00:00Z' }).firstViolation).toBe(false);
  });

  it('a result corrected to remove the finding no longer counts', () => {
    const [e, r] = past('V-LABEL');
    const fixed = result({ entryId: e.id, corrects: r.id, outcome: 'no_problem' });
    expect(matchFlexible(f('V-LABEL'), lists, [e, r, fixed]).firstViolation).toBe(true);
  });
});
