/**
 * Joint plan doc `joint/<jointId>` (LAYOUT.joint):
 * - `meta`: Y.Map {id, title, leadAgencyId, year, status, window}
 * - `members`: agencyId → rec {agencyId, name} (display only; membership is kept by the server)
 * - `items`: id → nested Y.Map {id, agencyId, itemId, targets (nested Y.Map), months, who}
 * - `comments`: Y.Array of rec {id, by, agencyId, at, text} (push only)
 * - `team`: agencyId → rec {agencyId, inspectorIds} ("who goes" for each member; each member edits its own)
 * The shared `targets` and `window` of the meta are nested Y.Maps, so two members editing different
 * fields of them (the industries and the risk levels, the start and the end) both survive.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Id, IsoDateTime, JointContentItem, PlanStatus, Targets, Window } from '../domain/schemas';
import {
  check,
  cloneJson,
  defined,
  jsonEqual,
  parseField,
  prefixed,
  putRecord,
  readFieldMap,
  readRecordMap,
  toPlain,
  type InvalidRecord,
  type Origin,
  type ReadResult,
} from './util';
import { docVersion, upgrader } from './version';

export const JointMeta = z.object({
  id: Id,
  title: z.string().min(1, 'give the joint plan a title'),
  leadAgencyId: Id,
  year: z.number().int().min(2000).max(2100),
  status: PlanStatus,
  window: Window.optional(),
  /** the targets shared by every member's items (进一次门: the same enterprises) */
  targets: Targets.optional(),
  /** set by filing (measure 6: the lead files the joint plan) */
  filedHash: z.string().optional(),
  filingId: Id.optional(),
});
export type JointMeta = z.infer<typeof JointMeta>;

export const JointMember = z.object({ agencyId: Id, name: z.string() });
export type JointMember = z.infer<typeof JointMember>;

/** one item of a joint plan: the domain schema (the filed form is the same) */
export const JointItem = JointContentItem;
export type JointItem = z.infer<typeof JointItem>;

export const JointComment = z.object({
  id: Id,
  by: Id,
  agencyId: Id,
  at: IsoDateTime,
  text: z.string().min(1, 'write a comment').max(4000),
});
export type JointComment = z.infer<typeof JointComment>;

/** "Who goes" for one member agency: its inspectors on the joint inspections. */
export const JointTeam = z.object({ agencyId: Id, inspectorIds: z.array(Id).max(10) });
export type JointTeam = z.infer<typeof JointTeam>;

export interface JointRoots {
  meta: Y.Map<unknown>;
  members: Y.Map<unknown>;
  items: Y.Map<Y.Map<unknown>>;
  comments: Y.Array<unknown>;
  team: Y.Map<unknown>;
}

export function jointRoots(doc: Y.Doc): JointRoots {
  return {
    meta: doc.getMap('meta'),
    members: doc.getMap('members'),
    items: doc.getMap('items') as Y.Map<Y.Map<unknown>>,
    comments: doc.getArray('comments'),
    team: doc.getMap('team'),
  };
}

export interface JointView {
  meta: JointMeta | null;
  members: JointMember[];
  items: JointItem[];
  comments: JointComment[];
  team: JointTeam[];
  invalid: InvalidRecord[];
}

