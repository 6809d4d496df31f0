/**
 * Verifiable random draw for 双随机 (measure 5): random enterprises, random inspectors.
 *
 * Anyone holding the published draw and the population can re-run it:
 * 1. population = the USCCs, de-duplicated and sorted; populationHash = SHA-256 of its canonical JSON;
 * 2. enterprises: `prng(seed + "\n" + populationHash + "\nenterprises").shuffle(population)`, the
 *    first ⌈ratio × N⌉ (at least one when ratio > 0 and N > 0);
 * 3. inspectors, per selected enterprise in draw order: the pool (sorted, de-duplicated) minus the
 *    inspectors recused for that enterprise (who inspected it last time), shuffled by
 *    `prng(seed + "\n" + populationHash + "\ninspectors")`, then stably ordered by how many tasks each
 *    already has in this draw (spreads the load), the first `perTask` taken.
 * The seed should be fixed before the population is known to the public and be published with the
 * result (e.g. a public lottery number or a hash announced in advance).
 */
import type { Draw, PolicyConfig, Text, Verdict } from './schemas';
import { contentHash } from './canonical';
import { prng } from './prng';
import { block, ok, warn } from './rules/verdict';

export interface DrawInput {
  seed: string;
  /** USCCs of the population (any order; duplicates ignored) */
  population: readonly string[];
  /** share of the population to draw, 0..1 */
  ratio: number;
  /** the inspector pool (ids) */
  inspectors: readonly string[];
  /** inspectors per task (default 2) */
  perTask?: number;
  /** uscc → inspector ids who inspected that enterprise last time */
  lastInspectorsByUscc?: Readonly<Record<string, readonly string[]>>;
  /** honour recusal (default true; policy `draw.recuseLastInspector`) */
  recuse?: boolean;
}

export interface DrawOutcome {
  seed: string;
  populationHash: string;
  populationSize: number;
  ratio: number;
  perTask: number;
  /** sorted, de-duplicated */
  inspectorPool: string[];
  /** uscc → recused inspectors, for selected enterprises where recusal removed someone from the pool */
  recusals: Record<string, string[]>;
  selected: { uscc: string; inspectorIds: string[] }[];
}

export class DrawError extends Error {
  constructor(
    public readonly code: 'ratio' | 'per_task' | 'too_few_inspectors',
    message: string,
  ) {
    super(message);
    this.name = 'DrawError';
  }
}

const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();

/** Canonical population (sorted, de-duplicated) and its hash. */
export async function populationDigest(population: readonly string[]): Promise<{ population: string[]; hash: string }> {
  const p = sortedUnique(population);
  return { population: p, hash: await contentHash(p) };
}

/** ⌈ratio × n⌉ robust to floating error (0.05 × 100 is 5, not 6); at least 1 when ratio > 0 and n > 0. */
export function drawCount(n: number, ratio: number): number {
  if (n === 0 || ratio === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(Math.round(ratio * n * 1e6) / 1e6)));
}

function selectEnterprises(seed: string, hash: string, population: string[], ratio: number): string[] {
  const rng = prng(`${seed}\n${hash}\nenterprises`);
  return rng.shuffle(population).slice(0, drawCount(population.length, ratio));
}

function assignInspectors(
  seed: string,
  hash: string,
  usccs: readonly string[],
  pool: string[],
  perTask: number,
  recused: (uscc: string) => ReadonlySet<string>,
): { uscc: string; inspectorIds: string[] }[] {
  const rng = prng(`${seed}\n${hash}\ninspectors`);
  const load = new Map<string, number>(pool.map((id) => [id, 0]));
  return usccs.map((uscc) => {
    const out = recused(uscc);
    const eligible = pool.filter((id) => !out.has(id));
    if (eligible.length < perTask) {
      throw new DrawError('too_few_inspectors', `only ${eligible.length} inspector(s) eligible for ${uscc} after recusal; ${perTask} needed`);
    }
    const order = rng.shuffle(eligible);
    const chosen = order
      .map((id, i) => ({ id, i, l: load.get(id)! }))
      .sort((a, b) => a.l - b.l || a.i - b.i)
      .slice(0, perTask)
      .map((x) => x.id);
    for (const id of chosen) load.set(id, load.get(id)! + 1);
    return { uscc, inspectorIds: chosen.sort() };
  });
}

