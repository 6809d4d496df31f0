/**
 * Device-signature vetting of ledger updates with quarantine (DESIGN §4, server/quarantine.ts).
 *
 * 1. The vetting function on real Yjs updates, a real SQLite file and real WebCrypto keys: a record
 *    signed by a registered key of its author, sent by that author, passes; unsigned, unknown key, bad
 *    signature, another user's key, and another user's record relayed are quarantined (idempotent per
 *    record); an update mixing good and bad clients yields the good part only.
 * 2. Over real sockets (needs the relay to call the vetter after its append-only check): a stock
 *    WebsocketProvider writes a badly signed entry → not in the enterprise's doc, listed in
 *    GET /api/quarantine (supervisors only), the connection stays open; a deletion is still 4403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { openDb, type DB } from '../../../server/store/db';
import { createDeviceRegistry, type DeviceRegistry } from '../../../server/codes/devices';
import { createQuarantine, type QuarantineStore } from '../../../server/ledger/quarantine';
import { vetLedgerUpdate } from '../../../server/ledger/vet';
import { generateDeviceKey, type DeviceKey } from '../../../src/domain/record-signing';
import type { Principal, SignedRecord } from '../../../src/domain/schemas';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign, signedAck } from '../../helpers/devices';
import { apiJson } from '../../helpers/api';

const USCC = '91140302MA0L2RXA6K';
const ref = { kind: 'ledger', uscc: USCC } as const;
const inspector1: Principal = { userId: 'u-inspector1', role: 'inspector', name: '甲', agencyId: 'city-market', inspectorId: 'insp-city-market-1' };
const inspector2: Principal = { userId: 'u-inspector2', role: 'inspector', name: '乙', agencyId: 'city-market', inspectorId: 'insp-city-market-2' };

/** the update a client doc emits when it appends these values under their ids */
function updateOf(base: Y.Doc, values: SignedRecord[] | Record<string, unknown>, client?: Y.Doc): Uint8Array {
  const d = client ?? new Y.Doc();
  if (!client) Y.applyUpdate(d, Y.encodeStateAsUpdate(base));
  const out: Uint8Array[] = [];
  const on = (u: Uint8Array) => out.push(u);
  d.on('update', on);
  d.transact(() => {
    const entries = Array.isArray(values) ? values.map((v) => [v.rec.id, v] as const) : Object.entries(values);
    for (const [k, v] of entries) d.getMap('records').set(k, JSON.parse(JSON.stringify(v)));
  });
  d.off('update', on);
  return Y.mergeUpdates(out);
}

