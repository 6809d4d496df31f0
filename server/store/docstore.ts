/**
 * Where each room's Yjs update log lives. The relay only talks to this interface, so a PostgreSQL
 * implementation (DESIGN §9) can be added without touching it. Methods are async for that reason.
 * The implementation is journal.ts: SQLite's doc_updates table with an append-only journal in front.
 */

export interface StoredUpdate {
  id: number;
  data: Uint8Array;
  snapshot: boolean;
}

export interface DocStore {
  /** every stored update of the room, oldest first (a compacted snapshot comes first) */
  load(room: string): Promise<StoredUpdate[]>;
  /** durably store one update; its id once it is durable (a number at once when the store is synchronous) */
  append(room: string, update: Uint8Array): number | Promise<number>;
  /** replace the updates with id ≤ upToId by `snapshot` (the doc's state after upToId), atomically */
  compact(room: string, snapshot: Uint8Array, upToId: number): Promise<void>;
  /** number of rows and bytes currently stored for the room */
  stats(room: string): Promise<{ rows: number; bytes: number }>;
  /** the highest update id stored for the room (0: none) */
  latestId(room: string): number;
}
