/**
 * Server authority over three small, rarely written rooms (issue 13, hardening), checked before an update
 * is stored, like plan-guard.ts. Each guard applies the decoded update to a scratch copy of the doc and
 * looks at the values that result, so what is judged is exactly what would be stored; these rooms are
 * small and their writes rare, so the copy costs little. Pure: the live doc is only read.
 *
 *  - `config/city` (supervisors): the root map `policy` must parse as PolicyConfig, with no key the
 *    schema does not know; nothing is written outside it.
 *  - `registry/certificates` (supervisors): every certificate written parses as Certificate and is stored
 *    under its number; a certificate is revoked (注销), never deleted (records signed by its holder keep
 *    pointing at it); nothing is written outside `certificates`.
 *  - `tasks/<agencyId>/<year>` (inspectors; the agency's admins edit everything): an inspector changes the
 *    `status` (to in_progress or done) and the `checkCode` of a task assigned to them, and nothing else;
 *    the one task they may add is a triggered inspection they start on the phone (TriggeredPage), assigned
 *    to themselves, in this room's agency and year. No task is deleted.
 *  - `joint/<id>` (member agencies, after plan-guard.ts): `members` is the server's; each item and "who
 *    goes" entry is its own agency's to write.
 *
 * An update that would leave structs or deletions pending against the doc is refused here too: held back,
 * they would be integrated later by another update without this check.
 */
import * as Y from 'yjs';
import { Certificate, PolicyConfig, Task } from '../../src/domain/schemas';
import type { RoomRef } from '../../src/domain/rooms';
import { zodMessage } from '../../src/model/util';

type Decoded = ReturnType<typeof Y.decodeUpdate>;
export type GuardResult = { ok: true } | { ok: false; reason: string; detail: string };

const OK: GuardResult = { ok: true };
const no = (reason: string, detail: string): GuardResult => ({ ok: false, reason, detail: detail.slice(0, 110) });

/** The doc as it would be after the update, or why the update cannot be judged. */
function after(doc: Y.Doc, update: Uint8Array): { doc: Y.Doc } | GuardResult {
  const scratch = new Y.Doc({ gc: false });
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(scratch, update);
  if (scratch.store.pendingStructs || scratch.store.pendingDs) return no('gap', 'update depends on content the server does not have');
  return { doc: scratch };
}

/** the root an integrated struct of the scratch doc lives under ('' when it cannot be told) */
function rootOf(s: Y.Item | Y.GC): string {
  if (s instanceof Y.GC || !s.parent) return '';
  let t = s.parent as Y.AbstractType<unknown>;
  for (let depth = 0; t._item; depth++) {
    if (depth > 64 || !t._item.parent) return '';
    t = t._item.parent as Y.AbstractType<unknown>;
  }
  try { return Y.findRootTypeKey(t) ?? ''; } catch { return ''; }
}

/**
 * A root outside `allowed` that the update writes to or deletes from, if any: the structs the scratch has
 * beyond the doc's state (new content), and the items the update's delete set names.
 */
