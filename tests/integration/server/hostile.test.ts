/**
 * Hostile input: a seeded stream of random bytes, truncated messages, bogus length prefixes, unknown
 * message types and garbage awareness, from authenticated and unauthenticated raw clients. Each bad
 * frame closes only its own connection; the process stays up (/healthz), sessions already open keep
 * syncing, other rooms sync, and every room still loads after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { prng } from '../../../src/domain/prng';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { kindOf, msg, rawConnect } from '../../helpers/raw';
import { signedAckBy } from '../../helpers/devices';
import { apiJson } from '../../helpers/api';

let srv: SpawnedServer;
let agency1: LoginResult;
let inspector1: LoginResult;
let enterprise1: LoginResult;

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, inspector1, enterprise1] = await Promise.all([login(srv.url, 'agency1'), login(srv.url, 'inspector1'), login(srv.url, 'enterprise1')]);
});
afterAll(async () => {
  await srv?.stop();
});

function hostileFrames(seed: string, count: number): Uint8Array[] {
  const r = prng(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => r.int(0, 255));
  // a real update to truncate
  const d = new Y.Doc();
  d.getMap('profile').set('k', { a: 'x'.repeat(r.int(1, 40)), n: r.int(0, 1e6) });
  d.getArray('list').push(['a', 'b', 3]);
  const realUpdate = msg.update(Y.encodeStateAsUpdate(d));
  const realStep1 = msg.syncStep1(d);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    switch (r.int(0, 9)) {
      case 0:
        out.push(bytes(r.int(0, 64)));
        break; // random bytes
      case 1:
        out.push(msg.update(bytes(r.int(0, 200))));
        break; // random "update"
      case 2:
        out.push(realUpdate.slice(0, r.int(1, realUpdate.length - 1)));
        break; // truncated update
      case 3:
        out.push(realStep1.slice(0, r.int(1, Math.max(1, realStep1.length - 1))));
        break; // truncated step 1
      case 4:
        out.push(Uint8Array.from([r.int(4, 200), ...bytes(r.int(0, 8))]));
        break; // unknown message type
      case 5:
        out.push(Uint8Array.from([0, r.int(3, 127), ...bytes(r.int(0, 8))]));
        break; // unknown sync type
      case 6:
        out.push(msg.awareness(bytes(r.int(0, 50))));
        break; // garbage awareness
      case 7:
        out.push(Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
        break; // length beyond the frame
      case 8:
        out.push(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
        break; // varint overflow
      case 9: {
        // a valid update with random bytes flipped
        const u = realUpdate.slice();
        for (let k = 0; k < 3; k++) u[r.int(3, u.length - 1)] = r.int(0, 255);
        out.push(u);
        break;
      }
    }
  }
  return out;
}

/**
 * Send frames on one connection, then a valid sync step 1: the connection either answers it (the frames
 * were harmless) or is closed. Messages are handled in order, so no sleeping is needed.
 */
async function barrage(room: string, token: string | null, frames: Uint8Array[], asText = false): Promise<'closed' | 'alive'> {
  const c = rawConnect(srv.wsUrl, room, token);
  try {
    await c.opened;
  } catch {
    return 'closed';
  }
  for (const f of frames) {
    if (asText) c.ws.send(Buffer.from(f).toString('latin1'));
    else c.send(f);
  }
  c.send(msg.syncStep1(new Y.Doc()));
  const answered = new Promise<'alive'>((resolve) => {
    const check = () => {
      if (c.frames.some((f) => kindOf(f) === '0,1')) resolve('alive');
    };
    c.ws.on('message', check);
    check();
  });
  const result = await Promise.race([answered, c.closed.then(() => 'closed' as const)]);
  c.close();
  return result;
}

