/**
 * The shape every client update must have before any room's checks look at its content (no struct may stay pending).
 *
 * Yjs keeps a struct whose predecessor it has not seen "pending" and integrates it later, when the missing
 * struct arrives: by then the room's checks (append-only, plan guard, ledger signatures) have run on an update
 * that did not seem to touch anything, and the held-back struct rewrites what they protected. So an update is
 * refused when anything in it would stay pending against the server's state:
 *  - a Skip struct (a hole the sender leaves on purpose);
 *  - a client listed twice (Yjs reads only the last of two groups of one client: the checks would see
 *    structs that are never applied and miss the ones that are);
 *  - a client's structs that are not contiguous, or that start after the server's clock for that client;
 *  - an origin, right origin or parent that is neither in the doc nor in the update;
 *  - a delete of content that is neither in the doc nor in the update.
 * Pure: reads the doc and the decoded update (Y.decodeUpdate, V1).
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type { CheckResult } from './append-only';

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** `gap`: the sender missed an update of its own (one that was dropped): drop, keep the session */
export type StructureReason = 'skip' | 'client_twice' | 'gap' | 'unknown_origin' | 'pending_delete';

/**
 * `update`: the encoded update `d` was decoded from; its first number is how many client groups it lists,
 * which Y.decodeUpdate does not show (two adjacent groups of one client read as one)
 */
export function checkStructure(doc: Y.Doc, d: Decoded, update: Uint8Array): CheckResult & { reason?: StructureReason } {
  // the clock up to which each client's content is known once this update is applied
  const known = new Map<number, number>();
  const knownOf = (client: number) => known.get(client) ?? Y.getState(doc.store, client);
  let client = -1;
  let next = 0;
  let groups = 0;
  const seen = new Set<number>();
  for (const s of d.structs) {
    if (s instanceof Y.Skip) return { ok: false, reason: 'skip', detail: 'update leaves a hole (skip)' };
    if (s.id.client !== client) {
      client = s.id.client;
      groups++;
      if (seen.has(client)) return { ok: false, reason: 'client_twice', detail: 'update lists one client twice' };
      seen.add(client);
      if (s.id.clock > Y.getState(doc.store, client)) return { ok: false, reason: 'gap', detail: 'update depends on unknown content' };
    } else if (s.id.clock !== next) {
      return { ok: false, reason: 'gap', detail: 'update depends on unknown content' };
    }
    next = s.id.clock + s.length;
    known.set(client, Math.max(Y.getState(doc.store, client), next));
  }
  if (decoding.readVarUint(decoding.createDecoder(update)) !== groups) return { ok: false, reason: 'client_twice', detail: 'update lists one client twice' };
  const isKnown = (id: Y.ID | null | undefined) => !id || id.clock < knownOf(id.client);
  for (const s of d.structs) {
    if (!(s instanceof Y.Item)) continue;
    const parent = s.parent as unknown;
    if (!isKnown(s.origin) || !isKnown(s.rightOrigin) || (parent instanceof Y.ID && !isKnown(parent))) {
      return { ok: false, reason: 'unknown_origin', detail: 'update refers to unknown content' };
    }
  }
  for (const [c, items] of d.ds.clients) {
    for (const it of items) {
      if (it.len > 0 && it.clock + it.len > knownOf(c)) return { ok: false, reason: 'pending_delete', detail: 'update deletes unknown content' };
    }
  }
  return { ok: true };
}
