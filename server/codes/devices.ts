/**
 * Device public keys (DESIGN §4): each signed-in device registers the public half of its non-extractable
 * ECDSA P-256 key; ledger records carry `sig.kid`, and the server checks the signature and that the key's
 * owner is the record's author (`rec.by`). The registry owns its own table in the server's SQLite file.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { keyId, PublicEcJwk, verifySignedRecord } from '../../src/domain/record-signing';
import { SignedRecord } from '../../src/domain/schemas';

export interface DeviceRow {
  kid: string;
  userId: string;
  publicJwk: PublicEcJwk;
  createdAt: number;
}

export type RegisterResult =
  | { ok: true; kid: string; created: boolean }
  | { ok: false; code: 'bad_jwk' | 'private_key' | 'taken'; message: { zh: string; en: string } };

/** Promise-returning, so a PostgreSQL store can stand in; the SQL stays in createDeviceRegistry below. */
export interface DeviceRegistry {
  register(userId: string, publicJwk: unknown): Promise<RegisterResult>;
  lookup(kid: string): Promise<DeviceRow | null>;
  listForUser(userId: string): Promise<DeviceRow[]>;
  remove(kid: string): Promise<boolean>;
}

/**
 * A JWK accepted for registration: EC P-256 public key. Browsers add `ext` and `key_ops`; those are
 * tolerated and dropped. A private member (`d`, or RSA-style `p`, `q`, …) is refused outright.
 */
const IncomingJwk = z.looseObject({ kty: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional() });
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

export function createDeviceRegistry(db: Database.Database, opts: { now?: () => number } = {}): DeviceRegistry {
  const now = opts.now ?? (() => Date.now());
  db.exec(`CREATE TABLE IF NOT EXISTS devices (
    kid TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS devices_user ON devices(user_id);`);
  const get = db.prepare<[string], { kid: string; user_id: string; public_jwk: string; created_at: number }>(
    'SELECT kid, user_id, public_jwk, created_at FROM devices WHERE kid = ?',
  );
  const byUser = db.prepare<[string], { kid: string; user_id: string; public_jwk: string; created_at: number }>(
    'SELECT kid, user_id, public_jwk, created_at FROM devices WHERE user_id = ? ORDER BY created_at',
  );
  const ins = db.prepare('INSERT INTO devices (kid, user_id, public_jwk, created_at) VALUES (?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM devices WHERE kid = ?');
  const toRow = (r: { kid: string; user_id: string; public_jwk: string; created_at: number }): DeviceRow => ({
    kid: r.kid,
    userId: r.user_id,
    publicJwk: PublicEcJwk.parse(JSON.parse(r.public_jwk)),
    createdAt: r.created_at,
  });

  return {
    async register(userId, publicJwk) {
      const loose = IncomingJwk.safeParse(publicJwk);
      if (loose.success && PRIVATE_MEMBERS.some((m) => m in loose.data)) {
        return {
          ok: false,
          code: 'private_key',
          message: { zh: '只能登记公钥：请求中含有私钥成分', en: 'Only a public key may be registered: the request contains private key material' },
        };
      }
      const jwk = PublicEcJwk.safeParse(loose.success ? { kty: loose.data.kty, crv: loose.data.crv, x: loose.data.x, y: loose.data.y } : publicJwk);
      if (!jwk.success) {
        return {
          ok: false,
          code: 'bad_jwk',
          message: { zh: '设备公钥格式错误：应为 EC P-256 公钥（JWK）', en: 'Bad device key: expected an EC P-256 public key as a JWK' },
        };
      }
      // the point must be on the curve: WebCrypto refuses to import it otherwise
      try {
        await globalThis.crypto.subtle.importKey('jwk', { ...jwk.data, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
      } catch {
        return { ok: false, code: 'bad_jwk', message: { zh: '设备公钥无效（不是 P-256 曲线上的点）', en: 'Bad device key: not a point on P-256' } };
      }
      const kid = await keyId(jwk.data);
      const existing = get.get(kid);
      if (existing) {
        if (existing.user_id === userId) return { ok: true, kid, created: false };
        return { ok: false, code: 'taken', message: { zh: '该设备密钥已登记在其他用户名下', en: 'This device key is registered to another user' } };
      }
      ins.run(kid, userId, JSON.stringify(jwk.data), now());
      return { ok: true, kid, created: true };
    },
    async lookup(kid) {
      const r = get.get(kid);
      return r ? toRow(r) : null;
    },
    async listForUser(userId) {
      return byUser.all(userId).map(toRow);
    },
    async remove(kid) {
      return del.run(kid).changes > 0;
    },
  };
}

export type LedgerVerdict = 'ok' | 'unsigned' | 'unknown_key' | 'bad_signature' | 'wrong_author';

/**
 * The server's verdict on a ledger record as read from `ledger/<uscc>` (the projection quarantines
 * anything but `ok`). The signature is checked over the record exactly as stored. A value that is not a
 * SignedRecord at all is `bad_signature` (it cannot be a validly signed record).
 */
export async function verifyLedgerRecord(signed: unknown, registry: Pick<DeviceRegistry, 'lookup'>): Promise<LedgerVerdict> {
  if (typeof signed !== 'object' || signed === null) return 'bad_signature';
  const s = signed as { rec?: unknown; sig?: unknown };
  if (s.sig === undefined || s.sig === null) return 'unsigned';
  const parsed = SignedRecord.safeParse(signed);
  if (!parsed.success || !parsed.data.sig) return 'bad_signature';
  const dev = await registry.lookup(parsed.data.sig.kid);
  if (!dev) return 'unknown_key';
  const good = await verifySignedRecord({ rec: s.rec, sig: parsed.data.sig }, dev.publicJwk);
  if (!good) return 'bad_signature';
  return dev.userId === parsed.data.rec.by ? 'ok' : 'wrong_author';
}
