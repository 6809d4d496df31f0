/**
 * Signed QR codes (DESIGN §5): the enterprise code (企业专属二维码) and the check code (检查码).
 *
 * Format: a compact JWS, ES256, `kid` (the RFC 7638 thumbprint of the platform key) in the protected
 * header. The payload is JSON with one-letter keys (the wire form) so that a typical enterprise code fits
 * QR version 14 at error correction M in byte mode; callers only ever see the named form
 * (`EntPayload`, `ChkPayload`).
 *
 *   ent wire: {"t":"ent","u":uscc,"n":name,"d":division,"iat":seconds}
 *   chk wire: {"t":"chk","k":taskId,"a":agencyId,"u":uscc,"p":[[id,name,cert],…],"w":[from,to],"iat":seconds}
 *
 * Enterprise codes are now issued in the compact form `EC1:<base43 COSE_Sign1>` (cose-code.ts: QR
 * version 9–11 instead of 14–15); JWS enterprise codes already printed still verify.
 *
 * The QR text is either the bare token or a platform URL `https://host[/base]/c#<token>` (the public page
 * `/c` reads the fragment, so a plain phone camera opens a page that says who the enterprise is).
 *
 * Verification order (`verifyCode`): shape → decode the payload WITHOUT trusting it → USCC check digit
 * (so a misprinted or tampered USCC is named precisely) → key by `kid` → signature (alg pinned to
 * ES256) → zod validation of the payload. Scanned text is never trimmed or altered.
 *
 * Pure: no DOM, no I/O; runs in the browser (WebCrypto via jose) and in Node.
 */
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { Id, IsoDate, UsccShape } from './schemas';
import { validateUscc } from './uscc';
import { b64uDecode } from './record-signing';
import { COSE_BODY, COSE_PREFIX, openCose, sameBytes, shortKid, signCoseEnt, verifyCoseSignature } from './cose-code';
import { now as clockNow } from './time';

// ---------- payloads (named form) ----------
export const EntPayload = z.object({
  t: z.literal('ent'),
  uscc: UsccShape,
  name: z.string().min(1).max(100),
  division: z.string().min(1).max(20),
  /** issued at, seconds since the epoch */
  iat: z.number().int().nonnegative(),
});
export type EntPayload = z.infer<typeof EntPayload>;

export const CodeInspector = z.object({
  id: Id,
  name: z.string().min(1).max(40),
  /** certificate number (执法证号) */
  cert: z.string().min(1).max(40),
});
export type CodeInspector = z.infer<typeof CodeInspector>;

/** An inspector as a check code names them: by certificate; id and name only in codes of the first form. */
export const ChkInspector = CodeInspector.partial({ id: true, name: true });
export type ChkInspector = z.infer<typeof ChkInspector>;

/** QR error correction per code kind (see the header). */
export const QR_ECL = { ent: 'M', chk: 'L' } as const;

export const ChkPayload = z.object({
  t: z.literal('chk'),
  taskId: Id,
  agencyId: Id,
  uscc: UsccShape,
  inspectors: z.array(ChkInspector).min(1).max(10),
  window: z.object({ from: IsoDate, to: IsoDate }),
  iat: z.number().int().nonnegative(),
});
export type ChkPayload = z.infer<typeof ChkPayload>;

export const CodePayload = z.discriminatedUnion('t', [EntPayload, ChkPayload]);
export type CodePayload = z.infer<typeof CodePayload>;
export type CodeKind = CodePayload['t'];

// ---------- wire form (one-letter keys) ----------
const EntWire = z.strictObject({
  t: z.literal('ent'),
  u: z.string(),
  n: z.string(),
  d: z.string(),
  iat: z.number(),
});
const chkCommon = { t: z.literal('chk'), k: z.string(), a: z.string(), u: z.string(), w: z.tuple([z.string(), z.string()]), iat: z.number() };
const ChkWire = z.strictObject({ ...chkCommon, c: z.array(z.string()) });
const ChkWireFirst = z.strictObject({ ...chkCommon, p: z.array(z.tuple([z.string(), z.string(), z.string()])) });
const Wire = z.union([EntWire, ChkWire, ChkWireFirst]);
type Wire = z.infer<typeof Wire>;

/** Signing always writes the current form: certificate numbers only (ids and names are left out). */
function toWire(p: CodePayload): Wire {
  return p.t === 'ent'
    ? { t: 'ent', u: p.uscc, n: p.name, d: p.division, iat: p.iat }
    : { t: 'chk', k: p.taskId, a: p.agencyId, u: p.uscc, c: p.inspectors.map((i) => i.cert), w: [p.window.from, p.window.to], iat: p.iat };
}

