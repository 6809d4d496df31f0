/**
 * The relay with stock y-websocket providers: convergence, restart, kill -9 durability, read-only sessions.
 * One server (child process) for the file; compaction threshold lowered so that kill -9 also hits compacted logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { signedAckBy } from '../../helpers/devices';

let srv: SpawnedServer;
let agency1: LoginResult;
let inspector1: LoginResult;
let enterprise1: LoginResult;

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${srv.url}/metrics`, srv.metricsAuth)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name + ' ') || line.startsWith(name + '{')) sum += Number(line.split(' ').pop());
  return sum;
};

beforeAll(async () => {
  srv = await spawnServer({ env: { COMPACT_UPDATES: '16' } });
  [agency1, inspector1, enterprise1] = await Promise.all([login(srv.url, 'agency1'), login(srv.url, 'inspector1'), login(srv.url, 'enterprise1')]);
});
afterAll(async () => {
  await srv?.stop();
});

/** fresh tokens after a restart (the secret is kept, but keep the test independent of that) */
const relogin = async () => {
  [agency1, inspector1, enterprise1] = await Promise.all([login(srv.url, 'agency1'), login(srv.url, 'inspector1'), login(srv.url, 'enterprise1')]);
};

/** open a fresh doc on the room and return it once synced */
async function snapshot(room: string, token: string): Promise<Y.Doc> {
  const p = connectProvider(srv.wsUrl, room, token);
  await waitSynced(p);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(p.doc));
  destroyAll(p);
  return copy;
}

