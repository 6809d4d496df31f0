/**
 * The update journal: an append-only file in front of SQLite's doc_updates table.
 *
 * Why. Every accepted update must be durable before it is relayed. A SQLite commit per update on the
 * event loop (B-tree insert, index insert, two WAL frames, six lock calls) cost ≈65 µs in place and made
 * everything after it slower; it was the whole gap between our relay's p99 and the stock server's
 * (bench:sync). Here the relay's durable step is one write() of a small framed record to
 * `DATA_DIR/journal/NNNNNNNN.log`: once it returns, the bytes are in the OS page cache exactly as a
 * committed WAL frame is with synchronous=NORMAL (kill -9 loses nothing; SYNCHRONOUS=FULL adds an
 * fdatasync per record, as SQLite would per commit). A worker thread with its own connection folds the
 * journal into doc_updates in batches (same ids), then deletes the files it has folded. SQLite stays the
 * store of record: snapshots, compaction, loading, backups; the journal only holds the last few
 * milliseconds of updates, and whatever a crash left in it is folded in before the server accepts a
 * connection.
 *
 * The same worker runs the WAL checkpoints (PASSIVE, every second; they never block a writer or reader):
 * SQLite's automatic checkpoint would run inside whichever commit crosses 1000 pages, on the event loop,
 * and fsync the database file, a stall of several milliseconds for every session. While the worker is
 * down (it is restarted with a back-off) the main connection checkpoints automatically again.
 *
 * The main thread never writes doc_updates while the journal is open (the seed runs before), so ids are
 * handed out here: max(id) + 1. Updates not folded yet are kept in memory (`pending`) and merged into
 * `load`; a load may see a row both ways and apply it twice, which Yjs ignores. Compaction runs on the
 * worker after it has folded every record up to the snapshot's id, so a snapshot never precedes a row it
 * covers.
 *
 * Record: u32 payload length, u32 CRC-32 of the payload, payload = u48 id, u48 created_at (ms), u16 room
 * length, room (UTF-8), update bytes. A torn or corrupt record ends its file (only an OS crash can tear a
 * write); the worker only reads the live file up to the offset the main thread reports as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
// zlib.crc32 (Node ≥ 20.15) is the function the worker checks records with
import zlib from 'node:zlib';
import { ownerOnlyDir, ownerOnlyFile, type DB } from './db';
import type { DocStore, StoredUpdate } from './docstore';
import type { Logger } from '../log';

/** a new file once the current one passes this size (the worker deletes folded files) */
const ROTATE_BYTES = 8 * 1024 * 1024;
/**
 * The worker folds at most this often: one transaction for all records since the last fold. Folding
 * every 20 ms instead cost more CPU per update than it saved (bench:sync: 345 vs 290 µs) and lifted p99.
 */
export const FOLD_DELAY_MS = 250;
const HEADER = 8;
const FIXED = 6 + 6 + 2;

// Plain JS evaluated in the worker (no TypeScript loader there); better-sqlite3 is context-aware.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const Database = require(workerData.module);
const { dir, file, synchronous, foldDelayMs, checkpointMs } = workerData;
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + synchronous);
db.pragma('wal_autocheckpoint = 0');
const ins = db.prepare('INSERT OR IGNORE INTO doc_updates(id, room, data, snapshot, created_at) VALUES (?, ?, ?, 0, ?)');
const qKeep = db.prepare('UPDATE doc_updates SET data = ?, snapshot = 1 WHERE room = ? AND id = ?');
const qDrop = db.prepare('DELETE FROM doc_updates WHERE room = ? AND id < ?');
const qMax = db.prepare('SELECT coalesce(max(id), 0) AS m FROM doc_updates');
const insertAll = db.transaction((rows) => { for (const r of rows) ins.run(r.id, r.room, r.data, r.at); });
const compactTx = db.transaction((room, snapshot, upToId) => {
  const r = qKeep.run(snapshot, room, upToId);
  if (r.changes !== 1) throw new Error('compact: update ' + upToId + ' of ' + room + ' not found');
  qDrop.run(room, upToId);
});

const seqOf = (name) => /^(\\d{8})\\.log$/.exec(name);
const fileOf = (seq) => path.join(dir, String(seq).padStart(8, '0') + '.log');
const listSeqs = () => fs.readdirSync(dir).map(seqOf).filter(Boolean).map((m) => +m[1]).sort((a, b) => a - b);

// rows with ids at or below this are in the table already (a fold that committed before a crash)
let maxId = qMax.get().m;
const seqs = listSeqs();
let cur = { seq: seqs.length ? seqs[0] : 1, offset: 0 };
let target = null;
let timer = null;
let torn = 0;

