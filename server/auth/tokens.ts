/**
 * Access tokens: JWT HS256 (jose) with a secret made on first start and kept in the data dir
 * (`jwt-secret`, mode 0600). Short-lived (TOKEN_TTL_SECONDS, 15 min by default).
 * Refresh tokens: 32 random bytes, stored as SHA-256 in SQLite, single use (rotated), 30 days.
 * A refresh token presented a second time revokes all of that user's refresh tokens (theft signal).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Principal } from '../../src/domain/schemas';
import type { DB } from '../store/db';

export const ISSUER = 'eicp';
export const AUDIENCE = 'eicp';

export function loadOrCreateSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const s = fs.readFileSync(file);
    if (s.length >= 32) return new Uint8Array(s);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, secret, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return new Uint8Array(secret);
}

/** `expiresAt`: ms since the epoch; sessions opened with the token end then (4401) */
export type VerifyResult = { ok: true; principal: Principal; expiresAt?: number } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

export class TokenService {
  constructor(private readonly secret: Uint8Array, readonly ttlSeconds: number) {}

  async sign(p: Principal): Promise<string> {
    const claims: Record<string, unknown> = { role: p.role, name: p.name };
    if (p.agencyId) claims.agencyId = p.agencyId;
    if (p.inspectorId) claims.inspectorId = p.inspectorId;
    if (p.uscc) claims.uscc = p.uscc;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.secret);
  }

  async verify(token: string | null | undefined): Promise<VerifyResult> {
    if (!token) return { ok: false, reason: 'missing' };
    if (token.length > 4096) return { ok: false, reason: 'invalid' };
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      const r = Principal.safeParse({
        userId: payload.sub, role: payload.role, name: payload.name,
        agencyId: payload.agencyId, inspectorId: payload.inspectorId, uscc: payload.uscc,
      });
      return r.success ? { ok: true, principal: r.data, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined } : { ok: false, reason: 'invalid' };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export class RefreshTokens {
  constructor(private readonly db: DB, private readonly ttlSeconds: number) {}

  issue(userId: string): string {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    this.db.prepare('INSERT INTO refresh_tokens(hash, user_id, expires_at, created_at) VALUES (?,?,?,?)')
      .run(sha256(token), userId, now + this.ttlSeconds * 1000, now);
    return token;
  }

  /** consume a refresh token: its user id, or null (unknown, expired, already used) */
  consume(token: string): string | null {
    const now = Date.now();
    const h = sha256(token);
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT user_id, expires_at, used_at FROM refresh_tokens WHERE hash = ?').get(h) as
        { user_id: string; expires_at: number; used_at: number | null } | undefined;
      if (!row) return null;
      if (row.used_at !== null) {
        // reuse of a rotated token: someone else holds a copy; end every session of that user
        this.db.prepare('DELETE FROM refresh_tokens WHERE user_id = ?').run(row.user_id);
        return null;
      }
      if (row.expires_at <= now) {
        this.db.prepare('DELETE FROM refresh_tokens WHERE hash = ?').run(h);
        return null;
      }
      this.db.prepare('UPDATE refresh_tokens SET used_at = ? WHERE hash = ?').run(now, h);
      // keep used rows a while for reuse detection, drop old ones
      this.db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?').run(now);
      return row.user_id;
    })();
  }

  revoke(token: string): void {
    this.db.prepare('DELETE FROM refresh_tokens WHERE hash = ?').run(sha256(token));
  }
}
