/**
 * The verifiable draw for 双随机 (measure 5), version `yq-draw/1`: random enterprises by credit-risk class,
 * random inspectors per team, a seed that no single party chooses. docs/draw-spec.md is the specification,
 * step by step; this file follows it section by section and must stay in step with it (the suite checks it
 * against an implementation written from the spec alone, tests/spec/draw-reference.ts).
 *
 * Synchronous SHA-256 (@noble/hashes): the random stream hashes one block per 8 numbers, and awaiting
 * WebCrypto for each of thousands of blocks would cost more than the draw itself.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Text } from './schemas';

export const DRAW_VERSION = 'yq-draw/1';
export const CREDIT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];

export interface DrawEnterprise {
  uscc: string;
  cls: CreditClass;
}
export interface DrawTeam {
  agencyId: string;
  /** inspectors of this agency per enterprise (≥ 1) */
  perTask: number;
  /** inspector ids (unique) */
  pool: readonly string[];
}
/** What a draw is made from, published before anyone commits (spec §2). */
export interface DrawStatement {
  drawId: string;
  population: readonly DrawEnterprise[];
  /** share drawn per class, in basis points 0..10000 */
  ratios: Readonly<Record<CreditClass, number>>;
  teams: readonly DrawTeam[];
  /** uscc → inspector ids who stand down there */
  recusals: Readonly<Record<string, readonly string[]>>;
  /** at least two, e.g. `agency:city-market`, `justice:city-justice` */
  parties: readonly string[];
}
export interface DrawPick {
  uscc: string;
  /** agencyId → inspector ids (sorted) */
  teams: Record<string, string[]>;
}

export class DrawError extends Error {
  constructor(
    public readonly code: 'statement' | 'infeasible' | 'reveal',
    message: string,
  ) {
    super(message);
    this.name = 'DrawError';
  }
}

const utf8 = new TextEncoder();
const hex = (s: string) => bytesToHex(sha256(utf8.encode(s)));
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort(byCode);
const ID = /^[\x21-\x7e]+$/;
const BAD = /[ ,:;=]/;
/** ID and not BAD in one test (printable ASCII without space , : ; =): run once per enterprise of the population */
const IDENTIFIER = /^[!-+\--9<>-~]+$/;

// ---------- §2.1 population ----------

/**
 * The population in canonical order (by USCC). Throws on a duplicate USCC or an unknown class. A population
 * already in order (the server's, or one parsed from its text) is only checked: sorting 100,000 records with
 * a comparator took 150–350 ms, the default string sort of the lines a fraction of it.
 */
export function canonicalPopulation(population: readonly DrawEnterprise[]): DrawEnterprise[] {
  let inOrder = true;
  for (let i = 1; i < population.length && inOrder; i++) inOrder = population[i - 1].uscc < population[i].uscc;
  // "<uscc> <class>" lines sort as their USCCs do: a space sorts before every character an id may hold
  const out = inOrder
    ? population.slice()
    : population
        .map((e) => `${e.uscc} ${e.cls}`)
        .sort()
        .map(lineToEnterprise);
  for (let i = 0; i < out.length; i++) {
    // the line sort above and the population text need ids of printable ASCII without a space (spec §1)
    if (!IDENTIFIER.test(out[i].uscc)) throw new DrawError('statement', `USCC "${out[i].uscc}" is not allowed`);
    if (!CREDIT_CLASSES.includes(out[i].cls)) throw new DrawError('statement', `class ${out[i].cls} of ${out[i].uscc} is not A–D`);
    if (i && out[i].uscc === out[i - 1].uscc) throw new DrawError('statement', `${out[i].uscc} appears twice in the population`);
  }
  return out;
}

