/**
 * Server authority over rooms whose values have owners and schemas (policy and registry schemas, inspectors' own tasks, joint members' own items), checked
 * before an update is stored, like plan-guard.ts. Each guard applies the update to a shadow copy of the doc
 * and judges the values that result, so what is judged is exactly what would be stored, whatever the shape
 * of the update (overwrites, nested maps, origins in the doc). Only the keys the update touched are
 * compared (the shadow's transaction says which). The live doc is only read.
 *
 *  - `config/city` and `registry/certificates` are written by the server only (server/policy/ and
 *    server/registry/: validated and audited); rights.ts gives every client read access, and an update that
 *    still reaches the vet is refused. `checkConfigUpdate` and `checkRegistryUpdate` remain the schema checks
 *    of what such an update would leave (the policy parses as PolicyConfig, a certificate parses and sits
 *    under its number and is revoked, never deleted).
 *  - `tasks/<agencyId>/<year>` (inspectors; the agency's admins edit everything): an inspector changes the
 *    `status` (to in_progress or done) and the `checkCode` of a task assigned to them, and nothing else;
 *    the one task they may add is a triggered inspection they start on the phone (TriggeredPage), assigned
 *    to themselves, in this room's agency and year. No task is deleted.
 *  - `joint/<id>` (member agencies, after plan-guard.ts): `members` is the server's; each item and "who
 *    goes" entry is its own agency's to write; comments are pushed only, each in its writer's own name.
 *
 * The shadow (one per live doc, built on the first guarded write, then kept in step with the doc's new
 * content) costs a second copy of these rooms in memory; copying a 2,000-task room for every status change
 * took 300 ms, the shadow takes well under a millisecond. A refused update leaves the shadow ahead of the
 * doc: it is dropped and rebuilt. An update that would leave structs or deletions pending is refused: held
 * back, they would be integrated later by another update without this check. So is a `__proto__` key,
 * which no JSON view of the doc would show.
 */
import * as Y from 'yjs';
import { Certificate, PolicyConfig, Task } from '../../../src/domain/schemas';
import type { RoomRef } from '../../../src/domain/rooms';
import { toPlain, zodMessage } from '../../../src/model/util';

type Decoded = ReturnType<typeof Y.decodeUpdate>;
export type GuardResult = { ok: true } | { ok: false; reason: string; detail: string };

const OK: GuardResult = { ok: true };
const no = (reason: string, detail: string): GuardResult => ({ ok: false, reason, detail: detail.slice(0, 110) });

const shadows = new WeakMap<Y.Doc, Y.Doc>();

/** the doc's shadow, caught up with the doc (rebuilt when it holds anything the doc does not) */
function shadowOf(doc: Y.Doc): Y.Doc {
  let s = shadows.get(doc);
  if (s) {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(s))) {
      if (clock > Y.getState(doc.store, client)) {
        s = undefined;
        break;
      }
    }
  }
  if (!s) {
    s = new Y.Doc({ gc: false });
    Y.applyUpdate(s, Y.encodeStateAsUpdate(doc));
    shadows.set(doc, s);
  } else {
    Y.applyUpdate(s, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(s)));
  }
  return s;
}

/** where a changed key lies: the root's name and the root map's key it is under (null: the root itself) */
interface Touched {
  root: string;
  key: string | null;
}

/** The doc as it would be after the update, and what the update changed in it; or why it cannot be judged. */
function after(doc: Y.Doc, update: Uint8Array): { doc: Y.Doc; touched: Touched[] } | GuardResult {
  const shadow = shadowOf(doc);
  const changed: [Y.AbstractType<any>, (string | null)[]][] = []; // Transaction.changed holds types of any event
  const collect = (tr: Y.Transaction) => {
    for (const [t, keys] of tr.changed) changed.push([t, [...keys]]);
  };
  shadow.on('afterTransaction', collect);
  try {
    Y.applyUpdate(shadow, update);
  } finally {
    shadow.off('afterTransaction', collect);
  }
  if (shadow.store.pendingStructs || shadow.store.pendingDs) return no('gap', 'update depends on content the server does not have');
  const touched: Touched[] = [];
  for (const [type, keys] of changed) {
    if (keys.includes('__proto__')) return no('forbidden', 'a __proto__ key is refused');
    // walk up to the root, remembering the root map's key the change is under
    let t = type;
    let key: string | null = null;
    for (let depth = 0; t._item; depth++) {
      if (depth > 64 || !t._item.parent) return no('gap', 'update lands outside the doc');
      key = t._item.parentSub;
      t = t._item.parent as Y.AbstractType<unknown>;
    }
    let root = '';
    try {
      root = Y.findRootTypeKey(t) ?? '';
    } catch {
      root = '';
    }
    if (type === t) for (const k of keys) touched.push({ root, key: k });
    else touched.push({ root, key });
  }
  return { doc: shadow, touched };
}

