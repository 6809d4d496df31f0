/**
 * The signed-in principal of an HTTP request (`Authorization: Bearer <jwt>`), shared by every route
 * module: 401 without a token or with a bad one, 401 `token_expired` for an expired one (the app then
 * refreshes and retries).
 */
import type { Principal } from '../../src/domain/schemas';
import { type Ctx } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from './tokens';

/** the token of `Authorization: Bearer <token>`, or null */
export function bearerToken(ctx: Ctx): string | null {
  return /^Bearer\s+(\S+)$/i.exec(String(ctx.req.headers.authorization ?? ''))?.[1] ?? null;
}

export function bearerOf(tokens: Pick<TokenService, 'verify'>): (ctx: Ctx) => Promise<Principal> {
  return async (ctx) => {
    const token = bearerToken(ctx);
    if (!token) throw errors.unauthorized();
    const v = await tokens.verify(token);
    if (!v.ok) throw v.reason === 'expired' ? errors.tokenExpired() : errors.unauthorized();
    return v.principal;
  };
}
