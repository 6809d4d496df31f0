import { describe, expect, it } from 'vitest';
import {
  CREDIT_CLASSES,
  type CreditClass,
  commitmentOf,
  DrawError,
  type DrawStatement,
  digestStatement,
  drawCount,
  expectedCounts,
  infeasible,
  isSecret,
  newSecret,
  normaliseStatement,
  type PublishedDraw,
  parsePopulationText,
  populationText,
  runDraw,
  runDrawAsync,
  seedOf,
  verifyDraw,
  verifyDrawAsync,
} from '../../../src/domain/draw';
import { uscc } from './fixtures';

const CLASS_OF: CreditClass[] = ['A', 'B', 'B', 'C', 'C', 'C', 'D'];
const population = Array.from({ length: 200 }, (_, i) => ({ uscc: uscc(`911403000000${String(i).padStart(5, '0')}`), cls: CLASS_OF[i % 7] }));
const pool = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
const PARTIES = ['agency:mkt-city', 'justice:city-justice'];

const statement = (over: Partial<DrawStatement> = {}): DrawStatement => ({
  drawId: 'draw-2026-001',
  population,
  ratios: { A: 500, B: 1000, C: 2000, D: 10000 },
  teams: [{ agencyId: 'mkt-city', perTask: 2, pool }],
  recusals: {},
  parties: PARTIES,
  ...over,
});

const reversed = <T>(xs: readonly T[]) => [...xs].reverse();
const classOf = new Map(population.map((e) => [e.uscc, e.cls]));

describe('runDraw', () => {
  it('is reproducible: the same statement and seed give the same draw, another seed another', () => {
    const a = runDraw(statement(), 'seed-1');
    expect(runDraw(statement(), 'seed-1')).toEqual(a);
    expect(a.picks.length).toBeGreaterThan(0);
    expect(a.resultHash).toMatch(/^[0-9a-f]{64}$/);
    const b = runDraw(statement(), 'seed-2');
    expect(b.paramsHash).toBe(a.paramsHash);
    expect(b.picks.map((p) => p.uscc)).not.toEqual(a.picks.map((p) => p.uscc));
  });

  it('does not depend on the order of any input list', () => {
    const teams = [
      { agencyId: 'mkt-city', perTask: 2, pool },
      { agencyId: 'eco-city', perTask: 1, pool: ['e1', 'e2', 'e3'] },
    ];
    const recusals = { [population[0].uscc]: ['i2', 'e1'], [population[7].uscc]: ['i5', 'i1'] };
    const a = runDraw(statement({ teams, recusals }), 's');
    const b = runDraw(
      statement({
        population: reversed(population),
        teams: reversed(teams.map((t) => ({ ...t, pool: reversed(t.pool) }))),
        recusals: Object.fromEntries(reversed(Object.entries(recusals)).map(([u, ids]) => [u, reversed(ids)])),
        parties: reversed(PARTIES),
      }),
      's',
    );
    expect(b).toEqual(a);
  });

  it('draws ceil(n × bp / 10000) enterprises of each class, each once', () => {
    const ratios = { A: 1, B: 3333, C: 3334, D: 0 };
    const run = runDraw(statement({ ratios }), 'count');
    const counts = expectedCounts({ population, ratios });
    for (const c of CREDIT_CLASSES) {
      const n = population.filter((e) => e.cls === c).length;
      expect(counts[c]).toEqual({ population: n, drawn: Math.ceil((n * ratios[c]) / 10000) });
      expect(run.picks.filter((p) => classOf.get(p.uscc) === c)).toHaveLength(counts[c].drawn);
    }
    expect(new Set(run.picks.map((p) => p.uscc)).size).toBe(run.picks.length);
    // classes in the order A, B, C, D
    const order = run.picks.map((p) => classOf.get(p.uscc) as CreditClass);
    expect(order).toEqual([...order].sort());
  });

  it.each([
    [0, 5000, 0],
    [7, 0, 0],
    [7, 1, 1],
    [3, 3333, 1],
    [3, 3334, 2],
    [3, 10000, 3],
    [200, 500, 10],
    [1000, 700, 70],
    [100_000, 9999, 99_990],
  ])('drawCount(%i, %i bp) = %i', (n, bp, want) => expect(drawCount(n, bp)).toBe(want));

  it('spreads the load evenly over the inspectors', () => {
    // 30 class-D enterprises, all drawn; 60 places for 6 inspectors
    const pop = population.filter((e) => e.cls === 'D').slice(0, 28);
    const run = runDraw(statement({ population: pop }), 'load');
    expect(run.picks).toHaveLength(28);
    const load = new Map<string, number>();
    for (const p of run.picks) {
      expect(p.teams['mkt-city']).toHaveLength(2);
      expect(new Set(p.teams['mkt-city']).size).toBe(2);
      for (const id of p.teams['mkt-city']) load.set(id, (load.get(id) ?? 0) + 1);
    }
    const loads = [...load.values()];
    expect(loads).toHaveLength(6);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });

  it('honours recusals: a recused inspector never goes there; ids in no pool are left out of the statement', () => {
    const ratios = { A: 10000, B: 10000, C: 10000, D: 10000 };
    const pop = population.slice(0, 20);
    const recusals = Object.fromEntries(pop.map((e, k) => [e.uscc, [pool[k % 6], pool[(k + 1) % 6], 'nobody']]));
    const run = runDraw(statement({ population: pop, ratios, recusals }), 'r');
    expect(run.picks).toHaveLength(20);
    for (const p of run.picks) for (const id of recusals[p.uscc]) expect(p.teams['mkt-city']).not.toContain(id);
    expect(run.statementText).not.toContain('nobody');
    expect(run.statementText.match(/^recuse /gm)).toHaveLength(20);
  });
});

