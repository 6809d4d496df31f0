/**
 * The compact enterprise code (DESIGN §5's own alternative, "switch to it if printed codes prove hard to
 * scan"): a COSE_Sign1 (RFC 9052, untagged, ES256) in base43, so the QR holds it in alphanumeric mode.
 *
 *   text       EC1:<base43>                 (or the platform URL …/c#EC1:<base43>)
 *   COSE_Sign1 [protected, {}, payload, signature]
 *   protected  bstr .cbor {1: -7 (ES256), 4: kid}   kid = the first 8 bytes of the platform key's thumbprint
 *   payload    bstr .cbor [uscc, name, division, iat]
 *   signature  ECDSA P-256 / SHA-256 over ["Signature1", protected, h'', payload], r‖s (64 bytes)
 *
 * A typical code is QR version 10–11 at M instead of 14–15 for the JWS: printed at the same 40 mm, each
 * module is a quarter larger, which is what a blurred or distant camera frame needs. Check codes stay JWS
 * (shown on a screen, never blurred by print).
 *
 * Pure: WebCrypto and cborg (strict CBOR), no I/O. `codes.ts` orchestrates (USCC before the signature,
 * messages, zod); this module only packs, unpacks and checks signatures.
 */
import { decode, encode } from 'cborg';
import { base43Decode, base43Encode } from './base43';
import { b64uDecode } from './record-signing';

export const COSE_PREFIX = 'EC1:';
/** what may follow the prefix (base43's alphabet) */
export const COSE_BODY = '[0-9A-Z$*+\\-./:]+';
const ALG_ES256 = -7;
const HDR_ALG = 1;
const HDR_KID = 4;
const KID_BYTES = 8;
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** [uscc, name, division, iat] as signed */
export type CoseEntFields = [string, string, string, number];

export interface OpenedCose {
  /** the payload array, not yet trusted */
  fields: unknown;
  alg: unknown;
  kid: Uint8Array | null;
  toBeSigned: Uint8Array;
  signature: Uint8Array;
}

/** the 8-byte key id a code carries for a platform key id (its base64url thumbprint) */
export function shortKid(kid: string): Uint8Array | null {
  const b = b64uDecode(kid);
  return b && b.length >= KID_BYTES ? b.slice(0, KID_BYTES) : null;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

const sigStructure = (protectedBytes: Uint8Array, payload: Uint8Array) => encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);

export async function signCoseEnt(fields: CoseEntFields, key: CryptoKey, kid: string): Promise<string> {
  const k = shortKid(kid);
  if (!k) throw new RangeError(`key id ${kid} is not a base64url thumbprint`);
  const protectedBytes = encode(
    new Map<number, unknown>([
      [HDR_ALG, ALG_ES256],
      [HDR_KID, k],
    ]),
  );
  const payload = encode(fields);
  const signature = new Uint8Array(await crypto.subtle.sign(ECDSA, key, sigStructure(protectedBytes, payload) as BufferSource));
  return COSE_PREFIX + base43Encode(encode([protectedBytes, new Map(), payload, signature]));
}

const strict = { useMaps: true, rejectDuplicateMapKeys: true, strict: true } as const;

/** Unpack a code text (`EC1:…`) without trusting it; null when it is not a well-formed COSE_Sign1. */
export function openCose(token: string): OpenedCose | null {
  if (!token.startsWith(COSE_PREFIX)) return null;
  const bytes = base43Decode(token.slice(COSE_PREFIX.length));
  if (!bytes) return null;
  try {
    const outer = decode(bytes, strict) as unknown;
    if (!Array.isArray(outer) || outer.length !== 4) return null;
    const [protectedBytes, unprotected, payload, signature] = outer as unknown[];
    if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) return null;
    if (!(unprotected instanceof Map) || unprotected.size !== 0 || signature.length !== 64) return null;
    const header = decode(protectedBytes, strict) as unknown;
    if (!(header instanceof Map)) return null;
    const kid = header.get(HDR_KID);
    return {
      fields: decode(payload, strict),
      alg: header.get(HDR_ALG),
      kid: kid instanceof Uint8Array ? kid : null,
      toBeSigned: sigStructure(protectedBytes, payload),
      signature,
    };
  } catch {
    return null;
  }
}

export function verifyCoseSignature(opened: OpenedCose, key: CryptoKey): Promise<boolean> {
  if (opened.alg !== ALG_ES256) return Promise.resolve(false);
  return crypto.subtle.verify(ECDSA, key, opened.signature as BufferSource, opened.toBeSigned as BufferSource).catch(() => false);
}
