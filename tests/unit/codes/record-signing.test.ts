import { describe, expect, it } from 'vitest';
import { generateDeviceKey, signRecord, verifySignedRecord, canonicalJson } from '../../../src/domain/record-signing';
import type { EntryRecord } from '../../../src/domain/schemas';
import { entry } from './fixtures';

describe('device record signatures', () => {
  it('generates a non-extractable key with a thumbprint kid', async () => {
    const k = await generateDeviceKey();
    expect(k.privateKey.extractable).toBe(false);
    expect(Object.keys(k.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(k.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs and verifies; the signature is 64-byte P1363 base64url', async () => {
    const k = await generateDeviceKey();
    const s = await signRecord(entry(), k.privateKey, k.kid);
    expect(s.sig).toMatchObject({ kid: k.kid, alg: 'ES256' });
    expect(Buffer.from(s.sig!.value, 'base64url')).toHaveLength(64);
    expect(await verifySignedRecord(s, k.publicJwk)).toBe(true);
    // key order of the stored object does not matter (canonical JSON)
    const reordered = { sig: s.sig, rec: Object.fromEntries(Object.entries(s.rec).reverse()) };
    expect(await verifySignedRecord(reordered, k.publicJwk)).toBe(true);
    // survives a JSON round trip (as through Yjs)
    expect(await verifySignedRecord(JSON.parse(JSON.stringify(s)), k.publicJwk)).toBe(true);
  });

  it('normalises before signing (zod defaults), so a re-parsed record still verifies', async () => {
    const k = await generateDeviceKey();
    const { exemptions: _drop, ...noDefaults } = entry();
    const s = await signRecord(noDefaults, k.privateKey, k.kid);
    expect((s.rec as EntryRecord).exemptions).toEqual([]);
    expect(await verifySignedRecord(s, k.publicJwk)).toBe(true);
  });

  it('fails on a tampered record, an added member, a tampered signature, another key', async () => {
    const k = await generateDeviceKey();
    const other = await generateDeviceKey();
    const s = await signRecord(entry(), k.privateKey, k.kid);
    expect(await verifySignedRecord({ ...s, rec: { ...s.rec, at: '2025-06-03T09:16:00+08:00' } }, k.publicJwk)).toBe(false);
    expect(await verifySignedRecord({ ...s, rec: { ...s.rec, extra: 1 } }, k.publicJwk)).toBe(false);
    const sig = Buffer.from(s.sig!.value, 'base64url');
    sig[5] ^= 0x80;
    expect(await verifySignedRecord({ ...s, sig: { ...s.sig!, value: sig.toString('base64url') } }, k.publicJwk)).toBe(false);
    expect(await verifySignedRecord({ ...s, sig: { ...s.sig!, value: 'not base64 !' } }, k.publicJwk)).toBe(false);
    expect(await verifySignedRecord({ rec: s.rec }, k.publicJwk)).toBe(false);
    expect(await verifySignedRecord(s, other.publicJwk)).toBe(false);
  });

  it('canonicalJson is the shared one (sorted keys, no whitespace)', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: null }] })).toBe('{"a":[2,{"c":null,"d":1}],"b":1}');
  });
});
