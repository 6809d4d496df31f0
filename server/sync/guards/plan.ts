/**
 * Server authority over plan and joint-plan rooms (measure 6), checked on the decoded update
 * (Y.decodeUpdate, V1 only) before anything is stored or applied, like checks.ts does for append-only
 * rooms. Pure: the doc is only read.
 *
 *  1. The filing keys of the root map `meta` (status, filedHash, filingId, returnReason) are written by
 *     the server alone (filing-routes.ts through relay.change). A client may neither set, overwrite nor
 *     delete them; the one exception is creating a plan: `status: 'draft'` while the doc has no status.
 *  2. A `commenter` (the city counterpart of a county plan, who has write access only to give its
 *     opinion, measure 4) may only add comment records of its own agency to the root map `comments`, and
 *     change or delete its own ones; nothing else of the plan.
 *
 * Where a struct lands: an item written with no left/right origin carries its parent (a root name, or
 * the id of the item that made a nested type) and its key; an item with an origin (an overwritten map
 * key, an insertion into a list) takes both from its origin (Item.getMissing), which is looked up in the
 * update itself or in the doc. An origin found in neither would leave the struct pending, to be
 * integrated later unchecked: refused. Delete sets are checked against the items they would delete.
 */
import * as Y from 'yjs';
import type { CheckResult } from './append-only';

type Decoded = ReturnType<typeof Y.decodeUpdate>;
type Struct = Decoded['structs'][number];

/** meta keys only the server writes */
export const SERVER_META_KEYS: readonly string[] = ['status', 'filedHash', 'filingId', 'returnReason'];

export interface PlanGuardOptions {
  /** the writer is a commenter, not an owner: comments of this agency only */
  commenter?: { agencyId: string };
}

/** where a struct lands: a key of a root map, somewhere inside a nested type under a root, nowhere, or unknown */
type Where = { kind: 'root'; root: string; key: string | null } | { kind: 'nested'; root: string | null } | { kind: 'gc' } | { kind: 'unknown' };

interface TypeLike {
  _item: Y.Item | null;
  _map: Map<string, Y.Item>;
}

const asType = (t: unknown) => t as TypeLike;
const rootName = (t: TypeLike): string | null => {
  try {
    return Y.findRootTypeKey(t as unknown as Y.AbstractType<unknown>);
  } catch {
    return null;
  }
};

/** the root under which an integrated type lives */
function rootOfType(t: TypeLike): string | null {
  let cur: TypeLike | null = t;
  for (let depth = 0; cur && cur._item; depth++) {
    if (depth > 64) return null;
    cur = asType(cur._item.parent);
  }
  return cur ? rootName(cur) : null;
}

function ownComment(it: Y.Item, agencyId: string): boolean {
  if (!(it.content instanceof Y.ContentAny)) return false;
  const rec = it.content.arr[0] as { byAgencyId?: unknown } | null;
  return !!rec && typeof rec === 'object' && rec.byAgencyId === agencyId;
}

