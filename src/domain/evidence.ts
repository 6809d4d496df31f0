/**
 * Evidence files (photos, attached files, signature images, generated PDF documents): their limits, their
 * digests, which records point at which files, and the join code the second inspector scans. Pure: WebCrypto
 * (globalThis.crypto.subtle) only, browser and Node ≥ 20.
 *
 * A file is named by the SHA-256 of its bytes (content-addressed) and its digest is written into the signed
 * ledger record, so the server refuses bytes that do not hash to their name and nobody can swap a file later.
 */
import { z } from 'zod';
import { canonicalJson } from './canonical';
import { Id, Sha256Hex, UsccShape, type EvidenceKind, type EvidenceRef, type EvidenceType, type LedgerRecord } from './schemas';

/**
 * What each kind of evidence may be, and how large. Past a limit the phone says so before storing anything
 * (a photo from the camera is re-encoded to JPEG well below it) and the server answers 413.
 */
export const EVIDENCE_LIMITS: Record<EvidenceKind, { types: readonly EvidenceType[]; maxBytes: number }> = {
  photo: { types: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * 1024 * 1024 },
  file: { types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], maxBytes: 20 * 1024 * 1024 },
  signature: { types: ['image/png'], maxBytes: 512 * 1024 },
  document: { types: ['application/pdf'], maxBytes: 20 * 1024 * 1024 },
};
/** the largest file of any kind (the server's hard cap on one upload) */
export const EVIDENCE_MAX_BYTES = Math.max(...Object.values(EVIDENCE_LIMITS).map((l) => l.maxBytes));
/** photos and files on one record */
export const EVIDENCE_PER_RECORD = 20;
/** bytes per upload request (a break loses at most one chunk; the upload resumes at the server's offset) */
export const EVIDENCE_CHUNK_BYTES = 1024 * 1024;
/** the thumbnail's longer edge, px (JPEG) */
export const THUMB_EDGE = 320;

export type LimitProblem = { code: 'evidence_type' | 'evidence_too_large' | 'evidence_empty'; message: { zh: string; en: string } };

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** Why a file cannot be kept as evidence of this kind, or null when it can. */
export function evidenceLimitProblem(kind: EvidenceKind, type: string, size: number): LimitProblem | null {
  const l = EVIDENCE_LIMITS[kind];
  if (!(l.types as readonly string[]).includes(type))
    return {
      code: 'evidence_type',
      message: {
        zh: `不能作为证据的文件类型（${type || '未知'}）：只接受 ${l.types.join('、')}`,
        en: `This file type (${type || 'unknown'}) cannot be kept as evidence: only ${l.types.join(', ')}`,
      },
    };
  if (size <= 0) return { code: 'evidence_empty', message: { zh: '文件是空的', en: 'The file is empty' } };
  if (size > l.maxBytes)
    return {
      code: 'evidence_too_large',
      message: {
        zh: `文件太大（${mb(size)}）：每个不超过 ${mb(l.maxBytes)}，请压缩或分成几份`,
        en: `The file is too large (${mb(size)}): at most ${mb(l.maxBytes)} each; compress it or split it`,
      },
    };
  return null;
}

function hex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** SHA-256 of bytes as 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return hex(await globalThis.crypto.subtle.digest('SHA-256', data as BufferSource));
}

/** SHA-256 (hex) of a record's canonical JSON: what a cosign binds to (the entry exactly as signed). */
export function recordHash(rec: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(rec)));
}

/** Every evidence file a ledger record points at (the file and its thumbnail), for read rights and uploads. */
export function evidenceOf(rec: LedgerRecord): EvidenceRef[] {
  switch (rec.type) {
    case 'result':
      return rec.evidence ?? [];
    case 'rectification':
      return rec.evidence;
    case 'document':
      return [rec.pdf, ...rec.signatures.map((s) => s.image)];
    default:
      return [];
  }
}

/** Every digest (files and thumbnails) a record points at. */
export function digestsOf(rec: LedgerRecord): string[] {
  return evidenceOf(rec).flatMap((e) => (e.thumb ? [e.sha256, e.thumb] : [e.sha256]));
}

// ---------- the join code (second inspector) ----------

/** The prefix of a join code's text: never a URL, so a plain camera app does not open it. */
export const JOIN_PREFIX = 'EICP-JOIN:';

/**
 * What the first inspector's screen shows for the second inspector to scan (a QR, offline): enough to sign a
 * cosign record without the ledger. The second phone still checks that it is on the team and of the agency.
 */
export const JoinCode = z.object({
  v: z.literal(1),
  uscc: UsccShape,
  entryId: Id,
  entryHash: Sha256Hex,
  agencyId: Id,
  taskId: Id.optional(),
  /** the enterprise's name (shown before signing) */
  name: z.string().max(200),
  /** the team's inspector ids, first the inspector who made the entry */
  team: z.array(Id).min(1).max(10),
  /** the entry's time */
  at: z.string().max(40),
});
export type JoinCode = z.infer<typeof JoinCode>;

function b64u(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function unb64u(s: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export function encodeJoinCode(j: JoinCode): string {
  return JOIN_PREFIX + b64u(JSON.stringify(JoinCode.parse(j)));
}

/** The join code in a scanned text, or null when the text is not one (never trims: scanned text is taken as is). */
export function parseJoinCode(text: string): JoinCode | null {
  if (!text.startsWith(JOIN_PREFIX) || text.length > 2000) return null;
  const json = unb64u(text.slice(JOIN_PREFIX.length));
  if (json === null) return null;
  try {
    const p = JoinCode.safeParse(JSON.parse(json));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
