/**
 * The error every layer throws: an HTTP status, a code and a bilingual message, sent as
 * `{error: {code, message: {zh, en}, details?}}` (server/http/router.ts `sendError`). A leaf module, so
 * services throw it without depending on the router.
 */
import type { z } from 'zod';

export interface Bilingual {
  zh: string;
  en: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(text.en);
  }
}

export const errors = {
  badRequest: (code: string, text: Bilingual, details?: unknown) => new HttpError(400, code, text, {}, details),
  unauthorized: () => new HttpError(401, 'unauthorized', { zh: '请先登录', en: 'Sign in first' }, { 'WWW-Authenticate': 'Bearer' }),
  tokenExpired: () =>
    new HttpError(
      401,
      'token_expired',
      { zh: '登录已过期，请重新登录', en: 'Your session has expired; sign in again' },
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    ),
  forbidden: () => new HttpError(403, 'forbidden', { zh: '无权访问', en: 'You have no access to this' }),
  notFound: (what: Bilingual = { zh: '未找到', en: 'Not found' }) => new HttpError(404, 'not_found', what),
  methodNotAllowed: () => new HttpError(405, 'method_not_allowed', { zh: '不支持的请求方法', en: 'Method not allowed' }),
  tooLarge: () => new HttpError(413, 'too_large', { zh: '请求内容过大', en: 'Request body too large' }),
  unsupported: () => new HttpError(415, 'unsupported_media_type', { zh: '请求须为 JSON', en: 'The request body must be JSON (application/json)' }),
};

/** zod issues → a short bilingual message and the details */
export function zodError(err: z.ZodError, code = 'bad_request'): HttpError {
  const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const en = first ? `${first.path ? first.path + ': ' : ''}${first.message}` : 'invalid request';
  return errors.badRequest(code, { zh: `请求内容无效：${en}`, en: `Invalid request: ${en}` }, issues);
}
