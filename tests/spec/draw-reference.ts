/**
 * An independent implementation of the draw specification (docs/draw-spec.md, `yq-draw/1`), written from
 * that page alone. It imports nothing from src/: the test suite checks the platform's draw against it, so the
 * two must not share code. Plain TypeScript and node:crypto only.
 */
import { createHash } from 'node:crypto';

export const REF_VERSION = 'yq-draw/1';
export const REF_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type RefClass = (typeof REF_CLASSES)[number];

export interface RefEnterprise {
  uscc: string;
  cls: RefClass;
}

export interface RefTeam {
  agencyId: string;
  perTask: number;
  pool: string[];
}

export interface RefStatement {
  drawId: string;
  population: RefEnterprise[];
  /** Basis points per class, 0 … 10000. */
  ratios: Record<RefClass, number>;
  teams: RefTeam[];
  /** USCC → inspector ids who must not go there. */
  recusals: Record<string, string[]>;
  parties: string[];
}

/** What a published draw shows: enough for anyone to check it (spec §8). */
export interface RefPublished {
  statement: RefStatement;
  populationHash: string;
  populationSize: number;
  paramsHash: string;
  commitments: Record<string, string>;
  reveals: Record<string, string>;
  /** The published seed, when there is one: it must follow from the reveals. */
  seed?: string;
  resultText: string;
}

// ---------------------------------------------------------------- §1 conventions

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sha256Bytes(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Ascending by the bytes of the UTF-8 encoding. */
export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sorted(items: Iterable<string>): string[] {
  return [...items].sort(byteCompare);
}

// ---------------------------------------------------------------- §2.1 population

export function refPopulationText(population: readonly RefEnterprise[]): string {
  const rows = [...population].sort((x, y) => byteCompare(x.uscc, y.uscc));
  return rows.map((e) => `${e.uscc} ${e.cls}\n`).join('');
}

export function refPopulationHash(population: readonly RefEnterprise[]): string {
  return sha256Hex(refPopulationText(population));
}

// ---------------------------------------------------------------- §2.2 statement

/** The recusal lists as the statement writes them: only pooled ids, only population USCCs, none empty. */
function effectiveRecusals(s: RefStatement): Map<string, string[]> {
  const pooled = new Set(s.teams.flatMap((t) => t.pool));
  const inPopulation = new Set(s.population.map((e) => e.uscc));
  const out = new Map<string, string[]>();
  for (const uscc of sorted(Object.keys(s.recusals))) {
    if (!inPopulation.has(uscc)) continue;
    const ids = sorted(new Set(s.recusals[uscc].filter((id) => pooled.has(id))));
    if (ids.length > 0) out.set(uscc, ids);
  }
  return out;
}

/** Teams by agencyId, each pool sorted; a repeated id counts once (spec §2). */
function teamsInOrder(s: RefStatement): RefTeam[] {
  return s.teams.map((t) => ({ ...t, pool: sorted(new Set(t.pool)) })).sort((x, y) => byteCompare(x.agencyId, y.agencyId));
}

export function refStatementText(s: RefStatement): string {
  const lines = [
    REF_VERSION,
    `draw ${s.drawId}`,
    `population ${refPopulationHash(s.population)} ${s.population.length}`,
    `ratios ${REF_CLASSES.map((c) => `${c}=${s.ratios[c]}`).join(' ')}`,
  ];
  for (const t of teamsInOrder(s)) lines.push(`team ${t.agencyId} ${t.perTask} ${t.pool.join(',')}`);
  for (const [uscc, ids] of effectiveRecusals(s)) lines.push(`recuse ${uscc} ${ids.join(',')}`);
  lines.push(`parties ${sorted(new Set(s.parties)).join(',')}`);
  return lines.map((l) => `${l}\n`).join('');
}

export function refParamsHash(s: RefStatement): string {
  return sha256Hex(refStatementText(s));
}

// ---------------------------------------------------------------- §3 commitments and seed

export function refCommitment(paramsHash: string, party: string, secret: string): string {
  return sha256Hex(`${REF_VERSION} commit\n${paramsHash}\n${party}\n${secret}`);
}

export function refSeed(paramsHash: string, reveals: Record<string, string>): string {
  const body = sorted(Object.keys(reveals))
    .map((p) => `${p} ${reveals[p]}\n`)
    .join('');
  return sha256Hex(`${REF_VERSION} seed\n${paramsHash}\n${body}`);
}

// ---------------------------------------------------------------- §4 the stream

export class RefStream {
  private block = 0;
  private words: number[] = [];
  constructor(
    private readonly seed: string,
    private readonly label: string,
  ) {}

  next(): number {
    if (this.words.length === 0) {
      const digest = sha256Bytes(`${this.seed} ${this.label} ${this.block}`);
      this.block += 1;
      for (let i = 0; i < 32; i += 4) this.words.push(digest.readUInt32BE(i));
    }
    return this.words.shift() as number;
  }

  uniform(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`uniform(${n})`);
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = this.next();
      if (w < limit) return w % n;
    }
  }
}

// ---------------------------------------------------------------- §5 selection