/** binary search of a USCC in a population in canonical order */
function inSorted(population: readonly DrawEnterprise[], uscc: string): boolean {
  let lo = 0;
  let hi = population.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = population[mid].uscc;
    if (v === uscc) return true;
    if (v < uscc) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function lineToEnterprise(line: string): DrawEnterprise {
  const k = line.indexOf(' ');
  return { uscc: line.slice(0, k), cls: line.slice(k + 1) as CreditClass };
}

const linesOf = (population: readonly DrawEnterprise[]) => {
  const lines = population.map((e) => `${e.uscc} ${e.cls}\n`);
  return lines.join('');
};

/** `<uscc> <class>\n` per enterprise, by USCC. */
export function populationText(population: readonly DrawEnterprise[]): string {
  return linesOf(canonicalPopulation(population));
}

/** The population back from its text (what the public page downloads). Throws on a malformed line. */
export function parsePopulationText(text: string): DrawEnterprise[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new DrawError('statement', 'the population text must end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const m = /^(\S+) ([ABCD])$/.exec(line);
      if (!m) throw new DrawError('statement', `population line ${i + 1} is not "<uscc> <class>"`);
      return { uscc: m[1], cls: m[2] as CreditClass };
    });
}

// ---------- §2.2 statement ----------

/** The statement with its lists sorted and the recusals reduced to pooled ids (spec §2.2); validated. */
export function normaliseStatement(s: DrawStatement): DrawStatement & { population: DrawEnterprise[] } {
  if (!ID.test(s.drawId) || BAD.test(s.drawId)) throw new DrawError('statement', 'the draw id must be printable ASCII without spaces or , : ; =');
  for (const c of CREDIT_CLASSES) {
    const bp = s.ratios[c];
    if (!Number.isInteger(bp) || bp < 0 || bp > 10000) throw new DrawError('statement', `ratio ${c} must be an integer 0..10000 basis points`);
  }
  const population = canonicalPopulation(s.population);
  const teams = s.teams.map((t) => ({ agencyId: t.agencyId, perTask: t.perTask, pool: sorted(t.pool) })).sort((a, b) => byCode(a.agencyId, b.agencyId));
  if (!teams.length) throw new DrawError('statement', 'a draw needs at least one team');
  for (let i = 0; i < teams.length; i++) {
    const t = teams[i];
    if (i && t.agencyId === teams[i - 1].agencyId) throw new DrawError('statement', `team ${t.agencyId} appears twice`);
    if (!Number.isInteger(t.perTask) || t.perTask < 1) throw new DrawError('statement', `team ${t.agencyId}: perTask must be a positive integer`);
    for (const id of [t.agencyId, ...t.pool]) if (!ID.test(id) || BAD.test(id)) throw new DrawError('statement', `identifier "${id}" is not allowed`);
  }
  const parties = sorted(s.parties);
  if (parties.length < 2) throw new DrawError('statement', 'a draw needs at least two parties');
  for (const p of parties) if (!ID.test(p) || /[ ,;=]/.test(p)) throw new DrawError('statement', `party "${p}" is not allowed`);
  const pooled = new Set(teams.flatMap((t) => t.pool));
  const recusals: Record<string, string[]> = {};
  for (const u of Object.keys(s.recusals).sort(byCode)) {
    const ids = sorted(s.recusals[u].filter((id) => pooled.has(id)));
    if (ids.length && inSorted(population, u)) recusals[u] = ids;
  }
  return { drawId: s.drawId, population, ratios: { ...s.ratios }, teams, recusals, parties };
}

/** The normalised statement without its population (which is published apart, as text): what is stored and served. */
export function statementWithoutPopulation(st: DrawStatement): {
  drawId: string;
  ratios: Record<CreditClass, number>;
  teams: { agencyId: string; perTask: number; pool: string[] }[];
  recusals: Record<string, string[]>;
  parties: string[];
} {
  const s = normaliseStatement(st);
  return {
    drawId: s.drawId,
    ratios: { ...s.ratios },
    teams: s.teams.map((t) => ({ agencyId: t.agencyId, perTask: t.perTask, pool: [...t.pool] })),
    recusals: Object.fromEntries(Object.entries(s.recusals).map(([u, ids]) => [u, [...ids]])),
    parties: [...s.parties],
  };
}

export interface StatementDigest {
  populationText: string;
  populationHash: string;
  statementText: string;
  paramsHash: string;
}

/** The population text and hash, the statement text and the parameters hash (spec §2). */
export function digestStatement(st: DrawStatement): StatementDigest {
  return digestNormalised(normaliseStatement(st));
}

