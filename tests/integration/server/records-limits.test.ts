/**
 * Records are bounded and plain, attacked over real sockets (server/sync/checks.ts `checkRecord`): a ledger
 * record with a string over its maximum length, a feedback record over its maximum, and records carrying a
 * `__proto__` or `constructor` key are refused before they are stored (4403 on that connection); the
 * server of 2026-12-01 stored them (its complaint text was already bounded: that case is kept as a check).
 * An honest record of the same user is stored afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { registeredDevice, sign, RECORD_AT } from '../../helpers/devices';
import type { DeviceKey } from '../../../src/domain/record-signing';
import { LEN } from '../../../src/domain/schemas';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';

let srv: SpawnedServer;
let ent1: LoginResult;
let sup: LoginResult;
let key: DeviceKey;
let observer: TestProvider;
const ROOM = `ledger/${ENTERPRISE1_USCC}`;
let seq = 0;
const ack = (over: Record<string, unknown> = {}) => ({
  id: `lim-ack-${process.pid}-${++seq}`,
  uscc: ENTERPRISE1_USCC,
  at: RECORD_AT,
  by: ent1.userId,
  type: 'ack' as const,
  refId: 'result-1',
  ...over,
});

beforeAll(async () => {
  srv = await spawnServer();
  [ent1, sup] = await Promise.all([login(srv.url, 'enterprise1'), login(srv.url, 'supervisor1')]);
  key = await registeredDevice(srv.url, ent1.token);
  observer = connectProvider(srv.wsUrl, ROOM, sup.token);
  await waitSynced(observer);
});
afterAll(async () => {
  destroyAll(observer);
  await srv?.stop();
});

/** set `value` under `id` in `room` from a fresh session of enterprise1; expect 4403 and nothing stored */
async function refused(room: string, root: string, id: string, value: unknown): Promise<void> {
  const p = connectProvider(srv.wsUrl, room, ent1.token);
  try {
    await waitSynced(p);
    p.doc.getMap(root).set(id, value);
    expect((await p.closed).code).toBe(4403);
  } finally {
    destroyAll(p);
  }
  const check = connectProvider(srv.wsUrl, room, sup.token);
  try {
    await waitSynced(check);
    expect(check.doc.getMap(root).has(id)).toBe(false);
  } finally {
    destroyAll(check);
  }
}

describe('maximum lengths over a real socket', () => {
  it('a ledger record with a string over its maximum is refused (4403), not stored', async () => {
    const rec = ack({ refId: 'r'.repeat(81) });
    // unsigned: the length check comes before any signature check, so even a signed one is refused
    await refused(ROOM, 'records', rec.id, { rec });
    const big = await sign(
      {
        id: `lim-d-${process.pid}`,
        uscc: ENTERPRISE1_USCC,
        at: RECORD_AT,
        by: ent1.userId,
        type: 'dispute',
        refId: 'result-1',
        text: '检查记录有误，提出异议',
      },
      key,
    );
    const tooLong = { ...big, rec: { ...big.rec, text: '长'.repeat(LEN.note + 1) } };
    await refused(ROOM, 'records', big.rec.id, tooLong);
  });

  it('a feedback record over its maximum is refused (4403)', async () => {
    const id = `lim-c-${process.pid}`;
    await refused(`feedback/${ENTERPRISE1_USCC}`, 'records', id, {
      id,
      uscc: ENTERPRISE1_USCC,
      at: RECORD_AT,
      by: ent1.userId,
      type: 'complaint',
      text: '投'.repeat(4001),
      refused: false,
    });
  });
});

describe('prototype keys over a real socket', () => {
  it('a record with a __proto__ key (anywhere) is refused (4403), not stored', async () => {
    const signed = await sign(ack(), key);
    // JSON.parse makes __proto__ an own key, which Yjs encodes; decoding it would set the object's prototype
    const json = JSON.stringify(signed).replace('"rec":{', '"rec":{"__proto__":{"by":"u-inspector1","admin":true},');
    const hostile = JSON.parse(json) as { rec: { id: string } };
    expect(Object.keys(hostile.rec)).toContain('__proto__');
    await refused(ROOM, 'records', signed.rec.id, hostile);
  });

  it('a record with a constructor or prototype key is refused (4403)', async () => {
    const a = await sign(ack(), key);
    await refused(ROOM, 'records', a.rec.id, { ...a, sig: { ...a.sig, constructor: { name: 'x' } } });
    const b = await sign(ack(), key);
    await refused(ROOM, 'records', b.rec.id, { ...b, rec: { ...b.rec, prototype: 1 } });
  });

  it("the same user's honest record is stored afterwards", async () => {
    const good = await sign(ack(), key);
    const p = connectProvider(srv.wsUrl, ROOM, ent1.token);
    try {
      await waitSynced(p);
      p.doc.getMap('records').set(good.rec.id, good);
      await waitFor(() => observer.doc.getMap('records').has(good.rec.id), 10_000, 'honest record stored');
      expect(p.closes).toEqual([]);
    } finally {
      destroyAll(p);
    }
  });
});
