/**
 * The unified sign-in's two browser navigations (server/auth/oidc.ts; src/protocol/oidc.ts):
 *   GET /api/auth/oidc/start     (public) → 302 to the provider, the attempt's cookie set
 *   GET /api/auth/oidc/callback  (public; the attempt's cookie) → 302 to /login?via=oidc with the refresh cookie,
 *                                or to /login?oidc_error=<code>
 * Both answer 404 `oidc_disabled` when OIDC_ISSUER is not set.
 *
 * The attempt's cookie is SameSite=Lax, not Strict like the session's: the provider's redirect back is a
 * navigation from another site, which a Lax cookie (and no Strict one) accompanies. It holds only a random value
 * and is scoped to /api/auth/oidc. The redirect targets are fixed paths of this app, never taken from the request.
 */
import { parseQuery, type Ctx, type Router } from '../http/router';
import { HttpError } from '../http/errors';
import type { Logger } from '../log';
import { OidcCallbackQuery, type OidcErrorCode } from '../../src/protocol/oidc';
import { cookieOf, REFRESH_COOKIE, REFRESH_COOKIE_PATH, setCookie } from './cookies';
import type { RefreshTokens } from './tokens';
import { OIDC_ATTEMPT_SECONDS, OidcFailure, type OidcRelyingParty } from './oidc';

export const OIDC_COOKIE = 'eicp_oidc';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
/** where the browser lands after a sign-in through the unified sign-in (the page takes the session from the cookie) */
export const OIDC_DONE_PATH = '/login?via=oidc';

export interface OidcRouteDeps {
  /** null: not configured (the routes answer 404) */
  oidc: OidcRelyingParty | null;
  refresh: Pick<RefreshTokens, 'issue' | 'ttlSeconds'>;
  log: Logger;
}

const attemptCookie = (value: string, maxAge: number) => `${OIDC_COOKIE}=${value}; Path=${OIDC_COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`;

function redirect(ctx: Ctx, location: string, cookies: string[]): void {
  ctx.res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0, 'Set-Cookie': cookies });
  ctx.res.end();
}

const failed = (code: OidcErrorCode) => `/login?oidc_error=${code}`;

export function registerOidcRoutes(router: Router, d: OidcRouteDeps): void {
  const enabled = (): OidcRelyingParty => {
    if (!d.oidc)
      throw new HttpError(404, 'oidc_disabled', {
        zh: '本平台未启用省统一身份认证登录',
        en: "Sign-in through the province's unified sign-in is not set up on this platform",
      });
    return d.oidc;
  };

  router.get('/api/auth/oidc/start', async (ctx) => {
    const oidc = enabled();
    try {
      const { cookie, url } = await oidc.begin(ctx.ip);
      redirect(ctx, url, [attemptCookie(cookie, OIDC_ATTEMPT_SECONDS)]);
    } catch (err) {
      if (!(err instanceof OidcFailure)) throw err;
      d.log.info('oidc: sign-in not started', { code: err.code, detail: err.detail, ip: ctx.ip });
      redirect(ctx, failed(err.code), []);
    }
  });

  router.get('/api/auth/oidc/callback', async (ctx) => {
    const oidc = enabled();
    // the attempt ends here whatever happens: its cookie goes
    const clear = attemptCookie('', 0);
    let query: OidcCallbackQuery;
    try {
      query = parseQuery(ctx.url, OidcCallbackQuery);
    } catch {
      redirect(ctx, failed('invalid_response'), [clear]);
      return;
    }
    try {
      const u = await oidc.finish(cookieOf(ctx.req, OIDC_COOKIE), query);
      d.log.info('login', { userId: u.id, role: u.role, ip: ctx.ip, via: 'oidc' });
      redirect(ctx, OIDC_DONE_PATH, [clear, setCookie(REFRESH_COOKIE, d.refresh.issue(u.id), REFRESH_COOKIE_PATH, d.refresh.ttlSeconds)]);
    } catch (err) {
      if (!(err instanceof OidcFailure)) throw err;
      d.log.info('oidc: sign-in refused', { code: err.code, detail: err.detail, ip: ctx.ip });
      redirect(ctx, failed(err.code), [clear]);
    }
  });
}