function digestNormalised(s: ReturnType<typeof normaliseStatement>, known?: { text: string; hash: string }): StatementDigest {
  const pop = known?.text ?? linesOf(s.population);
  const populationHash = known?.hash ?? bytesToHex(sha256(utf8.encode(pop)));
  const lines = [
    DRAW_VERSION,
    `draw ${s.drawId}`,
    `population ${populationHash} ${s.population.length}`,
    `ratios ${CREDIT_CLASSES.map((c) => `${c}=${s.ratios[c]}`).join(' ')}`,
    ...s.teams.map((t) => `team ${t.agencyId} ${t.perTask} ${t.pool.join(',')}`),
    // sorted again: an object lists integer-like keys ("0", "12") before the others, whatever their order
    ...Object.keys(s.recusals)
      .sort(byCode)
      .map((u) => `recuse ${u} ${s.recusals[u].join(',')}`),
    `parties ${s.parties.join(',')}`,
  ];
  const statementText = lines.map((l) => `${l}\n`).join('');
  return { populationText: pop, populationHash, statementText, paramsHash: hex(statementText) };
}

// ---------- §3 commitments and seed ----------

const SECRET = /^[0-9a-f]{64}$/;
export const isSecret = (s: string) => SECRET.test(s);

/** 32 random bytes as hex, from the platform's cryptographic source (browser or Node). */
export function newSecret(): string {
  const b = new Uint8Array(32);
  globalThis.crypto.getRandomValues(b);
  return bytesToHex(b);
}

export function commitmentOf(paramsHash: string, party: string, secret: string): string {
  if (!isSecret(secret)) throw new DrawError('reveal', 'a secret is 64 lowercase hexadecimal characters');
  return hex(`${DRAW_VERSION} commit\n${paramsHash}\n${party}\n${secret}`);
}

/** The seed from every party's secret (spec §3). */
export function seedOf(paramsHash: string, reveals: Readonly<Record<string, string>>): string {
  let s = `${DRAW_VERSION} seed\n${paramsHash}\n`;
  for (const p of Object.keys(reveals).sort(byCode)) s += `${p} ${reveals[p]}\n`;
  return hex(s);
}

// ---------- §4 the random stream ----------

export class DrawStream {
  private block = 0;
  private words: DataView | null = null;
  private at = 8;
  constructor(
    private readonly seed: string,
    private readonly label: string,
  ) {}

  /** the next 32-bit unsigned integer */
  next(): number {
    if (this.at === 8) {
      const d = sha256(utf8.encode(`${this.seed} ${this.label} ${this.block++}`));
      this.words = new DataView(d.buffer, d.byteOffset, d.byteLength);
      this.at = 0;
    }
    return this.words!.getUint32(4 * this.at++, false);
  }

  /** an unbiased integer in 0..n−1 (1 ≤ n ≤ 2^32) */
  uniform(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`uniform(${n})`);
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = this.next();
      if (w < limit) return w % n;
    }
  }
}

// ---------- §5 enterprises ----------

/** ⌈n × bp / 10000⌉ in integers. */
export const drawCount = (n: number, bp: number) => Math.floor((n * bp + 9999) / 10000);

function selectEnterprises(seed: string, population: readonly DrawEnterprise[], ratios: Readonly<Record<CreditClass, number>>): string[] {
  const out: string[] = [];
  for (const c of CREDIT_CLASSES) {
    const s = population.filter((e) => e.cls === c).map((e) => e.uscc);
    const k = drawCount(s.length, ratios[c]);
    const rng = new DrawStream(seed, `select ${c}`);
    for (let i = 0; i < k; i++) {
      const j = i + rng.uniform(s.length - i);
      const x = s[i];
      s[i] = s[j];
      s[j] = x;
    }
    for (let i = 0; i < k; i++) out.push(s[i]);
  }
  return out;
}

// ---------- §6 inspectors ----------

/** Enterprises of the population where some team has fewer eligible inspectors than it sends (spec §6). */
export function infeasible(st: DrawStatement): { uscc: string; agencyId: string; eligible: number; perTask: number }[] {
  const s = normaliseStatement(st);
  const out: { uscc: string; agencyId: string; eligible: number; perTask: number }[] = [];
  for (const t of s.teams) {
    if (t.pool.length < t.perTask) {
      out.push({ uscc: '*', agencyId: t.agencyId, eligible: t.pool.length, perTask: t.perTask });
      continue;
    }
    for (const [u, ids] of Object.entries(s.recusals)) {
      const eligible = t.pool.length - ids.filter((id) => t.pool.includes(id)).length;
      if (eligible < t.perTask) out.push({ uscc: u, agencyId: t.agencyId, eligible, perTask: t.perTask });
    }
  }
  return out;
}

