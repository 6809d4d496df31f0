/**
 * The compact enterprise code (EC1: COSE_Sign1 in base43) and base43 itself: round trips, the QR size
 * it buys, and every refusal the JWS form has (altered payload or signature, forged key under a known
 * kid, unknown kid, wrong algorithm, bad USCC named before the signature, malformed payload).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import QRCode from 'qrcode';
import { encode, decode } from 'cborg';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { codeUrl, parseQrText, QR_ECL, signCode, signCompactEnt, verifyCode, type EntPayload, type Jwks } from '../../../src/domain/codes';
import { base43Decode, base43Encode, BASE43 } from '../../../src/domain/base43';
import { COSE_PREFIX, signCoseEnt } from '../../../src/domain/cose-code';
import { usccCheckChar } from '../../../src/domain/uscc';

const USCC = '91140302MA0K1A2B3';
const GOOD = USCC + usccCheckChar(USCC);
const ent: EntPayload = { t: 'ent', uscc: GOOD, name: '阳泉市城区鑫达餐饮管理有限公司', division: '140302', iat: 1760000000 };

async function makeKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  return { privateKey: privateKey as CryptoKey, jwk: { ...pub, kid, alg: 'ES256' } as JWK, kid };
}
let k1: Awaited<ReturnType<typeof makeKey>>;
let k2: Awaited<ReturnType<typeof makeKey>>;
let jwks: Jwks;
beforeAll(async () => {
  k1 = await makeKey();
  k2 = await makeKey();
  jwks = { keys: [k1.jwk] };
});

/** take a code apart, change it, put it back together (for the tampering tests) */
function repack(token: string, f: (parts: [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array]) => unknown[]): string {
  const parts = decode(base43Decode(token.slice(COSE_PREFIX.length))!, { useMaps: true }) as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  return COSE_PREFIX + base43Encode(encode(f(parts)));
}

describe('base43', () => {
  it('round-trips any bytes, odd and even lengths, with QR alphanumeric characters only (no space, no %)', () => {
    let seed = 7;
    for (let len = 0; len < 200; len++) {
      const b = new Uint8Array(len).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      const s = base43Encode(b);
      expect(s).toMatch(/^[0-9A-Z$*+\-./:]*$/);
      expect(s.length).toBe(Math.floor(len / 2) * 3 + (len % 2) * 2);
      expect(base43Decode(s)).toEqual(b);
    }
    expect(base43Encode(new Uint8Array([0xff, 0xff]))).toBe('3JZ'); // 65535 = 3 + 19·43 + 35·43², least significant first
    expect(BASE43).toHaveLength(43);
  });

  it('refuses a foreign character, a length of 3k+1 and groups out of range', () => {
    expect(base43Decode('ab0')).toBeNull(); // lower case
    expect(base43Decode('00 ')).toBeNull(); // space
    expect(base43Decode('0000')).toBeNull(); // 3k+1
    expect(base43Decode(':::')).toBeNull(); // 42 + 42·43 + 42·1849 > 65535
    expect(base43Decode('::')).toBeNull(); // 42 + 42·43 > 255
  });
});

