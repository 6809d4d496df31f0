/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1000 pages, on the main thread, and fsyncs the database file: a stall of several milliseconds for every
 * session of that process (it was the p99 of bench:sync). Here the main connection never checkpoints; a
 * worker thread with its own connection runs PASSIVE checkpoints (they never block writers or readers)
 * on a short timer. If the worker fails it is restarted; should it stay down, the WAL only grows and the
 * main connection's TRUNCATE checkpoint at shutdown folds it back.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { DB } from './db';
import type { Logger } from '../log';

// Plain JS evaluated in the worker (no TypeScript loader there); better-sqlite3 is context-aware.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.busy) parentPort.postMessage({ busy: true });
  } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); process.exit(0); } });
`;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(db: DB, log: Logger, intervalMs = 1000): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  const file = db.name;
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let stopping = false;
  let restarts = 0;
  const spawn = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module, intervalMs } });
    w.unref();
    w.on('message', (m: { error?: string }) => { if (m.error) log.warn('checkpoint failed', { err: m.error }); });
    w.on('error', (err) => log.error('checkpoint worker failed', { err }));
    w.on('exit', (code) => {
      worker = null;
      if (stopping) return;
      // back off so a persistent failure does not spin; the main connection checkpoints meanwhile
      if (++restarts > 5) { log.error('checkpoint worker gave up; checkpoints return to the main thread'); db.pragma('wal_autocheckpoint = 1000'); return; }
      log.warn('checkpoint worker exited, restarting', { code });
      setTimeout(() => { if (!stopping) spawn(); }, 1000 * restarts).unref();
    });
    worker = w;
  };
  spawn();
  return {
    stop: () => new Promise<void>((resolve) => {
      stopping = true;
      const w = worker;
      if (!w) { resolve(); return; }
      const t = setTimeout(() => { void w.terminate(); }, 2000);
      w.once('exit', () => { clearTimeout(t); resolve(); });
      w.postMessage('stop');
    }),
  };
}
