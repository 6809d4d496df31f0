/**
 * Room guards over real sockets (server/sync/room-guards.ts): an inspector changes only the status
 * of a task assigned to them (4403 for another inspector's task or another field); `config/city` and
 * `registry/certificates` are written by the server only (through /api/policy and /api/certificates): every
 * socket write to them is dropped, a supervisor's too. Each refused update leaves the server's doc as it
 * was, as a fresh reader sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type SpawnedServer, type TestProvider } from '../../helpers/spawn-server';
import {
  createTask,
  readPolicy,
  readTask,
  readCertificate,
  certificatesRoot,
  putCertificate,
  setPolicyField,
  setTaskStatus,
  updateTaskField,
} from '../../../src/model';
import type { Task } from '../../../src/domain/schemas';

let srv: SpawnedServer;
beforeAll(async () => {
  srv = await spawnServer();
});
afterAll(async () => {
  await srv?.stop();
});

const ROOM = 'tasks/pd-market/2026';

/** what a fresh reader gets from the server */
async function fresh<T>(room: string, token: string, fn: (d: Y.Doc) => T): Promise<T> {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return fn(p.doc);
  } finally {
    destroyAll(p);
  }
}

/** connect, sync, make one change, and report whether the server closed the socket (and with what) */
async function attempt(room: string, token: string, change: (d: Y.Doc) => void): Promise<{ closed: number | null; p: TestProvider }> {
  const p = connectProvider(srv.wsUrl, room, token);
  await waitSynced(p);
  change(p.doc);
  const closed = await Promise.race([p.closed.then((c) => c.code), new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
  return { closed, p };
}

const task = (id: string, inspectorIds: string[]): Task => ({
  id,
  agencyId: 'pd-market',
  year: 2026,
  uscc: '91140300MA0K000001',
  enterpriseName: '测试企业',
  itemIds: ['pd-market.SJ-01'],
  window: { from: '2026-11-25', to: '2026-11-27' },
  inspectorIds,
  kind: { type: 'planned', planned: 'routine' },
  method: 'onsite',
  status: 'assigned',
  createdAt: '2026-11-20T00:00:00.000Z',
});

describe('inspectors change only the status of their own tasks', () => {
  let i3: string;
  beforeAll(async () => {
    i3 = (await login(srv.url, 'inspector3')).token;
    // the county's admin assigns one task to inspector3 and one to a colleague (admins edit everything)
    const county = (await login(srv.url, 'county1')).token;
    const p = connectProvider(srv.wsUrl, ROOM, county);
    try {
      await waitSynced(p);
      createTask(p.doc, task('g-mine', ['insp-pd-market-1', 'insp-pd-market-2']));
      createTask(p.doc, task('g-other', ['insp-pd-market-2', 'insp-pd-market-3']));
      await waitFor(() => fresh(ROOM, county, (d) => !!readTask(d, 'g-other')), 10_000, 'tasks stored');
    } finally {
      destroyAll(p);
    }
  });

  it("inspector3 sets the status of another inspector's task: refused (4403), the task unchanged", async () => {
    const { closed, p } = await attempt(ROOM, i3, (d) => setTaskStatus(d, 'g-other', 'done'));
    destroyAll(p);
    expect(closed).toBe(4403);
    expect(await fresh(ROOM, i3, (d) => readTask(d, 'g-other')?.status)).toBe('assigned');
  });

  it('inspector3 changes another field of its own task: refused (4403), the task unchanged', async () => {
    const { closed, p } = await attempt(ROOM, i3, (d) => updateTaskField(d, 'g-mine', 'uscc', '91140300MA0K000002'));
    destroyAll(p);
    expect(closed).toBe(4403);
    expect(await fresh(ROOM, i3, (d) => readTask(d, 'g-mine')?.uscc)).toBe('91140300MA0K000001');
    const again = await attempt(ROOM, i3, (d) => setTaskStatus(d, 'g-mine', 'cancelled'));
    destroyAll(again.p);
    expect(again.closed).toBe(4403);
  });

  it('inspector3 sets the status of its own task: accepted', async () => {
    const { closed, p } = await attempt(ROOM, i3, (d) => setTaskStatus(d, 'g-mine', 'in_progress'));
    destroyAll(p);
    expect(closed).toBeNull();
    await waitFor(() => fresh(ROOM, i3, (d) => readTask(d, 'g-mine')?.status === 'in_progress'), 10_000, 'status stored');
  });
});

describe('config and the registry are written by the server only: a socket write is refused, supervisors included', () => {
  let sup: string;
  beforeAll(async () => {
    sup = (await login(srv.url, 'supervisor1')).token;
  });

  /** the count of write messages the relay dropped from read-only sessions */
  const dropped = async () => {
    const text = await (await fetch(`${srv.url}/metrics`, srv.metricsAuth)).text();
    return Number(/^eicp_reader_messages_dropped_total\s+(\d+)/m.exec(text)?.[1] ?? 0);
  };

  it("a supervisor's valid policy change over the socket is dropped: the policy unchanged", async () => {
    const before = await fresh('config/city', sup, (d) => readPolicy(d).policy);
    expect(before?.capPerEnterpriseDefault).toBe(2);
    const n0 = await dropped();
    const { p } = await attempt('config/city', sup, (d) => setPolicyField(d, 'capPerEnterpriseDefault', 3));
    await waitFor(async () => (await dropped()) > n0, 10_000, 'the write dropped');
    destroyAll(p);
    expect(await fresh('config/city', sup, (d) => readPolicy(d).policy)).toEqual(before);
  });

  it("a supervisor's well-formed certificate, a revocation or a deletion over the socket: dropped, the registry unchanged", async () => {
    const some = await fresh('registry/certificates', sup, (d) => Array.from(certificatesRoot(d).keys())[0]);
    const before = await fresh('registry/certificates', sup, (d) => readCertificate(d, some));
    for (const change of [
      (d: Y.Doc) =>
        putCertificate(d, {
          number: '14030099990001',
          inspectorId: 'insp-pd-market-1',
          agencyId: 'pd-market',
          holderName: '测试',
          issuedOn: '2026-01-01',
          expiresOn: '2029-01-01',
          status: 'valid',
        }),
      (d: Y.Doc) => certificatesRoot(d).set(some, { ...(before as object), status: 'revoked', revokedOn: '2026-11-01' }),
      (d: Y.Doc) => certificatesRoot(d).delete(some),
    ]) {
      const n0 = await dropped();
      const { p } = await attempt('registry/certificates', sup, change);
      await waitFor(async () => (await dropped()) > n0, 10_000, 'the write dropped');
      destroyAll(p);
    }
    expect(await fresh('registry/certificates', sup, (d) => [readCertificate(d, some), certificatesRoot(d).has('14030099990001')])).toEqual([before, false]);
  });
});
