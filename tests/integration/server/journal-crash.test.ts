/**
 * kill -9 while the relayed updates live only in the journal (the fold into SQLite is held back for ten
 * minutes), with a torn record appended as an OS crash mid-write would leave it: the restarted server
 * folds the journal before it accepts anyone, drops the torn record, and every relayed update is there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type SpawnedServer } from '../../helpers/spawn-server';

let srv: SpawnedServer | undefined;
afterAll(async () => {
  await srv?.stop();
});

const journalFiles = (dataDir: string) =>
  fs
    .readdirSync(path.join(dataDir, 'journal'))
    .filter((f) => f.endsWith('.log'))
    .sort();

describe('update journal across a crash', () => {
  it('relayed updates that were only in the journal survive kill -9; a torn record is dropped', async () => {
    srv = await spawnServer({ env: { JOURNAL_FOLD_MS: '600000' } });
    const a = await login(srv.url, 'agency1');
    const room = `tasks/${a.agencyId}/2027`;
    const writer = connectProvider(srv.wsUrl, room, a.token);
    const observer = connectProvider(srv.wsUrl, room, a.token);
    await Promise.all([waitSynced(writer), waitSynced(observer)]);
    const N = 30;
    for (let i = 0; i < N; i++) writer.doc.getMap('crash').set(`k${i}`, i);
    // relayed = stored: the observer has them all
    await waitFor(() => observer.doc.getMap('crash').size === N, 10_000, 'relay');
    destroyAll(writer, observer);
    const metrics = await (await fetch(`${srv.url}/metrics`, srv.metricsAuth)).text();
    // at least those N wait in the journal (the projection may have stored the seed's warnings there too)
    expect(Number(/^eicp_journal_backlog_updates (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(N);

    await srv.kill9();
    const dbFile = path.join(srv.dataDir, 'platform.sqlite');
    const ro = new Database(dbFile, { readonly: true });
    const inTable = (ro.prepare('SELECT count(*) AS n FROM doc_updates WHERE room = ?').get(room) as { n: number }).n;
    ro.close();
    expect(inTable).toBe(0); // nothing folded yet: the journal is the only copy
    const files = journalFiles(srv.dataDir);
    expect(files).toHaveLength(1);
    // a torn record: a header promising 1000 bytes, followed by 10
    const torn = Buffer.alloc(18, 7);
    torn.writeUInt32LE(1000, 0);
    fs.appendFileSync(path.join(srv.dataDir, 'journal', files[0]), torn);

    await srv.restart();
    const rec = srv.logs.find((l) => l.msg === 'journal recovered');
    expect(rec).toMatchObject({ level: 'warn', tornRecords: 1 });
    expect(rec?.updates).toBeGreaterThanOrEqual(N); // and the seed's warnings, when the projection stored them
    const b = await login(srv.url, 'agency1');
    const reader = connectProvider(srv.wsUrl, room, b.token);
    await waitSynced(reader);
    expect(reader.doc.getMap('crash').toJSON()).toEqual(Object.fromEntries(Array.from({ length: N }, (_, i) => [`k${i}`, i])));
    destroyAll(reader);
    // the old journal is gone; only the new run's file is there
    expect(journalFiles(srv.dataDir)).toEqual(['00000001.log']);
  }, 60_000);
});