export function readJoint(doc: Y.Doc): JointView {
  const r = jointRoots(doc);
  // migrate-on-read (version.ts): records as this code reads them, whatever version the doc was written at
  const version = docVersion(r.meta);
  const up = (root: keyof JointRoots) => upgrader('joint', root, version);
  const meta = readFieldMap(r.meta, JointMeta, 'meta', up('meta'));
  const members = readRecordMap(r.members, JointMember, (m) => m.agencyId, up('members'));
  const items = readRecordMap(r.items as Y.Map<unknown>, JointItem, (i) => i.id, up('items'));
  const team = readRecordMap(r.team, JointTeam, (x) => x.agencyId, up('team'));
  const upComment = up('comments');
  const comments: JointComment[] = [];
  const cInvalid: InvalidRecord[] = [];
  r.comments.toArray().forEach((c, i) => {
    const v = check(JointComment, upComment(toPlain(c)));
    if (v.ok) comments.push(v.value);
    else cInvalid.push({ key: `comments/${i}`, error: v.error });
  });
  return {
    meta: meta.value,
    members: members.items,
    items: items.items,
    comments,
    team: team.items,
    invalid: [...meta.invalid, ...prefixed('members', members.invalid), ...prefixed('items', items.invalid), ...prefixed('team', team.invalid), ...cInvalid],
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
      if (v === undefined) {
        if (meta.has(k)) meta.delete(k);
        continue;
      }
      const pv = (parsed as Record<string, unknown>)[k];
      if (jsonEqual(meta.get(k), pv)) continue;
      if (k === 'window' || k === 'targets') {
        // nested maps, field by field, so later edits of different fields merge
        const m = nestedMetaMap(meta, k);
        const obj = pv as Record<string, unknown>;
        for (const f of Array.from(m.keys())) if (!(f in obj)) m.delete(f);
        for (const [f, x] of Object.entries(obj)) if (x !== undefined && !jsonEqual(m.get(f), x)) m.set(f, cloneJson(x));
      } else {
        meta.set(k, cloneJson(pv));
      }
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
  doc: Y.Doc,
  id: string,
  field: K,
  value: z.input<typeof JointItem>[K],
  origin?: Origin,
): void {
  const v = parseField(JointItem.shape, field, value);
  const m = jointRoots(doc).items.get(id);
  if (!(m instanceof Y.Map)) throw new Error(`joint item "${id}" does not exist`);
  doc.transact(() => {
    if (field === 'targets') {
      let t = m.get('targets');
      if (!(t instanceof Y.Map)) {
        t = new Y.Map<unknown>();
        m.set('targets', t);
      }
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

/** A nested Y.Map under `meta[key]`, converting a plain value written earlier (e.g. by the seed). */
function nestedMetaMap(meta: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const cur = meta.get(key);
  if (cur instanceof Y.Map) return cur as Y.Map<unknown>;
  const m = new Y.Map<unknown>();
  meta.set(key, m);
  if (cur && typeof cur === 'object') for (const [k, v] of Object.entries(cur as Record<string, unknown>)) if (v !== undefined) m.set(k, cloneJson(v));
  return m;
}

/** Set one end of the shared date window (validated: a date, and `from` ≤ `to` once both are set). */
export function setJointWindow(doc: Y.Doc, field: 'from' | 'to', value: string, origin?: Origin): void {
  const v = parseField(Window.shape, field, value);
  const { meta } = jointRoots(doc);
  const cur = (toPlain(meta.get('window')) ?? {}) as Partial<Window>;
  const next = { ...cur, [field]: v };
  if (next.from && next.to && next.from > next.to) {
    throw new z.ZodError([
      {
        code: 'custom',
        path: ['window', field],
        message: field === 'from' ? 'the start must not be after the end' : 'the end must not be before the start',
        input: value,
      },
    ]);
  }
  const other = field === 'from' ? 'to' : 'from';
  doc.transact(() => {
    const m = nestedMetaMap(meta, 'window');
    if (m.get(field) !== v) m.set(field, v);
    // a window is whole or absent: a first end set alone makes a one-day window
    if (typeof m.get(other) !== 'string') m.set(other, v);
  }, origin);
}

/** Set one field of the shared targets (industries, divisions, riskLevels). */
export function setJointTarget<K extends 'industries' | 'divisions' | 'riskLevels'>(doc: Y.Doc, field: K, value: Targets[K], origin?: Origin): void {
  const v = parseField(Targets.shape, field, value);
  const { meta } = jointRoots(doc);
  doc.transact(() => {
    const m = nestedMetaMap(meta, 'targets');
    for (const k of ['industries', 'divisions', 'riskLevels'] as const) if (!m.has(k)) m.set(k, []);
    if (!jsonEqual(m.get(field), v)) m.set(field, cloneJson(v));
  }, origin);
}

/** Set who goes for one member agency. */
export function setJointTeam(doc: Y.Doc, agencyId: string, inspectorIds: string[], origin?: Origin): JointTeam {
  const parsed = JointTeam.parse({ agencyId, inspectorIds: [...new Set(inspectorIds)] });
  const { team } = jointRoots(doc);
  if (!jsonEqual(toPlain(team.get(agencyId)), parsed)) doc.transact(() => team.set(agencyId, cloneJson(parsed)), origin);
  return parsed;
}

/** The members' items and inspectors as joint tasks need them (task-plan.ts `generateJointTasks`). */
export function jointTaskMembers(v: Pick<JointView, 'members' | 'items' | 'team'>): { agencyId: string; itemIds: string[]; inspectorIds: string[] }[] {
  const ids = [...new Set([...v.members.map((m) => m.agencyId), ...v.items.map((i) => i.agencyId)])].sort();
  return ids.map((agencyId) => ({
    agencyId,
    itemIds: [...new Set(v.items.filter((i) => i.agencyId === agencyId).map((i) => i.itemId))],
    inspectorIds: v.team.find((x) => x.agencyId === agencyId)?.inspectorIds ?? [],
  }));
}
