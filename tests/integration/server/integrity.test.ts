/**
 * Records a hostile client cannot bend (quarantine amplification, client-id squatting, pending structs, rooms that name nothing, presence spoofing, room size and quota): each attack performed over real
 * sockets against a real server, as the review ran it.
 *  §1  one update with 256 unsigned records: its bytes kept once, rows capped per user and hour, one
 *      warning with the count, and a session that keeps sending refused records is closed;
 *  §2  client-id squatting: another user's structs under an honest session's client id are refused, and the
 *      honest session's offline record is stored (also after a restart);
 *  §3  pending structs: an update with a Skip, one listing a client twice, and one deleting unknown content
 *      are refused whole;
 *  §12 rooms that name nothing are refused; sockets are capped per user and per IP; others still get in;
 *  §13 presence states carry the sender's identity; another session's client id cannot be overwritten;
 *  §17 a room's size cap (4413) and the daily append quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { awarenessClients, kindOf, msg, rawConnect, type RawClient } from '../../helpers/raw';
import { deviceOf, lateEntry, sign } from '../../helpers/devices';
import { E2E_NOW } from '../../helpers/moments';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import type { z } from 'zod';
import type { LedgerRecord } from '../../../src/domain/schemas';
import { json } from '../../helpers/api';
import { WarningsResponse } from '../../../src/protocol/warnings';
import { Directory } from '../../../src/protocol/directory';

const U = ENTERPRISE1_USCC;
const LEDGER = `ledger/${U}`;
let seq = 0;
const rid = (p: string) => `${p}-${process.pid}-${++seq}`;

/** the update a doc with client id `client`, holding `base`, emits when it sets these keys of `records` */
function write(client: number, base: Uint8Array[], entries: [string, unknown][], root = 'records'): Uint8Array {
  const d = new Y.Doc();
  for (const b of base) Y.applyUpdate(d, b);
  // after the base: Yjs picks a new id when a remote update carries structs of its own one
  d.clientID = client;
  const out: Uint8Array[] = [];
  d.on('update', (u: Uint8Array) => out.push(u));
  d.transact(() => {
    for (const [k, v] of entries) d.getMap(root).set(k, JSON.parse(JSON.stringify(v)));
  });
  return Y.mergeUpdates(out);
}

const ack = (ent: LoginResult, id = rid('ack')): z.input<typeof LedgerRecord> => ({ id, uscc: U, at: E2E_NOW, by: ent.userId, type: 'ack', refId: 'result-1' });
const entry = (insp: LoginResult, id = rid('entry')) => lateEntry(insp, U, id);

/** open a raw session and wait for the server's first sync step (the doc is loaded) */
async function session(srv: SpawnedServer, room: string, token: string): Promise<RawClient> {
  const c = rawConnect(srv.wsUrl, room, token);
  await c.opened;
  await waitFor(() => c.frames.some((f) => kindOf(f) === '0,0'), 10_000, `greeting of ${room}`);
  return c;
}

/** the records a fresh reader of the room sees */
async function freshRead(srv: SpawnedServer, room: string, token: string, root = 'records'): Promise<Map<string, unknown>> {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return new Map(p.doc.getMap(root).entries());
  } finally {
    destroyAll(p);
  }
}

/** the server's current state of a room, as updates a local doc can start from */
async function serverState(srv: SpawnedServer, room: string, token: string): Promise<Uint8Array> {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return Y.encodeStateAsUpdate(p.doc);
  } finally {
    destroyAll(p);
  }
}

/**
 * A sync round trip on `c`: resolves once the server answered a step 1 sent after everything before it
 * (messages are handled in order), or once the server closed the session.
 */
async function roundTrip(c: RawClient): Promise<void> {
  const before = c.frames.filter((f) => kindOf(f) === '0,1').length;
  c.send(msg.syncStep1(new Y.Doc()));
  await waitFor(() => c.ws.readyState !== 1 || c.frames.filter((f) => kindOf(f) === '0,1').length > before, 10_000, 'round trip');
}

