/**
 * Annual plan doc `plan/<agencyId>/<year>` (LAYOUT.plan):
 * - `meta`: Y.Map field → value (PlanMeta fields)
 * - `items`: planItemId → nested Y.Map of PlanItem fields, so two people editing different fields of
 *   the same item both survive; `targets` is a nested Y.Map whose array fields are plain arrays
 * - `order`: Y.Array<string> of planItemIds (display order)
 * - `comments`: id → rec PlanComment (the city agency's opinion on a county plan, measure 4)
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Id, IsoDateTime, PlanItem, PlanMeta, Targets, type PlanContent } from '../domain/schemas';
import { check, cloneJson, defined, jsonEqual, parseField, readRecordMap, toPlain, type InvalidRecord, type Origin, type ReadResult } from './util';
import { docVersion, upgrader } from './version';

export const PlanComment = z.object({
  id: Id,
  planItemId: Id.optional(),
  by: Id,
  byAgencyId: Id,
  at: IsoDateTime,
  text: z.string().min(1, 'write a comment').max(4000),
  resolved: z.boolean().optional(),
});
export type PlanComment = z.infer<typeof PlanComment>;

export interface PlanRoots {
  meta: Y.Map<unknown>;
  items: Y.Map<Y.Map<unknown>>;
  order: Y.Array<string>;
  comments: Y.Map<unknown>;
}

/** The root types of a plan doc (for observers and UndoManager scopes). */
export function planRoots(doc: Y.Doc): PlanRoots {
  return {
    meta: doc.getMap('meta'),
    items: doc.getMap('items') as Y.Map<Y.Map<unknown>>,
    order: doc.getArray<string>('order'),
    comments: doc.getMap('comments'),
  };
}

export interface PlanView {
  /** `null` when the meta is missing or invalid (then `invalid` has a `meta` entry) */
  meta: PlanMeta | null;
  /** in display order; items missing from `order` follow, sorted by id */
  items: PlanItem[];
  comments: PlanComment[];
  invalid: InvalidRecord[];
}

export type PlanItemField = Exclude<keyof PlanItem, 'id'>;
export type TargetsField = keyof Targets;

// ---------- reads ----------

/** migrate-on-read: records of `root` as this code reads them, whatever version the doc was written at */
const up = (doc: Y.Doc, root: keyof PlanRoots) => upgrader('plan', root, docVersion(planRoots(doc).meta));

export function readPlanMeta(doc: Y.Doc): { meta: PlanMeta | null; invalid: InvalidRecord[] } {
  const { meta } = planRoots(doc);
  if (meta.size === 0) return { meta: null, invalid: [] };
  const r = check(PlanMeta, up(doc, 'meta')(meta.toJSON()));
  return r.ok ? { meta: r.value, invalid: [] } : { meta: null, invalid: [{ key: 'meta', error: r.error }] };
}

