/**
 * Room guards over real sockets (server/sync/room-guards.ts): an inspector changes only the status
 * of a task assigned to them (4403 for another inspector's task or another field); a supervisor's writes
 * to `config/city` and `registry/certificates` are parsed with their schemas (4403 otherwise). Each refused
 * update leaves the server's doc as it was, as a fresh reader sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type SpawnedServer, type TestProvider } from '../../helpers/spawn-server';
import {
  createTask,
  readPolicy,
  readTask,
  readCertificate,
  policyRoot,
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

describe("supervisors' writes to config and the registry are parsed with their schemas", () => {
  let sup: string;
  beforeAll(async () => {
    sup = (await login(srv.url, 'supervisor1')).token;
  });

  it('a policy field of the wrong type, or an unknown field: refused (4403), the policy unchanged', async () => {
    const before = await fresh('config/city', sup, (d) => readPolicy(d).policy);
    expect(before).not.toBeNull();
    for (const change of [(d: Y.Doc) => policyRoot(d).set('capPerEnterpriseDefault', -3), (d: Y.Doc) => policyRoot(d).set('backdoor', true)]) {
      const { closed, p } = await attempt('config/city', sup, change);
      destroyAll(p);
      expect(closed).toBe(4403);
    }
    expect(await fresh('config/city', sup, (d) => readPolicy(d).policy)).toEqual(before);
  });

  it('a valid policy change: accepted', async () => {
    const { closed, p } = await attempt('config/city', sup, (d) => setPolicyField(d, 'capPerEnterpriseDefault', 3));
    destroyAll(p);
    expect(closed).toBeNull();
    await waitFor(() => fresh('config/city', sup, (d) => readPolicy(d).policy?.capPerEnterpriseDefault === 3), 10_000, 'policy stored');
  });

  it('a certificate that does not parse, or a deletion: refused (4403); a valid one: accepted', async () => {
    const bad = await attempt('registry/certificates', sup, (d) =>
      certificatesRoot(d).set('FAKE-0001', { number: 'FAKE-0001', status: 'valid', expiresOn: '2099-12-31' }),
    );
    destroyAll(bad.p);
    expect(bad.closed).toBe(4403);
    const some = await fresh('registry/certificates', sup, (d) => Array.from(certificatesRoot(d).keys())[0]);
    const del = await attempt('registry/certificates', sup, (d) => certificatesRoot(d).delete(some));
    destroyAll(del.p);
    expect(del.closed).toBe(4403);
    expect(await fresh('registry/certificates', sup, (d) => [!!readCertificate(d, some), certificatesRoot(d).has('FAKE-0001')])).toEqual([true, false]);
    const good = await attempt('registry/certificates', sup, (d) =>
      putCertificate(d, {
        number: '14030099990001',
        inspectorId: 'insp-pd-market-1',
        agencyId: 'pd-market',
        holderName: '测试',
        issuedOn: '2026-01-01',
        expiresOn: '2029-01-01',
        status: 'valid',
      }),
    );
    destroyAll(good.p);
    expect(good.closed).toBeNull();
    await waitFor(() => fresh('registry/certificates', sup, (d) => !!readCertificate(d, '14030099990001')), 10_000, 'certificate stored');
  });
});