describe('infeasible', () => {
  it('finds a pool smaller than perTask and enterprises where recusal leaves too few', () => {
    expect(infeasible(statement())).toEqual([]);
    expect(infeasible(statement({ teams: [{ agencyId: 'mkt-city', perTask: 3, pool: ['i1', 'i2'] }] }))).toEqual([
      { uscc: '*', agencyId: 'mkt-city', eligible: 2, perTask: 3 },
    ]);
    const u = population[5].uscc;
    const tight = statement({ recusals: { [u]: ['i1', 'i2', 'i3', 'i4', 'i5'], [population[6].uscc]: ['i1'] } });
    expect(infeasible(tight)).toEqual([{ uscc: u, agencyId: 'mkt-city', eligible: 1, perTask: 2 }]);
    // and the draw itself refuses when such an enterprise is drawn
    const all = { A: 10000, B: 10000, C: 10000, D: 10000 };
    expect(() => runDraw({ ...tight, ratios: all }, 's')).toThrow(DrawError);
  });
});

describe('the population text', () => {
  it('prints by USCC and parses back', () => {
    const text = populationText(reversed(population));
    expect(text.split('\n')).toHaveLength(201);
    expect(text.startsWith(`${population[0].uscc} A\n`)).toBe(true);
    expect(parsePopulationText(text)).toEqual(population);
    expect(populationText(parsePopulationText(text))).toBe(text);
    expect(parsePopulationText('')).toEqual([]);
    expect(digestStatement(statement()).populationText).toBe(text);
  });

  it('rejects a malformed text', () => {
    expect(() => parsePopulationText(`${population[0].uscc} A`)).toThrow(/newline/);
    expect(() => parsePopulationText(`${population[0].uscc} E\n`)).toThrow(DrawError);
    expect(() => parsePopulationText(`${population[0].uscc}  A\n`)).toThrow(DrawError);
    expect(() => parsePopulationText('\n')).toThrow(DrawError);
  });
});

