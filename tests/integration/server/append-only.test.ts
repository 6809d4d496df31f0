/**
 * Append-only rooms (ledger/<uscc>): new valid records are accepted; a deletion, a key overwrite, a key
 * written twice in one update, a write into a nested type and an invalid record are refused before
 * they are stored: that connection is closed with 4403, other clients are unaffected, and the doc is
 * unchanged after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  type LoginResult,
  type SpawnedServer,
  type TestProvider,
} from '../../helpers/spawn-server';
import { ackRecord, msg, rawConnect } from '../../helpers/raw';
import { signedAckBy } from '../../helpers/devices';

let srv: SpawnedServer;
let inspector1: LoginResult;
let inspector2: LoginResult;
let enterprise1: LoginResult;
let room: string;
let observer: TestProvider;
const accepted: string[] = [];
/** the first accepted record as written (an overwrite must leave it unchanged) */
let first: unknown;

beforeAll(async () => {
  srv = await spawnServer();
  [inspector1, inspector2, enterprise1] = await Promise.all([login(srv.url, 'inspector1'), login(srv.url, 'inspector2'), login(srv.url, 'enterprise1')]);
  room = `ledger/${enterprise1.uscc}`;
  observer = connectProvider(srv.wsUrl, room, enterprise1.token);
  await waitSynced(observer);
});
afterAll(async () => {
  destroyAll(observer);
  await srv?.stop();
});

const records = (p: { doc: Y.Doc }) => p.doc.getMap('records');

async function writer(l: LoginResult): Promise<TestProvider> {
  const p = connectProvider(srv.wsUrl, room, l.token);
  await waitSynced(p);
  return p;
}

/** the observer still syncs: a new valid record from another client reaches it */
async function stillWorks(): Promise<void> {
  const p = await writer(inspector2);
  const r = await signedAckBy(srv.url, inspector2, enterprise1.uscc!);
  records(p).set(r.rec.id, r);
  accepted.push(r.rec.id);
  await waitFor(() => records(observer).has(r.rec.id), 10_000, 'observer got the new record');
  destroyAll(p);
}

/** send one crafted update on a raw connection after syncing; expect 4403 */
async function rawRefused(update: Uint8Array, reason: string): Promise<void> {
  const c = rawConnect(srv.wsUrl, room, inspector1.token);
  await c.opened;
  c.send(msg.syncStep1(new Y.Doc()));
  c.send(msg.update(update));
  expect((await c.closed).code).toBe(4403);
  await expectRefused(reason);
}

/** the server logged the refusal with this reason (and no other refusal since the last check) */
let logsChecked = 0;
async function expectRefused(reason: string): Promise<void> {
  await waitFor(() => srv.logs.slice(logsChecked).some((l) => l.msg === 'update refused'), 5000, 'refusal logged');
  const refusals = srv.logs.slice(logsChecked).filter((l) => l.msg === 'update refused');
  logsChecked = srv.logs.length;
  expect(refusals.map((l) => l.reason)).toEqual([reason]);
}