function assignTeam(seed: string, selection: readonly string[], team: DrawTeam, recusals: Readonly<Record<string, readonly string[]>>): string[][] {
  const rng = new DrawStream(seed, `assign ${team.agencyId}`);
  // by position in the sorted pool: scanning positions in ascending order visits ids in sorted order, and
  // flags instead of lists keep the 100,000-pick joint draw free of per-pick allocations
  const pool = team.pool;
  const n = pool.length;
  const at = new Map(pool.map((id, i) => [id, i]));
  const load = new Int32Array(n);
  const out = new Uint8Array(n); // 1: recused for this enterprise, 2: taken for it
  return selection.map((u) => {
    const recused = recusals[u] ?? [];
    let eligible = n;
    for (const id of recused) {
      const i = at.get(id);
      if (i !== undefined && !out[i]) {
        out[i] = 1;
        eligible--;
      }
    }
    if (eligible < team.perTask) {
      out.fill(0);
      throw new DrawError('infeasible', `${team.agencyId}: only ${eligible} inspector(s) eligible for ${u}; ${team.perTask} needed`);
    }
    const taken: string[] = [];
    for (let r = 0; r < team.perTask; r++) {
      // the lowest load among those still eligible, and how many have it
      let m = 0x7fffffff;
      let c = 0;
      for (let i = 0; i < n; i++) {
        if (out[i]) continue;
        if (load[i] < m) {
          m = load[i];
          c = 1;
        } else if (load[i] === m) c++;
      }
      // the k-th of them in pool order
      let k = rng.uniform(c);
      let x = 0;
      for (let i = 0; i < n; i++) {
        if (out[i] || load[i] !== m) continue;
        if (k-- === 0) {
          x = i;
          break;
        }
      }
      out[x] = 2;
      load[x]++;
      taken.push(pool[x]);
    }
    out.fill(0);
    return taken.sort(byCode);
  });
}

// ---------- §7 result ----------

export function resultText(picks: readonly DrawPick[]): string {
  let s = '';
  for (const p of picks) {
    s += `${p.uscc} ${Object.keys(p.teams)
      .sort(byCode)
      .map((a) => `${a}:${p.teams[a].join(',')}`)
      .join(';')}\n`;
  }
  return s;
}

export interface DrawRun extends StatementDigest {
  seed: string;
  picks: DrawPick[];
  resultText: string;
  resultHash: string;
}

/** Run the draw of a statement with a seed (spec §5–§7). */
export function runDraw(st: DrawStatement, seed: string): DrawRun {
  return runNormalised(normaliseStatement(st), seed);
}

/**
 * The same draw, with the population's SHA-256 from WebCrypto: in a browser that hashes the 2 MB text of
 * 100,000 enterprises in about 3 ms where the synchronous code takes 20–60 ms, a third of the whole draw.
 */
export async function runDrawAsync(st: DrawStatement, seed: string): Promise<DrawRun> {
  const s = normaliseStatement(st);
  const text = linesOf(s.population);
  return runNormalised(s, seed, { text, hash: await sha256HexAsync(text) });
}

async function sha256HexAsync(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return hex(text);
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', utf8.encode(text))));
}

function runNormalised(s: ReturnType<typeof normaliseStatement>, seed: string, known?: { text: string; hash: string }): DrawRun {
  const digest = digestNormalised(s, known);
  const selection = selectEnterprises(seed, s.population, s.ratios);
  const byTeam = s.teams.map((t) => [t.agencyId, assignTeam(seed, selection, t, s.recusals)] as const);
  const picks = selection.map((uscc, k) => ({ uscc, teams: Object.fromEntries(byTeam.map(([a, ids]) => [a, ids[k]])) }));
  const text = resultText(picks);
  return { ...digest, seed, picks, resultText: text, resultHash: hex(text) };
}

/** How many enterprises each class gives, before the seed is known. */
export function expectedCounts(st: Pick<DrawStatement, 'population' | 'ratios'>): Record<CreditClass, { population: number; drawn: number }> {
  const out = {} as Record<CreditClass, { population: number; drawn: number }>;
  for (const c of CREDIT_CLASSES) {
    const n = st.population.filter((e) => e.cls === c).length;
    out[c] = { population: n, drawn: drawCount(n, st.ratios[c]) };
  }
  return out;
}