describe('normaliseStatement', () => {
  const fails = (over: Partial<DrawStatement>, pattern: RegExp) => {
    expect(() => normaliseStatement(statement(over))).toThrow(pattern);
    expect(() => normaliseStatement(statement(over))).toThrow(DrawError);
  };

  it('sorts every list and keeps only pooled recusals of enterprises in the population', () => {
    const s = normaliseStatement(
      statement({
        population: reversed(population),
        parties: reversed(PARTIES),
        recusals: { [population[1].uscc]: ['i3', 'x', 'i1'], [population[2].uscc]: ['x'], 'not-in-population': ['i1'] },
      }),
    );
    expect(s.population).toEqual(population);
    expect(s.parties).toEqual(['agency:mkt-city', 'justice:city-justice']);
    expect(s.recusals).toEqual({ [population[1].uscc]: ['i1', 'i3'] });
  });

  it('rejects a duplicate USCC, a bad class, a bad ratio, fewer than two parties and bad ids', () => {
    fails({ population: [...population, { uscc: population[9].uscc, cls: 'A' }] }, /twice/);
    fails({ population: [{ uscc: population[0].uscc, cls: 'E' as CreditClass }] }, /A–D/);
    fails({ population: [{ uscc: '9114 0300', cls: 'A' }] }, /not allowed/);
    fails({ ratios: { A: -1, B: 0, C: 0, D: 0 } }, /ratio A/);
    fails({ ratios: { A: 0, B: 10001, C: 0, D: 0 } }, /ratio B/);
    fails({ ratios: { A: 0, B: 0, C: 2.5, D: 0 } }, /ratio C/);
    fails({ parties: ['agency:mkt-city'] }, /two parties/);
    fails({ parties: ['agency:mkt-city', 'agency:mkt-city'] }, /two parties/);
    fails({ parties: ['agency:mkt-city', 'justice city'] }, /party/);
    fails({ drawId: 'draw 1' }, /draw id/);
    fails({ teams: [{ agencyId: 'mkt:city', perTask: 1, pool }] }, /not allowed/);
    fails({ teams: [{ agencyId: 'mkt-city', perTask: 1, pool: ['i1', 'i,2'] }] }, /not allowed/);
    fails({ teams: [{ agencyId: 'mkt-city', perTask: 0, pool }] }, /perTask/);
    fails({ teams: [] }, /at least one team/);
    fails(
      {
        teams: [
          { agencyId: 'a', perTask: 1, pool },
          { agencyId: 'a', perTask: 1, pool: ['j1'] },
        ],
      },
      /twice/,
    );
  });
});