describe('hostile frames', () => {
  it('a seeded stream of random and truncated frames leaves the server up and other rooms syncing', async () => {
    const room = `agency/${agency1.agencyId}`;
    const other = `tasks/${agency1.agencyId}/2026`;
    // sessions open before the barrage
    const p1 = connectProvider(srv.wsUrl, other, agency1.token);
    const p2 = connectProvider(srv.wsUrl, other, inspector1.token);
    await Promise.all([waitSynced(p1), waitSynced(p2)]);

    const targets: [string, string | null][] = [
      [room, agency1.token], // writable
      [other, inspector1.token], // writable, shared with p1/p2
      [`ledger/${enterprise1.uscc}`, inspector1.token], // append-only
      ['config/city', enterprise1.token], // read-only
      [room, null], // unauthenticated
    ];
    const frames = hostileFrames('hostile-frames-1', 240);
    const outcomes: string[] = [];
    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < frames.length; i += 4) {
      const [r, t] = targets[(i / 4) % targets.length];
      const chunk = frames.slice(i, i + 4);
      jobs.push(async () => {
        outcomes.push(await barrage(r, t, chunk));
      });
    }
    jobs.push(async () => {
      outcomes.push(await barrage(room, agency1.token, frames.slice(0, 3), true));
    }); // text frames
    for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((j) => j()));
    expect(outcomes.filter((o) => o === 'closed').length).toBeGreaterThan(outcomes.length / 2);

    // the process is up
    const h = await fetch(`${srv.url}/healthz`);
    expect(h.status).toBe(200);
    expect(await apiJson(h)).toEqual({ ok: true });
    // sessions opened before the barrage still work
    p1.doc.getMap('after').set('x', 1);
    await waitFor(() => p2.doc.getMap('after').get('x') === 1, 10_000, 'old sessions still sync');
    expect(p1.closes).toEqual([]);
    expect(p2.closes).toEqual([]);
    // new sessions in the attacked rooms sync and converge
    const q1 = connectProvider(srv.wsUrl, room, agency1.token);
    const q2 = connectProvider(srv.wsUrl, room, enterprise1.token);
    await Promise.all([waitSynced(q1), waitSynced(q2)]);
    q1.doc.getMap('profile').set('after-barrage', true);
    await waitFor(() => q2.doc.getMap('profile').get('after-barrage') === true, 10_000, 'attacked room syncs');
    const l = connectProvider(srv.wsUrl, `ledger/${enterprise1.uscc}`, inspector1.token);
    await waitSynced(l);
    const rec = await signedAckBy(srv.url, inspector1, enterprise1.uscc!);
    l.doc.getMap('records').set(rec.rec.id, rec);
    const lo = connectProvider(srv.wsUrl, `ledger/${enterprise1.uscc}`, enterprise1.token);
    await waitSynced(lo);
    await waitFor(() => lo.doc.getMap('records').has(rec.rec.id), 10_000, 'ledger still accepts records');
    destroyAll(p1, p2, q1, q2, l, lo);

    const metrics = await (await fetch(`${srv.url}/metrics`, srv.metricsAuth)).text();
    expect(metrics).toMatch(/eicp_updates_rejected_total\{reason="malformed"\} [1-9]/);

    const crashes = srv.logs.filter((x) => x.msg === 'uncaught exception' || x.msg === 'unhandled rejection');
    expect(crashes).toEqual([]);

    // whatever was stored from the barrage does not poison the rooms: they load after a restart
    await srv.restart();
    const a = await login(srv.url, 'agency1');
    const r1 = connectProvider(srv.wsUrl, room, a.token);
    const r2 = connectProvider(srv.wsUrl, other, a.token);
    await Promise.all([waitSynced(r1), waitSynced(r2)]);
    expect(r1.doc.getMap('profile').get('after-barrage')).toBe(true);
    expect(r2.doc.getMap('after').get('x')).toBe(1);
    destroyAll(r1, r2);
    expect(srv.logs.filter((x) => x.level === 'error')).toEqual([]);
  }, 60_000);

  it('an oversized declared length and a deep garbage awareness state close only that connection', async () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1 << 30); // claims a gigabyte
    expect(await barrage('config/city', enterprise1.token, [encoding.toUint8Array(e)])).toBe('closed');
    const aw = encoding.createEncoder();
    encoding.writeVarUint(aw, 1);
    encoding.writeVarUint(aw, 1234);
    encoding.writeVarUint(aw, 1);
    encoding.writeVarString(aw, '{"a":' + '['.repeat(50) + ']'.repeat(50) + '}');
    expect(await barrage('config/city', enterprise1.token, [msg.awareness(encoding.toUint8Array(aw))])).toBe('alive');
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  });
});
