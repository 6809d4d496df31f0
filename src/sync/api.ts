/**
 * The only module that speaks HTTP to the server. Every response body is validated with zod (a trust
 * boundary like any other); failures become an `ApiError` carrying the server's bilingual message
 * (`{error: {code, message: {zh, en}}}`), or a network error when the server cannot be reached.
 * Framework-free, so it runs in Node tests too (`createApi({base: 'http://127.0.0.1:…'})`).
 */
import { z } from 'zod';
import { Agency, Division, Enterprise, LoginResponse, Principal, Text } from '../domain/schemas';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: Text }) });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
  ) {
    super(`${status} ${code}: ${text.en}`);
    this.name = 'ApiError';
  }
  /** true when the server was not reached at all (offline, DNS, refused) */
  get network(): boolean { return this.status === 0; }
}

export const NETWORK_ERROR: Text = { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the connection and try again' };
const BAD_RESPONSE: Text = { zh: '服务器返回了无法识别的数据', en: 'The server sent a response the app does not understand' };

export const Jwks = z.object({ keys: z.array(z.object({ kty: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(), kid: z.string().optional() }).loose()) });
export type Jwks = z.infer<typeof Jwks>;
export const EnterpriseCode = z.object({ uscc: z.string(), token: z.string(), url: z.string(), qrText: z.string(), qrVersion: z.number().optional(), kid: z.string().optional() });
export type EnterpriseCode = z.infer<typeof EnterpriseCode>;

export const Directory = z.object({ divisions: z.array(Division), agencies: z.array(Agency) });
export type Directory = z.infer<typeof Directory>;

export interface ApiOptions {
  /** origin of the server; '' = same origin (the browser) */
  base?: string;
  fetch?: typeof fetch;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(o: ApiOptions = {}) {
  const base = (o.base ?? '').replace(/\/+$/, '');
  const f: typeof fetch = o.fetch ?? ((...a) => fetch(...a));

  async function call<S extends z.ZodType>(schema: S, path: string, init: RequestInit & { token?: string | null } = {}): Promise<z.output<S>> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let res: Response;
    try {
      res = await f(base + path, { ...init, headers, cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'network', NETWORK_ERROR);
    }
    let body: unknown = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      if (e.success) throw new ApiError(res.status, e.data.error.code, e.data.error.message);
      // a proxy or service worker answered for an unreachable server
      if (res.status >= 502 && res.status <= 504) throw new ApiError(0, 'network', NETWORK_ERROR);
      throw new ApiError(res.status, 'http_' + res.status, { zh: `服务器错误（${res.status}）`, en: `Server error (${res.status})` });
    }
    const r = schema.safeParse(body);
    if (!r.success) throw new ApiError(res.status, 'bad_response', BAD_RESPONSE);
    return r.data;
  }

  const post = (path: string, body: unknown, token?: string | null) => ({ method: 'POST', body: JSON.stringify(body), token });

  return {
    login: (username: string, password: string) => call(LoginResponse, '/api/login', post('/api/login', { username, password })),
    refresh: (refreshToken: string) => call(LoginResponse, '/api/refresh', post('/api/refresh', { refreshToken })),
    logout: (refreshToken: string) => call(z.object({ ok: z.boolean() }), '/api/logout', post('/api/logout', { refreshToken })),
    me: (token: string) => call(Principal, '/api/me', { token }),
    directory: () => call(Directory, '/api/directory'),
    enterprise: (uscc: string, token: string) => call(Enterprise, `/api/enterprises/${encodeURIComponent(uscc)}`, { token }),
    /** the platform's public keys (JWKS), public */
    keys: () => call(Jwks, '/api/keys'),
    /** the enterprise's signed code (enterprise itself, agencies, inspectors, supervisors) */
    enterpriseCode: (uscc: string, token: string) => call(EnterpriseCode, `/api/enterprises/${encodeURIComponent(uscc)}/code`, { token }),
    /** register this device's public key; the server answers with its kid */
    registerDevice: (publicJwk: { kty: string; crv: string; x: string; y: string }, token: string) =>
      call(z.object({ kid: z.string() }), '/api/devices', post('/api/devices', { publicJwk }, token)),
  };
}

/** The browser's API client (same origin). */
export const api = createApi();