describe('append-only ledger', () => {
  it('accepts a valid new record from an inspector and from the enterprise', async () => {
    const p = await writer(inspector1);
    const r = await signedAckBy(srv.url, inspector1, enterprise1.uscc!);
    records(p).set(r.rec.id, r);
    accepted.push(r.rec.id);
    first = JSON.parse(JSON.stringify(r));
    await waitFor(() => records(observer).has(r.rec.id), 10_000, 'record relayed');
    const r2 = await signedAckBy(srv.url, enterprise1, enterprise1.uscc!);
    records(observer).set(r2.rec.id, r2);
    accepted.push(r2.rec.id);
    await waitFor(() => records(p).has(r2.rec.id), 10_000, 'enterprise record relayed');
    expect(p.closes).toEqual([]);
    destroyAll(p);
  });

  it('refuses a deletion (4403), others unaffected', async () => {
    const p = await writer(inspector1);
    await waitFor(() => records(p).size >= accepted.length);
    records(p).delete(accepted[0]);
    expect((await p.closed).code).toBe(4403);
    await expectRefused('delete');
    destroyAll(p);
    expect(records(observer).has(accepted[0])).toBe(true);
    await stillWorks();
  });

  it('refuses a key overwrite (4403)', async () => {
    const p = await writer(inspector1);
    await waitFor(() => records(p).size >= accepted.length);
    const again = ackRecord(enterprise1.uscc!, inspector1.userId, accepted[0]);
    records(p).set(accepted[0], { ...again, rec: { ...again.rec, refId: 'changed' } });
    expect((await p.closed).code).toBe(4403);
    await expectRefused('delete'); // an overwrite deletes the old value: refused on its delete set already
    destroyAll(p);
    expect(records(observer).get(accepted[0])).toEqual(first);
    await stillWorks();
  });

  it('refuses a concurrent write of an existing key by a client that never saw it (4403)', async () => {
    const d = new Y.Doc(); // not synced: its entry has no origin, and no delete set
    const forged = ackRecord(enterprise1.uscc!, inspector1.userId, accepted[0]);
    d.getMap('records').set(accepted[0], { ...forged, rec: { ...forged.rec, refId: 'forged' } });
    await rawRefused(Y.encodeStateAsUpdate(d), 'overwrite');
    expect(records(observer).get(accepted[0])).toEqual(first);
  });

  it('refuses the same new key written twice in one update (4403)', async () => {
    const id = `dup-${Date.now()}`;
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('records').set(id, ackRecord(enterprise1.uscc!, inspector1.userId, id));
    b.getMap('records').set(id, ackRecord(enterprise1.uscc!, inspector1.userId, id));
    await rawRefused(Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)]), 'overwrite');
    expect(records(observer).has(id)).toBe(false);
  });

  it('refuses a nested type and writes into it (4403)', async () => {
    const d = new Y.Doc();
    const inner = new Y.Map();
    d.getMap('records').set(`nested-${Date.now()}`, inner);
    inner.set('rec', { id: 'x' });
    await rawRefused(Y.encodeStateAsUpdate(d), 'content');
  });

  it('refuses an invalid record, a record under another id and a record of another enterprise (4403)', async () => {
    const bad1 = new Y.Doc();
    bad1.getMap('records').set('bad-1', { rec: { id: 'bad-1', type: 'ack' } });
    await rawRefused(Y.encodeStateAsUpdate(bad1), 'invalid_record');
    const bad2 = new Y.Doc();
    bad2.getMap('records').set('bad-2', ackRecord(enterprise1.uscc!, inspector1.userId, 'other-id'));
    await rawRefused(Y.encodeStateAsUpdate(bad2), 'invalid_record');
    const bad3 = new Y.Doc();
    bad3.getMap('records').set('bad-3', ackRecord('91350203M0001QAY9C', inspector1.userId, 'bad-3'));
    await rawRefused(Y.encodeStateAsUpdate(bad3), 'invalid_record');
    const bad4 = new Y.Doc();
    bad4.getArray('records-list').push([ackRecord(enterprise1.uscc!, inspector1.userId)]);
    await rawRefused(Y.encodeStateAsUpdate(bad4), 'not_map');
    for (const k of ['bad-1', 'bad-2', 'bad-3']) expect(records(observer).has(k)).toBe(false);
    await stillWorks();
  });

  it('after a restart the ledger holds exactly the accepted records, unchanged', async () => {
    const before = records(observer).toJSON();
    destroyAll(observer);
    await srv.restart();
    enterprise1 = await login(srv.url, 'enterprise1');
    inspector1 = await login(srv.url, 'inspector1');
    inspector2 = await login(srv.url, 'inspector2');
    observer = connectProvider(srv.wsUrl, room, enterprise1.token);
    await waitSynced(observer);
    const after = records(observer).toJSON();
    expect(after).toEqual(before);
    expect(
      Object.keys(after)
        .filter((k) => accepted.includes(k))
        .sort(),
    ).toEqual([...accepted].sort());
    for (const k of ['bad-1', 'bad-2', 'bad-3']) expect(after[k]).toBeUndefined();
    expect(after[accepted[0]]).toEqual(first);
    // a client that comes back with the same (already stored) records is not refused
    const p = connectProvider(
      srv.wsUrl,
      room,
      inspector1.token,
      (() => {
        const d = new Y.Doc();
        Y.applyUpdate(d, Y.encodeStateAsUpdate(observer.doc));
        return d;
      })(),
    );
    await waitSynced(p);
    await stillWorks();
    expect(p.closes).toEqual([]);
    destroyAll(p);
  });
});