/** the first root outside `allowed` that the update touched */
const outside = (touched: Touched[], allowed: readonly string[]) => touched.find((x) => !allowed.includes(x.root))?.root ?? null;
/** the keys of `root` the update touched */
const keysOf = (touched: Touched[], root: string) => [...new Set(touched.filter((x) => x.root === root && x.key !== null).map((x) => x.key!))];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const valueAt = (d: Y.Doc, root: string, key: string) => toPlain(d.getMap(root).get(key));

/** `config/city`: the policy as a whole parses, and only known fields are set. */
function checkConfigUpdateRaw(doc: Y.Doc, update: Uint8Array): GuardResult {
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const o = outside(r.touched, ['policy']);
  if (o !== null) return no('schema', `config/city holds only the policy, not "${o.slice(0, 40)}"`);
  if (!r.touched.length) return OK;
  const known = Object.keys(PolicyConfig.shape);
  const unknown = Array.from(r.doc.getMap('policy').keys()).filter((k) => !known.includes(k));
  if (unknown.length) return no('schema', `policy has no field ${unknown.slice(0, 3).join(', ')}`);
  const p = PolicyConfig.safeParse(r.doc.getMap('policy').toJSON());
  if (!p.success) return no('schema', `policy: ${zodMessage(p.error)}`);
  return OK;
}

/** `registry/certificates`: each certificate written parses and sits under its number; none is deleted. */
function checkRegistryUpdateRaw(doc: Y.Doc, update: Uint8Array): GuardResult {
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const o = outside(r.touched, ['certificates']);
  if (o !== null) return no('schema', `registry/certificates holds only certificates, not "${o.slice(0, 40)}"`);
  for (const key of keysOf(r.touched, 'certificates')) {
    const was = valueAt(doc, 'certificates', key);
    const now = valueAt(r.doc, 'certificates', key);
    if (same(was, now)) continue;
    if (now === undefined) return no('delete', `certificate ${key.slice(0, 40)} cannot be deleted; revoke it instead`);
    const c = Certificate.safeParse(now);
    if (!c.success) return no('schema', `certificate ${key.slice(0, 40)}: ${zodMessage(c.error)}`);
    if (c.data.number !== key) return no('schema', `certificate ${c.data.number} is stored under ${key.slice(0, 40)}`);
  }
  return OK;
}

/** statuses an inspector sets from the phone (check-in: in_progress; check-out: done) */
export const INSPECTOR_STATUSES: readonly string[] = ['in_progress', 'done'];
/** task fields an inspector may change on a task assigned to them */
export const INSPECTOR_FIELDS: readonly string[] = ['status', 'checkCode'];

/** `tasks/<agencyId>/<year>` written by an inspector: see the header. */
function checkInspectorTasksUpdateRaw(doc: Y.Doc, update: Uint8Array, room: { agencyId: string; year: number }, inspectorId: string | undefined): GuardResult {
  if (!inspectorId) return no('forbidden', 'only an inspector of this agency writes its tasks');
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const o = outside(r.touched, ['tasks']);
  if (o !== null) return no('forbidden', `inspectors write only tasks, not "${o.slice(0, 40)}"`);
  for (const id of keysOf(r.touched, 'tasks')) {
    const old = valueAt(doc, 'tasks', id) as Record<string, unknown> | undefined;
    const v = valueAt(r.doc, 'tasks', id) as Record<string, unknown> | undefined;
    if (same(old, v)) continue;
    if (v === undefined) return no('forbidden', `task ${id.slice(0, 60)} cannot be deleted by an inspector`);
    const t = Task.safeParse(v);
    if (!t.success || t.data.id !== id) return no('schema', `task ${id.slice(0, 60)}: ${t.success ? 'id does not match its key' : zodMessage(t.error)}`);
    if (old === undefined) {
      // a triggered inspection started on the phone: the inspector's own, in this room
      const k = t.data;
      if (
        k.kind.type !== 'triggered' ||
        k.agencyId !== room.agencyId ||
        k.year !== room.year ||
        k.inspectorIds.length !== 1 ||
        k.inspectorIds[0] !== inspectorId ||
        k.status !== 'assigned'
      ) {
        return no('forbidden', `an inspector adds only a triggered task of their own (${id.slice(0, 60)})`);
      }
      continue;
    }
    if (!Array.isArray(old.inspectorIds) || !old.inspectorIds.includes(inspectorId)) {
      return no('forbidden', `task ${id.slice(0, 60)} is not assigned to you`);
    }
    for (const f of new Set([...Object.keys(old), ...Object.keys(v)])) {
      if (same(old[f], v[f])) continue;
      if (!INSPECTOR_FIELDS.includes(f)) return no('forbidden', `an inspector changes only the status of a task, not ${f.slice(0, 30)}`);
      if (f === 'status' && !INSPECTOR_STATUSES.includes(String(v[f])))
        return no('forbidden', `an inspector may not set a task to ${String(v[f]).slice(0, 20)}`);
      if (f === 'checkCode' && typeof v[f] !== 'string') return no('forbidden', 'a check code is not removed by an inspector');
    }
  }
  return OK;
}