function fromWire(w: Wire): unknown {
  if (w.t === 'ent') return { t: 'ent', uscc: w.u, name: w.n, division: w.d, iat: w.iat };
  const inspectors = 'c' in w ? w.c.map((cert) => ({ cert })) : w.p.map(([id, name, cert]) => ({ id, name, cert }));
  return { t: 'chk', taskId: w.k, agencyId: w.a, uscc: w.u, inspectors, window: { from: w.w[0], to: w.w[1] }, iat: w.iat };
}

// ---------- results ----------
export type VerifyFailure = 'not_a_code' | 'bad_uscc' | 'unknown_key' | 'bad_signature' | 'bad_payload';
export type Msg = { zh: string; en: string };
export type VerifyResult =
  | { ok: true; kind: 'ent'; payload: EntPayload; kid: string; token: string }
  | { ok: true; kind: 'chk'; payload: ChkPayload; kid: string; token: string }
  | { ok: false; code: VerifyFailure; message: Msg /** 1-based character of the USCC that is wrong (bad_uscc) */; position?: number };

export interface Jwks {
  keys: JWK[];
}

const fail = (code: VerifyFailure, message: Msg, position?: number): VerifyResult =>
  position === undefined ? { ok: false, code, message } : { ok: false, code, message, position };

const MESSAGES: Record<Exclude<VerifyFailure, 'bad_uscc'>, Msg> = {
  not_a_code: { zh: '这不是本平台的二维码', en: 'This is not a code of this platform' },
  unknown_key: {
    zh: '二维码的签名密钥未知：可能是伪造的，或本机的平台公钥需要联网更新',
    en: 'The code is signed with an unknown key: it may be forged, or this device needs to go online to update the platform keys',
  },
  bad_signature: { zh: '二维码签名无效：内容被改动或系伪造，不能使用', en: 'The code’s signature is invalid: it was altered or forged and cannot be used' },
  bad_payload: { zh: '二维码内容不完整或格式错误', en: 'The code’s content is incomplete or malformed' },
};

// ---------- parsing ----------
const B64U = '[A-Za-z0-9_-]+';
const TOKEN = `${B64U}\\.${B64U}\\.${B64U}|${COSE_PREFIX}${COSE_BODY}`;
const TOKEN_RE = new RegExp(`^(?:${TOKEN})$`);
/** `http(s)://host[:port][/base…]/c#<token>`; the whole text must match: nothing before or after. */
const URL_RE = new RegExp(`^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*/c#(${TOKEN})$`);

/** The token (compact JWS or EC1) inside a scanned text, or null. The text is taken exactly as given (never trimmed). */
export function parseQrText(text: string): string | null {
  if (typeof text !== 'string' || text.length > 4096) return null;
  if (TOKEN_RE.test(text)) return text;
  const m = URL_RE.exec(text);
  return m ? m[1] : null;
}

/** The QR text for a token: the platform URL with the JWS in the fragment (`base` without trailing `/`). */
export function codeUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/c#${token}`;
}

