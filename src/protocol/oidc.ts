/**
 * Enterprises' sign-in through the province's unified sign-in (OpenID Connect, server/auth/oidc.ts) on the
 * wire: two browser navigations, not JSON calls. `start` sends the browser to the provider; the provider sends
 * it back to `callback`, which answers with a redirect to the sign-in page: `/login?via=oidc` with the refresh
 * cookie set (the page turns it into a session with POST /api/auth/refresh), or `/login?oidc_error=<code>`
 * with one of the codes below (the page shows its fixed bilingual message; nothing of the request is shown).
 * zod only, no I/O.
 */
import { z } from 'zod';
import type { Operation } from './operation';

/** why a sign-in through the unified sign-in failed (the sign-in page's message for each is in src/i18n/dict-oidc.ts) */
export const OidcErrorCode = z.enum([
  /** the provider could not be reached or answered wrongly (discovery, token exchange) */
  'provider_unavailable',
  /** the user cancelled at the provider, or the provider refused */
  'denied',
  /** no or an unknown sign-in attempt (cookie missing or expired, state mismatch, a replayed answer) */
  'expired',
  /** the provider's answer failed its checks (ID token, nonce, audience, PKCE) */
  'invalid_response',
  /** the identity carries no unified social credit code, or a malformed one */
  'no_uscc',
  /** the USCC is not in the enterprise directory */
  'unknown_enterprise',
  /** the enterprise is deregistered (注销) */
  'deregistered',
  /** this identity is linked to another enterprise's account */
  'mismatch',
  /** the enterprise's account is disabled */
  'disabled',
  /** the account must set a new password first (an administrator reset it) */
  'password_change',
  /** this identity is linked to an account that is not an enterprise's */
  'not_enterprise',
  /** too many sign-ins under way from this address */
  'busy',
]);
export type OidcErrorCode = z.infer<typeof OidcErrorCode>;

/** the provider's answer as it arrives at the callback (RFC 6749 §4.1.2, RFC 9207 `iss`); other parameters are ignored */
export const OidcCallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  session_state: z.string().max(512).optional(),
});
export type OidcCallbackQuery = z.infer<typeof OidcCallbackQuery>;

export const OIDC_OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/api/auth/oidc/start',
    summary:
      "Enterprises: sign in through the province's unified sign-in. 302 to the provider (authorization code, PKCE S256, state, nonce; the attempt in a 10-minute cookie); 404 when not configured",
    access: 'public',
    responses: { 302: 'text' },
    errors: { 404: { codes: ['oidc_disabled'] } },
  },
  {
    method: 'GET',
    path: '/api/auth/oidc/callback',
    summary:
      'The provider sends the browser back here: 302 to /login?via=oidc with the refresh cookie (an enterprise account found, linked or created), or to /login?oidc_error=<code>',
    access: 'public',
    query: OidcCallbackQuery,
    responses: { 302: 'text' },
    errors: { 404: { codes: ['oidc_disabled'] } },
  },
];