describe('compact enterprise code (EC1)', () => {
  it('signs and verifies; the named payload comes back; bare and URL forms', async () => {
    const token = await signCompactEnt(ent, k1.privateKey, k1.kid);
    expect(token.startsWith('EC1:')).toBe(true);
    expect(await verifyCode(token, jwks)).toMatchObject({ ok: true, kind: 'ent', payload: ent, kid: k1.kid, token });
    const url = codeUrl('https://insp.yq.gov.cn/app', token);
    expect(parseQrText(url)).toBe(token);
    expect(await verifyCode(url, jwks)).toMatchObject({ ok: true, payload: ent });
    expect(await verifyCode(` ${token}`, jwks)).toMatchObject({ ok: false, code: 'not_a_code' });
  });

  it('is QR version ≤ 11 at M in its URL form where the JWS is 14–15, and the QR uses alphanumeric mode for it', async () => {
    const jws = QRCode.create(codeUrl('https://insp.yq.gov.cn', await signCode(ent, k1.privateKey, k1.kid)), { errorCorrectionLevel: QR_ECL.ent });
    const long: EntPayload = { ...ent, name: '阳泉市鑫达兴盛源华泰宏通利民昌隆丰荣晋商贸' }; // 22 characters, the set's longest
    const qr = QRCode.create(codeUrl('https://insp.yq.gov.cn', await signCompactEnt(long, k1.privateKey, k1.kid)), { errorCorrectionLevel: QR_ECL.ent });
    console.log(`QR versions: JWS ${jws.version}, EC1 (22-character name) ${qr.version}`);
    expect(qr.version).toBeLessThanOrEqual(11);
    expect(jws.version - qr.version).toBeGreaterThanOrEqual(3);
    expect(qr.segments.some((s: { mode: { id: string } }) => s.mode.id === 'Alphanumeric')).toBe(true);
  });

  it('refuses an altered payload, an altered signature and a forgery under a known kid', async () => {
    const token = await signCompactEnt(ent, k1.privateKey, k1.kid);
    const altered = repack(token, ([p, u, , s]) => [p, u, encode([GOOD, '别的公司', '140302', 1760000000]), s]);
    expect(await verifyCode(altered, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
    const badSig = repack(token, ([p, u, pl, s]) => [p, u, pl, s.map((b, i) => (i === 10 ? b ^ 1 : b))]);
    expect(await verifyCode(badSig, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
    const forged = await signCoseEnt([GOOD, ent.name, ent.division, ent.iat], k2.privateKey, k1.kid); // k2 signs, claims k1
    expect(await verifyCode(forged, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses an unknown kid and another algorithm; picks the key by kid among several', async () => {
    const t2 = await signCompactEnt(ent, k2.privateKey, k2.kid);
    expect(await verifyCode(t2, jwks)).toMatchObject({ ok: false, code: 'unknown_key' });
    expect(await verifyCode(t2, { keys: [k1.jwk, k2.jwk] })).toMatchObject({ ok: true, kid: k2.kid });
    const token = await signCompactEnt(ent, k1.privateKey, k1.kid);
    const es384 = repack(token, ([p, u, pl, s]) => {
      const h = decode(p, { useMaps: true }) as Map<number, unknown>;
      h.set(1, -35);
      return [encode(h), u, pl, s];
    });
    expect(await verifyCode(es384, jwks)).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('names a wrong USCC character before looking at the signature', async () => {
    const token = await signCompactEnt(ent, k1.privateKey, k1.kid);
    const wrong = GOOD.slice(0, 17) + (GOOD[17] === '0' ? '1' : '0');
    const t = repack(token, ([p, u, , s]) => [p, u, encode([wrong, ent.name, ent.division, ent.iat]), s]);
    const v = await verifyCode(t, jwks);
    expect(v).toMatchObject({ ok: false, code: 'bad_uscc', position: 18 });
  });

  it('refuses malformed codes: truncated, wrong shape, extra unprotected header; a signed bad payload is bad_payload', async () => {
    const token = await signCompactEnt(ent, k1.privateKey, k1.kid);
    expect(await verifyCode(token.slice(0, -3), jwks)).toMatchObject({ ok: false, code: 'not_a_code' });
    expect(
      await verifyCode(
        repack(token, ([p, u, pl]) => [p, u, pl]),
        jwks,
      ),
    ).toMatchObject({ ok: false, code: 'not_a_code' });
    expect(
      await verifyCode(
        repack(token, ([p, , pl, s]) => [p, new Map([[4, new Uint8Array(8)]]), pl, s]),
        jwks,
      ),
    ).toMatchObject({ ok: false, code: 'not_a_code' });
    const emptyName = await signCoseEnt([GOOD, '', '140302', 1760000000], k1.privateKey, k1.kid);
    expect(await verifyCode(emptyName, jwks)).toMatchObject({ ok: false, code: 'bad_payload' });
  });

  it('refuses to sign a payload with a bad USCC', async () => {
    await expect(signCompactEnt({ ...ent, uscc: GOOD.slice(0, 17) + (GOOD[17] === '0' ? '1' : '0') }, k1.privateKey, k1.kid)).rejects.toThrow();
  });
});