describe('ledger and sync integrity', () => {
  let srv: SpawnedServer;
  let insp: LoginResult;
  let ent: LoginResult;
  let sup: LoginResult;

  beforeAll(async () => {
    srv = await spawnServer();
    [insp, ent, sup] = await Promise.all([login(srv.url, 'inspector1'), login(srv.url, 'enterprise1'), login(srv.url, 'supervisor1')]);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('§1 256 unsigned records in one update: bytes kept once, rows capped, one warning with the count, the sender closed', async () => {
    const c = await session(srv, LEDGER, ent.token);
    const base = [await serverState(srv, LEDGER, ent.token)];
    const records = Array.from({ length: 256 }, () => {
      const a = ack(ent);
      return [a.id, { rec: a }] as [string, unknown];
    });
    const update = write(0x5100_0001, base, records);
    // /healthz keeps answering while the server works through it (printed, never asserted: wall-clock)
    const t0 = performance.now();
    c.send(msg.update(update));
    const health = await fetch(`${srv.url}/healthz`);
    console.log(`§1 /healthz answered in ${(performance.now() - t0).toFixed(0)} ms while a 256-record update (${update.byteLength} bytes) was vetted`);
    expect(health.status).toBe(200);
    await roundTrip(c);

    const db = new Database(path.join(srv.dataDir, 'platform.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = (db.prepare('SELECT count(*) AS n FROM quarantine WHERE user_id = ?').get(ent.userId) as { n: number }).n;
      const inRows = (db.prepare('SELECT coalesce(sum(length(data)), 0) AS b FROM quarantine').get() as { b: number }).b;
      const kept = (db.prepare('SELECT coalesce(sum(length(data)), 0) AS b FROM quarantine_updates').get() as { b: number }).b;
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThanOrEqual(100);
      // the update's bytes once, not once per record
      expect(inRows + kept).toBeLessThan(2 * update.byteLength);
    } finally {
      db.close();
    }

    // one warning for this user this hour, with the count
    const warnings = async () => {
      const r = await fetch(`${srv.url}/api/warnings?kind=quarantined`, { headers: { authorization: `Bearer ${sup.token}` } });
      return (await json(r, WarningsResponse)).items;
    };
    await waitFor(async () => (await warnings()).length > 0, 15_000, 'quarantine warning');
    await new Promise((r) => setTimeout(r, 1500));
    const ws = await warnings();
    expect(ws).toHaveLength(1);
    expect(ws[0].message.en).toContain('256');

    // a session that keeps sending refused records is closed (1008), the server answers on
    for (let i = 0; i < 20 && c.ws.readyState === 1; i++) {
      const a = ack(ent);
      c.send(msg.update(write(0x5100_0002 + i, base, [[a.id, { rec: a }]])));
      await new Promise((r) => setTimeout(r, 20));
    }
    const closed = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(closed?.code).toBe(1008);
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
    const ws2 = await warnings();
    expect(ws2).toHaveLength(1);
  });

  it("§2 another user writing under an inspector's client id is refused; the inspector's offline record is stored", async () => {
    const X = 0x6100_0001;
    const key = await deviceOf(srv.url, insp);
    const entKey = await deviceOf(srv.url, ent);
    const base = await serverState(srv, LEDGER, insp.token);
    // online: the inspector's first record, X:0
    const e0 = await sign(entry(insp), key);
    const u0 = write(X, [base], [[e0.rec.id, e0]]);
    const phone = await session(srv, LEDGER, insp.token);
    phone.send(msg.update(u0));
    await roundTrip(phone);
    phone.close();
    // the enterprise writes its own signed record at X's next clock
    const squat = await sign(ack(ent), entKey);
    const uSquat = write(X, [base, u0], [[squat.rec.id, squat]]);
    const attacker = await session(srv, LEDGER, ent.token);
    attacker.send(msg.update(uSquat));
    const refused = await Promise.race([attacker.closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(refused?.code).toBe(4403);
    // the phone comes back online with what it wrote offline at X:1
    const e1 = await sign(entry(insp), key);
    const u1 = write(X, [base, u0], [[e1.rec.id, e1]]);
    const back = await session(srv, LEDGER, insp.token);
    back.send(msg.update(u1));
    await roundTrip(back);
    back.close();
    const seen = await freshRead(srv, LEDGER, sup.token);
    expect(seen.has(e0.rec.id)).toBe(true);
    expect(seen.has(e1.rec.id)).toBe(true);
    expect(seen.has(squat.rec.id)).toBe(false);

    // ownership is on record: after a restart the id is still the inspector's
    await srv.restart();
    [insp, ent, sup] = await Promise.all([login(srv.url, 'inspector1'), login(srv.url, 'enterprise1'), login(srv.url, 'supervisor1')]);
    const squat2 = await sign(ack(ent), entKey);
    const again = await session(srv, LEDGER, ent.token);
    again.send(msg.update(write(X, [base, u0, u1], [[squat2.rec.id, squat2]])));
    expect((await Promise.race([again.closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]))?.code).toBe(4403);
    expect((await freshRead(srv, LEDGER, sup.token)).has(squat2.rec.id)).toBe(false);
  });

  it('§3 an update holding a Skip, one listing a client twice, and one deleting unknown content are refused whole', async () => {
    const key = await deviceOf(srv.url, ent);
    const base = await serverState(srv, LEDGER, ent.token);
    const X = 0x7100_0001;
    const [a0, a1, a2] = await Promise.all([sign(ack(ent), key), sign(ack(ent), key), sign(ack(ent), key)]);
    const x0 = write(X, [base], [[a0.rec.id, a0]]);
    const x1 = write(X, [base, x0], [[a1.rec.id, a1]]);
    const x2 = write(X, [base, x0, x1], [[a2.rec.id, a2]]);
    // X:0 + Skip + X:2, as the review sent it
    const skipped = Y.mergeUpdates([x0, x2]);
    expect(Y.decodeUpdate(skipped).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    const c1 = await session(srv, LEDGER, ent.token);
    c1.send(msg.update(skipped));
    expect((await c1.closed).code).toBe(4403);
    // one client listed twice: X:0 and X:1 as two groups of one update
    const body = (u: Uint8Array) => u.slice(1, -1); // [numClients=1] … [empty delete set]
    const twice = Uint8Array.from([2, ...body(x0), ...body(x1), 0]);
    expect(Y.decodeUpdate(twice).structs).toHaveLength(2);
    const c2 = await session(srv, LEDGER, ent.token);
    c2.send(msg.update(twice));
    expect((await c2.closed).code).toBe(4403);
    const seen = await freshRead(srv, LEDGER, ent.token);
    for (const a of [a0, a1, a2]) expect(seen.has(a.rec.id)).toBe(false);

    // a delete of content the server never saw, in a co-edited room (the agency's own profile)
    const agency = await login(srv.url, 'agency1');
    const room = `agency/${agency.agencyId}`;
    const d = new Y.Doc();
    d.clientID = 0x7100_0002;
    d.getMap('profile').set('ghost', 'x');
    const sv = Y.encodeStateVector(d);
    d.getMap('profile').delete('ghost');
    const onlyDelete = Y.encodeStateAsUpdate(d, sv);
    expect(Y.decodeUpdate(onlyDelete).structs).toHaveLength(0);
    const c3 = await session(srv, room, agency.token);
    c3.send(msg.update(onlyDelete));
    expect((await c3.closed).code).toBe(4403);
  });
});

describe('rooms, sockets and sizes', () => {
  let srv: SpawnedServer;
  let ent: LoginResult;
  let insp: LoginResult;
  let agency: LoginResult;

  beforeAll(async () => {
    srv = await spawnServer({ env: { MAX_DOCS: '50', MAX_SOCKETS_PER_IP: '30', MAX_ROOM_BYTES: '300000', APPEND_QUOTA_PER_DAY: '3' } });
    [ent, insp, agency] = await Promise.all([login(srv.url, 'enterprise1'), login(srv.url, 'inspector1'), login(srv.url, 'agency1')]);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("§12 made-up rooms are refused; one user cannot hold the server's documents; others get in", async () => {
    for (const room of ['agency/made-up-1', 'plan/city-market/2099', 'tasks/nowhere/2026', `ledger/91140302MA0L2RXA6X`, 'joint/none', 'supervision/2001']) {
      const c = rawConnect(srv.wsUrl, room, ent.token);
      expect((await c.closed).code, room).toBe(4400);
    }
    // enterprise1 opens every agency room it may read, many times over
    const agencies = (await json(await fetch(`${srv.url}/api/directory`), Directory)).agencies.map((a) => a.id);
    const held: RawClient[] = [];
    const refusedCodes: number[] = [];
    for (let i = 0; i < 25; i++) {
      const c = rawConnect(srv.wsUrl, `agency/${agencies[i % agencies.length]}`, ent.token);
      const r = await Promise.race([c.opened.then(() => waitFor(() => c.frames.length > 0, 5000, 'greeting')).then(() => 'open' as const), c.closed]);
      if (r === 'open' && c.ws.readyState === 1) held.push(c);
      else refusedCodes.push((await c.closed).code);
    }
    expect(held.length).toBeLessThanOrEqual(Math.ceil(50 / 4));
    expect(refusedCodes.length).toBeGreaterThan(0);
    expect(new Set(refusedCodes)).toEqual(new Set([1008]));
    // inspector1 still gets its own room
    const p = connectProvider(srv.wsUrl, `tasks/${insp.agencyId}/2026`, insp.token);
    try {
      await waitSynced(p);
    } finally {
      destroyAll(p);
    }
    // the per-address cap: everyone here comes from 127.0.0.1 (30 sockets)
    const more: RawClient[] = [];
    let ipRefused: number | null = null;
    for (let i = 0; i < 30 && ipRefused === null; i++) {
      const c = rawConnect(srv.wsUrl, `agency/${agencies[i % agencies.length]}`, [insp, agency][i % 2].token);
      const r = await Promise.race([c.opened.then(() => waitFor(() => c.frames.length > 0, 5000, 'greeting')).then(() => null), c.closed.then((x) => x.code)]);
      if (r === null && c.ws.readyState === 1) more.push(c);
      else ipRefused = r ?? (await c.closed).code;
    }
    expect(ipRefused).toBe(1008);
    expect(held.length + more.length).toBeLessThanOrEqual(30);
    for (const c of [...held, ...more]) c.close();
  });

  it("§13 presence carries the sender's identity; another session's client id cannot be overwritten", async () => {
    const room = `agency/${agency.agencyId}`;
    const owner = connectProvider(srv.wsUrl, room, agency.token);
    const watcher = connectProvider(srv.wsUrl, room, agency.token);
    try {
      await Promise.all([waitSynced(owner), waitSynced(watcher)]);
      owner.awareness.setLocalState({ user: { name: 'owner', color: '#123456' }, focus: null });
      await waitFor(() => watcher.awareness.getStates().has(owner.doc.clientID), 10_000, 'owner presence');
      // a reader (enterprise1) claims to be someone else
      const liar = await session(srv, room, ent.token);
      const fake = new awarenessProtocol.Awareness(new Y.Doc());
      fake.setLocalState({ user: { name: '局长', userId: 'u-agency2', agencyId: 'city-ecology', color: '#654321' }, focus: { itemId: 'x', field: 'y' } });
      liar.send(msg.awareness(awarenessProtocol.encodeAwarenessUpdate(fake, [fake.clientID])));
      await waitFor(() => watcher.awareness.getStates().has(fake.clientID), 10_000, 'liar presence');
      const shown = watcher.awareness.getStates().get(fake.clientID) as { user: { name: string; userId: string; agencyId?: string } };
      expect(shown.user.userId).toBe(ent.userId);
      expect(shown.user.name).toBe(ent.name);
      expect(shown.user.name).not.toBe('局长');
      // …and overwrites the owner's id with the largest clock, and sends a state that is not presence
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, owner.doc.clientID);
      encoding.writeVarUint(e, Number.MAX_SAFE_INTEGER);
      encoding.writeVarString(e, JSON.stringify({ user: { name: '局长', color: '#000000' } }));
      liar.send(msg.awareness(encoding.toUint8Array(e)));
      const big = new awarenessProtocol.Awareness(new Y.Doc());
      big.setLocalState({ user: { name: 'x', color: '#000000' }, blob: 'x'.repeat(5000) });
      liar.send(msg.awareness(awarenessProtocol.encodeAwarenessUpdate(big, [big.clientID])));
      await roundTrip(liar);
      expect((watcher.awareness.getStates().get(owner.doc.clientID) as { user: { name: string } }).user.name).toBe(agency.name);
      expect(watcher.awareness.getStates().has(big.clientID)).toBe(false);
      // the owner can still move its presence
      owner.awareness.setLocalState({ user: { name: 'owner', color: '#123456' }, focus: { itemId: 'i1', field: 'name' } });
      await waitFor(
        () => (watcher.awareness.getStates().get(owner.doc.clientID) as { focus?: { itemId: string } | null })?.focus?.itemId === 'i1',
        10_000,
        'owner moves',
      );
      const frames = liar.frames.flatMap((f) => awarenessClients(f));
      expect(frames.some((s) => (s.state as { user?: { name?: string } } | null)?.user?.name === '局长')).toBe(false);
      liar.close();
    } finally {
      destroyAll(owner, watcher);
    }
  });

  it('§17 a room past its size cap refuses writes with 4413 and keeps what it had; the daily append quota', async () => {
    const room = `agency/${agency.agencyId}`;
    const p = connectProvider(srv.wsUrl, room, agency.token);
    try {
      await waitSynced(p);
      for (let i = 0; i < 10; i++) p.doc.getMap('profile').set(`blob-${i}`, 'x'.repeat(60_000));
      const closed = await Promise.race([p.closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(closed?.code).toBe(4413);
    } finally {
      destroyAll(p);
    }
    const kept = await freshRead(srv, room, agency.token, 'profile');
    expect(kept.has('blob-0')).toBe(true);
    expect(kept.has('blob-9')).toBe(false);

    // three new records a day for enterprise1 here (APPEND_QUOTA_PER_DAY=3): the fourth waits, nothing is lost
    const key = await deviceOf(srv.url, ent);
    const base = await serverState(srv, LEDGER, ent.token);
    const c = await session(srv, LEDGER, ent.token);
    const sent: string[] = [];
    let state = [base];
    for (let i = 0; i < 4; i++) {
      const a = await sign(ack(ent), key);
      const u = write(0x8100_0001, state, [[a.rec.id, a]]);
      state = [...state, u];
      sent.push(a.rec.id);
      c.send(msg.update(u));
    }
    await roundTrip(c);
    expect(c.ws.readyState).toBe(1);
    const seen = await freshRead(srv, LEDGER, ent.token);
    expect(sent.filter((id) => seen.has(id))).toEqual(sent.slice(0, 3));
    c.close();
  });
});