describe('commitments and verifyDraw', () => {
  const secrets = { 'agency:mkt-city': 'a'.repeat(64), 'justice:city-justice': '0123456789abcdef'.repeat(4) };

  function published(st = statement({ recusals: { [population[3].uscc]: ['i1'] } })): PublishedDraw {
    const { paramsHash, populationHash } = digestStatement(st);
    const seed = seedOf(paramsHash, secrets);
    return {
      statement: st,
      populationHash,
      populationSize: st.population.length,
      paramsHash,
      commitments: Object.fromEntries(st.parties.map((p) => [p, commitmentOf(paramsHash, p, secrets[p as keyof typeof secrets])])),
      reveals: secrets,
      seed,
      resultText: runDraw(st, seed).resultText,
    };
  }
  const failed = (d: PublishedDraw) =>
    verifyDraw(d)
      .steps.filter((s) => !s.ok)
      .map((s) => s.step);

  it('makes and checks secrets', () => {
    expect(isSecret(newSecret())).toBe(true);
    expect(newSecret()).not.toBe(newSecret());
    expect(() => commitmentOf('h', 'agency:x', 'ABC')).toThrow(DrawError);
    expect(commitmentOf('h', 'agency:x', 'a'.repeat(64))).not.toBe(commitmentOf('h', 'agency:y', 'a'.repeat(64)));
  });

  it('accepts a genuine draw, step by step', () => {
    const v = verifyDraw(published());
    expect(v.ok).toBe(true);
    expect(v.steps.map((s) => [s.step, s.ok])).toEqual([
      ['population', true],
      ['statement', true],
      ['reveals', true],
      ['seed', true],
      ['result', true],
    ]);
    expect(v.steps[0].message.en).toMatch(/200/);
  });

  it('names the step that a tampered input fails', () => {
    const d = published();
    const st = d.statement;
    expect(failed({ ...d, statement: { ...st, population: st.population.slice(1) } })).toContain('population');
    expect(failed({ ...d, statement: { ...st, population: st.population.map((e, k) => (k ? e : { ...e, cls: 'D' })) } })).toContain('population');
    expect(failed({ ...d, statement: { ...st, ratios: { ...st.ratios, A: 10000 } } })).toEqual(['statement', 'result']);
    expect(failed({ ...d, statement: { ...st, recusals: {} } })).toContain('statement');
    const other = { ...d.reveals, 'justice:city-justice': 'b'.repeat(64) };
    expect(failed({ ...d, reveals: other })).toEqual(['reveals', 'seed', 'result']);
    expect(failed({ ...d, seed: 'c'.repeat(64) })).toEqual(['seed']);
    const [first, ...rest] = d.resultText.split('\n');
    const swapped = first.includes('i6') ? first.replace(/i\d/, 'i9') : first.replace(/i\d/, 'i6');
    expect(failed({ ...d, resultText: [swapped, ...rest].join('\n') })).toEqual(['result']);
  });

  it('reports a statement that cannot be re-run', () => {
    const d = published();
    const v = verifyDraw({ ...d, statement: { ...d.statement, parties: ['agency:mkt-city'] } });
    expect(v.ok).toBe(false);
    expect(v.steps).toHaveLength(1);
    expect(v.steps[0]).toMatchObject({ step: 'statement', ok: false });
    expect(v.steps[0].message.en).toMatch(/two parties/);
  });
});

describe('the WebCrypto variants', () => {
  it('runDrawAsync and verifyDrawAsync give what the synchronous ones give', async () => {
    const cls = ['A', 'B', 'C', 'D'] as const;
    const population = Array.from({ length: 500 }, (_, i) => ({ uscc: `91140300MA${String(i * 37).padStart(8, '0')}`, cls: cls[i % 4] }));
    const st = {
      drawId: 'async-1',
      population,
      ratios: { A: 300, B: 500, C: 1000, D: 2000 },
      teams: [{ agencyId: 'm', perTask: 2, pool: ['i1', 'i2', 'i3', 'i4'] }],
      recusals: { [population[3].uscc]: ['i2'] },
      parties: ['agency:m', 'justice:j'],
    };
    const secrets = { 'agency:m': 'a'.repeat(64), 'justice:j': 'b'.repeat(64) };
    const seed = seedOf(digestStatement(st).paramsHash, secrets);
    const sync = runDraw(st, seed);
    expect(await runDrawAsync(st, seed)).toEqual(sync);
    const pub = {
      statement: st,
      populationHash: sync.populationHash,
      populationSize: population.length,
      paramsHash: sync.paramsHash,
      commitments: Object.fromEntries(Object.entries(secrets).map(([p, s]) => [p, commitmentOf(sync.paramsHash, p, s)])),
      reveals: secrets,
      seed,
      resultText: sync.resultText,
    };
    expect(await verifyDrawAsync(pub)).toEqual(verifyDraw(pub));
    expect((await verifyDrawAsync(pub)).ok).toBe(true);
    const tampered = { ...pub, statement: { ...st, population: population.slice(1) } };
    expect(await verifyDrawAsync(tampered)).toEqual(verifyDraw(tampered));
    expect((await verifyDrawAsync(tampered)).ok).toBe(false);
  });
});
