/**
 * Where each room's Yjs update log lives. The relay only talks to this interface, so a PostgreSQL
 * implementation (DESIGN §9) can be added without touching it. Methods are async for that reason;
 * the SQLite implementation is synchronous underneath (better-sqlite3).
 */
import type { DB } from './db';

export interface StoredUpdate {
  id: number;
  data: Uint8Array;
  snapshot: boolean;
}

export interface DocStore {
  /** every stored update of the room, oldest first (a compacted snapshot comes first) */
  load(room: string): Promise<StoredUpdate[]>;
  /** durably store one update; resolves with its id once committed */
  append(room: string, update: Uint8Array): Promise<number>;
  /** replace the updates with id ≤ upToId by `snapshot` (the doc's state after upToId), atomically */
  compact(room: string, snapshot: Uint8Array, upToId: number): Promise<void>;
  /** number of rows and bytes currently stored for the room */
  stats(room: string): Promise<{ rows: number; bytes: number }>;
}

export class SqliteDocStore implements DocStore {
  private readonly qLoad;
  private readonly qAppend;
  private readonly qStats;
  private readonly tCompact;

  constructor(private readonly db: DB) {
    this.qLoad = db.prepare('SELECT id, data, snapshot FROM doc_updates WHERE room = ? ORDER BY id');
    this.qAppend = db.prepare('INSERT INTO doc_updates(room, data, snapshot, created_at) VALUES (?, ?, 0, ?)');
    this.qStats = db.prepare('SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates WHERE room = ?');
    const qKeep = db.prepare('UPDATE doc_updates SET data = ?, snapshot = 1 WHERE room = ? AND id = ?');
    const qDrop = db.prepare('DELETE FROM doc_updates WHERE room = ? AND id < ?');
    // The snapshot takes the id of the last update it covers, so ordering by id stays right even if
    // updates were appended meanwhile (several nodes on one database, DESIGN §9).
    this.tCompact = db.transaction((room: string, snapshot: Uint8Array, upToId: number) => {
      const r = qKeep.run(Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), room, upToId);
      if (r.changes !== 1) throw new Error(`compact: update ${upToId} of ${room} not found`);
      qDrop.run(room, upToId);
    });
  }

  /** synchronous variant for the seed import (inside its transaction) */
  insertSnapshotSync(room: string, snapshot: Uint8Array): void {
    this.db.prepare('INSERT INTO doc_updates(room, data, snapshot, created_at) VALUES (?, ?, 1, ?)').run(room, Buffer.from(snapshot), Date.now());
  }

  async load(room: string): Promise<StoredUpdate[]> {
    const rows = this.qLoad.all(room) as { id: number; data: Buffer; snapshot: number }[];
    return rows.map((r) => ({ id: r.id, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength), snapshot: r.snapshot === 1 }));
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const r = this.qAppend.run(room, Buffer.from(update.buffer, update.byteOffset, update.byteLength), Date.now());
    return Number(r.lastInsertRowid);
  }

  async compact(room: string, snapshot: Uint8Array, upToId: number): Promise<void> {
    this.tCompact(room, snapshot, upToId);
  }

  async stats(room: string): Promise<{ rows: number; bytes: number }> {
    const r = this.qStats.get(room) as { rows: number; bytes: number };
    return { rows: r.rows, bytes: r.bytes };
  }
}