function decodeJsonPart(s: string): unknown {
  const bytes = b64uDecode(s);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------- signing ----------
/** Sign a payload as a compact JWS (ES256, `kid` in the header). Server side: the platform key. Throws on an invalid payload. */
export async function signCode(payload: CodePayload, key: JWK | CryptoKey, kid: string): Promise<string> {
  const p = CodePayload.parse(payload);
  const u = validateUscc(p.uscc);
  if (!u.ok) throw new RangeError(u.message.en);
  const k = isCryptoKey(key) ? key : await importJWK(key, 'ES256');
  return new CompactSign(new TextEncoder().encode(JSON.stringify(toWire(p)))).setProtectedHeader({ alg: 'ES256', kid }).sign(k);
}

/** Sign an enterprise code in the compact form (EC1, cose-code.ts). Throws on an invalid payload. */
export async function signCompactEnt(payload: EntPayload, key: CryptoKey, kid: string): Promise<string> {
  const p = EntPayload.parse(payload);
  const u = validateUscc(p.uscc);
  if (!u.ok) throw new RangeError(u.message.en);
  return signCoseEnt([p.uscc, p.name, p.division, p.iat], key, kid);
}

function isCryptoKey(k: unknown): k is CryptoKey {
  return typeof CryptoKey !== 'undefined' && k instanceof CryptoKey;
}

// ---------- verification ----------
const keyCache = new WeakMap<JWK, Promise<CryptoKey | Uint8Array>>();
function importCached(jwk: JWK): Promise<CryptoKey | Uint8Array> {
  let p = keyCache.get(jwk);
  if (!p) {
    // a public key only: never import private parts handed to the verifier
    const { kty, crv, x, y } = jwk;
    p = importJWK({ kty, crv, x, y }, 'ES256');
    keyCache.set(jwk, p);
  }
  return p;
}

/**
 * Verify a scanned text against the platform's public keys. Offline: only WebCrypto and the cached JWKS.
 * Never throws; every failure comes back as `{ok:false, code, message}` with a bilingual message.
 */
export async function verifyCode(text: string, jwks: Jwks): Promise<VerifyResult> {
  const token = parseQrText(text);
  if (!token) return fail('not_a_code', MESSAGES.not_a_code);
  if (token.startsWith(COSE_PREFIX)) return verifyCompactEnt(token, jwks);
  const [h64, p64] = token.split('.');
  const header = decodeJsonPart(h64);
  const raw = decodeJsonPart(p64);
  if (!isObj(header) || !isObj(raw) || (raw.t !== 'ent' && raw.t !== 'chk')) return fail('not_a_code', MESSAGES.not_a_code);

  // USCC before the signature: untrusted, but it lets the message name the wrong character
  const bad = usccFailure(raw.u);
  if (bad) return bad;

  const kid = header.kid;
  const jwk = typeof kid === 'string' ? jwks.keys.find((k) => k.kid === kid) : undefined;
  if (!jwk || typeof kid !== 'string') return fail('unknown_key', MESSAGES.unknown_key);

  let payloadBytes: Uint8Array;
  try {
    const key = await importCached(jwk);
    const res = await compactVerify(token, key, { algorithms: ['ES256'] });
    payloadBytes = res.payload;
  } catch {
    return fail('bad_signature', MESSAGES.bad_signature);
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return fail('bad_payload', MESSAGES.bad_payload);
  }
  const wire = Wire.safeParse(json);
  if (!wire.success) return fail('bad_payload', MESSAGES.bad_payload);
  const parsed = CodePayload.safeParse(fromWire(wire.data));
  if (!parsed.success) return fail('bad_payload', MESSAGES.bad_payload);
  const payload = parsed.data;
  return payload.t === 'ent' ? { ok: true, kind: 'ent', payload, kid, token } : { ok: true, kind: 'chk', payload, kid, token };
}

/** A USCC read from a code before its signature is checked: the message names the wrong character. */
function usccFailure(uscc: unknown): VerifyResult | null {
  if (typeof uscc !== 'string') return null;
  const u = validateUscc(uscc);
  return u.ok
    ? null
    : fail(
        'bad_uscc',
        {
          zh: `二维码中的统一社会信用代码有误：${u.message.zh}`,
          en: `The USCC in this code is wrong: ${u.message.en}`,
        },
        u.position,
      );
}

/** The same order as for a JWS: shape → USCC (untrusted) → key by kid → signature (ES256 only) → zod. */
async function verifyCompactEnt(token: string, jwks: Jwks): Promise<VerifyResult> {
  const opened = openCose(token);
  if (!opened || !Array.isArray(opened.fields) || opened.fields.length !== 4) return fail('not_a_code', MESSAGES.not_a_code);
  const [uscc, name, division, iat] = opened.fields as unknown[];
  const bad = usccFailure(uscc);
  if (bad) return bad;
  const jwk = opened.kid
    ? jwks.keys.find((k) => {
        const s = typeof k.kid === 'string' ? shortKid(k.kid) : null;
        return !!s && sameBytes(s, opened.kid!);
      })
    : undefined;
  if (!jwk?.kid) return fail('unknown_key', MESSAGES.unknown_key);
  let good = false;
  try {
    good = await verifyCoseSignature(opened, (await importCached(jwk)) as CryptoKey);
  } catch {
    good = false;
  }
  if (!good) return fail('bad_signature', MESSAGES.bad_signature);
  const parsed = EntPayload.safeParse({ t: 'ent', uscc, name, division, iat });
  if (!parsed.success) return fail('bad_payload', MESSAGES.bad_payload);
  return { ok: true, kind: 'ent', payload: parsed.data, kid: jwk.kid, token };
}

/** Seconds since the epoch, for `iat`. */
export const nowSeconds = (at: Date = clockNow()): number => Math.floor(at.getTime() / 1000);
