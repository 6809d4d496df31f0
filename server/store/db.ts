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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  agency_id TEXT,
  inspector_id TEXT,
  uscc TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  -- 1: a one-time password (made by an administrator) that must be changed at the next sign-in
  must_change_password INTEGER NOT NULL DEFAULT 0,
  -- raised when the password changes or the account is disabled: tokens of an older epoch stop working
  token_epoch INTEGER NOT NULL DEFAULT 0,
  -- 1: the password is the published demo password; NULL: not known yet (checked once in production)
  demo_password INTEGER,
  password_changed_at INTEGER
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user_id);
CREATE TABLE IF NOT EXISTS divisions (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL, parent TEXT, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agencies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL, division TEXT NOT NULL,
  sector TEXT NOT NULL, kind TEXT NOT NULL, city_counterpart_id TEXT, filing_office_id TEXT, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inspectors (
  id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, name TEXT NOT NULL, certificate_number TEXT,
  active INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inspectors_agency ON inspectors(agency_id);
CREATE TABLE IF NOT EXISTS enterprises (
  uscc TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, division TEXT NOT NULL, industry TEXT NOT NULL,
  risk_level TEXT NOT NULL, credit_level TEXT NOT NULL, quiet_zone INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS enterprises_division ON enterprises(division);
CREATE INDEX IF NOT EXISTS enterprises_industry ON enterprises(industry);
CREATE INDEX IF NOT EXISTS enterprises_name ON enterprises(name);
CREATE TABLE IF NOT EXISTS plan_status (
  room TEXT PRIMARY KEY, agency_id TEXT NOT NULL, year INTEGER NOT NULL, published INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS joint_members (
  joint_id TEXT NOT NULL, agency_id TEXT NOT NULL, PRIMARY KEY (joint_id, agency_id)
);
-- joint plans made through the API (the lead is the server's fact, not the doc's); seeded ones are
-- filled in from their docs on first listing (server/joints.ts)
CREATE TABLE IF NOT EXISTS joints (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER NOT NULL, lead_agency_id TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL
);
-- plan filings (备案, measure 6; server/filings.ts): the snapshot columns are immutable (triggers);
-- only the decision columns change, once, from 'submitted'. A re-filing is a new row.
CREATE TABLE IF NOT EXISTS filings (
  id TEXT PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL, agency_id TEXT NOT NULL, year INTEGER NOT NULL,
  hash TEXT NOT NULL, content TEXT NOT NULL, labels TEXT NOT NULL, title TEXT NOT NULL, item_count INTEGER NOT NULL,
  submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL, office_id TEXT NOT NULL, seq INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'filed', 'returned')),
  decided_by TEXT, decided_at TEXT, reason TEXT
);
CREATE INDEX IF NOT EXISTS filings_room ON filings(room, seq);
CREATE INDEX IF NOT EXISTS filings_office ON filings(office_id, year);
CREATE INDEX IF NOT EXISTS filings_agency ON filings(agency_id, year);
CREATE TRIGGER IF NOT EXISTS filings_snapshot_immutable
  BEFORE UPDATE OF id, room, kind, agency_id, year, hash, content, labels, title, item_count, submitted_by, submitted_at, office_id, seq ON filings
  BEGIN SELECT RAISE(ABORT, 'a filing snapshot is immutable'); END;
CREATE TRIGGER IF NOT EXISTS filings_decided_once
  BEFORE UPDATE OF status, decided_by, decided_at, reason ON filings WHEN OLD.status <> 'submitted'
  BEGIN SELECT RAISE(ABORT, 'a filing is decided once'); END;
CREATE TRIGGER IF NOT EXISTS filings_no_delete BEFORE DELETE ON filings
  BEGIN SELECT RAISE(ABORT, 'filings are never deleted'); END;
-- publication (一公开) of a plan or joint plan: which filed snapshot the public sees
CREATE TABLE IF NOT EXISTS publications (
  room TEXT PRIMARY KEY, kind TEXT NOT NULL, agency_id TEXT NOT NULL, year INTEGER NOT NULL,
  filing_id TEXT NOT NULL, published_by TEXT NOT NULL, published_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS publications_year ON publications(year);
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
  try { fs.chmodSync(file, 0o600); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
}

export function openDb(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): DB {
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
  migrate(db);
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
  if (!v) db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  return db;
}

/** Columns added after a table was first created: added to older databases in place (SQLite ADD COLUMN). */
const ADDED_COLUMNS: [table: string, column: string, decl: string][] = [
  ['users', 'must_change_password', 'INTEGER NOT NULL DEFAULT 0'],
  ['users', 'token_epoch', 'INTEGER NOT NULL DEFAULT 0'],
  ['users', 'demo_password', 'INTEGER'],
  ['users', 'password_changed_at', 'INTEGER'],
];

function migrate(db: DB): void {
  for (const [table, column, decl] of ADDED_COLUMNS) {
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
