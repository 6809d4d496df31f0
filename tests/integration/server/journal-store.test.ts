/**
 * The update journal in front of SQLite (server/store/journal.ts), in process: a real database file, the
 * real worker thread, real journal files. What the relay relies on: an append is readable at once (load
 * merges what is not folded yet), the fold keeps ids, compaction waits for the rows it covers, close
 * leaves nothing in the journal, a restarted worker catches up, and rotated files go once folded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { openDb, type DB } from '../../../server/store/db';
import { JournalDocStore } from '../../../server/store/journal';
import { createLogger } from '../../../server/log';
import { waitFor } from '../../helpers/spawn-server';

let dir: string;
let db: DB;
const log = createLogger('silent');
const open = (o: { foldDelayMs?: number; rotateBytes?: number } = {}) => JournalDocStore.open(db, { dataDir: dir, synchronous: 'NORMAL', log, ...o });
const rowsOf = (room: string) => db.prepare('SELECT id, snapshot FROM doc_updates WHERE room = ? ORDER BY id').all(room) as { id: number; snapshot: number }[];
const journalFiles = () => fs.readdirSync(path.join(dir, 'journal')).filter((f) => f.endsWith('.log'));

/** n small Yjs updates of one client, each setting key k<i> */
function updates(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${i}`, i);
  return out;
}
const stateOf = (rows: { data: Uint8Array }[]) => {
  const d = new Y.Doc();
  for (const r of rows) Y.applyUpdate(d, r.data);
  return d.getMap('m').toJSON();
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-journal-'));
  db = openDb(dir);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('update journal', () => {
  it('an append is loadable at once, folded into SQLite with its id, and loaded once after the fold', async () => {
    const s = await open({ foldDelayMs: 60_000 });
    const us = updates(5);
    const ids = us.map((u) => s.append('tasks/a/2026', u));
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(rowsOf('tasks/a/2026')).toEqual([]); // not folded yet (the worker waits a minute)
    const before = await s.load('tasks/a/2026');
    expect(before.map((r) => r.id)).toEqual(ids);
    expect(s.latestId('tasks/a/2026')).toBe(5);
    expect(s.latestId('tasks/b/2026')).toBe(0);
    expect(s.backlog).toBe(5);
    await s.flush();
    expect(s.backlog).toBe(0);
    expect(rowsOf('tasks/a/2026').map((r) => r.id)).toEqual(ids);
    const after = await s.load('tasks/a/2026');
    expect(after.map((r) => r.id)).toEqual(ids);
    expect(stateOf(after)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
    await s.close();
  });

  it('with synchronous FULL every record is flushed to disk before append returns, and still folds', async () => {
    const s = await JournalDocStore.open(db, { dataDir: dir, synchronous: 'FULL', log, foldDelayMs: 10 });
    for (const u of updates(3)) s.append('tasks/a/2026', u);
    await s.flush();
    expect(rowsOf('tasks/a/2026')).toHaveLength(3);
    await s.close();
  });

  it('folds on its own after the delay', async () => {
    const s = await open({ foldDelayMs: 20 });
    for (const u of updates(3)) s.append('tasks/a/2026', u);
    await waitFor(() => rowsOf('tasks/a/2026').length === 3, 5000, 'fold');
    await s.close();
  });

  it('keeps folding on its own after a flush pre-empted a pending fold', async () => {
    const s = await open({ foldDelayMs: 100 });
    const us = updates(4);
    s.append('tasks/a/2026', us[0]); // the worker's fold timer is now pending
    await s.flush();
    for (const u of us.slice(1)) s.append('tasks/a/2026', u);
    await waitFor(() => rowsOf('tasks/a/2026').length === 4, 5000, 'fold after the flush');
    await s.close();
  });

  it('compaction first folds the rows it covers, then replaces them by the snapshot', async () => {
    const s = await open({ foldDelayMs: 60_000 });
    const us = updates(11);
    let last = 0;
    for (const u of us.slice(0, 10)) last = s.append('plan/a/2027', u);
    const doc = new Y.Doc();
    for (const u of us.slice(0, 10)) Y.applyUpdate(doc, u);
    await s.compact('plan/a/2027', Y.encodeStateAsUpdate(doc), last);
    expect(rowsOf('plan/a/2027')).toEqual([{ id: last, snapshot: 1 }]);
    const more = s.append('plan/a/2027', us[10]);
    const loaded = await s.load('plan/a/2027');
    expect(loaded.map((r) => [r.id, r.snapshot])).toEqual([
      [last, true],
      [more, false],
    ]);
    expect(Object.keys(stateOf(loaded))).toHaveLength(11);
    await s.close();
  });

  it('close folds everything and empties the journal; ids keep growing after a reopen', async () => {
    const s = await open({ foldDelayMs: 60_000 });
    for (const u of updates(4)) s.append('tasks/a/2026', u);
    await s.close();
    expect(rowsOf('tasks/a/2026')).toHaveLength(4);
    expect(journalFiles()).toEqual([]);
    const s2 = await open();
    expect(s2.append('tasks/a/2026', updates(1)[0])).toBe(5);
    await s2.close();
  });

  it('a worker that dies is restarted and folds what was written meanwhile', async () => {
    const s = await open({ foldDelayMs: 10 });
    const us = updates(6);
    for (const u of us.slice(0, 3)) s.append('tasks/a/2026', u);
    await s.flush();
    await (s as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (const u of us.slice(3)) s.append('tasks/a/2026', u);
    expect((await s.load('tasks/a/2026')).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    await waitFor(() => rowsOf('tasks/a/2026').length === 6, 10_000, 'restarted worker folds');
    await s.close();
  });

  it('rotates files and deletes each once folded', async () => {
    const s = await open({ foldDelayMs: 5, rotateBytes: 256 });
    const us = updates(40);
    for (const u of us) s.append('tasks/a/2026', u);
    expect(journalFiles().length).toBeGreaterThan(3);
    await s.flush();
    expect(journalFiles().length).toBe(1); // the one being written
    expect(rowsOf('tasks/a/2026')).toHaveLength(40);
    await s.close();
    expect(journalFiles()).toEqual([]);
  });
});