describe('vetLedgerUpdate', () => {
  let dir: string;
  let db: DB;
  let devices: DeviceRegistry;
  let quarantine: QuarantineStore;
  let k1: DeviceKey;
  let k2: DeviceKey;
  let server: Y.Doc;
  const deps = () => ({ devices, quarantine });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarantine-'));
    db = openDb(dir);
    devices = createDeviceRegistry(db);
    quarantine = createQuarantine(db);
    k1 = await generateDeviceKey();
    k2 = await generateDeviceKey();
    expect((await devices.register('u-inspector1', k1.publicJwk)).ok).toBe(true);
    expect((await devices.register('u-inspector2', k2.publicJwk)).ok).toBe(true);
    server = new Y.Doc();
    // an old record, present before: never vetted again (it is not new)
    server
      .getMap('records')
      .set('old-unsigned', { rec: { id: 'old-unsigned', uscc: USCC, at: '2026-06-23T02:00:00Z', by: 'u-seed', type: 'ack', refId: 'r0' } });
  });
  afterAll(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes a record signed by a registered key of its author, sent by that author; and other rooms', async () => {
    const good = await signedAck(USCC, 'u-inspector1', k1);
    const u = updateOf(server, [good]);
    expect(await vetLedgerUpdate(server, ref, u, inspector1, deps())).toEqual({ ok: true });
    // structs the doc already holds are not new: a resend of known records passes
    const known = Y.encodeStateAsUpdate(server);
    expect(await vetLedgerUpdate(server, ref, known, inspector1, deps())).toEqual({ ok: true });
    // feedback and other rooms are not vetted here
    expect(await vetLedgerUpdate(server, { kind: 'feedback', uscc: USCC }, updateOf(server, { x: { a: 1 } }), inspector1, deps())).toEqual({ ok: true });
    expect(await quarantine.count()).toBe(0);
  });

  it('quarantines unsigned, unknown-key, badly signed, other-key and relayed records, each with its reason', async () => {
    const base = await signedAck(USCC, 'u-inspector1', k1);
    const unsigned = { rec: { ...base.rec, id: 'q-unsigned' } };
    const stranger = await generateDeviceKey();
    const unknown = await signedAck(USCC, 'u-inspector1', stranger, 'q-unknown');
    const tampered0 = await signedAck(USCC, 'u-inspector1', k1, 'q-bad');
    const tampered = { ...tampered0, rec: { ...tampered0.rec, refId: 'result-other' } };
    const othersKey = await signedAck(USCC, 'u-inspector1', k2, 'q-wrong-author'); // k2 belongs to inspector2
    const relayed = await signedAck(USCC, 'u-inspector2', k2, 'q-not-author'); // good, but sent by inspector1
    const cases: [unknown, string][] = [
      [unsigned, 'unsigned'],
      [unknown, 'unknown_key'],
      [tampered, 'bad_signature'],
      [othersKey, 'wrong_author'],
      [relayed, 'not_author'],
    ];
    for (const [value, reason] of cases) {
      const id = (value as SignedRecord).rec.id;
      const r = await vetLedgerUpdate(server, ref, updateOf(server, { [id]: value }), inspector1, deps());
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toBe(reason);
      expect(r.records).toEqual([{ recordId: id, reason, by: (value as SignedRecord).rec.by }]);
      expect(r.accepted).toBeUndefined();
    }
    const list = await quarantine.list({ uscc: USCC });
    expect(list.total).toBe(5);
    expect(new Map(list.items.map((x) => [x.recordId, x.reason]))).toEqual(
      new Map([
        ['q-unsigned', 'unsigned'],
        ['q-unknown', 'unknown_key'],
        ['q-bad', 'bad_signature'],
        ['q-wrong-author', 'wrong_author'],
        ['q-not-author', 'not_author'],
      ]),
    );
    const row = list.items.find((x) => x.recordId === 'q-bad')!;
    expect(row).toMatchObject({ room: `ledger/${USCC}`, uscc: USCC, userId: 'u-inspector1', kid: k1.kid, resent: 0 });
    expect((row.record as { rec: { refId: string } }).rec.refId).toBe('result-other');
    // the stored bytes are the update as received: applying them shows the record
    const bytes = (await quarantine.bytes(`ledger/${USCC}`, 'q-bad'))!;
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(probe, bytes);
    expect(probe.getMap('records').has('q-bad')).toBe(true);
    expect(server.getMap('records').has('q-bad')).toBe(false);
  });

  it('is idempotent per record: the same update again adds no row and counts a resend', async () => {
    const bad = { rec: { id: 'q-again', uscc: USCC, at: new Date().toISOString(), by: 'u-inspector1', type: 'ack', refId: 'x' } };
    const u = updateOf(server, { 'q-again': bad });
    const before = await quarantine.count();
    expect((await vetLedgerUpdate(server, ref, u, inspector1, deps())).ok).toBe(false);
    expect((await vetLedgerUpdate(server, ref, u, inspector1, deps())).ok).toBe(false);
    expect(await quarantine.count()).toBe(before + 1);
    expect((await quarantine.list()).items.find((x) => x.recordId === 'q-again')!.resent).toBe(1);
  });

  it('an update from several clients: the failing client is held back, the others are accepted', async () => {
    const a = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
    const good1 = await signedAck(USCC, 'u-inspector1', k1, 'mix-good-1');
    const good2 = await signedAck(USCC, 'u-inspector1', k1, 'mix-good-2');
    const bad0 = await signedAck(USCC, 'u-inspector1', k1, 'mix-bad');
    const bad = { ...bad0, sig: { ...bad0.sig!, value: bad0.sig!.value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } };
    const ua = updateOf(server, [good1, good2], a);
    const ub = updateOf(server, { 'mix-bad': bad }, b);
    const merged = Y.mergeUpdates([ua, ub]); // what a sync step 2 carrying two sessions looks like
    const r = await vetLedgerUpdate(server, ref, merged, inspector1, deps());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.records.map((x) => x.recordId)).toEqual(['mix-bad']);
    expect(r.accepted).toBeInstanceOf(Uint8Array);
    // the accepted part vets clean and carries exactly the good records
    expect(await vetLedgerUpdate(server, ref, r.accepted!, inspector1, deps())).toEqual({ ok: true });
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(probe, r.accepted!);
    const keys = [...probe.getMap('records').keys()];
    expect(keys).toContain('mix-good-1');
    expect(keys).toContain('mix-good-2');
    expect(keys).not.toContain('mix-bad');
  });
});

