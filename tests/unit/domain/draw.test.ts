import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, DrawError, draw, drawCount, drawPolicyCheck, verifyDraw } from '../../../src/domain';
import { uscc } from './fixtures';

const population = Array.from({ length: 200 }, (_, i) => uscc(`911403000000${String(i).padStart(5, '0')}`));
const inspectors = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'];

describe('draw (双随机)', () => {
  it('is reproducible and independent of the input order', async () => {
    const a = await draw({ seed: 'lottery-2026-042', population, ratio: 0.05, inspectors });
    const b = await draw({ seed: 'lottery-2026-042', population: [...population].reverse(), ratio: 0.05, inspectors: [...inspectors].reverse() });
    expect(b).toEqual(a);
    expect(a.selected).toHaveLength(10);
    expect(a.populationSize).toBe(200);
    expect(a.populationHash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(a.selected.map((s) => s.uscc)).size).toBe(10);
    for (const s of a.selected) {
      expect(population).toContain(s.uscc);
      expect(s.inspectorIds).toHaveLength(2);
      expect(new Set(s.inspectorIds).size).toBe(2);
    }
    const c = await draw({ seed: 'lottery-2026-043', population, ratio: 0.05, inspectors });
    expect(c.selected.map((s) => s.uscc)).not.toEqual(a.selected.map((s) => s.uscc));
  });

  it('depends on the population: one more enterprise changes the hash and the draw', async () => {
    const a = await draw({ seed: 's', population, ratio: 0.05, inspectors });
    const b = await draw({ seed: 's', population: [...population, uscc('91140300000000999')], ratio: 0.05, inspectors });
    expect(b.populationHash).not.toBe(a.populationHash);
    expect(b.selected.map((s) => s.uscc)).not.toEqual(a.selected.map((s) => s.uscc));
  });

  it('spreads the load over inspectors', async () => {
    const d = await draw({ seed: 'load', population, ratio: 0.15, inspectors }); // 30 tasks, 60 slots, 6 inspectors
    const load = new Map<string, number>();
    for (const s of d.selected) for (const id of s.inspectorIds) load.set(id, (load.get(id) ?? 0) + 1);
    expect([...load.values()].every((n) => n === 10)).toBe(true);
  });

  it('honours recusal of the inspectors who inspected the enterprise last time', async () => {
    const free = await draw({ seed: 'r', population, ratio: 0.1, inspectors });
    const last = Object.fromEntries(free.selected.map((s) => [s.uscc, s.inspectorIds]));
    const d = await draw({ seed: 'r', population, ratio: 0.1, inspectors, lastInspectorsByUscc: last });
    expect(d.selected.map((s) => s.uscc)).toEqual(free.selected.map((s) => s.uscc)); // same enterprises
    for (const s of d.selected) {
      for (const id of last[s.uscc]) expect(s.inspectorIds).not.toContain(id);
    }
    expect(Object.keys(d.recusals).sort()).toEqual(Object.keys(last).sort());
    const off = await draw({ seed: 'r', population, ratio: 0.1, inspectors, lastInspectorsByUscc: last, recuse: false });
    expect(off.selected).toEqual(free.selected);
  });

  it('refuses when recusal leaves too few inspectors, and bad parameters', async () => {
    const u = population[0];
    const all = Object.fromEntries(population.map((p) => [p, ['i1', 'i2', 'i3']]));
    await expect(draw({ seed: 'x', population: [u], ratio: 1, inspectors: ['i1', 'i2', 'i3', 'i4'], lastInspectorsByUscc: all })).rejects.toBeInstanceOf(
      DrawError,
    );
    await expect(draw({ seed: 'x', population, ratio: 1.5, inspectors })).rejects.toThrow(/ratio/);
    await expect(draw({ seed: 'x', population, ratio: 0.1, inspectors, perTask: 0 })).rejects.toThrow(/perTask/);
  });

  it.each([
    [100, 0.05, 5],
    [200, 0.05, 10],
    [10, 0.05, 1],
    [0, 0.5, 0],
    [7, 0, 0],
    [3, 1, 3],
    [1000, 0.07, 70],
  ])('drawCount(%i, %f) = %i', (n, r, want) => expect(drawCount(n, r)).toBe(want));
});

describe('verifyDraw', () => {
  it('accepts a genuine draw and detects tampering', async () => {
    const last = { [population[3]]: ['i1'] };
    const d = await draw({ seed: 'pub', population, ratio: 0.05, inspectors, lastInspectorsByUscc: last });
    expect(await verifyDraw(d, population)).toEqual({ ok: true, problems: [] });
    expect((await verifyDraw({ ...d, inspectorPool: undefined }, [...population].reverse())).ok).toBe(true);

    // a different population
    expect((await verifyDraw(d, population.slice(1))).ok).toBe(false);
    // a swapped enterprise
    const swapped = {
      ...d,
      selected: d.selected.map((s, k) => (k === 0 ? { ...s, uscc: population.find((p) => !d.selected.some((x) => x.uscc === p))! } : s)),
    };
    const r = await verifyDraw(swapped, population);
    expect(r.ok).toBe(false);
    expect(r.problems[0].en).toMatch(/different enterprises/);
    // a swapped inspector
    const otherInsp = {
      ...d,
      selected: d.selected.map((s, k) => (k === 1 ? { ...s, inspectorIds: ['i5', 'i6'].includes(s.inspectorIds[0]) ? ['i1', 'i2'] : ['i5', 'i6'] } : s)),
    };
    expect((await verifyDraw(otherInsp, population)).ok).toBe(false);
    // another seed
    expect((await verifyDraw({ ...d, seed: 'other' }, population)).ok).toBe(false);
  });
});

describe('drawPolicyCheck', () => {
  it.each([
    [{ ratio: 0.05, perTask: 2 }, 'ok'],
    [{ ratio: 0.03, perTask: 2 }, 'warn'],
    [{ ratio: 0.1, perTask: 1 }, 'block'],
  ])('%j → %s', (p, v) => expect(drawPolicyCheck(p, DEFAULT_POLICY).verdict).toBe(v));
});
