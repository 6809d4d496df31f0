/**
 * Signed codes over the real server: the JWKS is public; an enterprise gets its own code (and not another's);
 * agencies and inspectors get any enterprise's code; the code verifies offline against the JWKS and survives a
 * restart (the key is kept in the data dir); check codes only for the inspector's own agency; device keys register.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCode } from '../../../src/domain/codes';
import { generateDeviceKey } from '../../../src/domain/record-signing';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import { login, spawnServer, type SpawnedServer } from '../../helpers/spawn-server';

let srv: SpawnedServer;
beforeAll(async () => { srv = await spawnServer(); });
afterAll(async () => { await srv?.stop(); });

const get = (p: string, token?: string) => fetch(`${srv.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const post = (p: string, token: string, body: unknown) => fetch(`${srv.url}${p}`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
});

describe('enterprise codes', () => {
  it('serves a public JWKS and a code that verifies offline, stable across a restart', async () => {
    const jwks = await (await get('/api/keys')).json() as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const e1 = await login(srv.url, 'enterprise1');
    const r = await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`, e1.token);
    expect(r.status).toBe(200);
    const code = await r.json() as { token: string; url: string; qrVersion: number };
    expect(code.url).toContain('/c#EC1:'); // the compact form (COSE in base43)
    expect(code.qrVersion).toBeLessThanOrEqual(11);
    const v = await verifyCode(code.url, jwks as never);
    expect(v.ok && v.kind === 'ent' && v.payload.uscc).toBe(ENTERPRISE1_USCC);

    await srv.restart();
    const jwks2 = await (await get('/api/keys')).json();
    expect((await verifyCode(code.token, jwks2 as never)).ok).toBe(true);
  });

  it('refuses another enterprise and the unsigned; agencies and inspectors may fetch any', async () => {
    const e1 = await login(srv.url, 'enterprise1');
    expect((await get(`/api/enterprises/${ENTERPRISE2_USCC}/code`, e1.token)).status).toBe(403);
    expect((await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`)).status).toBe(401);
    for (const u of ['inspector1', 'agency2', 'supervisor1']) {
      const t = (await login(srv.url, u)).token;
      expect((await get(`/api/enterprises/${ENTERPRISE2_USCC}/code`, t)).status, u).toBe(200);
    }
  });
});

describe('check codes and device keys', () => {
  it('signs a check code for the inspector\'s own agency only', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const staff = await (await get('/api/inspectors?agencyId=city-market', i1.token)).json() as { items: { id: string; name: string; certificateNumber: string }[] };
    const team = staff.items.slice(0, 2).map((s) => ({ id: s.id, name: s.name, cert: s.certificateNumber }));
    const body = { taskId: 't-1', agencyId: 'city-market', uscc: ENTERPRISE1_USCC, inspectors: team, window: { from: '2026-11-25', to: '2026-11-27' } };
    const ok = await post('/api/check-code', i1.token, body);
    expect(ok.status).toBe(200);
    const jwks = await (await get('/api/keys')).json();
    const v = await verifyCode((await ok.json() as { token: string }).token, jwks as never);
    expect(v.ok && v.kind).toBe('chk');
    const other = await post('/api/check-code', i1.token, { ...body, agencyId: 'city-emergency' });
    expect(other.status).toBe(403);
  });

  it('registers a device public key and refuses a private one', async () => {
    const i1 = await login(srv.url, 'inspector1');
    const dk = await generateDeviceKey();
    const r = await post('/api/devices', i1.token, { publicJwk: dk.publicJwk });
    expect(r.status).toBe(201);
    expect((await r.json() as { kid: string }).kid).toBe(dk.kid);
    const bad = await post('/api/devices', i1.token, { publicJwk: { ...dk.publicJwk, d: 'AAAA' } });
    expect(bad.status).toBe(400);
  });
});
