/**
 * The platform's draw (src/domain/draw.ts) against an implementation written from docs/draw-spec.md alone
 * (tests/spec/draw-reference.ts): the published vectors, then many random draws, verification and tampering.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commitmentOf, digestStatement, type PublishedDraw, runDraw, seedOf, verifyDraw } from '../../../src/domain/draw';
import {
  REF_CLASSES,
  type RefClass,
  type RefPublished,
  type RefStatement,
  refCommitment,
  refFeasible,
  refParamsHash,
  refPopulationHash,
  refPopulationText,
  refRun,
  refSeed,
  refStatementText,
  refVerify,
} from '../../spec/draw-reference';

const REFERENCE = new URL('../../spec/draw-reference.ts', import.meta.url);
const VECTORS = new URL('../../spec/draw-vectors.json', import.meta.url);

interface Vector {
  name: string;
  statement: RefStatement;
  populationText: string;
  populationHash: string;
  populationSize: number;
  statementText: string;
  paramsHash: string;
  secrets: Record<string, string>;
  commitments: Record<string, string>;
  seed: string;
  resultText: string;
  resultHash: string;
}

/** A draw as both implementations take it for verification. */
type Published = RefPublished & PublishedDraw & { statement: RefStatement; seed: string };

const bothVerify = (p: Published) => ({ platform: verifyDraw(p).ok, reference: refVerify(p).ok });

// ---------------------------------------------------------------- a seeded generator of random draws

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const r = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: ArrayLike<T>) => xs[int(0, xs.length - 1)];
  const word = (alphabet: string, lo: number, hi: number) => Array.from({ length: int(lo, hi) }, () => pick(alphabet)).join('');
  const HEX = '0123456789abcdef';
  const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  // short ids from a small alphabet: prefixes of one another (i, i1, i10), mixed case and punctuation
  const ID = '01aAbB-_.';

  function uniqueIds(n: number, make: () => string, taken = new Set<string>()): string[] {
    const out: string[] = [];
    while (out.length < n) {
      const id = make();
      if (!taken.has(id)) {
        taken.add(id);
        out.push(id);
      }
    }
    return out;
  }

  function populationSize(): number {
    const x = r();
    if (x < 0.88) return int(0, 40);
    if (x < 0.99) return int(41, 300);
    return int(301, 3000);
  }

  function ratio(): number {
    const x = r();
    if (x < 0.2) return 0;
    if (x < 0.4) return 10000;
    if (x < 0.6) return int(1, 500);
    return int(0, 10000);
  }

  function statement(index: number): { statement: RefStatement; secrets: Record<string, string> } {
    const shortIds = r() < 0.3;
    const usccs = uniqueIds(populationSize(), shortIds ? () => word(ID, 1, 5) : () => word(USCC, 18, 18));
    const weights = REF_CLASSES.map(() => r());
    const total = weights.reduce((a, b) => a + b, 0);
    const cls = (): RefClass => {
      let x = r() * total;
      for (let i = 0; i < 4; i++) {
        x -= weights[i];
        if (x < 0) return REF_CLASSES[i];
      }
      return 'D';
    };
    const population = usccs.map((uscc) => ({ uscc, cls: cls() }));
    const ratios = { A: ratio(), B: ratio(), C: ratio(), D: ratio() };
    const agencies = uniqueIds(int(1, 3), () => `${pick(['mkt', 'eco', 'hr', 'env', 'a'])}${word(ID, 0, 3)}`);
    const inspectorIds = new Set<string>();
    const teams = agencies.map((agencyId) => {
      const perTask = int(1, 3);
      const pool = uniqueIds(perTask + int(0, 5), () => word(ID, 1, 4), inspectorIds);
      // now and then an inspector sits in two pools
      if (inspectorIds.size > pool.length && r() < 0.1) {
        const other = pick([...inspectorIds].filter((id) => !pool.includes(id)));
        if (other) pool.push(other);
      }
      return { agencyId, perTask, pool };
    });
    const everyone = [...inspectorIds];
    const recusals: Record<string, string[]> = {};
    for (const e of population) {
      if (r() < 0.3) recusals[e.uscc] = Array.from({ length: int(1, 4) }, () => (r() < 0.85 ? pick(everyone) : `gone-${int(0, 9)}`));
    }
    if (r() < 0.2) recusals[`not-here-${index}`] = [pick(everyone)];
    // keep the draw feasible: drop recused ids from an enterprise until every team can staff it
    for (const [uscc, ids] of Object.entries(recusals)) {
      const ok = () => teams.every((t) => t.pool.filter((id) => !ids.includes(id)).length >= t.perTask);
      while (!ok()) ids.pop();
      if (!ids.length) delete recusals[uscc];
    }
    const partyIds = uniqueIds(int(2, 4), () => `${pick(['agency', 'justice', 'county'])}:${word(ID, 1, 6)}`);
    const secrets = Object.fromEntries(partyIds.map((p) => [p, word(HEX, 64, 64)]));
    const shuffled = <T>(xs: T[]) =>
      xs
        .map((x) => [r(), x] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, x]) => x);
    return {
      statement: { drawId: `rnd-${index}`, population: shuffled(population), ratios, teams, recusals, parties: shuffled(partyIds) },
      secrets,
    };
  }

  return { statement, int, pick, word: (lo: number, hi: number) => word(HEX, lo, hi) };
}

