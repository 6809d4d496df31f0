/**
 * Joint plan doc `joint/<jointId>` (LAYOUT.joint):
 * - `meta`: Y.Map {id, title, leadAgencyId, year, status, window}
 * - `members`: agencyId → rec {agencyId, name} (display only; membership is kept by the server)
 * - `items`: id → nested Y.Map {id, agencyId, itemId, targets (nested Y.Map), months, who}
 * - `comments`: Y.Array of rec {id, by, agencyId, at, text} (push only)
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Id, IsoDateTime, PlanStatus, Targets, Window } from '../domain/schemas';
import {
  check, cloneJson, defined, jsonEqual, parseField, prefixed, putRecord, readFieldMap, readRecordMap, toPlain,
  type InvalidRecord, type Origin, type ReadResult,
} from './util';

export const JointMeta = z.object({
  id: Id,
  title: z.string().min(1, 'give the joint plan a title'),
  leadAgencyId: Id,
  year: z.number().int().min(2000).max(2100),
  status: PlanStatus,
  window: Window.optional(),
});
export type JointMeta = z.infer<typeof JointMeta>;

export const JointMember = z.object({ agencyId: Id, name: z.string() });
export type JointMember = z.infer<typeof JointMember>;

export const JointItem = z.object({
  id: Id,
  /** the member agency whose catalogue item this is */
  agencyId: Id,
  itemId: Id,
  targets: Targets,
  months: z.array(z.number().int().min(1).max(12)).min(1, 'pick at least one month'),
  /** who carries it out (free text, e.g. 市抽县查: the county office) */
  who: z.string().max(200).default(''),
});
export type JointItem = z.infer<typeof JointItem>;

export const JointComment = z.object({
  id: Id,
  by: Id,
  agencyId: Id,
  at: IsoDateTime,
  text: z.string().min(1, 'write a comment').max(4000),
});
export type JointComment = z.infer<typeof JointComment>;

export interface JointRoots {
  meta: Y.Map<unknown>;
  members: Y.Map<unknown>;
  items: Y.Map<Y.Map<unknown>>;
  comments: Y.Array<unknown>;
}

export function jointRoots(doc: Y.Doc): JointRoots {
  return {
    meta: doc.getMap('meta'),
    members: doc.getMap('members'),
    items: doc.getMap('items') as Y.Map<Y.Map<unknown>>,
    comments: doc.getArray('comments'),
  };
}

export interface JointView {
  meta: JointMeta | null;
  members: JointMember[];
  items: JointItem[];
  comments: JointComment[];
  invalid: InvalidRecord[];
}

export function readJoint(doc: Y.Doc): JointView {
  const r = jointRoots(doc);
  const meta = readFieldMap(r.meta, JointMeta, 'meta');
  const members = readRecordMap(r.members, JointMember, (m) => m.agencyId);
  const items = readRecordMap(r.items as Y.Map<unknown>, JointItem, (i) => i.id);
  const comments: JointComment[] = [];
  const cInvalid: InvalidRecord[] = [];
  r.comments.toArray().forEach((c, i) => {
    const v = check(JointComment, toPlain(c));
    if (v.ok) comments.push(v.value);
    else cInvalid.push({ key: `comments/${i}`, error: v.error });
  });
  return {
    meta: meta.value,
    members: members.items,
    items: items.items,
    comments,
    invalid: [...meta.invalid, ...prefixed('members', members.invalid), ...prefixed('items', items.invalid), ...cInvalid],
  };
}

/** Set meta fields (merged over the current meta, validated as a whole). */
export function setJointMeta(doc: Y.Doc, patch: Partial<JointMeta>, origin?: Origin): JointMeta {
  const { meta } = jointRoots(doc);
  const merged: Record<string, unknown> = { ...(meta.toJSON() as Record<string, unknown>), ...patch };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const parsed = JointMeta.parse(merged);
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) { if (meta.has(k)) meta.delete(k); continue; }
      const pv = (parsed as Record<string, unknown>)[k];
      if (!jsonEqual(meta.get(k), pv)) meta.set(k, cloneJson(pv));
    }
  }, origin);
  return parsed;
}

export function putJointMember(doc: Y.Doc, member: JointMember, origin?: Origin): JointMember {
  return putRecord(doc, jointRoots(doc).members, JointMember.parse(member).agencyId, JointMember, member, origin);
}

export function createJointItem(doc: Y.Doc, item: z.input<typeof JointItem>, origin?: Origin): JointItem {
  const parsed = JointItem.parse(item);
  const { items } = jointRoots(doc);
  if (items.has(parsed.id)) throw new Error(`joint item "${parsed.id}" already exists`);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(defined(parsed))) if (k !== 'targets') m.set(k, cloneJson(v));
    const t = new Y.Map<unknown>();
    m.set('targets', t);
    items.set(parsed.id, m);
    for (const [k, v] of Object.entries(defined(parsed.targets))) t.set(k, cloneJson(v));
  }, origin);
  return parsed;
}

/** Set one field of a joint item, validated against that field of JointItem. */
export function updateJointItemField<K extends Exclude<keyof JointItem, 'id'>>(
  doc: Y.Doc, id: string, field: K, value: z.input<typeof JointItem>[K], origin?: Origin,
): void {
  const v = parseField(JointItem.shape, field, value);
  const m = jointRoots(doc).items.get(id);
  if (!(m instanceof Y.Map)) throw new Error(`joint item "${id}" does not exist`);
  doc.transact(() => {
    if (field === 'targets') {
      let t = m.get('targets');
      if (!(t instanceof Y.Map)) { t = new Y.Map<unknown>(); m.set('targets', t); }
      const tm = t as Y.Map<unknown>;
      const obj = defined(v as Targets) as Record<string, unknown>;
      for (const k of Array.from(tm.keys())) if (!(k in obj)) tm.delete(k);
      for (const [k, x] of Object.entries(obj)) if (!jsonEqual(tm.get(k), x)) tm.set(k, cloneJson(x));
    } else if (!jsonEqual(m.get(field), v)) {
      m.set(field, cloneJson(v));
    }
  }, origin);
}

export function removeJointItem(doc: Y.Doc, id: string, origin?: Origin): void {
  doc.transact(() => jointRoots(doc).items.delete(id), origin);
}

export function addJointComment(doc: Y.Doc, comment: JointComment, origin?: Origin): JointComment {
  const parsed = JointComment.parse(comment);
  doc.transact(() => jointRoots(doc).comments.push([cloneJson(parsed)]), origin);
  return parsed;
}

