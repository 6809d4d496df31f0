/**
 * A phone that was offline when a certificate was revoked still records the inspection (the record is the
 * inspector's evidence and is stored), but the server's projection, which reads the registry as it now is,
 * warns supervisors that the team held a certificate not valid that day (kind `uncertified`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { deviceOf, lateEntry, sign } from '../../helpers/devices';
import { json } from '../../helpers/api';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { appendRecord, readLedger } from '../../../src/model';
import { InspectorList } from '../../../src/protocol/directory';
import { WarningsResponse } from '../../../src/protocol/warnings';

let srv: SpawnedServer;
let sup: LoginResult, inspector1: LoginResult;

beforeAll(async () => {
  srv = await spawnServer();
  [sup, inspector1] = await Promise.all(['supervisor1', 'inspector1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

const auth = (who: LoginResult) => ({ authorization: `Bearer ${who.token}` });

describe('an entry recorded offline with a revoked certificate', () => {
  it('is stored, and supervisors are warned (uncertified) naming the certificate', async () => {
    const staff = (await json(await fetch(`${srv.url}/api/inspectors?agencyId=city-market`, { headers: auth(inspector1) }), InspectorList)).items;
    const me = staff.find((s) => s.id === 'insp-city-market-1')!;
    const other = staff.find((s) => s.id === 'insp-city-market-2')!;
    const r = await fetch(`${srv.url}/api/certificates/${other.certificateNumber}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(sup) },
      body: JSON.stringify({ reason: '调离执法岗位' }),
    });
    expect(r.status).toBe(200);

    // the phone did not know: its team still shows both certificates as valid
    const id = `entry-offline-${process.pid}`;
    const rec = {
      ...lateEntry(inspector1, ENTERPRISE1_USCC, id),
      team: [
        { inspectorId: me.id, name: me.name, certificateNumber: me.certificateNumber!, certificateValid: true },
        { inspectorId: other.id, name: other.name, certificateNumber: other.certificateNumber!, certificateValid: true },
      ],
    };
    const signed = await sign(rec, await deviceOf(srv.url, inspector1));
    const room = `ledger/${ENTERPRISE1_USCC}`;
    const phone = connectProvider(srv.wsUrl, room, inspector1.token);
    try {
      await waitSynced(phone);
      appendRecord(phone.doc, signed);
      const stored = async () => {
        const p = connectProvider(srv.wsUrl, room, sup.token);
        try {
          await waitSynced(p);
          return readLedger(p.doc, { uscc: ENTERPRISE1_USCC }).items.some((s) => s.rec.id === id);
        } finally {
          destroyAll(p);
        }
      };
      await waitFor(stored, 10_000, 'the record stored');
    } finally {
      destroyAll(phone);
    }

    let found: WarningsResponse['items'][number] | undefined;
    await waitFor(
      async () => {
        const w = await json(await fetch(`${srv.url}/api/warnings?year=2026&kind=uncertified`, { headers: auth(sup) }), WarningsResponse);
        found = w.items.find((x) => x.refId === id);
        return !!found;
      },
      15_000,
      'the uncertified warning',
    );
    expect(found).toMatchObject({ kind: 'uncertified', severity: 'block', agencyId: 'city-market', uscc: ENTERPRISE1_USCC });
    expect(found!.message.zh).toContain(other.certificateNumber!);
    expect(found!.message.en).toContain('revoked');
  });
});