export function refClassCount(n: number, bp: number): number {
  return Math.floor((n * bp + 9999) / 10000);
}

export function refSelect(seed: string, s: RefStatement): string[] {
  const selection: string[] = [];
  for (const c of REF_CLASSES) {
    const S = sorted(s.population.filter((e) => e.cls === c).map((e) => e.uscc));
    const n = S.length;
    const k = refClassCount(n, s.ratios[c]);
    const stream = new RefStream(seed, `select ${c}`);
    for (let i = 0; i < k; i++) {
      const j = i + stream.uniform(n - i);
      [S[i], S[j]] = [S[j], S[i]];
    }
    selection.push(...S.slice(0, k));
  }
  return selection;
}

// ---------------------------------------------------------------- §6 assignment

export class RefInfeasible extends Error {}

/** For each USCC of the selection: agencyId → sorted inspector ids, teams in agencyId order. */
export type RefAssignment = Map<string, Map<string, string[]>>;

export function refAssign(seed: string, s: RefStatement, selection: readonly string[]): RefAssignment {
  const recused = effectiveRecusals(s);
  const out: RefAssignment = new Map(selection.map((u) => [u, new Map<string, string[]>()]));
  for (const team of teamsInOrder(s)) {
    const stream = new RefStream(seed, `assign ${team.agencyId}`);
    const load = new Map(team.pool.map((id) => [id, 0]));
    for (const u of selection) {
      const no = new Set(recused.get(u) ?? []);
      const E = team.pool.filter((id) => !no.has(id));
      if (E.length < team.perTask) throw new RefInfeasible(`${team.agencyId} cannot staff ${u}`);
      const taken: string[] = [];
      for (let r = 0; r < team.perTask; r++) {
        const m = Math.min(...E.map((id) => load.get(id) as number));
        const C = E.filter((id) => load.get(id) === m); // E is sorted, so C is too
        const x = C[stream.uniform(C.length)];
        E.splice(E.indexOf(x), 1);
        load.set(x, (load.get(x) as number) + 1);
        taken.push(x);
      }
      (out.get(u) as Map<string, string[]>).set(team.agencyId, sorted(taken));
    }
  }
  return out;
}

/** Whether every enterprise of the population could be staffed by every team (spec §6, step 2). */
export function refFeasible(s: RefStatement): boolean {
  const recused = effectiveRecusals(s);
  return s.population.every((e) => {
    const no = new Set(recused.get(e.uscc) ?? []);
    return teamsInOrder(s).every((t) => t.pool.filter((id) => !no.has(id)).length >= t.perTask);
  });
}

// ---------------------------------------------------------------- §7 result

export function refResultText(selection: readonly string[], assignment: RefAssignment): string {
  return selection
    .map((u) => {
      const teams = [...(assignment.get(u) as Map<string, string[]>)].map(([a, ids]) => `${a}:${ids.join(',')}`);
      return `${u} ${teams.join(';')}\n`;
    })
    .join('');
}

export function refRun(seed: string, s: RefStatement): { selection: string[]; resultText: string; resultHash: string } {
  const selection = refSelect(seed, s);
  const resultText = refResultText(selection, refAssign(seed, s, selection));
  return { selection, resultText, resultHash: sha256Hex(resultText) };
}

// ---------------------------------------------------------------- §8 verify

export interface RefVerdict {
  ok: boolean;
  /** The first check that failed (1–4, as numbered in spec §8), or null. */
  failedStep: 1 | 2 | 3 | 4 | null;
  reason: string;
}

export function refVerify(p: RefPublished): RefVerdict {
  const fail = (failedStep: 1 | 2 | 3 | 4, reason: string): RefVerdict => ({ ok: false, failedStep, reason });
  if (new Set(p.statement.population.map((e) => e.uscc)).size !== p.statement.population.length) {
    return fail(1, 'duplicate USCC');
  }
  if (refPopulationHash(p.statement.population) !== p.populationHash) return fail(1, 'population hash');
  if (p.statement.population.length !== p.populationSize) return fail(1, 'population size');
  const paramsHash = refParamsHash(p.statement);
  if (paramsHash !== p.paramsHash) return fail(2, 'parameters hash');
  const parties = sorted(new Set(p.statement.parties));
  for (const party of parties) {
    const secret = p.reveals[party];
    if (secret === undefined) return fail(3, `no reveal from ${party}`);
    if (refCommitment(paramsHash, party, secret) !== p.commitments[party]) return fail(3, `reveal of ${party}`);
  }
  if (Object.keys(p.reveals).length !== parties.length) return fail(3, 'reveal from a non-party');
  const seed = refSeed(paramsHash, p.reveals);
  if (p.seed !== undefined && p.seed !== seed) return fail(4, 'seed');
  let resultText: string;
  try {
    resultText = refRun(seed, p.statement).resultText;
  } catch (e) {
    if (e instanceof RefInfeasible) return fail(4, e.message);
    throw e;
  }
  if (resultText !== p.resultText) return fail(4, 'result text');
  return { ok: true, failedStep: null, reason: '' };
}