export function checkPlanUpdate(doc: Y.Doc, d: Decoded, opts: PlanGuardOptions = {}): CheckResult {
  // the update's own structs by client, for origins that point into the same update
  const byClient = new Map<number, Struct[]>();
  for (const s of d.structs) {
    let l = byClient.get(s.id.client);
    if (!l) byClient.set(s.id.client, (l = []));
    l.push(s);
  }
  /** the struct of the update holding `id` (a client's structs are in clock order: binary search) */
  const findInUpdate = (id: Y.ID): Struct | undefined => {
    const l = byClient.get(id.client);
    if (!l) return undefined;
    let lo = 0,
      hi = l.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = l[mid];
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  const findInDoc = (id: Y.ID): Y.Item | Y.GC | null => (id.clock < Y.getState(doc.store, id.client) ? (Y.getItem(doc.store, id) as Y.Item | Y.GC) : null);
  /** the place of an integrated item (the neighbour of an inserted struct) */
  const placeOfDocItem = (x: Y.Item | Y.GC): Where => {
    if (x instanceof Y.GC) return { kind: 'gc' };
    const parent = asType(x.parent);
    if (!parent) return { kind: 'gc' };
    return parent._item ? { kind: 'nested', root: rootOfType(parent) } : { kind: 'root', root: rootName(parent) ?? '', key: x.parentSub };
  };
  /** the place inside the nested type an integrated item made */
  const insideDocType = (x: Y.Item | Y.GC): Where => {
    if (x instanceof Y.GC) return { kind: 'gc' };
    if (!(x.content instanceof Y.ContentType)) return { kind: 'unknown' };
    return { kind: 'nested', root: rootOfType(asType(x.content.type)) };
  };
  const inside = (w: Where): Where => (w.kind === 'root' ? { kind: 'nested', root: w.root } : w);

  /**
   * Where a struct lands. Chains of origins inside one update can be long (a list filled offline: each
   * element's origin is the one before), so this walks them iteratively and memoises every step.
   */
  const memo = new Map<Struct, Where>();
  const where = (start: Struct): Where => {
    const steps: { s: Struct; nest: boolean }[] = [];
    const seen = new Set<Struct>();
    let cur: Struct = start;
    let result: Where;
    for (;;) {
      const m = memo.get(cur);
      if (m) {
        result = m;
        break;
      }
      if (seen.has(cur)) {
        result = { kind: 'unknown' };
        break;
      } // a cycle of origins
      seen.add(cur);
      if (cur instanceof Y.GC || cur instanceof Y.Skip) {
        result = { kind: 'gc' };
        memo.set(cur, result);
        break;
      }
      const it = cur as Y.Item;
      const parent = it.parent as unknown;
      if (typeof parent === 'string') {
        result = { kind: 'root', root: parent, key: it.parentSub };
        memo.set(cur, result);
        break;
      }
      const ref = parent instanceof Y.ID ? parent : (it.origin ?? it.rightOrigin);
      const nest = parent instanceof Y.ID;
      if (!ref) {
        result = { kind: 'unknown' };
        memo.set(cur, result);
        break;
      }
      const inDoc = findInDoc(ref);
      if (inDoc) {
        result = nest ? insideDocType(inDoc) : placeOfDocItem(inDoc);
        memo.set(cur, result);
        break;
      }
      const next = findInUpdate(ref);
      if (!next) {
        result = { kind: 'unknown' };
        memo.set(cur, result);
        break;
      }
      steps.push({ s: cur, nest });
      cur = next;
    }
    for (let i = steps.length - 1; i >= 0; i--) {
      if (steps[i].nest) result = inside(result);
      memo.set(steps[i].s, result);
    }
    return result;
  };

  const meta = doc.share.has('meta') ? asType(doc.share.get('meta')) : null;
  const comments = doc.share.has('comments') ? asType(doc.share.get('comments')) : null;
  const live = (t: TypeLike | null, key: string): Y.Item | null => {
    const cur = t?._map.get(key);
    return cur && !cur.deleted ? cur : null;
  };
  const commenter = opts.commenter;

  for (const s of d.structs) {
    if (s.id.clock + s.length <= Y.getState(doc.store, s.id.client)) continue; // already in the doc: Yjs skips it
    const w = where(s);
    if (w.kind === 'gc') continue; // deleted content sets nothing
    if (w.kind === 'unknown') return { ok: false, reason: 'gap', detail: 'update depends on unknown content' };
    if (w.kind === 'root' && w.root === 'meta' && w.key !== null && SERVER_META_KEYS.includes(w.key)) {
      const it = s as Y.Item;
      const creating =
        w.key === 'status' &&
        !live(meta, 'status') &&
        it.origin === null &&
        it.rightOrigin === null &&
        it.content instanceof Y.ContentAny &&
        it.content.arr.length === 1 &&
        it.content.arr[0] === 'draft';
      if (!creating) return { ok: false, reason: 'server_field', detail: `meta.${w.key} is set by the server only (filing)` };
    }
    if (commenter) {
      if (w.kind !== 'root' || w.root !== 'comments' || w.key === null)
        return { ok: false, reason: 'comment_only', detail: 'this plan accepts only comments from you' };
      const it = s as Y.Item;
      if (!(it.content instanceof Y.ContentAny) || it.content.arr.length !== 1)
        return { ok: false, reason: 'comment_only', detail: 'a comment is one JSON record' };
      const rec = it.content.arr[0] as { id?: unknown; byAgencyId?: unknown } | null;
      if (!rec || typeof rec !== 'object' || rec.id !== w.key || rec.byAgencyId !== commenter.agencyId) {
        return { ok: false, reason: 'comment_only', detail: 'a comment must be stored under its id and carry your agency' };
      }
      const cur = live(comments, w.key);
      if (cur && !ownComment(cur, commenter.agencyId)) return { ok: false, reason: 'comment_only', detail: 'only your own comments can be changed' };
    }
  }

  // deletions: of a server-written meta key, or (commenters) of anything but their own comments
  for (const [client, ranges] of d.ds.clients) {
    const have = Y.getState(doc.store, client);
    let updEnd = 0;
    for (const s of byClient.get(client) ?? []) updEnd = Math.max(updEnd, s.id.clock + s.length);
    for (const r of ranges) {
      if (r.len <= 0) continue;
      // deleting content the doc does not have yet would wait (pending) and apply later unchecked
      if (r.clock + r.len > Math.max(have, updEnd)) return { ok: false, reason: 'gap', detail: 'deletion of unknown content' };
      for (const key of SERVER_META_KEYS) {
        const cur = live(meta, key);
        if (cur && cur.id.client === client && cur.id.clock < r.clock + r.len && r.clock < cur.id.clock + cur.length) {
          return { ok: false, reason: 'server_field', detail: `meta.${key} is set by the server only (filing)` };
        }
      }
      if (!commenter) continue;
      const end = Math.min(r.clock + r.len, have);
      if (r.clock >= end) continue;
      const structs = doc.store.clients.get(client) ?? [];
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length && structs[i].id.clock < end; i++) {
        const st = structs[i];
        if (st instanceof Y.GC || (st as Y.Item).deleted) continue;
        const it = st as Y.Item;
        const p = asType(it.parent);
        if (!p || p._item || rootName(p) !== 'comments' || !ownComment(it, commenter.agencyId)) {
          return { ok: false, reason: 'comment_only', detail: 'only your own comments can be removed' };
        }
      }
    }
  }
  return { ok: true };
}

/**
 * The relay's `vet` hook for plan and joint rooms (server/app.ts): refuse (close 4403) what
 * `checkPlanUpdate` refuses. In a plan room, a writer from another agency can only be the county plan's
 * city counterpart (rights.ts), so it is held to comments. `null` for rooms this guard does not cover.
 */
export function vetPlanRoom(c: {
  ref: { kind: string; agencyId?: string };
  doc: Y.Doc;
  decoded: Decoded;
  principal: { agencyId?: string };
}): { ok: true } | { ok: false; action: 'refuse'; reason: string; detail?: string } | null {
  if (c.ref.kind !== 'plan' && c.ref.kind !== 'joint') return null;
  const commenter = c.ref.kind === 'plan' && c.principal.agencyId !== c.ref.agencyId ? { agencyId: c.principal.agencyId ?? '' } : undefined;
  const r = checkPlanUpdate(c.doc, c.decoded, { commenter });
  return r.ok ? r : { ok: false, action: 'refuse', reason: r.reason, detail: r.detail };
}