describe('over real sockets: a badly signed entry is quarantined, a deletion is still refused', () => {
  let srv: SpawnedServer;
  let insp: LoginResult;
  let ent: LoginResult;
  let sup: LoginResult;
  let key: DeviceKey;
  const room = `ledger/${USCC}`;

  beforeAll(async () => {
    srv = await spawnServer();
    [insp, ent, sup] = await Promise.all([login(srv.url, 'inspector1'), login(srv.url, 'enterprise1'), login(srv.url, 'supervisor1')]);
    key = await registeredDevice(srv.url, insp.token);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const quarantined = async (token: string) => {
    const r = await fetch(`${srv.url}/api/quarantine?uscc=${USCC}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await apiJson(r)) as { total: number; items: { recordId: string; reason: string; userId: string }[] } };
  };

  it('GET /api/quarantine is for supervisors only', async () => {
    expect((await quarantined(insp.token)).status).toBe(403);
    expect((await quarantined(ent.token)).status).toBe(403);
    expect((await fetch(`${srv.url}/api/quarantine`)).status).toBe(401);
    const ok = await quarantined(sup.token);
    expect(ok.status).toBe(200);
    expect(ok.body.total).toBe(0);
  });

  it('a good entry reaches the enterprise; a badly signed one does not, is quarantined, and the socket stays open', async () => {
    const observer = connectProvider(srv.wsUrl, room, ent.token);
    const writer = connectProvider(srv.wsUrl, room, insp.token);
    try {
      await Promise.all([waitSynced(observer), waitSynced(writer)]);
      const good = await signedAck(USCC, insp.userId, key);
      writer.doc.getMap('records').set(good.rec.id, good);
      await waitFor(() => observer.doc.getMap('records').has(good.rec.id), 10_000, 'good record relayed');

      const entry = await sign(
        {
          id: `entry-forged-${Date.now()}`,
          uscc: USCC,
          at: new Date().toISOString(),
          by: insp.userId,
          type: 'entry',
          agencyId: 'city-market',
          kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'T-1' } },
          team: [{ inspectorId: 'insp-city-market-1', name: '甲', certificateNumber: '14030001', certificateValid: true }],
          itemIds: [],
          via: 'scan',
          device: 'test',
          conductAcknowledged: true,
        },
        key,
      );
      const forged = { ...entry, rec: { ...entry.rec, itemIds: ['added-after-signing'] } };
      writer.doc.getMap('records').set(entry.rec.id, forged);
      await waitFor(async () => (await quarantined(sup.token)).body.items.some((x) => x.recordId === entry.rec.id), 10_000, 'record quarantined');
      const q = (await quarantined(sup.token)).body.items.find((x) => x.recordId === entry.rec.id)!;
      expect(q).toMatchObject({ reason: 'bad_signature', userId: insp.userId });
      // supervisors are warned at once
      await waitFor(
        async () => {
          const r = await fetch(`${srv.url}/api/warnings?kind=quarantined`, { headers: { authorization: `Bearer ${sup.token}` } });
          const body = (await apiJson(r)) as { items: { kind: string; refId?: string; uscc?: string }[] };
          return body.items.some((w) => w.kind === 'quarantined' && w.refId === entry.rec.id && w.uscc === USCC);
        },
        10_000,
        'quarantine warning',
      );
      // the same session writes on: its next record depends on the dropped one (a gap), so it is dropped
      // too, but the socket stays open (a 4403 would lock this phone out of the ledger for good)
      const next = await signedAck(USCC, insp.userId, key);
      writer.doc.getMap('records').set(next.rec.id, next);
      // a later good record from another session still arrives; the forged one never does
      const other = connectProvider(srv.wsUrl, room, insp.token);
      await waitSynced(other);
      const later = await signedAck(USCC, insp.userId, key);
      other.doc.getMap('records').set(later.rec.id, later);
      await waitFor(() => observer.doc.getMap('records').has(later.rec.id), 10_000, 'later record relayed');
      expect(observer.doc.getMap('records').has(entry.rec.id)).toBe(false);
      expect(observer.doc.getMap('records').has(next.rec.id)).toBe(false);
      expect(writer.closes).toEqual([]);
      expect(writer.wsconnected).toBe(true);
      destroyAll(other);
    } finally {
      destroyAll(observer, writer);
    }
  });

  it('a deletion is still refused with 4403', async () => {
    const p = connectProvider(srv.wsUrl, room, insp.token);
    try {
      await waitSynced(p);
      const some = [...p.doc.getMap('records').keys()][0];
      expect(some).toBeTruthy();
      p.doc.getMap('records').delete(some);
      expect((await p.closed).code).toBe(4403);
    } finally {
      destroyAll(p);
    }
  });
});