describe('relay (stock WebsocketProvider clients)', () => {
  it('two clients converge through the relay, with awareness', async () => {
    const room = `agency/${agency1.agencyId}`;
    const p1 = connectProvider(srv.wsUrl, room, agency1.token);
    const p2 = connectProvider(srv.wsUrl, room, agency1.token);
    await Promise.all([waitSynced(p1), waitSynced(p2)]);
    p1.doc.getMap('profile').set('note1', 'from p1');
    p2.doc.getMap('profile').set('note2', 'from p2');
    // presence as the app sends it (src/protocol/presence.ts); the server writes the sender's own name in
    p1.awareness.setLocalState({ user: { name: 'p1', color: '#123456' }, focus: { itemId: 'p1-item', field: 'name' } });
    await waitFor(() => p1.doc.getMap('profile').get('note2') === 'from p2' && p2.doc.getMap('profile').get('note1') === 'from p1', 10_000, 'convergence');
    await waitFor(
      () => [...p2.awareness.getStates().values()].some((s) => (s as { focus?: { itemId: string } }).focus?.itemId === 'p1-item'),
      10_000,
      'awareness',
    );
    expect(Y.encodeStateAsUpdate(p1.doc)).toEqual(Y.encodeStateAsUpdate(p2.doc));
    destroyAll(p1, p2);
  });

  it('updates of every WebSocket length class are relayed intact (one frame built for all sessions)', async () => {
    // payloads under 126 bytes, with a 16-bit and with a 64-bit length: the three header forms of RFC 6455
    const room = `agency/${agency1.agencyId}`;
    const p1 = connectProvider(srv.wsUrl, room, agency1.token);
    const p2 = connectProvider(srv.wsUrl, room, agency1.token);
    const p3 = connectProvider(srv.wsUrl, room, agency1.token);
    await Promise.all([waitSynced(p1), waitSynced(p2), waitSynced(p3)]);
    const sizes = { small: 10, medium: 5_000, large: 200_000 };
    for (const [k, n] of Object.entries(sizes)) p1.doc.getMap('sizes').set(k, 'x'.repeat(n));
    for (const p of [p2, p3]) {
      await waitFor(() => p.doc.getMap('sizes').size === 3, 10_000, 'relay of all sizes');
      for (const [k, n] of Object.entries(sizes)) expect((p.doc.getMap('sizes').get(k) as string).length).toBe(n);
    }
    destroyAll(p1, p2, p3);
  });

  it('a late joiner receives the full state (sync step 2 from the server)', async () => {
    const room = `tasks/${agency1.agencyId}/2026`;
    const p1 = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(p1);
    const arr = p1.doc.getArray('probe');
    for (let i = 0; i < 10; i++) arr.push([i]);
    const p2 = connectProvider(srv.wsUrl, room, inspector1.token);
    await waitSynced(p2);
    await waitFor(() => p2.doc.getArray('probe').length === 10, 10_000, 'late joiner state');
    destroyAll(p1, p2);
  });

  it('state survives a graceful restart', async () => {
    const room = `agency/${agency1.agencyId}`;
    const p1 = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(p1);
    p1.doc.getMap('profile').set('survives', 'restart');
    const p2 = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(p2);
    await waitFor(() => p2.doc.getMap('profile').get('survives') === 'restart');
    destroyAll(p1, p2);
    await srv.restart();
    await relogin();
    const doc = await snapshot(room, agency1.token);
    expect(doc.getMap('profile').get('survives')).toBe('restart');
    expect(doc.getMap('profile').get('note1')).toBe('from p1');
  });

  it('kill -9 after N writes acknowledged by the relay loses nothing (log compacted on the way)', async () => {
    const N = 60;
    const room = `tasks/${agency1.agencyId}/2027`;
    const ledger = `ledger/${enterprise1.uscc}`;
    const writer = connectProvider(srv.wsUrl, room, agency1.token);
    const observer = connectProvider(srv.wsUrl, room, inspector1.token);
    const lw = connectProvider(srv.wsUrl, ledger, inspector1.token);
    const lo = connectProvider(srv.wsUrl, ledger, enterprise1.token);
    await Promise.all([waitSynced(writer), waitSynced(observer), waitSynced(lw), waitSynced(lo)]);
    const compactionsBefore = await metric('eicp_compactions_total');
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      writer.doc.getMap('kill9').set(`k${i}`, { i, text: `write ${i}` });
      if (i % 6 === 0) {
        const r = await signedAckBy(srv.url, inspector1, enterprise1.uscc!);
        ids.push(r.rec.id);
        lw.doc.getMap('records').set(r.rec.id, r);
      }
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5)); // let frames interleave
    }
    // acknowledged: the server stores before it relays, so what another client received is stored
    await waitFor(() => observer.doc.getMap('kill9').size === N, 15_000, 'observer received all writes');
    await waitFor(() => ids.every((id) => lo.doc.getMap('records').has(id)), 15_000, 'ledger observer received all records');
    expect(await metric('eicp_compactions_total')).toBeGreaterThan(compactionsBefore);
    // the clients must not be able to heal the server after the restart: drop them first
    destroyAll(writer, observer, lw, lo);
    await srv.kill9();
    await srv.restart();
    await relogin();
    const doc = await snapshot(room, agency1.token);
    const m = doc.getMap('kill9');
    expect(m.size).toBe(N);
    for (let i = 0; i < N; i++) expect(m.get(`k${i}`)).toEqual({ i, text: `write ${i}` });
    const ldoc = await snapshot(ledger, enterprise1.token);
    for (const id of ids) expect(ldoc.getMap('records').get(id)).toMatchObject({ rec: { id } });
  });

  it("a reader's writes are dropped: never relayed, never stored", async () => {
    const room = `agency/${agency1.agencyId}`; // enterprises read agency rooms
    const observer = connectProvider(srv.wsUrl, room, agency1.token);
    const reader = connectProvider(srv.wsUrl, room, enterprise1.token);
    await Promise.all([waitSynced(observer), waitSynced(reader)]);
    const droppedBefore = await metric('eicp_reader_messages_dropped_total');
    reader.doc.getMap('profile').set('name', 'hijacked');
    reader.doc.getMap('evil').set('x', 1);
    // the server handles a connection's messages in order: once the reader's awareness (sent after the
    // writes) reaches the observer, the writes have been handled (and dropped)
    reader.awareness.setLocalState({ user: { name: 'reader', color: '#123456' }, focus: { itemId: 'after-writes', field: 'x' } });
    await waitFor(
      () => [...observer.awareness.getStates().values()].some((s) => (s as { focus?: { itemId: string } }).focus?.itemId === 'after-writes'),
      10_000,
      'reader awareness',
    );
    expect(observer.doc.getMap('profile').get('name')).not.toBe('hijacked');
    expect(observer.doc.getMap('evil').size).toBe(0);
    expect(await metric('eicp_reader_messages_dropped_total')).toBeGreaterThan(droppedBefore);
    destroyAll(observer, reader);
    await srv.restart();
    await relogin();
    const doc = await snapshot(room, agency1.token);
    expect(doc.getMap('profile').get('name')).not.toBe('hijacked');
    expect(doc.getMap('evil').size).toBe(0);
  });
});