/**
 * `joint/<id>` written by a member agency (after plan-guard.ts): the members list is the server's (it
 * follows acceptances); an item or a "who goes" entry belongs to one member agency, and only that agency
 * adds, changes or removes it, so nothing is written in the name of an agency that has not joined.
 */
function checkJointUpdateRaw(
  doc: Y.Doc,
  update: Uint8Array,
  writerAgencyId: string | undefined,
  members: readonly string[],
  writerUserId?: string,
): GuardResult {
  if (!writerAgencyId || !members.includes(writerAgencyId)) return no('forbidden', 'only a member agency writes this joint plan');
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const o = outside(r.touched, ['meta', 'items', 'comments', 'team']);
  if (o !== null) return no('forbidden', o === 'members' ? 'the members of a joint plan are kept by the server' : `a joint plan has no "${o.slice(0, 40)}"`);
  // comments are a thread (push only): none is changed or removed, and a new one is the writer's own
  if (r.touched.some((x) => x.root === 'comments')) {
    const ids = (d: Y.Doc) => new Map((d.getArray('comments').toJSON() as { id?: unknown }[]).map((c) => [String(c?.id), c]));
    const was = ids(doc);
    const now = ids(r.doc);
    for (const [id, c] of was) if (!same(c, now.get(id))) return no('forbidden', 'a comment is not changed or removed');
    for (const [id, c] of now) {
      if (was.has(id)) continue;
      const x = c as { agencyId?: unknown; by?: unknown };
      if (x.agencyId !== writerAgencyId || (writerUserId !== undefined && x.by !== writerUserId))
        return no('forbidden', "a comment carries its writer's own agency and name");
    }
  }
  for (const root of ['items', 'team'] as const) {
    for (const key of keysOf(r.touched, root)) {
      const was = valueAt(doc, root, key) as { agencyId?: unknown } | undefined;
      const cur = valueAt(r.doc, root, key) as { agencyId?: unknown } | undefined;
      if (same(was, cur)) continue;
      // the owner as it was and as it would be: both must be the writer (no taking over another's entry)
      for (const x of [was, cur]) {
        if (x === undefined || x.agencyId === writerAgencyId) continue;
        const whose = typeof x.agencyId === 'string' ? x.agencyId.slice(0, 30) : '?';
        return no(
          'forbidden',
          members.includes(whose) ? `only ${whose} edits its own ${root === 'items' ? 'items' : 'team'}` : `${whose} is not a member of this joint plan`,
        );
      }
    }
  }
  return OK;
}

/** a refused update stays in the shadow: drop it (rebuilt on the next write) */
function judged(doc: Y.Doc, r: GuardResult): GuardResult {
  if (!r.ok) shadows.delete(doc);
  return r;
}
export const checkConfigUpdate = (doc: Y.Doc, update: Uint8Array) => judged(doc, checkConfigUpdateRaw(doc, update));
export const checkRegistryUpdate = (doc: Y.Doc, update: Uint8Array) => judged(doc, checkRegistryUpdateRaw(doc, update));
export const checkInspectorTasksUpdate = (doc: Y.Doc, update: Uint8Array, room: { agencyId: string; year: number }, inspectorId: string | undefined) =>
  judged(doc, checkInspectorTasksUpdateRaw(doc, update, room, inspectorId));
export const checkJointUpdate = (doc: Y.Doc, update: Uint8Array, writerAgencyId: string | undefined, members: readonly string[], writerUserId?: string) =>
  judged(doc, checkJointUpdateRaw(doc, update, writerAgencyId, members, writerUserId));

type Vet = { ok: true } | { ok: false; action: 'refuse'; reason: string; detail?: string } | null;

/**
 * The relay's `vet` hook for these rooms (server/app.ts): refuse (close 4403) what the guards refuse;
 * `null` for rooms they do not cover (and for an agency admin's own tasks room). Joint rooms need the
 * server's membership (`jointMembers`).
 */
export function vetGuardedRoom(
  c: {
    ref: RoomRef;
    doc: Y.Doc;
    update: Uint8Array;
    decoded?: Decoded;
    principal: { role: string; userId?: string; agencyId?: string; inspectorId?: string };
  },
  jointMembers?: () => readonly string[],
): Vet {
  let r: GuardResult;
  if (c.ref.kind === 'config' || c.ref.kind === 'registry')
    r = no('server_only', `${c.ref.kind === 'config' ? 'the city policy' : 'the certificate registry'} is changed through the API only`);
  else if (c.ref.kind === 'tasks' && c.principal.role !== 'agency') r = checkInspectorTasksUpdate(c.doc, c.update, c.ref, c.principal.inspectorId);
  else if (c.ref.kind === 'joint' && jointMembers) r = checkJointUpdate(c.doc, c.update, c.principal.agencyId, jointMembers(), c.principal.userId);
  else return null;
  return r.ok ? r : { ok: false, action: 'refuse', reason: r.reason, detail: r.detail };
}

/** chain two guards: a refusal of the first stands; else the second's answer, else the first's (null: neither covers the room) */
export function firstRefusal(a: Vet, b: () => Vet): Vet {
  if (a && !a.ok) return a;
  return b() ?? a;
}