/** complete, intact records of buf into rows; stops at the first torn or corrupt one; returns the bytes used */
function parse(buf, rows) {
  let at = 0;
  while (at + ${HEADER} <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (len < ${FIXED} || at + ${HEADER} + len > buf.length) break;
    const payload = buf.subarray(at + ${HEADER}, at + ${HEADER} + len);
    if (zlib.crc32(payload) !== buf.readUInt32LE(at + 4)) { torn++; return at; }
    const id = payload.readUIntLE(0, 6);
    const at2 = payload.readUIntLE(6, 6);
    const rl = payload.readUInt16LE(12);
    if (${FIXED} + rl > len) { torn++; return at; }
    const room = payload.toString('utf8', ${FIXED}, ${FIXED} + rl);
    if (id > maxId) rows.push({ id, room, data: Buffer.from(payload.subarray(${FIXED} + rl)), at: at2 });
    at += ${HEADER} + len;
  }
  if (at < buf.length) torn++; // an incomplete record at the end
  return at;
}

function readRange(seq, from, to) {
  const fd = fs.openSync(fileOf(seq), 'r');
  try {
    const end = to === null ? fs.fstatSync(fd).size : to;
    const buf = Buffer.allocUnsafe(Math.max(0, end - from));
    let got = 0;
    while (got < buf.length) { const n = fs.readSync(fd, buf, got, buf.length - got, from + got); if (n === 0) break; got += n; }
    return buf.subarray(0, got);
  } finally { fs.closeSync(fd); }
}

/** fold every record up to t (a file seq and the byte offset written so far in it); null: every file to its end */
function foldTo(t) {
  const rows = [];
  const done = [];
  // the position moves only once the rows are committed: a failed fold is retried from the same place
  let at = { seq: cur.seq, offset: cur.offset };
  for (;;) {
    const last = t !== null && at.seq >= t.seq;
    if (!fs.existsSync(fileOf(at.seq))) { if (last || t === null) break; at = { seq: at.seq + 1, offset: 0 }; continue; }
    // an earlier file than the one being written is complete: read it to its end
    const buf = readRange(at.seq, at.offset, last ? t.end : null);
    at.offset += parse(buf, rows);
    if (last) break;
    done.push(at.seq);
    if (t === null && !fs.existsSync(fileOf(at.seq + 1))) break;
    at = { seq: at.seq + 1, offset: 0 };
  }
  if (rows.length) { insertAll(rows); maxId = Math.max(maxId, rows[rows.length - 1].id); }
  cur = at;
  for (const s of done) { try { fs.unlinkSync(fileOf(s)); } catch {} }
  return rows.length;
}

function fold() {
  timer = null;
  try { foldTo(target); parentPort.postMessage({ folded: maxId }); }
  catch (err) { parentPort.postMessage({ error: String(err && err.message || err), folded: maxId }); }
}

if (workerData.recover) {
  // startup: every file to its end (a torn tail is dropped), then they all go
  let n = 0;
  try {
    n = foldTo(null);
    for (const s of listSeqs()) fs.unlinkSync(fileOf(s));
    parentPort.postMessage({ ready: true, maxId, recovered: n, torn });
  } catch (err) { parentPort.postMessage({ ready: false, error: String(err && err.message || err) }); }
}

const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) { parentPort.postMessage({ checkpointError: String(err && err.message || err) }); }
}, checkpointMs);