/** Publish a draw with the platform's code, as the server would. */
function publish(statement: RefStatement, secrets: Record<string, string>): Published {
  const run = runDraw(statement, '');
  const commitments = Object.fromEntries(statement.parties.map((p) => [p, commitmentOf(run.paramsHash, p, secrets[p])]));
  const seed = seedOf(run.paramsHash, secrets);
  const drawn = runDraw(statement, seed);
  return {
    statement,
    populationHash: drawn.populationHash,
    populationSize: statement.population.length,
    paramsHash: drawn.paramsHash,
    commitments,
    reveals: { ...secrets },
    seed,
    resultText: drawn.resultText,
  };
}

// ---------------------------------------------------------------- tampering

const CLASS_AFTER: Record<RefClass, RefClass> = { A: 'B', B: 'C', C: 'D', D: 'A' };

function tamperings(p: Published, otherSecret: string): [string, Published][] {
  const s = p.statement;
  const out: [string, Published][] = [];
  if (s.population.length) {
    out.push(['drop one enterprise', { ...p, statement: { ...s, population: s.population.slice(1) } }]);
    const [first, ...rest] = s.population;
    out.push(['change one class', { ...p, statement: { ...s, population: [{ ...first, cls: CLASS_AFTER[first.cls] }, ...rest] } }]);
  }
  out.push(['change a ratio', { ...p, statement: { ...s, ratios: { ...s.ratios, B: s.ratios.B === 10000 ? 9999 : s.ratios.B + 1 } } }]);
  const party = s.parties[0];
  out.push(['swap one secret', { ...p, reveals: { ...p.reveals, [party]: otherSecret } }]);
  const lines = p.resultText.split('\n');
  if (lines[0]) {
    // `<uscc> <agency>:<ids>;…`: replace the first inspector of the first team with one who is not there
    const [uscc, teams] = lines[0].split(' ');
    const [agency, ids] = teams.split(';')[0].split(':');
    const there = ids.split(',');
    const pool = s.teams.find((t) => t.agencyId === agency)?.pool ?? [];
    const other = pool.find((id) => !there.includes(id)) ?? 'intruder';
    const swapped = [other, ...there.slice(1)].sort().join(',');
    const rest = teams.split(';').slice(1);
    lines[0] = `${uscc} ${[`${agency}:${swapped}`, ...rest].join(';')}`;
    out.push(['swap one inspector in the result', { ...p, resultText: lines.join('\n') }]);
  }
  return out;
}

// ---------------------------------------------------------------- the tests

describe('the reference implementation stands alone', () => {
  it('imports nothing from src/ (only node built-ins)', () => {
    const text = readFileSync(REFERENCE, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]);
    const dynamic = [...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const spec of [...specifiers, ...dynamic]) expect(spec).toMatch(/^node:/);
  });
});

describe('published test vectors (tests/spec/draw-vectors.json)', () => {
  const { vectors } = JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Vector[] };

  it('cover a joint draw, recusals, a class of ratio 0 and one of ratio 10000', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(3);
    expect(vectors.some((v) => v.statement.teams.length >= 2)).toBe(true);
    expect(vectors.some((v) => v.statementText.includes('\nrecuse '))).toBe(true);
    expect(vectors.some((v) => Object.values(v.statement.ratios).includes(0))).toBe(true);
    expect(vectors.some((v) => Object.values(v.statement.ratios).includes(10000))).toBe(true);
  });

  for (const v of (JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Vector[] }).vectors) {
    it(`${v.name}: the reference gives the published values`, () => {
      expect(refPopulationText(v.statement.population)).toBe(v.populationText);
      expect(refPopulationHash(v.statement.population)).toBe(v.populationHash);
      expect(refStatementText(v.statement)).toBe(v.statementText);
      expect(refParamsHash(v.statement)).toBe(v.paramsHash);
      for (const p of v.statement.parties) expect(refCommitment(v.paramsHash, p, v.secrets[p])).toBe(v.commitments[p]);
      expect(refSeed(v.paramsHash, v.secrets)).toBe(v.seed);
      const run = refRun(v.seed, v.statement);
      expect(run.resultText).toBe(v.resultText);
      expect(run.resultHash).toBe(v.resultHash);
    });

    it(`${v.name}: the platform gives the published values and verifies it`, () => {
      const digest = digestStatement(v.statement);
      expect(digest.populationText).toBe(v.populationText);
      expect(digest.populationHash).toBe(v.populationHash);
      expect(digest.statementText).toBe(v.statementText);
      expect(digest.paramsHash).toBe(v.paramsHash);
      for (const p of v.statement.parties) expect(commitmentOf(v.paramsHash, p, v.secrets[p])).toBe(v.commitments[p]);
      expect(seedOf(v.paramsHash, v.secrets)).toBe(v.seed);
      const run = runDraw(v.statement, v.seed);
      expect(run.resultText).toBe(v.resultText);
      expect(run.resultHash).toBe(v.resultHash);
      const published: Published = { ...v, reveals: v.secrets };
      expect(bothVerify(published)).toEqual({ platform: true, reference: true });
    });
  }
});