/** The ids in display order: `order` deduplicated (first occurrence wins), unknown ids dropped, then the rest by id. */
export function planOrder(doc: Y.Doc): string[] {
  const { items, order } = planRoots(doc);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of order.toArray()) {
    if (typeof id !== 'string' || seen.has(id) || !items.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  const rest = Array.from(items.keys())
    .filter((k) => !seen.has(k))
    .sort();
  return out.concat(rest);
}

export function readPlanItem(doc: Y.Doc, id: string): PlanItem | undefined {
  const v = planRoots(doc).items.get(id);
  if (v === undefined) return undefined;
  const r = PlanItem.safeParse(up(doc, 'items')(toPlain(v)));
  return r.success && r.data.id === id ? r.data : undefined;
}

export function readPlanItems(doc: Y.Doc): ReadResult<PlanItem> {
  const { items: map } = planRoots(doc);
  const items: PlanItem[] = [];
  const invalid: InvalidRecord[] = [];
  const upgrade = up(doc, 'items');
  for (const id of planOrder(doc)) {
    const r = check(PlanItem, upgrade(toPlain(map.get(id))));
    if (!r.ok) {
      invalid.push({ key: id, error: r.error });
      continue;
    }
    if (r.value.id !== id) {
      invalid.push({ key: id, error: `key "${id}" does not match the item's id "${r.value.id}"` });
      continue;
    }
    items.push(r.value);
  }
  return { items, invalid };
}

/**
 * An incremental reader of a plan doc for live views: like `readPlan`, but each item's validated value
 * is cached by the identity of its Y.Map and revalidated only when an event inside that Y.Map says it
 * changed (observeDeep on `items`). Unchanged items keep the same object across reads, so a view can
 * skip them by identity. `dispose()` stops observing.
 */
export function createPlanReader(doc: Y.Doc): { read(): PlanView; dispose(): void } {
  const { items: map } = planRoots(doc);
  const cache = new WeakMap<Y.Map<unknown>, { ok: true; value: PlanItem } | { ok: false; error: string }>();
  const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const e of events) {
      let t: Y.AbstractType<unknown> | null = e.target as Y.AbstractType<unknown>;
      // climb to the direct child of `items` (the item's Y.Map) and forget its cached value
      while (t && t._item && t._item.parent !== map) t = t._item.parent as Y.AbstractType<unknown> | null;
      if (t && t !== (map as unknown) && t instanceof Y.Map) cache.delete(t);
    }
  };
  map.observeDeep(onDeep);
  const readItems = (): ReadResult<PlanItem> => {
    const items: PlanItem[] = [];
    const invalid: InvalidRecord[] = [];
    const upgrade = up(doc, 'items');
    for (const id of planOrder(doc)) {
      const v = map.get(id);
      let r = v instanceof Y.Map ? cache.get(v) : undefined;
      if (!r) {
        r = check(PlanItem, upgrade(toPlain(v)));
        if (v instanceof Y.Map) cache.set(v, r);
      }
      if (!r.ok) {
        invalid.push({ key: id, error: r.error });
        continue;
      }
      if (r.value.id !== id) {
        invalid.push({ key: id, error: `key "${id}" does not match the item's id "${r.value.id}"` });
        continue;
      }
      items.push(r.value);
    }
    return { items, invalid };
  };
  return {
    read() {
      const m = readPlanMeta(doc);
      const it = readItems();
      const c = readPlanComments(doc);
      return {
        meta: m.meta,
        items: it.items,
        comments: c.items,
        invalid: [...m.invalid, ...it.invalid, ...c.invalid.map((x) => ({ key: `comments/${x.key}`, error: x.error }))],
      };
    },
    dispose() {
      map.unobserveDeep(onDeep);
    },
  };
}

export function readPlanComments(doc: Y.Doc): ReadResult<PlanComment> {
  const r = readRecordMap(planRoots(doc).comments, PlanComment, (c) => c.id, up(doc, 'comments'));
  r.items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  return r;
}

export function readPlan(doc: Y.Doc): PlanView {
  const m = readPlanMeta(doc);
  const it = readPlanItems(doc);
  const c = readPlanComments(doc);
  return {
    meta: m.meta,
    items: it.items,
    comments: c.items,
    invalid: [...m.invalid, ...it.invalid, ...c.invalid.map((x) => ({ key: `comments/${x.key}`, error: x.error }))],
  };
}

/** The content that is filed and hashed (PlanContent); `null` when the meta is missing or invalid. */
export function readPlanContent(doc: Y.Doc): PlanContent | null {
  const { meta, items } = readPlan(doc);
  if (!meta) return null;
  return {
    meta: { agencyId: meta.agencyId, year: meta.year, title: meta.title, capPerEnterprise: meta.capPerEnterprise },
    items,
  };
}

// ---------- writes ----------

function writeTargets(map: Y.Map<unknown>, t: Targets): void {
  for (const k of Array.from(map.keys())) if (!(k in t) || (t as Record<string, unknown>)[k] === undefined) map.delete(k);
  for (const [k, v] of Object.entries(defined(t))) {
    if (!jsonEqual(map.get(k), v)) map.set(k, cloneJson(v));
  }
}

function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = planRoots(doc).items.get(id);
  if (!(m instanceof Y.Map)) throw new Error(`plan item "${id}" does not exist`);
  return m;
}

/** Set meta fields (merged over the current meta, validated as a whole PlanMeta). `undefined` clears an optional field. */
export function setPlanMeta(doc: Y.Doc, patch: Partial<PlanMeta>, origin?: Origin): PlanMeta {
  const { meta } = planRoots(doc);
  const merged: Record<string, unknown> = { ...(meta.toJSON() as Record<string, unknown>), ...patch };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const parsed = PlanMeta.parse(merged);
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) {
        if (meta.has(k)) meta.delete(k);
        continue;
      }
      const pv = (parsed as Record<string, unknown>)[k];
      if (!jsonEqual(meta.get(k), pv)) meta.set(k, cloneJson(pv));
    }
  }, origin);
  return parsed;
}

