/**
 * server/sync/room-guards.ts on constructed updates (the diff a real client would send against the server's
 * doc): supervisors' policy and certificates parse with their schemas; an inspector changes only the status
 * (and check code) of their own tasks, or adds a triggered task of their own; a joint plan's items and teams
 * are written by their own member agency only.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import {
  createJointItem,
  createTask,
  policyRoot,
  putCertificate,
  putJointMember,
  revokeCertificate,
  setJointMeta,
  setJointTeam,
  setPolicy,
  setPolicyField,
  setTaskStatus,
  tasksRoot,
  updateJointItemField,
  updateTaskField,
  certificatesRoot,
  jointRoots,
} from '../../../src/model';
import { checkConfigUpdate, checkInspectorTasksUpdate, checkJointUpdate, checkRegistryUpdate } from '../../../server/sync/guards/rooms';
import type { Task } from '../../../src/domain/schemas';

function pair(fill: (d: Y.Doc) => void): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  fill(server);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}
const diff = (server: Y.Doc, client: Y.Doc, fn: (d: Y.Doc) => void) => {
  fn(client);
  return Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
};

describe('config/city', () => {
  const fill = (d: Y.Doc) => {
    setPolicy(d, defaultPolicy());
  };
  it('accepts a valid policy change', () => {
    const { server, client } = pair(fill);
    expect(
      checkConfigUpdate(
        server,
        diff(server, client, (d) => setPolicyField(d, 'capPerEnterpriseDefault', 3)),
      ),
    ).toEqual({ ok: true });
  });
  it('refuses a value of the wrong type, an unknown field, and a write outside the policy', () => {
    let { server, client } = pair(fill);
    let r = checkConfigUpdate(
      server,
      diff(server, client, (d) => policyRoot(d).set('capPerEnterpriseDefault', 'lots')),
    );
    expect(r).toMatchObject({ ok: false, reason: 'schema' });
    ({ server, client } = pair(fill));
    r = checkConfigUpdate(
      server,
      diff(server, client, (d) => policyRoot(d).set('__proto__', { admin: true })),
    );
    expect(r).toMatchObject({ ok: false, reason: 'forbidden' });
    ({ server, client } = pair(fill));
    r = checkConfigUpdate(
      server,
      diff(server, client, (d) => d.getMap('other').set('x', 1)),
    );
    expect(r).toMatchObject({ ok: false, reason: 'schema' });
    ({ server, client } = pair(fill));
    r = checkConfigUpdate(
      server,
      diff(server, client, (d) => policyRoot(d).delete('exemptTriggers')),
    );
    expect(r).toMatchObject({ ok: false, reason: 'schema' });
  });
});

describe('registry/certificates', () => {
  const CERT = {
    number: '14030020260001',
    inspectorId: 'insp-a-1',
    agencyId: 'a',
    holderName: '张三',
    issuedOn: '2024-01-01',
    expiresOn: '2028-01-01',
    status: 'valid' as const,
  };
  const fill = (d: Y.Doc) => {
    putCertificate(d, CERT);
  };
  it('accepts a new certificate and a revocation', () => {
    let { server, client } = pair(fill);
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => putCertificate(d, { ...CERT, number: '14030020260002', inspectorId: 'insp-a-2' })),
      ),
    ).toEqual({ ok: true });
    ({ server, client } = pair(fill));
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => revokeCertificate(d, CERT.number, '2026-11-01', '调离')),
      ),
    ).toEqual({ ok: true });
  });
  it('refuses a record that does not parse, one under another number, and a deletion', () => {
    let { server, client } = pair(fill);
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => certificatesRoot(d).set('X1234', { number: 'X1234', status: 'valid' })),
      ),
    ).toMatchObject({ ok: false, reason: 'schema' });
    ({ server, client } = pair(fill));
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => certificatesRoot(d).set('OTHER1', { ...CERT })),
      ),
    ).toMatchObject({ ok: false, reason: 'schema' });
    ({ server, client } = pair(fill));
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => certificatesRoot(d).set(CERT.number, { ...CERT, expiresOn: 'never' })),
      ),
    ).toMatchObject({ ok: false, reason: 'schema' });
    ({ server, client } = pair(fill));
    expect(
      checkRegistryUpdate(
        server,
        diff(server, client, (d) => certificatesRoot(d).delete(CERT.number)),
      ),
    ).toMatchObject({ ok: false, reason: 'delete' });
  });
});

describe('tasks/<agencyId>/<year> written by an inspector', () => {
  const ROOM = { agencyId: 'pd-market', year: 2026 };
  const task = (id: string, inspectorIds: string[], extra: Partial<Task> = {}): Task =>
    ({
      id,
      agencyId: 'pd-market',
      year: 2026,
      uscc: '91140300MA0K000001',
      enterpriseName: '企业',
      itemIds: ['pd-market.SJ-01'],
      window: { from: '2026-11-25', to: '2026-11-27' },
      inspectorIds,
      kind: { type: 'planned', planned: 'routine' },
      method: 'onsite',
      status: 'assigned',
      createdAt: '2026-11-01T00:00:00.000Z',
      ...extra,
    }) as Task;
  const fill = (d: Y.Doc) => {
    createTask(d, task('t-mine', ['insp-pd-market-1', 'insp-pd-market-2']));
    createTask(d, task('t-other', ['insp-pd-market-3']));
  };
  const check = (fn: (d: Y.Doc) => void, who = 'insp-pd-market-1') => {
    const { server, client } = pair(fill);
    return checkInspectorTasksUpdate(server, diff(server, client, fn), ROOM, who);
  };
  it('accepts the status and check code of an own task, and a triggered task of their own', () => {
    expect(check((d) => setTaskStatus(d, 't-mine', 'in_progress'))).toEqual({ ok: true });
    expect(check((d) => setTaskStatus(d, 't-mine', 'done'))).toEqual({ ok: true });
    expect(check((d) => updateTaskField(d, 't-mine', 'checkCode', 'https://x/c#EC1:ABC'))).toEqual({ ok: true });
    expect(
      check((d) =>
        createTask(
          d,
          task('t-trg', ['insp-pd-market-1'], {
            kind: { type: 'triggered', trigger: { kind: 'complaint', ref: '12345' } },
            window: { from: '2026-11-25', to: '2026-11-25' },
          }),
        ),
      ),
    ).toEqual({ ok: true });
  });
  it("refuses another inspector's task, another field, a status the phone never sets, a deletion, a planned task", () => {
    expect(check((d) => setTaskStatus(d, 't-other', 'done'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => updateTaskField(d, 't-mine', 'uscc', '91140300MA0K000002'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => updateTaskField(d, 't-mine', 'inspectorIds', ['insp-pd-market-1']))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => setTaskStatus(d, 't-mine', 'cancelled'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => tasksRoot(d).delete('t-other'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => createTask(d, task('t-new', ['insp-pd-market-1'])))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(
      check((d) => createTask(d, task('t-trg2', ['insp-pd-market-3'], { kind: { type: 'triggered', trigger: { kind: 'complaint', ref: '1' } } }))),
    ).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => tasksRoot(d).get('t-mine')!.set('status', 'nonsense'))).toMatchObject({ ok: false, reason: 'schema' });
    expect(check((d) => d.getMap('other').set('x', 1))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => tasksRoot(d).set('__proto__', new Y.Map()))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check((d) => tasksRoot(d).get('t-other')!.set('__proto__', 'x'))).toMatchObject({ ok: false, reason: 'forbidden' });
  });
  it('refuses an update whose content would stay pending', () => {
    const { server, client } = pair(fill);
    const base = Y.encodeStateVector(client);
    setTaskStatus(client, 't-mine', 'in_progress');
    const first = Y.encodeStateAsUpdate(client, base);
    const mid = Y.encodeStateVector(client);
    setTaskStatus(client, 't-mine', 'done');
    const second = Y.encodeStateAsUpdate(client, mid);
    expect(first.byteLength).toBeGreaterThan(0);
    expect(checkInspectorTasksUpdate(server, second, ROOM, 'insp-pd-market-1')).toMatchObject({ ok: false, reason: 'gap' });
  });
});

describe('joint/<id>', () => {
  const MEMBERS = ['city-market', 'city-health'];
  const fill = (d: Y.Doc) => {
    setJointMeta(d, { id: 'joint-2027-x', title: '联合检查', leadAgencyId: 'city-market', year: 2027, status: 'draft' });
    for (const m of MEMBERS) putJointMember(d, { agencyId: m, name: m });
    createJointItem(d, {
      id: 'ji-01',
      agencyId: 'city-market',
      itemId: 'city-market.SJ-01',
      targets: { industries: [], divisions: [], riskLevels: [] },
      months: [5],
    });
    createJointItem(d, {
      id: 'ji-02',
      agencyId: 'city-health',
      itemId: 'city-health.WJ-06',
      targets: { industries: [], divisions: [], riskLevels: [] },
      months: [5],
    });
  };
  const check = (writer: string, fn: (d: Y.Doc) => void, members = MEMBERS) => {
    const { server, client } = pair(fill);
    return checkJointUpdate(server, diff(server, client, fn), writer, members);
  };
  const item = (id: string, agencyId: string) => ({
    id,
    agencyId,
    itemId: `${agencyId}.X-01`,
    targets: { industries: [], divisions: [], riskLevels: [] },
    months: [6],
  });
  it('lets a member edit the shared fields and its own items and team', () => {
    expect(check('city-health', (d) => setJointMeta(d, { title: '新标题' }))).toEqual({ ok: true });
    expect(check('city-health', (d) => updateJointItemField(d, 'ji-02', 'who', '卫生监督所'))).toEqual({ ok: true });
    expect(check('city-health', (d) => createJointItem(d, item('ji-03', 'city-health')))).toEqual({ ok: true });
    expect(check('city-health', (d) => setJointTeam(d, 'city-health', ['insp-city-health-1']))).toEqual({ ok: true });
  });
  it("refuses items and teams in another agency's name, a member list written by a client, and a non-member writer", () => {
    expect(check('city-market', (d) => createJointItem(d, item('ji-03', 'pd-market')))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('city-market', (d) => updateJointItemField(d, 'ji-02', 'who', '我来改'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('city-market', (d) => jointRoots(d).items.delete('ji-02'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('city-market', (d) => updateJointItemField(d, 'ji-01', 'agencyId', 'city-health'))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('city-market', (d) => setJointTeam(d, 'pd-market', ['insp-pd-market-1']))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('city-market', (d) => putJointMember(d, { agencyId: 'pd-market', name: 'x' }))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(check('pd-market', (d) => setJointMeta(d, { title: 'x' }))).toMatchObject({ ok: false, reason: 'forbidden' });
  });
  it("comments: a member pushes its own; none in another's name, none changed or removed", () => {
    const comment = (id: string, agencyId: string, by: string) => ({ id, by, agencyId, at: '2026-11-25T01:00:00.000Z', text: '意见' });
    const withComment = (d: Y.Doc) => {
      fill(d);
      jointRoots(d).comments.push([comment('c1', 'city-market', 'u-agency1')]);
    };
    const run = (writer: string, user: string, fn: (d: Y.Doc) => void) => {
      const { server, client } = pair(withComment);
      return checkJointUpdate(server, diff(server, client, fn), writer, MEMBERS, user);
    };
    expect(run('city-health', 'u-health', (d) => jointRoots(d).comments.push([comment('c2', 'city-health', 'u-health')]))).toEqual({ ok: true });
    expect(run('city-health', 'u-health', (d) => jointRoots(d).comments.push([comment('c2', 'city-market', 'u-agency1')]))).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    expect(run('city-health', 'u-health', (d) => jointRoots(d).comments.delete(0, 1))).toMatchObject({ ok: false, reason: 'forbidden' });
  });
});

describe('the shadow copy', () => {
  it('follows the doc across accepted updates and forgets a refused one', () => {
    const server = new Y.Doc();
    createTask(server, {
      id: 't1',
      agencyId: 'a',
      year: 2026,
      uscc: '91140300MA0K000001',
      enterpriseName: '企业',
      itemIds: ['a.SJ-01'],
      window: { from: '2026-11-25', to: '2026-11-27' },
      inspectorIds: ['i1'],
      kind: { type: 'planned', planned: 'routine' },
      method: 'onsite',
      status: 'assigned',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const phone = new Y.Doc();
    Y.applyUpdate(phone, Y.encodeStateAsUpdate(server));
    const send = (fn: (d: Y.Doc) => void) => {
      const sv = Y.encodeStateVector(server);
      fn(phone);
      const u = Y.encodeStateAsUpdate(phone, sv);
      const r = checkInspectorTasksUpdate(server, u, { agencyId: 'a', year: 2026 }, 'i1');
      if (r.ok)
        Y.applyUpdate(server, u); // as the relay does
      else {
        phone.destroy();
      }
      return r;
    };
    expect(send((d) => setTaskStatus(d, 't1', 'in_progress'))).toEqual({ ok: true });
    expect(send((d) => updateTaskField(d, 't1', 'uscc', '91140300MA0K000002'))).toMatchObject({ ok: false });
    // a fresh phone: the refused change is nowhere, the accepted one is the base
    const again = new Y.Doc();
    Y.applyUpdate(again, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(server);
    setTaskStatus(again, 't1', 'done');
    expect(checkInspectorTasksUpdate(server, Y.encodeStateAsUpdate(again, sv), { agencyId: 'a', year: 2026 }, 'i1')).toEqual({ ok: true });
  });
});
