import { describe, expect, it, beforeAll } from 'vitest';
import QRCode from 'qrcode';
import { CompactSign, exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { codeUrl, parseQrText, QR_ECL, signCode, verifyCode, type EntPayload, type ChkPayload, type Jwks } from '../../../src/domain/codes';
import { usccCheckChar } from '../../../src/domain/uscc';

const USCC = '91140302MA0K1A2B3';
const GOOD = USCC + usccCheckChar(USCC);
const ent: EntPayload = { t: 'ent', uscc: GOOD, name: '阳泉市城区鑫达餐饮管理有限公司', division: '140302', iat: 1760000000 };
const chk: ChkPayload = {
  t: 'chk',
  taskId: 'T-2025-0001',
  agencyId: 'scjg-cq',
  uscc: GOOD,
  inspectors: [
    { id: 'i-001', name: '王建国', cert: '14030200123' },
    { id: 'i-002', name: '李红梅', cert: '14030200456' },
  ],
  window: { from: '2025-06-01', to: '2025-06-30' },
  iat: 1760000000,
};

async function makeKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  return { privateKey, privateJwk: await exportJWK(privateKey), jwk: { ...pub, kid, alg: 'ES256' } as JWK, kid };
}

const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64u = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

let k1: Awaited<ReturnType<typeof makeKey>>;
let k2: Awaited<ReturnType<typeof makeKey>>;
let jwks: Jwks;
beforeAll(async () => {
  k1 = await makeKey();
  k2 = await makeKey();
  jwks = { keys: [k1.jwk] };
});