export async function draw(i: DrawInput): Promise<DrawOutcome> {
  if (!(i.ratio >= 0 && i.ratio <= 1)) throw new DrawError('ratio', `ratio must be within 0..1, got ${i.ratio}`);
  const perTask = i.perTask ?? 2;
  if (!Number.isInteger(perTask) || perTask < 1) throw new DrawError('per_task', `perTask must be a positive integer, got ${perTask}`);
  const { population, hash } = await populationDigest(i.population);
  const pool = sortedUnique(i.inspectors);
  const usccs = selectEnterprises(i.seed, hash, population, i.ratio);
  const recuse = i.recuse ?? true;
  const recusals: Record<string, string[]> = {};
  if (recuse && i.lastInspectorsByUscc) {
    const inPool = new Set(pool);
    for (const u of usccs) {
      const r = sortedUnique((i.lastInspectorsByUscc[u] ?? []).filter((x) => inPool.has(x)));
      if (r.length) recusals[u] = r;
    }
  }
  const selected = assignInspectors(i.seed, hash, usccs, pool, perTask, (u) => new Set(recusals[u] ?? []));
  return { seed: i.seed, populationHash: hash, populationSize: population.length, ratio: i.ratio, perTask, inspectorPool: pool, recusals, selected };
}

export interface DrawCheck {
  ok: boolean;
  problems: Text[];
}

/**
 * Re-run a published draw against the population. Checks the population hash and size, the
 * enterprises drawn (and their order), and, when the draw carries its inspector pool, the inspectors
 * of every task and that no recused inspector was assigned.
 */
export async function verifyDraw(
  d: Pick<Draw, 'seed' | 'populationHash' | 'populationSize' | 'ratio' | 'selected'> & Partial<Pick<Draw, 'inspectorPool' | 'perTask' | 'recusals'>>,
  population: readonly string[],
): Promise<DrawCheck> {
  const problems: Text[] = [];
  const { population: p, hash } = await populationDigest(population);
  if (hash !== d.populationHash) {
    problems.push({ zh: '抽取对象名录与公布的名录摘要不一致', en: 'The population does not match the published population hash' });
  }
  if (p.length !== d.populationSize) {
    problems.push({
      zh: `名录数量不一致：公布${d.populationSize}户，实际${p.length}户`,
      en: `Population size differs: published ${d.populationSize}, given ${p.length}`,
    });
  }
  const usccs = selectEnterprises(d.seed, d.populationHash, p, d.ratio);
  const got = d.selected.map((s) => s.uscc);
  if (usccs.length !== got.length || usccs.some((u, k) => u !== got[k])) {
    problems.push({ zh: '按公布的种子重新抽取，抽中的企业不一致', en: 'Re-running the draw with the published seed selects different enterprises' });
  }
  for (const s of d.selected) {
    const bad = (d.recusals?.[s.uscc] ?? []).filter((x) => s.inspectorIds.includes(x));
    if (bad.length)
      problems.push({ zh: `${s.uscc}：应回避的执法人员${bad.join('、')}被选派`, en: `${s.uscc}: recused inspector(s) ${bad.join(', ')} assigned` });
    if (new Set(s.inspectorIds).size !== s.inspectorIds.length) {
      problems.push({ zh: `${s.uscc}：同一执法人员重复选派`, en: `${s.uscc}: the same inspector is assigned twice` });
    }
  }
  if (d.inspectorPool && !problems.length) {
    try {
      const again = assignInspectors(d.seed, d.populationHash, usccs, sortedUnique(d.inspectorPool), d.perTask ?? 2, (u) => new Set(d.recusals?.[u] ?? []));
      again.forEach((s, k) => {
        const pub = d.selected[k].inspectorIds.slice().sort();
        if (pub.join() !== s.inspectorIds.join()) {
          problems.push({ zh: `${s.uscc}：选派的执法人员与重新抽取结果不一致`, en: `${s.uscc}: assigned inspectors differ from the re-run` });
        }
      });
    } catch (e) {
      problems.push({ zh: '无法重新选派执法人员', en: `Cannot re-run the inspector assignment: ${(e as Error).message}` });
    }
  }
  return { ok: problems.length === 0, problems };
}

/**
 * Policy check of a draw's parameters (city defaults: ≥ 5% a year, ≥ 2 inspectors per task).
 * Codes: draw.ok · draw.ratio_low (warn; the yearly ratio may be reached over several draws) ·
 * draw.too_few_inspectors (block).
 */
export function drawPolicyCheck(p: { ratio: number; perTask: number }, policy: PolicyConfig): Verdict {
  if (p.perTask < policy.draw.minInspectors) {
    return block(
      'draw.too_few_inspectors',
      `每项任务至少选派${policy.draw.minInspectors}名执法人员`,
      `At least ${policy.draw.minInspectors} inspectors per task`,
    );
  }
  if (p.ratio < policy.draw.minRatio) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return warn(
      'draw.ratio_low',
      `抽查比例${pct(p.ratio)}低于年度最低比例${pct(policy.draw.minRatio)}`,
      `Sampling ratio ${pct(p.ratio)} is below the yearly minimum of ${pct(policy.draw.minRatio)}`,
    );
  }
  return ok('draw.ok', '抽查参数符合要求', 'Draw parameters meet the policy');
}
