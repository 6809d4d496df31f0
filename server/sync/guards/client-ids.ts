/**
 * Who owns a Yjs client id in a room (no user writes under another's id).
 *
 * Yjs client ids are not tied to users: anyone who can write to a room can write under another session's id at
 * that session's next clock. The server then takes the honest session's structs, when they arrive, as already
 * known: it echoes them (the phone shows "saved") and drops them. So the first user who writes new content
 * under a client id in a room owns that id, the server keeps that on record (table `client_owners`), and the
 * relay refuses new content under an id that another user owns.
 *
 * Content written before ownership was recorded: in append-only rooms the records name their author, so an id
 * whose records all have one author belongs to that author, and an id whose records have several authors (the
 * seed writes so) belongs to nobody: nobody may extend it. In other rooms such an id goes to its first writer
 * from now on; nobody's data is lost by that, since a new session always starts with a new id.
 */
import * as Y from 'yjs';
import type Database from 'better-sqlite3';
import type { RoomRef } from '../../../src/domain/rooms';

/** owner of an id whose history has several authors: nobody may write under it */
export const NOBODY = '@nobody';

export interface ClientOwners {
  /** the owners of the room's client ids: recorded ones, and those inferred from the doc's content */
  load(room: string, ref: RoomRef, doc: Y.Doc): Map<number, string>;
  /** record that `userId` wrote the first new content under `client` in `room` */
  claim(room: string, client: number, userId: string): void;
}

export function createClientOwners(db: Database.Database): ClientOwners {
  db.exec(`CREATE TABLE IF NOT EXISTS client_owners (
    room TEXT NOT NULL, client INTEGER NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (room, client)) WITHOUT ROWID`);
  const sel = db.prepare<[string], { client: number; user_id: string }>('SELECT client, user_id FROM client_owners WHERE room = ?');
  const ins = db.prepare('INSERT OR IGNORE INTO client_owners (room, client, user_id, at) VALUES (?, ?, ?, ?)');
  return {
    load(room, ref, doc) {
      const owners = new Map<number, string>();
      for (const r of sel.all(room)) owners.set(r.client, r.user_id);
      for (const [client, user] of authorsOf(ref, doc)) if (!owners.has(client)) owners.set(client, user);
      return owners;
    },
    claim(room, client, userId) {
      ins.run(room, client, userId, Date.now());
    },
  };
}

/** the author of each client id in an append-only room's records (NOBODY when they differ) */
function authorsOf(ref: RoomRef, doc: Y.Doc): Map<number, string> {
  const out = new Map<number, string>();
  if (ref.kind !== 'ledger' && ref.kind !== 'feedback') return out;
  const records = doc.share.get('records') as unknown as { _map: Map<string, Y.Item> } | undefined;
  if (!records) return out;
  for (const item of records._map.values()) {
    if (!(item.content instanceof Y.ContentAny)) continue;
    const v = item.content.arr[0] as { by?: unknown; rec?: { by?: unknown } } | null;
    const by = ref.kind === 'ledger' ? v?.rec?.by : v?.by;
    const user = typeof by === 'string' ? by : NOBODY;
    const had = out.get(item.id.client);
    out.set(item.id.client, had === undefined || had === user ? user : NOBODY);
  }
  return out;
}
