/**
 * The two cookies of sign-in, both HttpOnly (no script reads them), Secure and SameSite=Strict (never sent
 * by another site's page; Chromium and Firefox accept Secure cookies from http://localhost and 127.0.0.1 too):
 *   eicp_rt   the refresh token, Path=/api/auth: sent only to /api/auth/refresh and /api/auth/logout
 *   eicp_dev  a random device id given at a successful sign-in, Path=/api/login: a device the account signed
 *             in from before may keep trying while strangers are limited (server/auth/known.ts)
 */
import type { IncomingMessage } from 'node:http';

export const REFRESH_COOKIE = 'eicp_rt';
export const REFRESH_COOKIE_PATH = '/api/auth';
export const DEVICE_COOKIE = 'eicp_dev';
export const DEVICE_COOKIE_PATH = '/api/login';
/** a device cookie lasts a year from its last sign-in */
export const DEVICE_COOKIE_SECONDS = 365 * 24 * 3600;
/** what our random tokens look like (base64url); anything else in a cookie is ignored */
const TOKEN_RE = /^[A-Za-z0-9_-]{16,128}$/;

/** a cookie of the request whose value looks like one of our tokens, or null */
export function cookieOf(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== name) continue;
    const v = part.slice(i + 1).trim();
    if (TOKEN_RE.test(v)) return v;
  }
  return null;
}

/** a Set-Cookie value; `maxAge` 0 deletes the cookie */
export function setCookie(name: string, value: string, path: string, maxAge: number): string {
  return `${name}=${value}; Path=${path}; Max-Age=${Math.max(0, Math.floor(maxAge))}; HttpOnly; Secure; SameSite=Strict`;
}
