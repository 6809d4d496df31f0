import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openKeyStore, KEYS_FILE } from '../../../server/codes/keys';
import { createDeviceRegistry, verifyLedgerRecord } from '../../../server/codes/devices';
import { checkCode, CheckCodeRequest, enterpriseCode, getKeys, registerDevice, type CodesDeps } from '../../../server/codes/service';
import { HttpError } from '../../../server/http/errors';
import { verifyCode } from '../../../src/domain/codes';
import { generateDeviceKey, signRecord } from '../../../src/domain/record-signing';
import type { Principal } from '../../../src/domain/schemas';
import { usccCheckChar } from '../../../src/domain/uscc';
import { entry } from './fixtures';

const U17 = '91140302MA0K1A2B3';
const USCC = U17 + usccCheckChar(U17);
const ENT = { uscc: USCC, name: '阳泉市城区鑫达餐饮管理有限公司', division: '140302' };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codes-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('platform keys', () => {
  it('creates keys.json with mode 0600 on first start and reloads it', async () => {
    const ks = await openKeyStore(dir);
    const file = path.join(dir, KEYS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = await openKeyStore(dir);
    expect(again.currentKid).toBe(ks.currentKid);
    expect(ks.jwks().keys).toHaveLength(1);
    expect(ks.jwks().keys[0]).not.toHaveProperty('d');
    expect(ks.jwks().keys[0].kid).toBe(ks.currentKid);
  });

  it('rotation keeps old codes verifiable and signs new ones with the new key', async () => {
    const ks = await openKeyStore(dir);
    const old = await ks.signEnterpriseCode(ENT);
    const oldKid = ks.currentKid;
    const newKid = await ks.rotate();
    expect(newKid).not.toBe(oldKid);
    expect(ks.currentKid).toBe(newKid);
    const fresh = await ks.signEnterpriseCode(ENT);
    const reloaded = await openKeyStore(dir);
    expect(
      reloaded
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual([oldKid, newKid].sort());
    expect(await verifyCode(old, reloaded.jwks())).toMatchObject({ ok: true, kid: oldKid });
    expect(await verifyCode(fresh, reloaded.jwks())).toMatchObject({ ok: true, kid: newKid });
    expect(fs.statSync(path.join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('signs check codes', async () => {
    const ks = await openKeyStore(dir);
    const t = await ks.signCheckCode({ id: 'T-1', agencyId: 'a1', uscc: USCC, window: { from: '2025-06-01', to: '2025-06-30' } }, [
      { id: 'i1', name: '王建国', cert: 'C-0001' },
    ]);
    const r = await ks.verify(t);
    expect(r).toMatchObject({ ok: true, kind: 'chk', payload: { taskId: 'T-1', agencyId: 'a1', uscc: USCC } });
  });

  it('refuses a corrupt key file instead of replacing it', async () => {
    fs.writeFileSync(path.join(dir, KEYS_FILE), '{"v":1}');
    await expect(openKeyStore(dir)).rejects.toThrow(/not a valid key file/);
  });
});

describe('device registry and ledger verification', () => {
  it('registers public keys only and verifies records with the author check', async () => {
    const reg = createDeviceRegistry(new Database(':memory:'));
    const k = await generateDeviceKey();
    const r = await reg.register('u-insp-1', { ...k.publicJwk, ext: true, key_ops: ['verify'] });
    expect(r).toEqual({ ok: true, kid: k.kid, created: true });
    expect(await reg.register('u-insp-1', k.publicJwk)).toEqual({ ok: true, kid: k.kid, created: false });
    expect(await reg.register('u-other', k.publicJwk)).toMatchObject({ ok: false, code: 'taken' });
    expect(await reg.register('u-insp-1', { ...k.publicJwk, d: 'A'.repeat(43) })).toMatchObject({ ok: false, code: 'private_key' });
    expect(await reg.register('u-insp-1', { ...k.publicJwk, crv: 'P-384' })).toMatchObject({ ok: false, code: 'bad_jwk' });
    expect(await reg.register('u-insp-1', { ...k.publicJwk, x: k.publicJwk.y, y: k.publicJwk.x })).toMatchObject({ ok: false, code: 'bad_jwk' });
    expect(await reg.lookup(k.kid)).toMatchObject({ kid: k.kid, userId: 'u-insp-1', publicJwk: k.publicJwk });

    const signed = await signRecord(entry('u-insp-1'), k.privateKey, k.kid);
    expect(await verifyLedgerRecord(signed, reg)).toBe('ok');
    expect(await verifyLedgerRecord(JSON.parse(JSON.stringify(signed)), reg)).toBe('ok');
    expect(await verifyLedgerRecord({ rec: signed.rec }, reg)).toBe('unsigned');
    expect(await verifyLedgerRecord({ ...signed, rec: { ...signed.rec, itemIds: ['item-2'] } }, reg)).toBe('bad_signature');
    expect(await verifyLedgerRecord({ ...signed, rec: { ...signed.rec, sneaky: true } }, reg)).toBe('bad_signature');
    // signed by the key of u-insp-1 but claiming another author
    const forged = await signRecord(entry('u-insp-2'), k.privateKey, k.kid);
    expect(await verifyLedgerRecord(forged, reg)).toBe('wrong_author');
    const stranger = await generateDeviceKey();
    expect(await verifyLedgerRecord(await signRecord(entry(), stranger.privateKey, stranger.kid), reg)).toBe('unknown_key');
    // a stranger's signature under a registered kid
    const swapped = await signRecord(entry(), stranger.privateKey, k.kid);
    expect(await verifyLedgerRecord(swapped, reg)).toBe('bad_signature');
    expect(await verifyLedgerRecord('junk', reg)).toBe('bad_signature');
  });
});

/** a service call as the route answers it: {status, body}, an HttpError as its status and error body */
async function answer(fn: () => unknown, ok = 200): Promise<{ status: number; body: unknown }> {
  try {
    return { status: ok, body: await fn() };
  } catch (e) {
    if (e instanceof HttpError) return { status: e.status, body: { error: { code: e.code, message: e.text } } };
    throw e;
  }
}

describe('code services', () => {
  const P = (p: Partial<Principal> & Pick<Principal, 'role'>): Principal => ({ userId: 'u1', name: 'x', ...p });
  const req = { baseUrl: 'https://insp.yq.gov.cn' };
  async function deps(): Promise<CodesDeps> {
    return {
      keys: await openKeyStore(dir),
      devices: createDeviceRegistry(new Database(':memory:')),
      getEnterprise: (u) => (u === USCC ? ENT : null),
      getInspector: (id) =>
        (
          ({
            i1: { id: 'i1', agencyId: 'a1', name: '王建国', certificateNumber: 'C-0001' },
            i9: { id: 'i9', agencyId: 'a2', name: '赵', certificateNumber: 'C-9' },
          }) as Record<string, { id: string; agencyId: string; name: string; certificateNumber: string }>
        )[id] ?? null,
      // the one task the server holds (a triggered one, so a colleague may join the team) and a valid certificate
      getTask: async (agencyId, _year, taskId) =>
        agencyId === 'a1' && taskId === 'T-1'
          ? {
              id: 'T-1',
              agencyId: 'a1',
              year: 2025,
              uscc: USCC,
              enterpriseName: ENT.name,
              itemIds: ['item-1'],
              window: { from: '2025-06-01', to: '2025-06-30' },
              inspectorIds: ['i1'],
              kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'C-1' } },
              method: 'onsite',
              status: 'assigned',
              createdAt: '2025-05-30T08:00:00+08:00',
            }
          : null,
      certificateValid: async () => true,
    } as CodesDeps;
  }

  it('GET /api/keys is public JWKS', async () => {
    const d = await deps();
    const r = await answer(() => getKeys(d));
    expect(r.status).toBe(200);
    expect((r.body as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('enterprise code: rights, validation, result', async () => {
    const d = await deps();
    // no principal (401) is the route's: tests/integration/server/codes.test.ts
    expect((await answer(() => enterpriseCode(d, P({ role: 'enterprise', uscc: USCC.slice(0, 17) + (USCC[17] === '1' ? '2' : '1') }), USCC, req))).status).toBe(
      403,
    );
    expect((await answer(() => enterpriseCode(d, P({ role: 'agency', agencyId: 'a1' }), USCC.slice(0, 17) + (USCC[17] === '1' ? '2' : '1'), req))).status).toBe(
      400,
    );
    const other17 = '91140302MA0K1A2B4';
    expect((await answer(() => enterpriseCode(d, P({ role: 'supervisor' }), other17 + usccCheckChar(other17), req))).status).toBe(404);
    for (const p of [P({ role: 'enterprise', uscc: USCC }), P({ role: 'inspector', agencyId: 'a1' }), P({ role: 'supervisor' })]) {
      const r = await answer(() => enterpriseCode(d, p, USCC, req));
      expect(r.status).toBe(200);
      const b = r.body as { uscc: string; token: string; url: string; qrVersion: number };
      expect(b.url).toBe(`https://insp.yq.gov.cn/c#${b.token}`);
      expect(b.qrVersion).toBeGreaterThanOrEqual(10);
      expect(await verifyCode(b.url, d.keys.jwks())).toMatchObject({ ok: true, kind: 'ent', payload: { uscc: USCC, name: ENT.name } });
    }
  });

  it('check code: only the agency’s own inspectors/admins; inspectors must belong to it', async () => {
    const d = await deps();
    const body = {
      taskId: 'T-1',
      agencyId: 'a1',
      uscc: USCC,
      inspectors: [{ id: 'i1', name: '王建国', cert: 'C-0001' }],
      window: { from: '2025-06-01', to: '2025-06-30' },
    };
    expect((await answer(() => checkCode(d, P({ role: 'inspector', agencyId: 'a2' }), body, req))).status).toBe(403);
    expect((await answer(() => checkCode(d, P({ role: 'supervisor' }), body, req))).status).toBe(403);
    // a reversed window is refused when the route parses the request (400)
    expect(CheckCodeRequest.safeParse({ ...body, window: { from: '2025-07-01', to: '2025-06-01' } }).success).toBe(false);
    // the server's task decides (422 with the reason): an unknown task, a team without the task's inspector,
    // a colleague of another agency, a certificate number the registry does not have
    expect(await answer(() => checkCode(d, P({ role: 'agency', agencyId: 'a1' }), { ...body, taskId: 'T-made-up' }, req))).toMatchObject({
      status: 422,
      body: { error: { code: 'unknown_task' } },
    });
    expect(
      await answer(() => checkCode(d, P({ role: 'agency', agencyId: 'a1' }), { ...body, inspectors: [{ id: 'i9', name: '赵', cert: 'C-9' }] }, req)),
    ).toMatchObject({ status: 422, body: { error: { code: 'not_on_team' } } });
    expect(
      await answer(() =>
        checkCode(d, P({ role: 'agency', agencyId: 'a1' }), { ...body, inspectors: [...body.inspectors, { id: 'i9', name: '赵', cert: 'C-9' }] }, req),
      ),
    ).toMatchObject({ status: 422, body: { error: { code: 'not_agency_inspector' } } });
    expect(
      await answer(() => checkCode(d, P({ role: 'agency', agencyId: 'a1' }), { ...body, inspectors: [{ id: 'i1', name: '王建国', cert: 'C-XXXX' }] }, req)),
    ).toMatchObject({ status: 422, body: { error: { code: 'certificate_mismatch' } } });
    const r = await answer(() => checkCode(d, P({ role: 'agency', agencyId: 'a1' }), body, req));
    expect(r.status).toBe(200);
    expect(await verifyCode((r.body as { token: string }).token, d.keys.jwks())).toMatchObject({ ok: true, kind: 'chk', payload: { taskId: 'T-1' } });
  });

  it('device registration', async () => {
    const d = await deps();
    const k = await generateDeviceKey();
    expect((await answer(() => registerDevice(d, P({ role: 'inspector' }), {}))).status).toBe(400);
    expect(await registerDevice(d, P({ role: 'inspector' }), k.publicJwk)).toEqual({ created: true, kid: k.kid });
    expect(await registerDevice(d, P({ role: 'inspector' }), k.publicJwk)).toEqual({ created: false, kid: k.kid });
    expect((await answer(() => registerDevice(d, P({ role: 'inspector', userId: 'u2' }), k.publicJwk))).status).toBe(409);
  });
});
