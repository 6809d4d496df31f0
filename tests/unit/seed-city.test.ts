/**
 * SEED_SCALE=city: Yangquan at its real size for benchmarks. About 100,000 enterprises with valid USCCs over
 * the real counties and townships, every agency down to townships and sub-districts, about 3,000 inspectors
 * with certificates, a plan for every agency, about 30,000 tasks this year and about 100,000 ledger records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isValidUscc } from '../../src/domain/uscc';
import { readLedger } from '../../src/model';
import { buildSeed, type Seed } from '../../server/seed/index';
import { CITY_DIVISIONS } from '../../server/seed/city-divisions';

let seed: Seed;
const NOW = new Date('2027-03-10T09:30:00+08:00');
beforeAll(() => {
  seed = buildSeed({ now: NOW, scale: 'city' });
}, 180_000);

describe('the city-sized seed', () => {
  it("has Yangquan's size", () => {
    expect(seed.enterprises.length).toBe(100_000);
    expect(new Set(seed.enterprises.map((e) => e.uscc)).size).toBe(100_000);
    expect(seed.enterprises.every((e) => isValidUscc(e.uscc) && e.uscc.slice(2, 8) === e.division)).toBe(true);
    const townships = new Set(CITY_DIVISIONS.filter((d) => d.level === 'township').map((d) => d.code));
    const placed = seed.enterprises.filter((e) => e.township);
    expect(placed.every((e) => townships.has(e.township!) && e.township!.startsWith(e.division))).toBe(true);
    expect(placed.length / seed.enterprises.length).toBeGreaterThan(0.85); // all but the zone's
    const enf = seed.agencies.filter((a) => a.kind === 'enforcement');
    expect(enf.filter((a) => a.level === 'township').length).toBe(townships.size);
    expect(seed.inspectors.length).toBeGreaterThanOrEqual(2_500);
    expect(seed.inspectors.length).toBeLessThanOrEqual(3_500);
    const planned = new Set(seed.plans.filter((p) => p.meta.year === 2027).map((p) => p.meta.agencyId));
    expect(enf.every((a) => planned.has(a.id))).toBe(true);
    // a township's comprehensive enforcement inspects its own township
    const where = new Map(seed.enterprises.map((e) => [e.uscc, e.township]));
    const division = new Map(enf.map((a) => [a.id, a.division]));
    const twp = seed.tasks.filter((t) => t.agencyId.startsWith('twp-'));
    expect(twp.length).toBeGreaterThan(1_000);
    expect(twp.every((t) => where.get(t.uscc) === division.get(t.agencyId))).toBe(true);
    const thisYear = seed.tasks.filter((t) => t.year === 2027).length;
    expect(thisYear).toBeGreaterThanOrEqual(25_000);
    expect(thisYear).toBeLessThanOrEqual(35_000);
    let records = 0;
    for (const [room, u] of seed.docs) {
      if (!room.startsWith('ledger/')) continue;
      const d = new Y.Doc();
      Y.applyUpdate(d, u);
      records += readLedger(d).items.length;
    }
    expect(records).toBeGreaterThanOrEqual(80_000);
    expect(records).toBeLessThanOrEqual(130_000);
  });

  it('keeps the demo accounts and their work today', () => {
    expect(seed.accounts.map((a) => a.username)).toContain('inspector1');
    const today = seed.tasks.filter((t) => t.inspectorIds.includes('insp-city-market-1') && t.window.from <= '2027-03-10' && '2027-03-10' <= t.window.to);
    expect(today.length).toBeGreaterThanOrEqual(1);
  });
});
