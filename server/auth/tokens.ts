/**
 * Access tokens: JWT HS256 (jose) with a secret made on first start and kept in the data dir
 * (`jwt-secret`, mode 0600). Short-lived (TOKEN_TTL_SECONDS, 15 min by default). Each carries its user's
 * token epoch (`ep`, users.token_epoch): a password change or a disabled account raises the epoch, and
 * `verify` refuses a token of an older one (one indexed SELECT per verify: HTTP requests and WebSocket
 * upgrades, never per sync message).
 * Password-change tokens (after a sign-in with a one-time password) have their own audience, so `verify`
 * refuses them everywhere; only `verifyPasswordChange` (POST /api/password) accepts them.
 * Refresh tokens: 32 random bytes, stored as SHA-256 in SQLite, single use (rotated), 30 days; the app
 * holds them in an HttpOnly cookie only (server/auth/cookies.ts).
 * A refresh token presented a second time revokes all of that user's refresh tokens (theft signal).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Principal } from '../../src/domain/schemas';
import { ownerOnlyDir, ownerOnlyFile, type DB } from '../store/db';

export const ISSUER = 'eicp';
export const AUDIENCE = 'eicp';
/** the audience of a password-change token: nothing but POST /api/password accepts it */
export const PASSWORD_CHANGE_AUDIENCE = 'eicp:password-change';
/** a password-change token lives 10 minutes: long enough to type a new password twice */
export const PASSWORD_CHANGE_TTL_SECONDS = 600;

export function loadOrCreateSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, 'jwt-secret');
  ownerOnlyDir(dataDir);
  ownerOnlyFile(file);
  try {
    const s = fs.readFileSync(file);
    if (s.length >= 32) return new Uint8Array(s);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, secret, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return new Uint8Array(secret);
}

/** `expiresAt`: ms since the epoch; sessions opened with the token end then (4401) */
export type VerifyResult = { ok: true; principal: Principal; expiresAt?: number } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

/**
 * The current token epoch of a user who may hold a session, or null (no such user, disabled, or a one-time
 * password still to change). `userEpochs(db)` reads it from the users table.
 */
export type EpochOf = (userId: string) => { epoch: number; mustChangePassword: boolean } | null;

export function userEpochs(db: DB): EpochOf {
  const q = db.prepare('SELECT token_epoch AS epoch, must_change_password AS mcp FROM users WHERE id = ? AND disabled = 0');
  return (userId) => {
    const r = q.get(userId) as { epoch: number; mcp: number } | undefined;
    return r ? { epoch: r.epoch, mustChangePassword: r.mcp === 1 } : null;
  };
}

/** a claim that is a whole number ≥ 0; tokens signed before epochs existed have none: epoch 0 */
const epochClaim = (v: unknown): number | null => (v === undefined ? 0 : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

export class TokenService {
  constructor(
    private readonly secret: Uint8Array,
    readonly ttlSeconds: number,
    private readonly epochOf: EpochOf,
  ) {}

  /** an access token for `p` at the user's current token epoch */
  async sign(p: Principal, epoch: number): Promise<string> {
    const claims: Record<string, unknown> = { role: p.role, name: p.name, ep: epoch };
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
        userId: payload.sub,
        role: payload.role,
        name: payload.name,
        agencyId: payload.agencyId,
        inspectorId: payload.inspectorId,
        uscc: payload.uscc,
      });
      if (!r.success) return { ok: false, reason: 'invalid' };
      // a password change, a reset or a disabled account since this token was signed ends it
      const now = this.epochOf(r.data.userId);
      if (!now || now.mustChangePassword || epochClaim(payload.ep) !== now.epoch) return { ok: false, reason: 'invalid' };
      return { ok: true, principal: r.data, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }

  /** the token of the one step a one-time password allows: setting a new password (POST /api/password) */
  async signPasswordChange(userId: string, epoch: number): Promise<string> {
    return new SignJWT({ ep: epoch })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(PASSWORD_CHANGE_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + PASSWORD_CHANGE_TTL_SECONDS)
      .sign(this.secret);
  }

  /** the user a password-change token was given to, while their epoch is unchanged; else null */
  async verifyPasswordChange(token: string): Promise<string | null> {
    if (token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: PASSWORD_CHANGE_AUDIENCE });
      if (typeof payload.sub !== 'string') return null;
      const now = this.epochOf(payload.sub);
      return now && epochClaim(payload.ep) === now.epoch ? payload.sub : null;
    } catch {
      return null;
    }
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export class RefreshTokens {
  constructor(
    private readonly db: DB,
    readonly ttlSeconds: number,
  ) {}

  issue(userId: string): string {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    this.db
      .prepare('INSERT INTO refresh_tokens(hash, user_id, expires_at, created_at) VALUES (?,?,?,?)')
      .run(sha256(token), userId, now + this.ttlSeconds * 1000, now);
    return token;
  }

  /** consume a refresh token: its user id, or null (unknown, expired, already used) */
  consume(token: string): string | null {
    const now = Date.now();
    const h = sha256(token);
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT user_id, expires_at, used_at FROM refresh_tokens WHERE hash = ?').get(h) as
        | { user_id: string; expires_at: number; used_at: number | null }
        | undefined;
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

  /** delete a refresh token (sign-out): the user it belonged to, or null when it was unknown */
  revoke(token: string): string | null {
    const row = this.db.prepare('DELETE FROM refresh_tokens WHERE hash = ? RETURNING user_id').get(sha256(token)) as { user_id: string } | undefined;
    return row?.user_id ?? null;
  }

  /** end every session of a user (password changed, account disabled) */
  revokeAll(userId: string): void {
    this.db.prepare('DELETE FROM refresh_tokens WHERE user_id = ?').run(userId);
  }
}
