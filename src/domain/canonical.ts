/**
 * Canonical JSON and content hashes. The canonical form follows the spirit of RFC 8785 (JCS):
 * object keys sorted by UTF-16 code units, recursively; no whitespace; arrays keep their order;
 * `undefined` members are dropped (and become `null` inside arrays, as JSON does); numbers are
 * written in ECMAScript shortest round-trip form with −0 as 0; non-finite numbers and bigints are
 * refused. The same value therefore hashes the same in every browser and in Node, however it was
 * formatted or in whatever order its keys were set.
 */
import { JointContent, PlanContent, type JointContentItem, type PlanItem, type PlanMeta, type Targets } from './schemas';
import type { z } from 'zod';

export function canonicalJson(value: unknown): string {
  const out = enc(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: the value itself is not representable (undefined/function/symbol)');
  return out;
}

function enc(v: unknown, seen: Set<object>): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: non-finite number ${v}`);
      return Object.is(v, -0) ? '0' : JSON.stringify(v);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const o = v as object;
  if (o instanceof Date) {
    if (Number.isNaN(o.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(o.toISOString());
  }
  if (seen.has(o)) throw new TypeError('canonicalJson: cyclic value');
  seen.add(o);
  try {
    if (Array.isArray(o)) return `[${o.map((x) => enc(x, seen) ?? 'null').join(',')}]`;
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer || o instanceof Map || o instanceof Set) {
      throw new TypeError(`canonicalJson: ${o.constructor.name} is not plain JSON`);
    }
    const rec = o as Record<string, unknown>;
    const parts: string[] = [];
    for (const k of Object.keys(rec).sort()) {
      const s = enc(rec[k], seen);
      if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(o);
  }
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available: a secure context (https or localhost) is needed');
  return s;
}

/** SHA-256 of a string (UTF-8) or bytes, as lowercase hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await subtle().digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 hex of the canonical JSON of `value`. */
export function contentHash(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}

const sortedUnique = <T extends string | number>(xs: readonly T[]): T[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export type PlanMetaInput = Pick<PlanMeta, 'agencyId' | 'year' | 'title' | 'capPerEnterprise'> & Partial<PlanMeta>;

/**
 * The plan content that is filed (measure 6) in normal form: only the filed fields of the meta
 * (status, filing ids and hashes are not content), zod defaults applied, items sorted by id, and
 * the set-like arrays inside each item (target industries/divisions/risk levels, months, joint
 * partners) sorted and de-duplicated. Text is kept exactly as typed: any edit is a content change.
 * Throws a ZodError when the plan is not valid.
 */
export function planContentOf(meta: PlanMetaInput, items: readonly z.input<typeof PlanItem>[]): PlanContent {
  const parsed = PlanContent.parse({
    meta: { agencyId: meta.agencyId, year: meta.year, title: meta.title, capPerEnterprise: meta.capPerEnterprise },
    items,
  });
  const normItems: PlanItem[] = parsed.items
    .map((it) => ({
      ...it,
      targets: {
        ...it.targets,
        industries: sortedUnique(it.targets.industries),
        divisions: sortedUnique(it.targets.divisions),
        riskLevels: sortedUnique(it.targets.riskLevels),
      },
      months: sortedUnique(it.months),
      jointPartners: sortedUnique(it.jointPartners),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = normItems.map((i) => i.id);
  const dup = ids.find((id, i) => ids[i - 1] === id);
  if (dup) throw new RangeError(`plan item id ${dup} appears twice`);
  return { meta: parsed.meta, items: normItems };
}

/** The filing hash of a plan: `contentHash(planContentOf(meta, items))`. */
export function planHash(meta: PlanMetaInput, items: readonly z.input<typeof PlanItem>[]): Promise<string> {
  return contentHash(planContentOf(meta, items));
}

export interface JointMetaInput {
  id: string;
  title: string;
  leadAgencyId: string;
  year: number;
  window?: { from: string; to: string };
  targets?: z.input<typeof Targets>;
}

const normTargets = (t: Targets): Targets => ({
  ...t,
  industries: sortedUnique(t.industries),
  divisions: sortedUnique(t.divisions),
  riskLevels: sortedUnique(t.riskLevels),
});

/**
 * The joint plan content the lead agency files (measures 6 and 8), in normal form like `planContentOf`:
 * only the filed meta fields (status and filing fields are not content), the member agency ids sorted and
 * de-duplicated, items sorted by id with their set-like arrays sorted. Throws a ZodError when invalid.
 */
export function jointContentOf(meta: JointMetaInput, members: readonly string[], items: readonly z.input<typeof JointContentItem>[]): JointContent {
  const parsed = JointContent.parse({
    meta: { id: meta.id, title: meta.title, leadAgencyId: meta.leadAgencyId, year: meta.year, window: meta.window, targets: meta.targets },
    members: sortedUnique(members),
    items,
  });
  const normItems = parsed.items
    .map((it) => ({ ...it, targets: normTargets(it.targets), months: sortedUnique(it.months) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = normItems.map((i) => i.id);
  const dup = ids.find((id, i) => ids[i - 1] === id);
  if (dup) throw new RangeError(`joint item id ${dup} appears twice`);
  const m = parsed.meta.targets ? { ...parsed.meta, targets: normTargets(parsed.meta.targets) } : parsed.meta;
  return { meta: m, members: parsed.members, items: normItems };
}

/** The filing hash of a joint plan: `contentHash(jointContentOf(meta, members, items))`. */
export function jointHash(meta: JointMetaInput, members: readonly string[], items: readonly z.input<typeof JointContentItem>[]): Promise<string> {
  return contentHash(jointContentOf(meta, members, items));
}