parentPort.on('message', (m) => {
  if (m.fold) { target = m.fold; if (!timer) timer = setTimeout(fold, foldDelayMs); return; }
  if (m.now) {
    // compaction, flush, stop: fold what was written first, at once
    const nudged = timer !== null;
    if (timer) { clearTimeout(timer); timer = null; }
    target = m.now.target;
    try {
      foldTo(target);
      if (m.now.compact) compactTx(m.now.compact.room, m.now.compact.snapshot, m.now.compact.upToId);
      parentPort.postMessage({ folded: maxId, done: m.now.req });
    } catch (err) { parentPort.postMessage({ folded: maxId, failed: m.now.req, error: String(err && err.message || err) }); }
    // the fold this request pre-empted still owes its answer: the main thread nudges again only after it
    if (nudged) parentPort.postMessage({ folded: maxId });
    if (m.now.stop) { clearInterval(checkpoints); db.close(); process.exit(0); }
  }
});
`;

interface Pending {
  id: number;
  room: string;
  data: Uint8Array;
}
type Position = { seq: number; end: number };
type WorkerMsg = {
  folded?: number;
  done?: number;
  failed?: number;
  error?: string;
  ready?: boolean;
  maxId?: number;
  recovered?: number;
  torn?: number;
  checkpointError?: string;
};
const CHECKPOINT_MS = 1000;

export interface JournalOptions {
  dataDir: string;
  /** default FOLD_DELAY_MS */
  foldDelayMs?: number;
  /** default 8 MiB */
  rotateBytes?: number;
  /** FULL: fdatasync after every record (survives an OS crash); NORMAL: the page cache, like SQLite's WAL */
  synchronous: 'NORMAL' | 'FULL';
  log: Logger;
}

function encodeRecord(id: number, at: number, room: string, update: Uint8Array): Buffer {
  const roomLen = Buffer.byteLength(room);
  const len = FIXED + roomLen + update.byteLength;
  const buf = Buffer.allocUnsafe(HEADER + len);
  buf.writeUInt32LE(len, 0);
  buf.writeUIntLE(id, HEADER, 6);
  buf.writeUIntLE(at, HEADER + 6, 6);
  buf.writeUInt16LE(roomLen, HEADER + 12);
  buf.write(room, HEADER + FIXED, 'utf8');
  buf.set(update, HEADER + FIXED + roomLen);
  buf.writeUInt32LE(zlib.crc32(buf.subarray(HEADER)), 4);
  return buf;
}

export class JournalDocStore implements DocStore {
  private readonly dir: string;
  private fd = -1;
  private seq = 1;
  private end = 0;
  private nextId = 1;
  /** appended, not yet folded into SQLite (ascending ids) */
  private pending: Pending[] = [];
  private nudged = false;
  private worker: Worker | null = null;
  private reqSeq = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private restarts = 0;
  private closing = false;
  private readonly qLoad;
  private readonly qLatest;
  private readonly qStats;

  private constructor(
    private readonly db: DB,
    private readonly o: JournalOptions,
  ) {
    this.dir = path.join(o.dataDir, 'journal');
    this.qLoad = db.prepare('SELECT id, data, snapshot FROM doc_updates WHERE room = ? ORDER BY id');
    this.qLatest = db.prepare('SELECT coalesce(max(id), 0) AS id FROM doc_updates WHERE room = ?');
    this.qStats = db.prepare('SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates WHERE room = ?');
  }

  /** Fold what a previous run left in the journal into SQLite, then open a fresh journal file. */
  static async open(db: DB, o: JournalOptions): Promise<JournalDocStore> {
    if (typeof zlib.crc32 !== 'function') throw new Error(`Node ${process.versions.node} lacks zlib.crc32: Node 20.15 or newer is required`);
    const s = new JournalDocStore(db, o);
    ownerOnlyDir(s.dir); // DATA_DIR's files are the owner's only (server/store/db.ts)
    const ready = await s.spawn(true);
    // after a crash: what the journal held is in SQLite now; a torn record (an OS crash mid-write) was dropped
    if (ready.torn) o.log.warn('journal recovered', { updates: ready.recovered, tornRecords: ready.torn });
    else if (ready.recovered) o.log.info('journal recovered', { updates: ready.recovered });
    s.nextId = (ready.maxId ?? 0) + 1;
    s.openFile(1);
    return s;
  }

  /** the journal file of a sequence number (the worker's fileOf spells the same name) */
  private fileOf(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(8, '0')}.log`);
  }

  private openFile(seq: number): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.seq = seq;
    this.end = 0;
    this.fd = fs.openSync(this.fileOf(seq), 'a', 0o600);
    ownerOnlyFile(this.fileOf(seq));
  }

  private spawn(recover: boolean): Promise<WorkerMsg> {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module,
        file: this.db.name,
        dir: this.dir,
        synchronous: this.o.synchronous,
        recover,
        foldDelayMs: this.o.foldDelayMs ?? FOLD_DELAY_MS,
        checkpointMs: CHECKPOINT_MS,
      },
    });
    this.worker = w;
    // the worker checkpoints; the main connection never does while it runs
    this.db.pragma('wal_autocheckpoint = 0');
    return new Promise<WorkerMsg>((resolve, reject) => {
      let started = !recover;
      w.on('message', (m: WorkerMsg) => {
        if (!started) {
          started = true;
          if (m.ready) resolve(m);
          else reject(new Error(`journal recovery failed: ${m.error}`));
          return;
        }
        this.onWorker(m);
      });
      w.on('error', (err) => {
        this.o.log.error('journal worker failed', { err });
        if (!started) {
          started = true;
          reject(err);
        }
      });
      w.on('exit', (code) => this.onExit(w, code));
      if (!recover) resolve({});
    });
  }

  private onWorker(m: WorkerMsg): void {
    if (m.checkpointError) {
      this.o.log.warn('checkpoint failed', { err: m.checkpointError });
      return;
    }
    if (m.error) this.o.log.error('journal fold failed', { err: m.error });
    if (m.folded !== undefined) {
      let i = 0;
      while (i < this.pending.length && this.pending[i].id <= m.folded) i++;
      if (i) this.pending = this.pending.slice(i);
    }
    if (m.done !== undefined) {
      this.waiting.get(m.done)?.resolve();
      this.waiting.delete(m.done);
    } else if (m.failed !== undefined) {
      this.waiting.get(m.failed)?.reject(new Error(m.error ?? 'journal worker failed'));
      this.waiting.delete(m.failed);
    } else {
      this.nudged = false;
      // a fold that failed is retried with the next nudge; wait a moment so a persistent failure does not spin
      if (this.pending.length) {
        if (m.error) setTimeout(() => this.nudge(), 1000).unref();
        else this.nudge();
      }
    }
  }

  private onExit(w: Worker, code: number): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.nudged = false;
    for (const [, p] of this.waiting) p.reject(new Error('journal worker exited'));
    this.waiting.clear();
    if (this.closing) return;
    this.db.pragma('wal_autocheckpoint = 1000');
    // the journal on disk is intact: a new worker folds it from the oldest file on
    this.o.log.error('journal worker exited, restarting', { code });
    const delay = Math.min(30_000, 1000 * ++this.restarts);
    setTimeout(() => {
      if (this.closing) return;
      this.spawn(false).then(
        () => this.nudge(),
        (err) => this.o.log.error('journal worker restart failed', { err }),
      );
    }, delay).unref();
  }

  private position(): Position {
    return { seq: this.seq, end: this.end };
  }

  private nudge(): void {
    if (this.nudged || !this.worker) return;
    this.nudged = true;
    this.worker.postMessage({ fold: this.position() });
  }

  /** run a request on the worker after it has folded everything written so far */
  private now(extra: { compact?: { room: string; snapshot: Uint8Array; upToId: number }; stop?: boolean } = {}): Promise<void> {
    const w = this.worker;
    if (!w) return Promise.reject(new Error('journal worker is not running'));
    const req = ++this.reqSeq;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(req, { resolve, reject });
      w.postMessage({ now: { req, target: this.position(), ...extra } });
    });
  }

  append(room: string, update: Uint8Array): number {
    const id = this.nextId;
    const rec = encodeRecord(id, Date.now(), room, update);
    let off = 0;
    while (off < rec.length) off += fs.writeSync(this.fd, rec, off);
    if (this.o.synchronous === 'FULL') fs.fdatasyncSync(this.fd);
    this.nextId++;
    this.end += rec.length;
    this.pending.push({ id, room, data: update });
    this.nudge();
    if (this.end >= (this.o.rotateBytes ?? ROTATE_BYTES)) this.openFile(this.seq + 1);
    return id;
  }

  async load(room: string): Promise<StoredUpdate[]> {
    const rows = (this.qLoad.all(room) as { id: number; data: Buffer; snapshot: number }[]).map((r) => ({
      id: r.id,
      data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength),
      snapshot: r.snapshot === 1,
    }));
    const top = rows.length ? rows[rows.length - 1].id : 0;
    for (const p of this.pending) if (p.room === room && p.id > top) rows.push({ id: p.id, data: p.data, snapshot: false });
    return rows;
  }

  /** updates in the journal not yet folded into SQLite (a backlog that grows means the worker is down or stuck) */
  get backlog(): number {
    return this.pending.length;
  }

  /** the highest update id of the room, folded or not */
  latestId(room: string): number {
    let id = (this.qLatest.get(room) as { id: number }).id;
    for (const p of this.pending) if (p.room === room && p.id > id) id = p.id;
    return id;
  }

  async compact(room: string, snapshot: Uint8Array, upToId: number): Promise<void> {
    await this.now({ compact: { room, snapshot, upToId } });
  }

  /** resolves once everything appended so far is in doc_updates */
  flush(): Promise<void> {
    return this.now();
  }

  async stats(room: string): Promise<{ rows: number; bytes: number }> {
    await this.flush();
    const r = this.qStats.get(room) as { rows: number; bytes: number };
    return { rows: r.rows, bytes: r.bytes };
  }

  /** fold everything, stop the worker, remove the folded journal */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    let folded = false;
    if (this.worker) {
      const exited = new Promise<void>((res) => this.worker!.once('exit', () => res()));
      try {
        await this.now({ stop: true });
        folded = true;
      } catch (err) {
        this.o.log.error('journal fold at shutdown failed; it is folded at the next start', { err });
      }
      await exited;
    }
    fs.closeSync(this.fd);
    this.fd = -1;
    if (folded) fs.rmSync(this.fileOf(this.seq), { force: true });
  }
}