function rootOutside(doc: Y.Doc, scratch: Y.Doc, decoded: Decoded, allowed: readonly string[]): string | null {
  for (const [client, structs] of scratch.store.clients) {
    const have = Y.getState(doc.store, client);
    const last = structs[structs.length - 1];
    if (!last || last.id.clock + last.length <= have) continue;
    for (let i = have > 0 ? Y.findIndexSS(structs, Math.min(have, last.id.clock)) : 0; i < structs.length; i++) {
      const st = structs[i];
      if (st instanceof Y.GC) continue;
      // a `__proto__` key would vanish from every JSON view of the doc and could never be checked
      if ((st as Y.Item).parentSub === '__proto__') return '__proto__';
      const root = rootOf(st as Y.Item);
      if (!allowed.includes(root)) return root || '?';
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = scratch.store.clients.get(client) ?? [];
    for (const r of ranges) {
      if (r.len <= 0 || !structs.length) continue;
      const end = r.clock + r.len;
      for (let i = Y.findIndexSS(structs, Math.min(r.clock, structs[structs.length - 1].id.clock)); i < structs.length && structs[i].id.clock < end; i++) {
        const st = structs[i];
        if (st instanceof Y.GC) continue;
        const root = rootOf(st as Y.Item);
        if (!allowed.includes(root)) return root || '?';
      }
    }
  }
  return null;
}

const plainOf = (m: Y.Map<unknown>): Record<string, unknown> => m.toJSON() as Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `config/city`: the policy as a whole parses, and only known fields are set. */
export function checkConfigUpdate(doc: Y.Doc, update: Uint8Array, decoded: Decoded = Y.decodeUpdate(update)): GuardResult {
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const outside = rootOutside(doc, r.doc, decoded, ['policy']);
  if (outside) return no('schema', `config/city holds only the policy, not "${outside}"`);
  const known = Object.keys(PolicyConfig.shape);
  // the map's own keys: a `__proto__` key would not show as a key of its JSON object
  const unknown = Array.from(r.doc.getMap('policy').keys()).filter((k) => !known.includes(k));
  if (unknown.length) return no('schema', `policy has no field ${unknown.slice(0, 3).join(', ')}`);
  const before = plainOf(doc.getMap('policy'));
  const now = plainOf(r.doc.getMap('policy'));
  if (same(before, now)) return OK;
  const p = PolicyConfig.safeParse(now);
  if (!p.success) return no('schema', `policy: ${zodMessage(p.error)}`);
  return OK;
}

/** `registry/certificates`: each certificate written parses and sits under its number; none is deleted. */
export function checkRegistryUpdate(doc: Y.Doc, update: Uint8Array, decoded: Decoded = Y.decodeUpdate(update)): GuardResult {
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const outside = rootOutside(doc, r.doc, decoded, ['certificates']);
  if (outside) return no('schema', `registry/certificates holds only certificates, not "${outside}"`);
  const before = doc.getMap('certificates');
  const now = r.doc.getMap('certificates');
  for (const key of before.keys()) {
    if (!now.has(key)) return no('delete', `certificate ${key} cannot be deleted; revoke it instead`);
  }
  for (const [key, v] of now) {
    const plain = v instanceof Y.AbstractType ? v.toJSON() : v;
    const old = before.get(key);
    if (old !== undefined && same(old instanceof Y.AbstractType ? old.toJSON() : old, plain)) continue;
    const c = Certificate.safeParse(plain);
    if (!c.success) return no('schema', `certificate ${key}: ${zodMessage(c.error)}`);
    if (c.data.number !== key) return no('schema', `certificate ${c.data.number} is stored under ${key}`);
  }
  return OK;
}

/** statuses an inspector sets from the phone (check-in: in_progress; check-out: done) */
export const INSPECTOR_STATUSES: readonly string[] = ['in_progress', 'done'];
/** task fields an inspector may change on a task assigned to them */
export const INSPECTOR_FIELDS: readonly string[] = ['status', 'checkCode'];

/** `tasks/<agencyId>/<year>` written by an inspector: see the header. */
export function checkInspectorTasksUpdate(
  doc: Y.Doc, update: Uint8Array, room: { agencyId: string; year: number }, inspectorId: string | undefined,
  decoded: Decoded = Y.decodeUpdate(update),
): GuardResult {
  if (!inspectorId) return no('forbidden', 'only an inspector of this agency writes its tasks');
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const outside = rootOutside(doc, r.doc, decoded, ['tasks']);
  if (outside) return no('forbidden', `inspectors write only tasks, not "${outside}"`);
  const before = plainOf(doc.getMap('tasks'));
  const now = plainOf(r.doc.getMap('tasks'));
  for (const id of Object.keys(before)) {
    if (!(id in now)) return no('forbidden', `task ${id} cannot be deleted by an inspector`);
  }
  for (const [id, v] of Object.entries(now)) {
    const old = before[id];
    if (same(old, v)) continue;
    const t = Task.safeParse(v);
    if (!t.success || t.data.id !== id) return no('schema', `task ${id}: ${t.success ? 'id does not match its key' : zodMessage(t.error)}`);
    if (old === undefined) {
      // a triggered inspection started on the phone: the inspector's own, in this room
      const k = t.data;
      if (k.kind.type !== 'triggered' || k.agencyId !== room.agencyId || k.year !== room.year
        || k.inspectorIds.length !== 1 || k.inspectorIds[0] !== inspectorId || k.status !== 'assigned') {
        return no('forbidden', `an inspector adds only a triggered task of their own (${id})`);
      }
      continue;
    }
    const was = old as Record<string, unknown>;
    if (!Array.isArray(was.inspectorIds) || !was.inspectorIds.includes(inspectorId)) {
      return no('forbidden', `task ${id} is not assigned to you`);
    }
    const cur = v as Record<string, unknown>;
    const keys = new Set([...Object.keys(was), ...Object.keys(cur)]);
    for (const f of keys) {
      if (same(was[f], cur[f])) continue;
      if (!INSPECTOR_FIELDS.includes(f)) return no('forbidden', `an inspector changes only the status of a task, not ${f.slice(0, 30)}`);
      if (f === 'status' && !INSPECTOR_STATUSES.includes(String(cur[f]))) return no('forbidden', `an inspector may not set a task to ${String(cur[f]).slice(0, 20)}`);
      if (f === 'checkCode' && typeof cur[f] !== 'string') return no('forbidden', 'a check code is not removed by an inspector');
    }
  }
  return OK;
}

/**
 * `joint/<id>` written by a member agency (after plan-guard.ts): the members list is the server's (it
 * follows acceptances); an item or a "who goes" entry belongs to one member agency, and only that agency
 * adds, changes or removes it, so nothing is written in the name of an agency that has not joined.
 */
export function checkJointUpdate(doc: Y.Doc, update: Uint8Array, writerAgencyId: string | undefined, members: readonly string[], decoded: Decoded = Y.decodeUpdate(update)): GuardResult {
  if (!writerAgencyId || !members.includes(writerAgencyId)) return no('forbidden', 'only a member agency writes this joint plan');
  const r = after(doc, update);
  if (!('doc' in r)) return r;
  const outside = rootOutside(doc, r.doc, decoded, ['meta', 'items', 'comments', 'team']);
  if (outside) return no('forbidden', outside === 'members' ? 'the members of a joint plan are kept by the server' : `a joint plan has no "${outside}"`);
  for (const root of ['items', 'team'] as const) {
    const before = plainOf(doc.getMap(root));
    const now = plainOf(r.doc.getMap(root));
    for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
      const was = before[key] as { agencyId?: unknown } | undefined;
      const cur = now[key] as { agencyId?: unknown } | undefined;
      if (same(was, cur)) continue;
      // the owner as it was and as it would be: both must be the writer (no taking over another's item)
      for (const owner of [was?.agencyId, cur?.agencyId]) {
        if (owner === undefined && (was === undefined || cur === undefined)) continue;
        if (owner !== writerAgencyId) {
          const whose = typeof owner === 'string' ? owner.slice(0, 30) : '?';
          return no('forbidden', members.includes(whose) ? `only ${whose} edits its own ${root === 'items' ? 'items' : 'team'}` : `${whose} is not a member of this joint plan`);
        }
      }
    }
  }
  return OK;
}