/** Add a plan item (validated). Refuses an existing id. Appended to `order`, or inserted at `index`. */
export function createPlanItem(doc: Y.Doc, item: z.input<typeof PlanItem>, origin?: Origin, index?: number): PlanItem {
  const parsed = PlanItem.parse(item);
  const { items, order } = planRoots(doc);
  if (items.has(parsed.id)) throw new Error(`plan item "${parsed.id}" already exists`);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    const t = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(defined(parsed))) {
      if (k === 'targets') continue;
      m.set(k, cloneJson(v));
    }
    m.set('targets', t);
    items.set(parsed.id, m);
    writeTargets(t, parsed.targets);
    const at = index === undefined ? order.length : Math.max(0, Math.min(index, order.length));
    order.insert(at, [parsed.id]);
  }, origin);
  return parsed;
}

/**
 * Set one field of a plan item, validated against that field of PlanItem (ZodError names the field).
 * `targets` replaces the targets field by field (use `updatePlanItemTarget` to set one of them).
 */
export function updatePlanItemField<K extends PlanItemField>(doc: Y.Doc, id: string, field: K, value: z.input<typeof PlanItem>[K], origin?: Origin): void {
  if ((field as string) === 'id') throw new Error('the id of a plan item cannot be changed');
  const v = parseField(PlanItem.shape, field, value);
  const m = itemMap(doc, id);
  doc.transact(() => {
    if (field === 'targets') {
      let t = m.get('targets');
      if (!(t instanceof Y.Map)) {
        t = new Y.Map<unknown>();
        m.set('targets', t);
      }
      writeTargets(t as Y.Map<unknown>, v as Targets);
    } else if (v === undefined) {
      m.delete(field);
    } else if (!jsonEqual(m.get(field), v)) {
      m.set(field, cloneJson(v));
    }
  }, origin);
}

/** Set one field of a plan item's targets (industries, divisions, riskLevels, samplingRatio; `undefined` clears samplingRatio). */
export function updatePlanItemTarget<K extends TargetsField>(doc: Y.Doc, id: string, field: K, value: Targets[K] | undefined, origin?: Origin): void {
  const shape = Targets.shape;
  const v = value === undefined && field === 'samplingRatio' ? undefined : parseField(shape, field, value);
  const m = itemMap(doc, id);
  doc.transact(() => {
    let t = m.get('targets');
    if (!(t instanceof Y.Map)) {
      const old = (toPlain(t) ?? {}) as Targets;
      const nt = new Y.Map<unknown>();
      m.set('targets', nt);
      writeTargets(nt, Targets.parse(old));
      t = nt;
    }
    const tm = t as Y.Map<unknown>;
    if (v === undefined) tm.delete(field);
    else if (!jsonEqual(tm.get(field), v)) tm.set(field, cloneJson(v));
  }, origin);
}

export function removePlanItem(doc: Y.Doc, id: string, origin?: Origin): void {
  const { items, order } = planRoots(doc);
  doc.transact(() => {
    items.delete(id);
    const arr = order.toArray();
    for (let i = arr.length - 1; i >= 0; i--) if (arr[i] === id) order.delete(i, 1);
  }, origin);
}

/** Move an item to `toIndex` in display order (an index in the order `readPlan` returns). */
export function moveItem(doc: Y.Doc, id: string, toIndex: number, origin?: Origin): void {
  const { items, order } = planRoots(doc);
  if (!items.has(id)) throw new Error(`plan item "${id}" does not exist`);
  const without = planOrder(doc).filter((x) => x !== id);
  const to = Math.max(0, Math.min(toIndex, without.length));
  const before = without[to]; // the item that will follow the moved one, if any
  doc.transact(() => {
    const raw = order.toArray();
    for (let i = raw.length - 1; i >= 0; i--) if (raw[i] === id) order.delete(i, 1);
    const after = order.toArray();
    // items missing from `order` are displayed after it: make sure `order` lists everything up to `before`
    for (const x of without)
      if (!after.includes(x)) {
        order.push([x]);
        after.push(x);
      }
    const at = before === undefined ? order.length : after.indexOf(before);
    order.insert(at < 0 ? order.length : at, [id]);
  }, origin);
}

export function addComment(doc: Y.Doc, comment: z.input<typeof PlanComment>, origin?: Origin): PlanComment {
  const parsed = PlanComment.parse(comment);
  const { comments } = planRoots(doc);
  if (comments.has(parsed.id)) throw new Error(`comment "${parsed.id}" already exists`);
  doc.transact(() => comments.set(parsed.id, cloneJson(defined(parsed))), origin);
  return parsed;
}

export function resolveComment(doc: Y.Doc, id: string, resolved = true, origin?: Origin): void {
  const { comments } = planRoots(doc);
  if (!comments.has(id)) throw new Error(`comment "${id}" does not exist`);
  const cur = PlanComment.parse(toPlain(comments.get(id)));
  doc.transact(() => comments.set(id, cloneJson({ ...cur, resolved })), origin);
}
