/**
 * Device signatures on ledger records (DESIGN §4): each record appended to `ledger/<uscc>` is signed by
 * the author's device key (WebCrypto ECDSA P-256 / SHA-256, non-extractable private key; the public key
 * is registered with the server at sign-in and identified by its RFC 7638 thumbprint).
 *
 * Signed bytes: UTF-8 of `canonicalJson(rec)` (canonical.ts: sorted keys, no whitespace). The record is
 * validated and normalised with the zod schema (defaults applied) BEFORE signing, and the normalised
 * record is what is returned and stored, so a reader that re-parses it sees exactly the signed value.
 * Verification is over the record exactly as stored (never over a re-parsed copy).
 *
 * Signature: IEEE P1363 (r‖s, 64 bytes: WebCrypto's native ECDSA form, same as JWS ES256), base64url.
 *
 * Pure: globalThis.crypto.subtle and jose's thumbprint only; browser and Node ≥ 20.
 */
import { calculateJwkThumbprint, type JWK } from 'jose';
import { canonicalJson } from './canonical';
import { LedgerRecord, type SignedRecord } from './schemas';
import { z } from 'zod';

export { canonicalJson };

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available: a secure context (https or localhost) is needed');
  return s;
}

/** A P-256 public key as a JWK: exactly these members, never `d`. */
export const PublicEcJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x: 32 bytes base64url'),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'y: 32 bytes base64url'),
});
export type PublicEcJwk = z.infer<typeof PublicEcJwk>;

export function b64uEncode(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function b64uDecode(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The key id of a public key: its RFC 7638 SHA-256 thumbprint (base64url, 43 characters). */
export function keyId(jwk: PublicEcJwk): Promise<string> {
  const { kty, crv, x, y } = jwk;
  return calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
}

export interface DeviceKey {
  /** non-extractable: store it in IndexedDB as is (structured clone keeps CryptoKeys) */
  privateKey: CryptoKey;
  publicJwk: PublicEcJwk;
  kid: string;
}

/** A fresh device key pair; the private key can sign but can never be exported. */
export async function generateDeviceKey(): Promise<DeviceKey> {
  const pair = await subtle().generateKey(ALG, false, ['sign', 'verify']);
  const jwk = await subtle().exportKey('jwk', pair.publicKey); // public keys are always exportable
  const publicJwk = PublicEcJwk.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  return { privateKey: pair.privateKey, publicJwk, kid: await keyId(publicJwk) };
}

/** The bytes a device signs for a record. */
export function signingBytes(rec: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(rec));
}

/** Validate, normalise and sign a ledger record. Throws a ZodError on an invalid record. */
export async function signRecord(rec: z.input<typeof LedgerRecord>, privateKey: CryptoKey, kid: string): Promise<SignedRecord> {
  const norm = LedgerRecord.parse(rec);
  const sig = new Uint8Array(await subtle().sign(SIG, privateKey, signingBytes(norm) as BufferSource));
  return { rec: norm, sig: { kid, alg: 'ES256', value: b64uEncode(sig) } };
}

const importCache = new Map<string, Promise<CryptoKey>>();
function importPublic(jwk: PublicEcJwk): Promise<CryptoKey> {
  const k = `${jwk.x}.${jwk.y}`;
  let p = importCache.get(k);
  if (!p) {
    p = subtle().importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true }, ALG, true, ['verify']);
    p.catch(() => importCache.delete(k));
    if (importCache.size > 1000) importCache.clear();
    importCache.set(k, p);
  }
  return p;
}

/**
 * True when `signed.sig` is a valid ES256 signature by `publicJwk` over the canonical JSON of `signed.rec`
 * exactly as given. Never throws (malformed input → false). Does not check who the key belongs to:
 * see server/devices.ts `verifyLedgerRecord` for the author check.
 */
export async function verifySignedRecord(
  signed: { rec: unknown; sig?: { kid?: unknown; alg?: unknown; value?: unknown } | undefined },
  publicJwk: PublicEcJwk | JWK,
): Promise<boolean> {
  try {
    const sig = signed?.sig;
    if (!sig || sig.alg !== 'ES256' || typeof sig.value !== 'string') return false;
    const bytes = b64uDecode(sig.value);
    if (!bytes || bytes.length !== 64) return false;
    const jwk = PublicEcJwk.safeParse({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y });
    if (!jwk.success) return false;
    const key = await importPublic(jwk.data);
    return await subtle().verify(SIG, key, bytes as BufferSource, signingBytes(signed.rec) as BufferSource);
  } catch {
    return false;
  }
}
