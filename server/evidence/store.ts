/**
 * Evidence files on disk and their rows in the platform's SQLite file.
 *
 *   <DATA_DIR>/evidence/<first 2 hex>/<sha256>              a whole file, verified, named by the SHA-256 of its bytes
 *   <DATA_DIR>/evidence/partial/<sha256>.<user key>         an upload under way, per user (nobody appends to another's)
 *
 * An upload's offset is its partial file's length: that survives a restart or a crash (the row's offset is
 * reconciled with it on every look). A finished partial is fsynced and renamed into place (same file system:
 * atomic), then the directory is fsynced, so a stored file is either whole or absent.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../store/db';

export const EVIDENCE_TABLES_SQL = `
-- evidence files (server/evidence/store.ts): one row per stored, verified file; the bytes are on disk
CREATE TABLE IF NOT EXISTS evidence_files (
  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, type TEXT NOT NULL, created_at TEXT NOT NULL, uploaded_by TEXT NOT NULL
);
-- uploads under way, per file and user; offset mirrors the partial file's length
CREATE TABLE IF NOT EXISTS evidence_uploads (
  sha256 TEXT NOT NULL, user_id TEXT NOT NULL, uscc TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,
  size INTEGER NOT NULL, "offset" INTEGER NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (sha256, user_id)
);
CREATE INDEX IF NOT EXISTS evidence_uploads_user ON evidence_uploads(user_id);
-- which enterprises' uploads a file came in for: an enterprise learns that bytes are already stored only for its own
CREATE TABLE IF NOT EXISTS evidence_links (sha256 TEXT NOT NULL, uscc TEXT NOT NULL, PRIMARY KEY (sha256, uscc));
-- bytes received per user and day (the daily quota)
CREATE TABLE IF NOT EXISTS evidence_received (
  user_id TEXT NOT NULL, day TEXT NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (user_id, day)
);
`;

const SHA = /^[0-9a-f]{64}$/;

export interface StoredFile {
  sha256: string;
  size: number;
  type: string;
  createdAt: string;
  uploadedBy: string;
}

export interface UploadRow {
  sha256: string;
  userId: string;
  uscc: string;
  kind: string;
  type: string;
  size: number;
  offset: number;
  startedAt: string;
}

interface UploadSql {
  sha256: string;
  user_id: string;
  uscc: string;
  kind: string;
  type: string;
  size: number;
  offset: number;
  started_at: string;
}

/** a user's partial files are named by a hash of the user id: ids never reach a file name */
export const userKey = (userId: string): string => createHash('sha256').update(`evidence-user|${userId}`).digest('hex').slice(0, 24);

/** where a file and a user's partial upload of it live under `root` (<DATA_DIR>/evidence) */
export function evidencePaths(root: string, sha256: string, userId: string): { file: string; partial: string } {
  if (!SHA.test(sha256)) throw new RangeError(`not a SHA-256: ${sha256}`);
  return {
    file: path.join(root, sha256.slice(0, 2), sha256),
    partial: path.join(root, 'partial', `${sha256}.${userKey(userId)}`),
  };
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not every platform fsyncs a directory */
  }
}