describe('enterprise and check codes', () => {
  it('signs and verifies an enterprise code (CryptoKey and JWK signers)', async () => {
    for (const key of [k1.privateKey, k1.privateJwk]) {
      const token = await signCode(ent, key, k1.kid);
      const r = await verifyCode(token, jwks);
      expect(r).toMatchObject({ ok: true, kind: 'ent', payload: ent, kid: k1.kid, token });
    }
  });

  it('signs and verifies a check code: it names the inspectors by certificate only', async () => {
    const token = await signCode(chk, k1.privateKey, k1.kid);
    const r = await verifyCode(token, jwks);
    expect(r.ok && r.kind === 'chk' && r.payload).toEqual({ ...chk, inspectors: chk.inspectors.map(({ cert }) => ({ cert })) });
    expect(JSON.parse(unb64u(token.split('.')[1]))).toMatchObject({ c: ['14030200123', '14030200456'] });
  });

  it('still verifies a check code of the first form (ids and names in "p")', async () => {
    const wire = {
      t: 'chk',
      k: chk.taskId,
      a: chk.agencyId,
      u: GOOD,
      p: chk.inspectors.map((i) => [i.id, i.name, i.cert]),
      w: ['2025-06-01', '2025-06-30'],
      iat: chk.iat,
    };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(wire))).setProtectedHeader({ alg: 'ES256', kid: k1.kid }).sign(k1.privateKey);
    const r = await verifyCode(token, jwks);
    expect(r.ok && r.kind === 'chk' && r.payload).toEqual(chk);
  });

  it('uses one-letter keys on the wire and ES256 + kid in the header', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    const [h, p] = token.split('.');
    expect(JSON.parse(unb64u(h))).toEqual({ alg: 'ES256', kid: k1.kid });
    expect(Object.keys(JSON.parse(unb64u(p))).sort()).toEqual(['d', 'iat', 'n', 't', 'u']);
  });

  it('accepts the URL-wrapped form (with or without a base path)', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    for (const base of ['https://insp.yq.gov.cn', 'https://insp.yq.gov.cn/', 'http://127.0.0.1:8787', 'https://gov.cn/yq/app']) {
      const url = codeUrl(base, token);
      expect(parseQrText(url)).toBe(token);
      expect(await verifyCode(url, jwks)).toMatchObject({ ok: true, kind: 'ent' });
    }
    expect(parseQrText(`https://insp.yq.gov.cn/x#${token}`)).toBeNull();
    expect(parseQrText(`https://insp.yq.gov.cn/c?${token}`)).toBeNull();
    expect(parseQrText(`javascript:alert(1)//c#${token}`)).toBeNull();
  });

  it('never trims: trailing or leading whitespace is refused as not a code', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    for (const t of [token + ' ', token + '\n', ' ' + token, codeUrl('https://a.b', token) + '\r\n', '\t' + codeUrl('https://a.b', token)]) {
      expect(parseQrText(t)).toBeNull();
      expect(await verifyCode(t, jwks)).toMatchObject({ ok: false, code: 'not_a_code' });
    }
  });

  it('refuses texts that are not codes', async () => {
    for (const t of ['', 'hello', 'https://example.com/', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.', `${b64u('{"alg":"ES256"}')}.${b64u('{"t":"xxx"}')}.AAAA`]) {
      const r = await verifyCode(t, jwks);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('not_a_code');
        expect(r.message.zh).toBeTruthy();
        expect(r.message.en).toBeTruthy();
      }
    }
  });

  it('refuses an altered payload (same USCC, other name) as bad_signature', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    const [h, p, s] = token.split('.');
    const w = JSON.parse(unb64u(p));
    w.n = '阳泉市城区假冒餐饮有限公司';
    const r = await verifyCode(`${h}.${b64u(JSON.stringify(w))}.${s}`, jwks);
    expect(r).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses an altered signature', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[10] ^= 0x01;
    expect(await verifyCode(`${h}.${p}.${sig.toString('base64url')}`, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(await verifyCode(`${h}.${p}.${s.slice(0, -4)}`, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses a code signed with another key under a known kid (forgery)', async () => {
    const forged = await signCode(ent, k2.privateKey, k1.kid);
    expect(await verifyCode(forged, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses an unknown kid, and a missing kid', async () => {
    const token = await signCode(ent, k2.privateKey, k2.kid);
    expect(await verifyCode(token, jwks)).toMatchObject({ ok: false, code: 'unknown_key' });
    const noKid = await new CompactSign(new TextEncoder().encode(JSON.stringify({ t: 'ent', u: GOOD, n: 'x', d: '140302', iat: 1 })))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(k1.privateKey);
    expect(await verifyCode(noKid, jwks)).toMatchObject({ ok: false, code: 'unknown_key' });
  });

  it('pins the algorithm: an HS256 token under a known kid is refused', async () => {
    const secret = new TextEncoder().encode('x'.repeat(32));
    const hs = await new CompactSign(new TextEncoder().encode(JSON.stringify({ t: 'ent', u: GOOD, n: 'x', d: '140302', iat: 1 })))
      .setProtectedHeader({ alg: 'HS256', kid: k1.kid })
      .sign(secret);
    expect(await verifyCode(hs, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('checks the USCC before the signature and names the wrong character', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    const [h, p, s] = token.split('.');
    const w = JSON.parse(unb64u(p));
    // wrong check digit
    const wrongCheck = GOOD.slice(0, 17) + (GOOD[17] === '0' ? '1' : '0');
    let r = await verifyCode(`${h}.${b64u(JSON.stringify({ ...w, u: wrongCheck }))}.${s}`, jwks);
    expect(r).toMatchObject({ ok: false, code: 'bad_uscc', position: 18 });
    if (!r.ok) {
      expect(r.message.zh).toContain('第18位');
      expect(r.message.en).toContain('Character 18');
    }
    // a forbidden letter at position 5 (even on an unknown key: the USCC comes first)
    const badChar = GOOD.slice(0, 4) + 'O' + GOOD.slice(5);
    const other = await signCode(ent, k2.privateKey, k2.kid);
    const [h2, , s2] = other.split('.');
    r = await verifyCode(`${h2}.${b64u(JSON.stringify({ ...w, u: badChar }))}.${s2}`, jwks);
    expect(r).toMatchObject({ ok: false, code: 'bad_uscc', position: 5 });
    if (!r.ok) expect(r.message.zh).toContain('第5位');
    // wrong length
    r = await verifyCode(`${h}.${b64u(JSON.stringify({ ...w, u: GOOD.slice(0, 17) }))}.${s}`, jwks);
    expect(r).toMatchObject({ ok: false, code: 'bad_uscc' });
  });

  it('refuses to sign a payload with a bad USCC or bad shape', async () => {
    await expect(signCode({ ...ent, uscc: GOOD.slice(0, 17) + (GOOD[17] === '0' ? '1' : '0') }, k1.privateKey, k1.kid)).rejects.toThrow();
    await expect(signCode({ ...ent, name: '' }, k1.privateKey, k1.kid)).rejects.toThrow();
  });

  it('refuses a validly signed but malformed payload as bad_payload', async () => {
    const sign = (o: unknown) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(o))).setProtectedHeader({ alg: 'ES256', kid: k1.kid }).sign(k1.privateKey);
    for (const o of [
      { t: 'ent', u: GOOD, n: '', d: '140302', iat: 1 },
      { t: 'ent', u: GOOD, n: 'x', d: '140302' },
      { t: 'ent', u: GOOD, n: 'x', d: '140302', iat: 1, extra: 1 },
      { t: 'chk', k: 'T1', a: 'A1', u: GOOD, p: [], w: ['2025-01-01', '2025-01-02'], iat: 1 },
      { t: 'chk', k: 'T1', a: 'A1', u: GOOD, c: [], w: ['2025-01-01', '2025-01-02'], iat: 1 },
      { t: 'chk', k: 'T1', a: 'A1', u: GOOD, c: ['C1'], p: [['i', 'n', 'C1']], w: ['2025-01-01', '2025-01-02'], iat: 1 },
      { t: 'ent', n: 'x', d: '140302', iat: 1 },
    ]) {
      expect(await verifyCode(await sign(o), jwks)).toMatchObject({ ok: false, code: 'bad_payload' });
    }
  });

  it('picks the key by kid among several (rotation)', async () => {
    const both: Jwks = { keys: [k2.jwk, k1.jwk] };
    const t1 = await signCode(ent, k1.privateKey, k1.kid);
    const t2 = await signCode(ent, k2.privateKey, k2.kid);
    expect(await verifyCode(t1, both)).toMatchObject({ ok: true, kid: k1.kid });
    expect(await verifyCode(t2, both)).toMatchObject({ ok: true, kid: k2.kid });
  });

  it('a typical enterprise code is QR version ≤ 15 at level M (URL form), ≤ 14 bare; a two-inspector check code ≤ 14 at its level', async () => {
    const token = await signCode(ent, k1.privateKey, k1.kid);
    const bare = QRCode.create(token, { errorCorrectionLevel: QR_ECL.ent }).version;
    const url = QRCode.create(codeUrl('https://insp.yq.gov.cn', token), { errorCorrectionLevel: QR_ECL.ent }).version;
    // a real task id of the seed's shape and its 14-character certificate numbers
    const real: ChkPayload = {
      ...chk,
      taskId: 'city-market.t2026-a1b2c3d4',
      agencyId: 'city-market',
      inspectors: [{ cert: 'SX-140300-0001' }, { cert: 'SX-140300-0002' }],
    };
    const check = QRCode.create(codeUrl('https://insp.yq.gov.cn', await signCode(real, k1.privateKey, k1.kid)), { errorCorrectionLevel: QR_ECL.chk }).version;
    console.log(`QR versions: enterprise bare ${bare} (${token.length} chars), enterprise URL ${url} (M), check code URL ${check} (L)`);
    expect(bare).toBeLessThanOrEqual(14);
    expect(url).toBeLessThanOrEqual(15);
    expect(check).toBeLessThanOrEqual(14);
  });
});
