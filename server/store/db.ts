/**
 * The SQLite database (better-sqlite3 v12; v13 crashes on Node 20): schema and pragmas.
 *
 * Durability. WAL mode. With `synchronous=NORMAL` a commit is a write() of the frame into the -wal file
 * (no fsync); once write() returns the data is in the OS page cache, so killing the process (kill -9,
 * a crash of Node) loses nothing that was committed: SQLite recovers the WAL on the next open. Only an
 * OS crash or power loss can drop the last transactions before a checkpoint's fsync. Clients keep every
 * change in y-indexeddb and resend what the server lacks on reconnect (sync step 2), so that window heals
 * itself; `SQLITE_SYNCHRONOUS=FULL` closes it too (an fsync of the WAL per commit) at a throughput cost.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type DB = Database.Database;

export const SCHEMA_VERSION = 1;

/** the storage layer's own tables: metadata and the documents' journal rows (server/store/journal.ts) */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- no AUTOINCREMENT: ids still only grow (compaction keeps each room's newest row), and each commit
-- writes one page less (sqlite_sequence)
CREATE TABLE IF NOT EXISTS doc_updates (
  id INTEGER PRIMARY KEY,
  room TEXT NOT NULL,
  data BLOB NOT NULL,
  snapshot INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_room ON doc_updates(room, id);
`;

/**
 * DATA_DIR holds accounts, password hashes and signing keys: the directory is 0700 and every file in it
 * 0600 (owner only), also when an older version or a loose umask made them wider. The database file is
 * created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the database file's mode.
 */
export function ownerOnlyDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** make `file` 0600 when it exists (created by another process or an older version) */
export function ownerOnlyFile(file: string): void {
  try {
    fs.chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * A feature's tables, kept in the feature's own store module: its CREATE statements (idempotent) and the
 * columns added since a table was first created (added to older databases in place, SQLite ADD COLUMN).
 */
export interface Tables {
  sql: string;
  added?: readonly (readonly [table: string, column: string, decl: string])[];
}

/** open (or create) the database with the storage layer's tables and the given features' tables */
export function openDb(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL', tables: readonly Tables[] = []): DB {
  ownerOnlyDir(dataDir);
  const file = path.join(dataDir, 'platform.sqlite');
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) ownerOnlyFile(f);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // after a checkpoint the WAL is cut back to 64 MiB: a long catch-up (the city-sized seed's first
  // projection wrote 2.4 GB of WAL frames while readers kept it from resetting) does not stay on disk
  db.pragma('journal_size_limit = 67108864');
  db.exec(SCHEMA);
  for (const t of tables) {
    db.exec(t.sql);
    addColumns(db, t.added ?? []);
  }
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
  if (!v) db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  return db;
}

function addColumns(db: DB, added: NonNullable<Tables['added']>): void {
  for (const [table, column, decl] of added) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
  }
}

export function getMeta(db: DB, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}
export function setMeta(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