describe('sets given with repeats (spec §1: an id given twice counts once)', () => {
  it('give the same statement and result in both', () => {
    const gen = generator(7);
    const { statement, secrets } = gen.statement(0);
    const [team, ...others] = statement.teams;
    const uscc = statement.population[0]?.uscc ?? 'none';
    const repeated: RefStatement = {
      ...statement,
      teams: [{ ...team, pool: [...team.pool, team.pool[0]] }, ...others],
      recusals: { ...statement.recusals, [uscc]: [...(statement.recusals[uscc] ?? []), team.pool[0], team.pool[0]].slice(-2) },
      parties: [...statement.parties, statement.parties[0]],
    };
    const p = publish(repeated, secrets);
    expect(refStatementText(repeated)).toBe(digestStatement(repeated).statementText);
    expect(refRun(p.seed, repeated).resultText).toBe(p.resultText);
    expect(bothVerify(p)).toEqual({ platform: true, reference: true });
  });
});

describe('1,200 random draws: the platform and the reference agree', () => {
  const DRAWS = 1200;
  const TAMPERED_EVERY = 4;
  const gen = generator(20261125);
  const cases = Array.from({ length: DRAWS }, (_, i) => gen.statement(i));

  it('every random draw is feasible and the generator covers the corners', () => {
    expect(cases.every((c) => refFeasible(c.statement))).toBe(true);
    const st = cases.map((c) => c.statement);
    expect(st.filter((s) => s.population.length === 0).length).toBeGreaterThan(0);
    expect(st.filter((s) => s.population.length > 1000).length).toBeGreaterThan(0);
    expect(st.filter((s) => s.teams.length === 3).length).toBeGreaterThan(50);
    expect(st.filter((s) => s.parties.length === 4).length).toBeGreaterThan(50);
    expect(st.filter((s) => Object.keys(s.recusals).length > 0).length).toBeGreaterThan(200);
    expect(st.filter((s) => Object.values(s.ratios).includes(0)).length).toBeGreaterThan(200);
    expect(st.filter((s) => Object.values(s.ratios).includes(10000)).length).toBeGreaterThan(200);
  });

  it('agree on population hash, parameters hash, commitments, seed and result; both verify; tampering fails both', () => {
    let drawn = 0;
    let tampered = 0;
    for (const [i, { statement, secrets }] of cases.entries()) {
      const p = publish(statement, secrets);
      const where = `draw ${i} (${statement.population.length} enterprises)`;
      expect(refPopulationHash(statement.population), where).toBe(p.populationHash);
      expect(refParamsHash(statement), where).toBe(p.paramsHash);
      for (const party of statement.parties) expect(refCommitment(p.paramsHash, party, secrets[party]), where).toBe(p.commitments[party]);
      expect(refSeed(p.paramsHash, secrets), where).toBe(p.seed);
      const ref = refRun(p.seed, statement);
      expect(ref.resultText, where).toBe(p.resultText);
      drawn += ref.resultText ? ref.resultText.split('\n').length - 1 : 0;
      expect(bothVerify(p), where).toEqual({ platform: true, reference: true });
      if (i % TAMPERED_EVERY) continue;
      for (const [what, t] of tamperings(p, gen.word(64, 64))) {
        expect(bothVerify(t), `${where}: ${what}`).toEqual({ platform: false, reference: false });
        tampered++;
      }
    }
    expect(drawn).toBeGreaterThan(DRAWS);
    expect(tampered).toBeGreaterThan((DRAWS / TAMPERED_EVERY) * 3);
  });
});