// ---------- §8 verification ----------

/** A draw as published: the statement, what it was published as, the commitments, reveals and result. */
export interface PublishedDraw {
  statement: DrawStatement;
  populationHash: string;
  populationSize: number;
  paramsHash: string;
  /** party → commitment */
  commitments: Readonly<Record<string, string>>;
  /** party → secret */
  reveals: Readonly<Record<string, string>>;
  seed: string;
  resultText: string;
}

export interface VerifyStep {
  step: 'population' | 'statement' | 'reveals' | 'seed' | 'result';
  ok: boolean;
  message: Text;
}

/** the seed the reveals give under the published parameters hash (the run recomputes that hash) */
const seedOfPublished = (d: PublishedDraw) => seedOf(d.paramsHash, Object.fromEntries(sorted(d.statement.parties).map((p) => [p, d.reveals[p] ?? ''])));

/** Re-run a published draw from its inputs (spec §8): each step, with what was found. */
export function verifyDraw(d: PublishedDraw): { ok: boolean; steps: VerifyStep[] } {
  const seed = seedOfPublished(d);
  try {
    return checkRun(d, seed, runDraw(d.statement, seed));
  } catch (e) {
    return checkRun(d, seed, (e as Error).message);
  }
}

/** verifyDraw with the population hashed by WebCrypto (runDrawAsync): what the public page runs */
export async function verifyDrawAsync(d: PublishedDraw): Promise<{ ok: boolean; steps: VerifyStep[] }> {
  const seed = seedOfPublished(d);
  try {
    return checkRun(d, seed, await runDrawAsync(d.statement, seed));
  } catch (e) {
    return checkRun(d, seed, (e as Error).message);
  }
}

function checkRun(d: PublishedDraw, seed: string, run: DrawRun | string): { ok: boolean; steps: VerifyStep[] } {
  const steps: VerifyStep[] = [];
  const add = (step: VerifyStep['step'], ok: boolean, zh: string, en: string) => steps.push({ step, ok, message: { zh, en } });
  const parties = sorted(d.statement.parties);
  if (typeof run === 'string') {
    const failure = run;
    add('statement', false, `无法重新抽取：${failure}`, `The draw cannot be re-run: ${failure}`);
    return { ok: false, steps };
  }
  const n = d.statement.population.length;
  const popOk = run.populationHash === d.populationHash && n === d.populationSize;
  add(
    'population',
    popOk,
    popOk ? `抽取名录${n}户，摘要一致` : `抽取名录（${n}户）与公布的摘要（${d.populationSize}户）不一致`,
    popOk ? `Population of ${n}: its hash matches` : `The population (${n}) does not match the published hash (${d.populationSize})`,
  );
  const stOk = run.paramsHash === d.paramsHash;
  add(
    'statement',
    stOk,
    stOk ? '抽取参数摘要一致' : '抽取参数与公布的摘要不一致',
    stOk ? 'The statement hash matches' : 'The statement does not match the published hash',
  );
  const bad = parties.filter((p) => {
    const s = d.reveals[p];
    return !s || !isSecret(s) || commitmentOf(d.paramsHash, p, s) !== d.commitments[p];
  });
  add(
    'reveals',
    !bad.length,
    bad.length ? `以下各方的揭示值与承诺不符：${bad.join('、')}` : `${parties.length}方的揭示值均与承诺相符`,
    bad.length ? `These reveals do not match their commitments: ${bad.join(', ')}` : `All ${parties.length} reveals match their commitments`,
  );
  const seedOk = seed === d.seed;
  add(
    'seed',
    seedOk,
    seedOk ? '随机种子由各方揭示值得出' : '随机种子与各方揭示值不符',
    seedOk ? 'The seed follows from the reveals' : 'The seed does not follow from the reveals',
  );
  const resOk = run.resultText === d.resultText;
  add(
    'result',
    resOk,
    resOk ? '重新抽取的结果与公布的结果一致' : '重新抽取的结果与公布的结果不一致',
    resOk ? 'Re-running the draw gives the published result' : 'Re-running the draw gives a different result',
  );
  return { ok: steps.every((s) => s.ok), steps };
}
