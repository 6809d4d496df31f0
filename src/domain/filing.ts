/**
 * Filing (备案, measure 6) shared by browser and server: the wire shapes of the filing API, the due date
 * of an annual plan (measure 4: by the end of January), and the item-by-item diff between a filed
 * snapshot and the plan as it is now. Pure: no I/O.
 */
import { z } from 'zod';
import { canonicalJson } from './canonical';
import { Filing, Id, IsoDate, IsoDateTime, JointContent, PlanContent, PlanStatus, Text } from './schemas';
import { daysBetween } from './time';

// ---------- due date ----------

/** The day a plan for `year` is due: `planDue` (MM-DD, city policy, default 01-31) of that year. */
export function planDueDate(year: number, planDue = '01-31'): string {
  return `${year}-${/^\d{2}-\d{2}$/.test(planDue) ? planDue : '01-31'}`;
}

/** Whole days from `today` to the due date: positive = days left, 0 = due today, negative = overdue. */
export function daysToDue(today: string, year: number, planDue?: string): number {
  return daysBetween(today, planDueDate(year, planDue));
}

// ---------- wire shapes (HTTP API of server/api/filing-routes.ts) ----------

/** One thing wrong with a plan submitted for filing; `error` blocks the filing, `warning` does not. */
export const FilingProblem = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  /** the plan item (or joint item) it is about */
  itemId: z.string().optional(),
  message: Text,
});
export type FilingProblem = z.infer<typeof FilingProblem>;

/** Catalogue names of the items in a snapshot, captured when it was filed (catalogue item id → label). */
export const ItemLabels = z.record(z.string(), z.object({ code: z.string(), name: z.string(), nameEn: z.string() }));
export type ItemLabels = z.infer<typeof ItemLabels>;

export const FilingKind = z.enum(['plan', 'joint']);
export type FilingKind = z.infer<typeof FilingKind>;

/** A filing without its content (lists). `latest`: the newest filing of its room (older ones cannot be decided). */
export const FilingSummary = Filing.omit({ content: true }).extend({
  kind: FilingKind,
  title: z.string(),
  itemCount: z.number().int(),
  latest: z.boolean(),
});
export type FilingSummary = z.infer<typeof FilingSummary>;

export const FilingList = z.object({ items: z.array(FilingSummary) });
/** agency id → the published catalogue version (server/catalogue) the filing's items were checked against */
export const CatalogueVersions = z.record(z.string(), z.number().int().positive());
export type CatalogueVersions = z.infer<typeof CatalogueVersions>;
export const FilingFull = Filing.extend({ kind: FilingKind, latest: z.boolean(), labels: ItemLabels, catalogueVersions: CatalogueVersions.optional() });
export type FilingFull = z.infer<typeof FilingFull>;

/** POST /api/filings → 201 */
export const FilingSubmitted = z.object({ filing: FilingSummary, warnings: z.array(FilingProblem) });
/** 422 `plan_invalid` details */
export const FilingProblems = z.object({ problems: z.array(FilingProblem) });

export const FilingDecisionRequest = z
  .object({
    decision: z.enum(['accept', 'return']),
    reason: z.string().trim().max(2000).default(''),
  })
  .refine((d) => d.decision === 'accept' || d.reason.length >= 2, { message: 'give the reason for returning the filing', path: ['reason'] });

export const PublishResult = z.object({ room: z.string(), status: PlanStatus, filingId: Id });

export const PublicPlan = z.object({
  room: z.string(),
  kind: FilingKind,
  agencyId: Id,
  agencyName: z.string(),
  agencyNameEn: z.string(),
  year: z.number().int(),
  title: z.string(),
  filingId: Id,
  hash: z.string(),
  filedAt: IsoDateTime.optional(),
  publishedAt: IsoDateTime,
  content: z.union([PlanContent, JointContent]),
  labels: ItemLabels,
});
export type PublicPlan = z.infer<typeof PublicPlan>;
export const PublicPlans = z.object({ year: z.number().int(), items: z.array(PublicPlan) });

export const UnfiledAgency = z.object({
  agencyId: Id,
  name: z.string(),
  nameEn: z.string(),
  officeId: Id,
  /** the newest filing's status for the year, `none` when never submitted */
  latestStatus: z.enum(['none', 'submitted', 'returned']),
  filingId: Id.optional(),
});
export const UnfiledList = z.object({ year: z.number().int(), due: IsoDate, overdue: z.boolean(), items: z.array(UnfiledAgency) });
export type UnfiledList = z.infer<typeof UnfiledList>;

// ---------- diff ----------

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface ItemChange {
  id: string;
  /** the catalogue item id (the same item may be filed under one id and planned under another) */
  itemId: string;
  change: 'added' | 'removed' | 'changed';
  /** changed fields (only for `changed`) */
  fields: FieldChange[];
}
export interface ContentDiff {
  meta: FieldChange[];
  members: { added: string[]; removed: string[] };
  items: ItemChange[];
  same: boolean;
}

type Rec = Record<string, unknown>;

/** flatten one level of nested objects (`targets.industries`) so each leaf field is compared on its own */
function flat(o: Rec, prefix = ''): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && !prefix) Object.assign(out, flat(v as Rec, `${k}.`));
    else out[prefix + k] = v;
  }
  return out;
}

function fieldChanges(a: Rec, b: Rec, skip: readonly string[] = []): FieldChange[] {
  const fa = flat(a),
    fb = flat(b);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter((k) => !skip.includes(k)).sort();
  const out: FieldChange[] = [];
  for (const k of keys) {
    const x = fa[k],
      y = fb[k];
    const cx = x === undefined ? undefined : canonicalJson(x);
    const cy = y === undefined ? undefined : canonicalJson(y);
    if (cx !== cy) out.push({ field: k, before: x, after: y });
  }
  return out;
}

/**
 * Item-by-item difference between a filed snapshot and the content now (both in canonical form, from
 * `planContentOf` / `jointContentOf`, or both plain). Items are matched by their id.
 */
export function diffContent(filed: PlanContent | JointContent, now: PlanContent | JointContent): ContentDiff {
  const meta = fieldChanges(filed.meta as Rec, now.meta as Rec);
  const mf = 'members' in filed ? filed.members : [];
  const mn = 'members' in now ? now.members : [];
  const members = { added: mn.filter((m) => !mf.includes(m)), removed: mf.filter((m) => !mn.includes(m)) };
  const before = new Map<string, Rec>((filed.items as Rec[]).map((i) => [String(i.id), i]));
  const after = new Map<string, Rec>((now.items as Rec[]).map((i) => [String(i.id), i]));
  const items: ItemChange[] = [];
  for (const [id, b] of before) {
    const a = after.get(id);
    if (!a) {
      items.push({ id, itemId: String(b.itemId), change: 'removed', fields: [] });
      continue;
    }
    const fields = fieldChanges(b, a, ['id']);
    if (fields.length) items.push({ id, itemId: String(a.itemId), change: 'changed', fields });
  }
  for (const [id, a] of after) if (!before.has(id)) items.push({ id, itemId: String(a.itemId), change: 'added', fields: [] });
  return { meta, members, items, same: meta.length === 0 && items.length === 0 && members.added.length === 0 && members.removed.length === 0 };
}
