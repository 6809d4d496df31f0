/**
 * Corrections (src/domain/corrections.ts): only the author's own record of the same type is superseded;
 * the rules (cap count, 首违不罚 history, overlap) ignore any other correction.
 */
import { describe, expect, it } from 'vitest';
import { correctionAllowed, corrections, effectiveRecords } from '../../../src/domain/corrections';
import { countTowardsCap } from '../../../src/domain/rules';
import { priorViolations, matchFlexible } from '../../../src/domain/flexible';
import type { LedgerRecord } from '../../../src/domain/schemas';
import { U1, U2, entry, result } from './fixtures';

const ack = (over: Partial<Extract<LedgerRecord, { type: 'ack' }>> = {}): LedgerRecord => ({
  id: 'ack1',
  uscc: U1,
  at: '2026-05-11T02:00:00Z',
  by: 'u-ent1',
  type: 'ack',
  refId: 'r1',
  ...over,
});

describe('correctionAllowed', () => {
  const e = entry({ id: 'e-orig' });
  it('allows the author to correct their own record of the same type', () => {
    expect(correctionAllowed(entry({ id: 'e-fix', corrects: 'e-orig' }), e)).toEqual({ ok: true });
  });
  it('refuses another author, another type, another enterprise, another agency, a missing record, itself', () => {
    expect(correctionAllowed(entry({ corrects: 'e-orig', by: 'u-insp3' }), e)).toEqual({ ok: false, why: 'other_author' });
    expect(correctionAllowed(ack({ corrects: 'e-orig', by: e.by }), e)).toEqual({ ok: false, why: 'other_type' });
    expect(correctionAllowed(entry({ corrects: 'e-orig', uscc: U2 }), e)).toEqual({ ok: false, why: 'other_enterprise' });
    expect(correctionAllowed(entry({ corrects: 'e-orig', agencyId: 'eco-city' }), e)).toEqual({ ok: false, why: 'other_agency' });
    expect(correctionAllowed(entry({ corrects: 'nope' }), undefined)).toEqual({ ok: false, why: 'missing' });
    expect(correctionAllowed({ ...e, corrects: e.id }, e)).toEqual({ ok: false, why: 'itself' });
  });
  it('effectiveRecords hides only what an allowed correction supersedes', () => {
    const a = entry({ id: 'a1' });
    const fix = entry({ id: 'a1-fix', corrects: 'a1' });
    const hostile = ack({ id: 'h1', corrects: a.id, by: 'u-ent1' });
    expect(effectiveRecords([a, fix]).map((r) => r.id)).toEqual(['a1-fix']);
    expect(effectiveRecords([a, hostile]).map((r) => r.id)).toEqual(['a1', 'h1']);
    const c = corrections([a, fix, hostile]);
    expect([...c.superseded]).toEqual(['a1']);
    expect(c.refused.get('h1')).toBe('other_type');
  });
});

describe('the rules ignore corrections that are not allowed', () => {
  it('cap: an enterprise\'s or another inspector\'s "correction" does not remove an inspection from the count', () => {
    const a = entry({ id: 'c1', at: '2026-03-10T02:00:00Z' });
    const b = entry({ id: 'c2', at: '2026-04-10T02:00:00Z' });
    const byEnterprise = ack({ id: 'x1', corrects: 'c1', at: '2026-04-11T02:00:00Z' });
    const byCounty = entry({ id: 'x2', corrects: 'c2', by: 'u-insp3', agencyId: 'mkt-county', at: '2026-04-12T02:00:00Z' });
    const count = (recs: LedgerRecord[]) => countTowardsCap({ agencyId: 'mkt-city', uscc: U1, at: '2026-06-01T02:00:00Z', priorEntries: recs }).count;
    expect(count([a, b])).toBe(2);
    expect(count([a, b, byEnterprise, byCounty])).toBe(2);
    // the author's own correction replaces (not adds) the record
    expect(count([a, b, entry({ id: 'c2-fix', corrects: 'c2', at: '2026-04-10T03:00:00Z' })])).toBe(2);
  });
  it('首违不罚: a foreign correction of an earlier finding does not make the violation a first one again', () => {
    const e1 = entry({ id: 'v-e1', at: '2026-02-01T02:00:00Z' });
    const r1 = result({
      id: 'v-r1',
      entryId: 'v-e1',
      at: '2026-02-01T03:00:00Z',
      outcome: 'rectify',
      findings: [{ itemId: 'item-a', description: '台账缺失', violationCode: 'V-01', suggestion: 'none' }],
    });
    const erase = result({ id: 'v-x', entryId: 'v-e1', corrects: 'v-r1', by: 'u-ent1', at: '2026-02-02T03:00:00Z' });
    expect(priorViolations('V-01', [e1, r1, erase]).map((r) => r.id)).toEqual(['v-r1']);
    const flex = [{ id: 'f1', agencyId: 'mkt-city', list: 'first_offence_exempt' as const, violationCode: 'V-01', description: 'd', legalBasis: 'b' }];
    expect(matchFlexible({ itemId: 'item-a', violationCode: 'V-01' }, flex, [e1, r1, erase]).suggestion).toBe('none');
    // the inspector's own correction (e.g. the finding was a mistake) does count
    const own = result({ id: 'v-own', entryId: 'v-e1', corrects: 'v-r1', at: '2026-02-02T03:00:00Z' });
    expect(matchFlexible({ itemId: 'item-a', violationCode: 'V-01' }, flex, [e1, r1, own]).suggestion).toBe('first_offence_exempt');
  });
});
