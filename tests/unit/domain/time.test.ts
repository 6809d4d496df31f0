import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  monthKey,
  monthsBetween,
  monthsFromTo,
  shanghaiMonthKey,
  compareDates,
  dayOfMonth,
  daysBetween,
  inDateRange,
  isIsoDate,
  nowIso,
  rangesOverlap,
  shanghaiDate,
  shanghaiMonth,
  shanghaiYear,
} from '../../../src/domain';

describe('Asia/Shanghai calendar', () => {
  it.each([
    ['2026-03-31T16:30:00Z', '2026-04-01'], // already April 1st in Shanghai
    ['2026-03-31T15:59:59.999Z', '2026-03-31'],
    ['2026-03-31T16:00:00Z', '2026-04-01'],
    ['2025-12-31T15:30:00Z', '2025-12-31'], // Dec 31 23:30 Shanghai
    ['2025-12-31T16:00:00Z', '2026-01-01'], // Jan 1 00:00 Shanghai
    ['2026-01-01T00:30:00+08:00', '2026-01-01'],
    ['2025-12-31T23:30:00+08:00', '2025-12-31'],
    ['2026-06-15T01:00:00-05:00', '2026-06-15'], // 14:00 Shanghai
    ['2026-06-15T12:00:00-05:00', '2026-06-16'], // 01:00 next day Shanghai
    ['2026-02-28', '2026-02-28'],
  ])('%s is %s in Shanghai', (instant, day) => {
    expect(shanghaiDate(instant)).toBe(day);
    expect(shanghaiDate(new Date(instant.length === 10 ? `${instant}T00:00:00+08:00` : instant))).toBe(day);
  });

  it('year, month and day of month follow the Shanghai day', () => {
    expect(shanghaiYear('2025-12-31T16:00:00Z')).toBe(2026);
    expect(shanghaiYear('2025-12-31T15:30:00Z')).toBe(2025);
    expect(shanghaiMonth('2026-03-31T16:30:00Z')).toBe(4);
    expect(dayOfMonth('2026-03-31T16:30:00Z')).toBe(1);
    expect(dayOfMonth('2026-03-31T15:30:00Z')).toBe(31);
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-01', -365, '2025-03-01'],
    ['2026-03-31T16:30:00Z', 0, '2026-04-01'],
  ])('addDays(%s, %i) = %s', (d, k, out) => expect(addDays(d, k)).toBe(out));

  it('compares and counts days', () => {
    expect(compareDates('2026-01-01', '2025-12-31')).toBe(1);
    expect(compareDates('2025-12-31T16:00:00Z', '2026-01-01')).toBe(0);
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-02-01')).toBe(-28);
    expect(daysBetween('2025-12-31T15:30:00Z', '2025-12-31T16:00:00Z')).toBe(1); // 30 minutes, two Shanghai days
    expect(inDateRange('2026-03-31T16:30:00Z', '2026-04-01', '2026-04-30')).toBe(true);
    expect(rangesOverlap({ from: '2026-01-01', to: '2026-01-10' }, { from: '2026-01-10', to: '2026-02-01' })).toBe(true);
    expect(rangesOverlap({ from: '2026-01-01', to: '2026-01-09' }, { from: '2026-01-10', to: '2026-02-01' })).toBe(false);
  });

  it('validates dates and instants', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(() => shanghaiDate('2026-02-30')).toThrow(RangeError);
    expect(() => shanghaiDate('yesterday')).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(nowIso()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('counts months across a year end, in Asia/Shanghai', () => {
    expect(monthKey(2026, 3)).toBe('2026-03');
    expect(shanghaiMonthKey('2026-01-31T16:30:00Z')).toBe('2026-02');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-05', -17)).toBe('2024-12');
    expect(monthsBetween('2025-11', '2026-02')).toBe(4);
    expect(monthsFromTo('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsFromTo('2026-03', '2026-02')).toEqual([]);
  });
});