const fileSize = (p: string): number | null => {
  try {
    return fs.statSync(p).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * The files and uploads. Synchronous file operations on purpose: a chunk (≤ 1 MiB) is checked against the
 * partial's length and appended in one turn of the event loop, so two requests never interleave on one partial.
 */
export class EvidenceStore {
  readonly root: string;
  private readonly q;

  constructor(
    private readonly db: DB,
    dataDir: string,
  ) {
    this.root = path.join(dataDir, 'evidence');
    fs.mkdirSync(path.join(this.root, 'partial'), { recursive: true, mode: 0o700 });
    db.exec(EVIDENCE_TABLES_SQL);
    this.q = {
      file: db.prepare<[string], { sha256: string; size: number; type: string; created_at: string; uploaded_by: string }>(
        'SELECT sha256, size, type, created_at, uploaded_by FROM evidence_files WHERE sha256 = ?',
      ),
      addFile: db.prepare('INSERT OR IGNORE INTO evidence_files (sha256, size, type, created_at, uploaded_by) VALUES (?, ?, ?, ?, ?)'),
      upload: db.prepare<[string, string], UploadSql>('SELECT * FROM evidence_uploads WHERE sha256 = ? AND user_id = ?'),
      putUpload: db.prepare(
        'INSERT OR REPLACE INTO evidence_uploads (sha256, user_id, uscc, kind, type, size, "offset", started_at) VALUES (@sha256, @userId, @uscc, @kind, @type, @size, @offset, @startedAt)',
      ),
      setOffset: db.prepare('UPDATE evidence_uploads SET "offset" = ? WHERE sha256 = ? AND user_id = ?'),
      dropUpload: db.prepare('DELETE FROM evidence_uploads WHERE sha256 = ? AND user_id = ?'),
      openUploads: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM evidence_uploads WHERE user_id = ?'),
      staleUploads: db.prepare<[string], { sha256: string; user_id: string }>('SELECT sha256, user_id FROM evidence_uploads WHERE started_at < ?'),
      received: db.prepare<[string, string], { bytes: number }>('SELECT bytes FROM evidence_received WHERE user_id = ? AND day = ?'),
      addReceived: db.prepare(
        'INSERT INTO evidence_received (user_id, day, bytes) VALUES (?, ?, ?) ON CONFLICT(user_id, day) DO UPDATE SET bytes = bytes + excluded.bytes',
      ),
      link: db.prepare('INSERT OR IGNORE INTO evidence_links (sha256, uscc) VALUES (?, ?)'),
      linked: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM evidence_links WHERE sha256 = ? AND uscc = ?'),
      dropReceivedBefore: db.prepare('DELETE FROM evidence_received WHERE day < ?'),
    };
  }

  paths(sha256: string, userId: string) {
    return evidencePaths(this.root, sha256, userId);
  }

  /** the stored file's row (the bytes may still be missing or damaged: `bytes` tells) */
  file(sha256: string): StoredFile | null {
    const r = this.q.file.get(sha256);
    return r ? { sha256: r.sha256, size: r.size, type: r.type, createdAt: r.created_at, uploadedBy: r.uploaded_by } : null;
  }

  /** the file is stored and its bytes on disk have the stored size (a cheap check: reads hash the bytes) */
  intact(sha256: string): StoredFile | null {
    const f = this.file(sha256);
    return f && fileSize(this.paths(sha256, '').file) === f.size ? f : null;
  }

  /** the stored bytes, or null when the file is missing from disk */
  async bytes(sha256: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.paths(sha256, '').file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /**
   * The user's upload of this file, its offset reconciled with the partial's length (the partial wins: it is
   * what was written; a missing partial restarts at 0). Null when there is none.
   */
  upload(sha256: string, userId: string): UploadRow | null {
    const r = this.q.upload.get(sha256, userId);
    if (!r) return null;
    const { partial } = this.paths(sha256, userId);
    let len = fileSize(partial);
    if (len === null) {
      fs.writeFileSync(partial, new Uint8Array(0), { mode: 0o600 });
      len = 0;
    }
    if (len > r.size) {
      // never more than declared (a chunk past the size is refused); start over rather than trust it
      fs.truncateSync(partial, 0);
      len = 0;
    }
    if (len !== r.offset) this.q.setOffset.run(len, sha256, userId);
    return { sha256: r.sha256, userId: r.user_id, uscc: r.uscc, kind: r.kind, type: r.type, size: r.size, offset: len, startedAt: r.started_at };
  }

  /** start (or restart from 0) a user's upload */
  begin(u: Omit<UploadRow, 'offset'>): UploadRow {
    const { partial } = this.paths(u.sha256, u.userId);
    fs.writeFileSync(partial, new Uint8Array(0), { mode: 0o600 });
    this.q.putUpload.run({ ...u, offset: 0 });
    return { ...u, offset: 0 };
  }

  /** append at the partial's end; the caller checked that `offset` is its length */
  append(u: UploadRow, bytes: Uint8Array): number {
    const { partial } = this.paths(u.sha256, u.userId);
    const fd = fs.openSync(partial, 'a', 0o600);
    try {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } finally {
      fs.closeSync(fd);
    }
    const offset = u.offset + bytes.length;
    this.q.setOffset.run(offset, u.sha256, u.userId);
    return offset;
  }

  /** SHA-256 (hex) of the user's whole partial */
  partialDigest(sha256: string, userId: string): string {
    return createHash('sha256')
      .update(fs.readFileSync(this.paths(sha256, userId).partial))
      .digest('hex');
  }

  /** drop a user's upload and its partial */
  drop(sha256: string, userId: string): void {
    fs.rmSync(this.paths(sha256, userId).partial, { force: true });
    this.q.dropUpload.run(sha256, userId);
  }

  /**
   * Move a verified partial into place: fsync, rename (atomic), fsync the directory, then the row. A file
   * already stored whole (another user finished first) keeps its row and the partial is dropped; a stored
   * file missing or cut short on disk is replaced by the verified bytes.
   */
  commit(u: UploadRow, createdAt: string): void {
    const { partial, file } = this.paths(u.sha256, u.userId);
    if (this.intact(u.sha256)) {
      this.drop(u.sha256, u.userId);
      return;
    }
    const fd = fs.openSync(partial, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // owner-only like every file of DATA_DIR (the partial was made 0600)
    fs.renameSync(partial, file);
    fsyncDir(dir);
    this.db.transaction(() => {
      this.q.addFile.run(u.sha256, u.size, u.type, createdAt, u.userId);
      this.q.dropUpload.run(u.sha256, u.userId);
    })();
  }

  /** note that the file was uploaded for this enterprise's ledger */
  link(sha256: string, uscc: string): void {
    this.q.link.run(sha256, uscc);
  }

  linked(sha256: string, uscc: string): boolean {
    return this.q.linked.get(sha256, uscc) !== undefined;
  }

  openUploads(userId: string): number {
    return this.q.openUploads.get(userId)?.n ?? 0;
  }

  receivedOn(userId: string, day: string): number {
    return this.q.received.get(userId, day)?.bytes ?? 0;
  }

  addReceived(userId: string, day: string, bytes: number): void {
    this.q.addReceived.run(userId, day, bytes);
  }

  /** drop uploads started before `before` (ISO) with their partials, and quota days before `day` */
  sweep(before: string, day: string): number {
    const stale = this.q.staleUploads.all(before);
    for (const s of stale) this.drop(s.sha256, s.user_id);
    this.q.dropReceivedBefore.run(day);
    return stale.length;
  }
}