/**
 * The relay's `vet` hook for these rooms (server/app.ts): refuse (close 4403) what the guards refuse;
 * `null` for rooms they do not cover (and for an agency admin's own tasks room). Joint rooms need the
 * server's membership (`jointMembers`).
 */
export function vetGuardedRoom(c: {
  ref: RoomRef;
  doc: Y.Doc;
  update: Uint8Array;
  decoded: Decoded;
  principal: { role: string; agencyId?: string; inspectorId?: string };
}, jointMembers?: () => readonly string[]): { ok: true } | { ok: false; action: 'refuse'; reason: string; detail?: string } | null {
  let r: GuardResult;
  if (c.ref.kind === 'config') r = checkConfigUpdate(c.doc, c.update, c.decoded);
  else if (c.ref.kind === 'registry') r = checkRegistryUpdate(c.doc, c.update, c.decoded);
  else if (c.ref.kind === 'tasks' && c.principal.role !== 'agency') r = checkInspectorTasksUpdate(c.doc, c.update, c.ref, c.principal.inspectorId, c.decoded);
  else if (c.ref.kind === 'joint' && jointMembers) r = checkJointUpdate(c.doc, c.update, c.principal.agencyId, jointMembers(), c.decoded);
  else return null;
  return r.ok ? r : { ok: false, action: 'refuse', reason: r.reason, detail: r.detail };
}

type Vet = { ok: true } | { ok: false; action: 'refuse'; reason: string; detail?: string } | null;
/** chain two guards: a refusal of the first stands; else the second's answer, else the first's (null: neither covers the room) */
export function firstRefusal(a: Vet, b: () => Vet): Vet {
  if (a && !a.ok) return a;
  return b() ?? a;
}
