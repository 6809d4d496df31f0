/**
 * The city's divisions and agencies, kept by supervisors (demo seed): a township under a county and a
 * township's comprehensive enforcement agency are added, renamed and linked, checked against the directory
 * (codes, levels, parents, counterparts, filing offices), written to the directory and the agency's doc, and
 * audited. Agency admins, inspectors, enterprises and callers without a token are refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/app';
import { fixedClock } from '../../../server/clock';
import { createLogger } from '../../../server/log';
import { E2E_NOW } from '../../helpers/moments';
import { parsed, responseSchema } from '../../helpers/api';
import { login, type LoginResult } from '../../helpers/spawn-server';
import { Agency, Division } from '../../../src/domain/schemas';
import { Directory } from '../../../src/protocol/directory';
import { AuditPage } from '../../../src/protocol/audit';
import { readAgencyProfile } from '../../../src/model/agency';

let srv: RunningServer;
let dataDir: string;
let supervisor1: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-agencies-'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger: createLogger('silent'),
    clock: fixedClock(E2E_NOW),
  });
  [supervisor1, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function post(p: string, token: string | null, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(srv.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json().catch(() => null);
  if (json !== null) parsed(json, responseSchema('POST', p, res.status));
  return { status: res.status, json };
}
const directory = async () => Directory.parse(await (await fetch(`${srv.url}/api/directory`)).json());

const TOWN = { code: '140321199', name: '测试镇', nameEn: 'Test Town', level: 'township', parent: '140321' } as const;
const TOWN_AGENCY = {
  id: 'pd-test-town',
  name: '测试镇综合行政执法队',
  nameEn: 'Test Town Comprehensive Enforcement',
  level: 'township',
  division: TOWN.code,
  sector: 'comprehensive',
  kind: 'enforcement',
  filingOfficeId: 'pd-justice',
} as const;

describe('divisions and agencies', () => {
  it('only supervisors add or edit them', async () => {
    for (const [token, status] of [
      [null, 401],
      [agency1.token, 403],
      [inspector1.token, 403],
      [enterprise1.token, 403],
    ] as const) {
      expect((await post('/api/divisions', token, TOWN)).status).toBe(status);
      expect((await post('/api/divisions/140321', token, { name: 'x' })).status).toBe(status);
      expect((await post('/api/agencies', token, TOWN_AGENCY)).status).toBe(status);
      expect((await post('/api/agencies/city-market', token, { name: 'x' })).status).toBe(status);
    }
    expect((await directory()).divisions.some((d) => d.code === TOWN.code)).toBe(false);
  });

  it('a township under a county: checked, added, renamed, audited', async () => {
    expect((await post('/api/divisions', supervisor1.token, { ...TOWN, code: '140321' })).json.error.code).toBe('invalid_division');
    expect((await post('/api/divisions', supervisor1.token, { ...TOWN, parent: '140300' })).json.error.code).toBe('invalid_division');
    expect((await post('/api/divisions', supervisor1.token, { ...TOWN, code: '140322199' })).json.error.code).toBe('invalid_division');
    expect((await post('/api/divisions', supervisor1.token, { ...TOWN, parent: '149999' })).json.error.code).toBe('invalid_division');
    const r = await post('/api/divisions', supervisor1.token, TOWN);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect((await post('/api/divisions', supervisor1.token, TOWN)).status).toBe(409);
    const renamed = Division.parse((await post(`/api/divisions/${TOWN.code}`, supervisor1.token, { name: '测试新镇' })).json);
    expect(renamed).toMatchObject({ code: TOWN.code, name: '测试新镇', nameEn: 'Test Town', level: 'township' });
    expect((await post('/api/divisions/140321000', supervisor1.token, { name: 'x' })).status).toBe(404);
    expect((await directory()).divisions.find((d) => d.code === TOWN.code)?.name).toBe('测试新镇');
  });

  it('an agency: checked, added to the directory and its doc, edited, audited', async () => {
    expect((await post('/api/agencies', supervisor1.token, { ...TOWN_AGENCY, division: '140321000' })).json.error.code).toBe('invalid_agency');
    expect((await post('/api/agencies', supervisor1.token, { ...TOWN_AGENCY, filingOfficeId: 'city-market' })).json.error.code).toBe('invalid_agency');
    expect((await post('/api/agencies', supervisor1.token, { ...TOWN_AGENCY, cityCounterpartId: 'pd-market' })).json.error.code).toBe('invalid_agency');
    expect((await post('/api/agencies', supervisor1.token, { ...TOWN_AGENCY, kind: 'justice' })).json.error.code).toBe('invalid_agency');
    expect((await post('/api/agencies', supervisor1.token, { ...TOWN_AGENCY, id: 'city-market' })).status).toBe(409);
    const r = await post('/api/agencies', supervisor1.token, TOWN_AGENCY);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect((await directory()).agencies.find((a) => a.id === TOWN_AGENCY.id)).toMatchObject(TOWN_AGENCY);
    const doc = new Y.Doc();
    await srv.relay.read(`agency/${TOWN_AGENCY.id}`, (d) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(d)));
    expect(readAgencyProfile(doc).value).toMatchObject({ id: TOWN_AGENCY.id, name: TOWN_AGENCY.name });

    const edited = Agency.parse(
      (await post(`/api/agencies/${TOWN_AGENCY.id}`, supervisor1.token, { name: '测试新镇综合行政执法队', filingOfficeId: null })).json,
    );
    expect(edited.name).toBe('测试新镇综合行政执法队');
    expect(edited.filingOfficeId).toBeUndefined();
    expect(edited.kind).toBe('enforcement');
    expect((await post(`/api/agencies/${TOWN_AGENCY.id}`, supervisor1.token, { kind: 'justice' })).status).toBe(400);
    expect((await post('/api/agencies/no-such', supervisor1.token, { name: 'x' })).status).toBe(404);

    // the new agency can have an admin at once
    expect((await post('/api/accounts', supervisor1.token, { role: 'agency', username: 'town-admin', agencyId: TOWN_AGENCY.id })).status).toBe(200);

    const audit = AuditPage.parse(await (await fetch(`${srv.url}/api/audit?limit=50`, { headers: { authorization: `Bearer ${supervisor1.token}` } })).json());
    const actions = audit.items.map((e) => `${e.action} ${e.target}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `division.create division:${TOWN.code}`,
        `division.update division:${TOWN.code}`,
        `agency.create agency:${TOWN_AGENCY.id}`,
        `agency.update agency:${TOWN_AGENCY.id}`,
      ]),
    );
    const upd = audit.items.find((e) => e.action === 'agency.update');
    expect(upd).toMatchObject({ agencyId: TOWN_AGENCY.id, before: { filingOfficeId: 'pd-justice' } });
  });
});
