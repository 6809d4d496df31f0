/** The statistics page's pure rules (src/pages/stats/stats-logic.ts): filters ⇄ address, the query, formatting. */
import { describe, expect, it } from 'vitest';
import { StatsQuery } from '../../../src/protocol/stats';
import {
  filtersFromSearch,
  fmtDec,
  fmtInt,
  fmtPct,
  monthKey,
  pctNumber,
  queryOf,
  rangeOf,
  searchOf,
  shanghaiMinute,
  shareOf,
  timesLabel,
  withChange,
  yearsOffered,
} from '../../../src/pages/stats/stats-logic';

const Y = 2026;

describe('filters and the address', () => {
  it('an empty address is the whole of this year, everything else "all"', () => {
    expect(filtersFromSearch({}, Y)).toEqual({ year: 2026, from: 1, to: 12, agencyId: '', division: '', industry: '' });
  });

  it('reads every filter back from what searchOf wrote (a shared address gives the same view)', () => {
    const f = { year: 2025, from: 3, to: 9, agencyId: 'city-market', division: '140302', industry: 'catering' };
    const sp = searchOf(f, Y);
    expect(sp).toEqual({ year: '2025', from: '2025-03', to: '2025-09', agency: 'city-market', division: '140302', industry: 'catering' });
    const clean = Object.fromEntries(Object.entries(sp).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(filtersFromSearch(clean, Y)).toEqual(f);
  });

  it('leaves defaults out of the address', () => {
    expect(searchOf({ year: Y, from: 1, to: 12, agencyId: '', division: '', industry: '' }, Y)).toEqual({
      year: undefined,
      from: undefined,
      to: undefined,
      agency: undefined,
      division: undefined,
      industry: undefined,
    });
  });

  it('replaces bad parts by their defaults and orders a reversed range', () => {
    expect(filtersFromSearch({ year: '1999', from: '2026-13', to: 'x', agency: '<script>', division: '14', industry: 'DROP TABLE' }, Y)).toEqual({
      year: 2026,
      from: 1,
      to: 12,
      agencyId: '',
      division: '',
      industry: '',
    });
    expect(filtersFromSearch({ from: '2026-10', to: '2026-04' }, Y)).toMatchObject({ from: 4, to: 10 });
    // a month of another year than the one chosen is ignored
    expect(filtersFromSearch({ year: '2025', from: '2026-03' }, Y)).toMatchObject({ year: 2025, from: 1 });
    // a future year is not offered
    expect(filtersFromSearch({ year: '2027' }, Y).year).toBe(2026);
  });

  it('keeps the month range valid when one end moves past the other', () => {
    const f = filtersFromSearch({ from: '2026-03', to: '2026-05' }, Y);
    expect(withChange(f, { from: 8 })).toMatchObject({ from: 8, to: 8 });
    expect(withChange(f, { to: 2 })).toMatchObject({ from: 2, to: 2 });
    expect(withChange(f, { agencyId: 'city-market' })).toMatchObject({ from: 3, to: 5, agencyId: 'city-market' });
  });

  it('offers this year and the four before it', () => {
    expect(yearsOffered(Y)).toEqual([2026, 2025, 2024, 2023, 2022]);
  });
});

describe('the query', () => {
  const f = { year: 2026, from: 9, to: 11, agencyId: 'city-market', division: '140302', industry: 'catering' };
  it('sends the month range and the filters set, valid for the server', () => {
    const q = queryOf(f, true);
    expect(q).toEqual({ from: '2026-09', to: '2026-11', agencyId: 'city-market', division: '140302', industry: 'catering' });
    expect(StatsQuery.safeParse(q).success).toBe(true);
  });
  it('never names an agency for an agency admin (the server forces its own)', () => {
    expect(queryOf(f, false).agencyId).toBeUndefined();
    expect(queryOf({ ...f, agencyId: '', division: '', industry: '' }, true)).toEqual({ from: '2026-09', to: '2026-11' });
  });
  it('names files by the range', () => {
    expect(rangeOf(f)).toEqual({ from: '2026-09', to: '2026-11' });
    expect(monthKey(2026, 3)).toBe('2026-03');
  });
});

describe('formatting', () => {
  it('counts with thousands separators', () => {
    expect(fmtInt(0)).toBe('0');
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtDec(4.25)).toBe('4.3');
  });
  it('shares as percentages, "—" when the base is zero', () => {
    expect(fmtPct(0.1234)).toBe('12.3%');
    expect(fmtPct(1)).toBe('100.0%');
    expect(fmtPct(shareOf(3, 0))).toBe('—');
    expect(fmtPct(null)).toBe('—');
    expect(pctNumber(0.06154)).toBe(6.15);
    expect(pctNumber(null)).toBeNull();
  });
  it('times as Shanghai wall time to the minute, buckets as labels', () => {
    expect(shanghaiMinute('2026-12-31T16:30:59Z')).toBe('2027-01-01 00:30');
    expect(shanghaiMinute('2026-11-25T10:05:00+08:00')).toBe('2026-11-25 10:05');
    expect(timesLabel({ times: 2, atLeast: false })).toBe('2');
    expect(timesLabel({ times: 4, atLeast: true })).toBe('≥4');
  });
});
