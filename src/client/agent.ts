/**
 * The API agent: the one fetch wrapper of the app (the sync socket's ticket aside, ticket-socket.ts). It owns
 * the access token: a call for the session attaches the session's token, and on a 401 asks the session for
 * a new one once (the refresh cookie, POST /api/auth/refresh) and sends the call again; no page handles a
 * token. Every response body is parsed with its schema from src/protocol (a trust boundary like any other);
 * failures become an `ApiError` carrying the server's bilingual message (`{error: {code, message: {zh, en}}}`,
 * src/protocol/errors.ts), or a network error when the server cannot be reached.
 * This module and its sign-in routes are all the first screen loads; every other route is in api.ts, which
 * signed-in pages import. Framework-free, so it runs in Node tests too (`createAgent({base: 'http://127.0.0.1:…'})`).
 */
import type { z } from 'zod';
import type { Text } from '../domain/schemas';
import { ErrorBody } from '../protocol/errors';
import { InstanceInfo, LoginResult, LogoutResponse, SessionResponse, type PasswordChangeRequest } from '../protocol/auth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    /** the server's `error.details` (e.g. the problems list of a 422), unvalidated: parse before use */
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${text.en}`);
    this.name = 'ApiError';
  }
  /** true when the server was not reached at all (offline, DNS, refused) */
  get network(): boolean {
    return this.status === 0;
  }
}

export const NETWORK_ERROR: Text = { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the connection and try again' };
const BAD_RESPONSE: Text = { zh: '服务器返回了无法识别的数据', en: 'The server sent a response the app does not understand' };
const SIGNED_OUT: Text = { zh: '请先登录', en: 'Sign in first' };

/** What the agent needs of the session (SessionManager): the access token, and a single-flight refresh. */
export interface ApiAuth {
  readonly token: string | null;
  refresh(): Promise<'ok' | 'offline' | 'invalid'>;
}

export interface ApiOptions {
  /** origin of the server; '' = same origin (the browser) */
  base?: string;
  /** Node tests pass a fetch that keeps cookies (the refresh token is an HttpOnly cookie) */
  fetch?: typeof fetch;
  /** the session whose token signed-in calls carry (also settable later: `useAuth`, the session needs the api first) */
  auth?: ApiAuth;
}

type Query = Record<string, string | number | undefined>;
interface Call {
  method?: 'GET' | 'POST';
  /** JSON body (POST) */
  body?: unknown;
  /** a raw body instead (POST): an uploaded file, sent as it is with its media type */
  raw?: { data: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>; type: string };
  query?: Query;
  /**
   * `session`: the session's access token, refreshed once on a 401; a string: that token as it is (the
   * password-change token, or sign-out's last token); absent: no token (public routes)
   */
  auth?: 'session' | string;
  /** `no-cache`: revalidate with the server's ETag (a 304 gives the cached answer: the statistics' polls); default `no-store` */
  cache?: RequestCache;
}

const qs = (q?: Query) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export type Agent = ReturnType<typeof createAgent>;

export function createAgent(o: ApiOptions = {}) {
  const base = (o.base ?? '').replace(/\/+$/, '');
  const f: typeof fetch = o.fetch ?? ((...a) => fetch(...a));
  let auth: ApiAuth | null = o.auth ?? null;

  /** the response of a call, or an ApiError for a failed one (the server's bilingual message when it sent one) */
  async function request(path: string, c: Call, token: string | null, accept: string): Promise<Response> {
    const headers = new Headers({ accept });
    if (c.raw) headers.set('content-type', c.raw.type);
    else if (c.body !== undefined) headers.set('content-type', 'application/json');
    if (token) headers.set('authorization', `Bearer ${token}`);
    let res: Response;
    try {
      // same-origin cookies only: the refresh cookie (HttpOnly, Path=/api/auth) goes nowhere else
      res = await f(base + path + qs(c.query), {
        method: c.method ?? (c.body !== undefined || c.raw ? 'POST' : 'GET'),
        body: c.raw ? c.raw.data : c.body !== undefined ? JSON.stringify(c.body) : undefined,
        headers,
        cache: c.cache ?? 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'network', NETWORK_ERROR);
    }
    if (res.ok) return res;
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    const e = ErrorBody.safeParse(body);
    if (e.success) throw new ApiError(res.status, e.data.error.code, e.data.error.message, e.data.error.details);
    // a proxy or service worker answered for an unreachable server
    if (res.status >= 502 && res.status <= 504) throw new ApiError(0, 'network', NETWORK_ERROR);
    throw new ApiError(res.status, 'http_' + res.status, { zh: `服务器错误（${res.status}）`, en: `Server error (${res.status})` });
  }

  async function send<S extends z.ZodType>(schema: S, path: string, c: Call, token: string | null): Promise<z.output<S>> {
    const res = await request(path, c, token, 'application/json');
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    const r = schema.safeParse(body);
    if (!r.success) throw new ApiError(res.status, 'bad_response', BAD_RESPONSE);
    return r.data;
  }

  /** run `go` with the call's token; for the session's, once more after a refresh when the token had expired */
  async function authorized<T>(c: Call, go: (token: string | null) => Promise<T>): Promise<T> {
    if (c.auth !== 'session') return go(c.auth ?? null);
    const a = auth;
    const token = a?.token;
    if (!a || !token) throw new ApiError(401, 'unauthorized', SIGNED_OUT);
    try {
      return await go(token);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      // an expired access token: the same call once more with a newer token (refreshed meanwhile, or now:
      // the session's refresh is single flight, so parallel calls share one)
      if (a.token && a.token !== token) return go(a.token);
      if ((await a.refresh()) === 'ok' && a.token && a.token !== token) return go(a.token);
      throw e;
    }
  }

  function call<S extends z.ZodType>(schema: S, path: string, c: Call = {}): Promise<z.output<S>> {
    return authorized(c, (token) => send(schema, path, c, token));
  }

  /** a file the server sends (a CSV download): its bytes and the name it suggests (Content-Disposition) */
  function download(path: string, c: Call = {}): Promise<{ blob: Blob; filename: string | null }> {
    return authorized(c, async (token) => {
      const res = await request(path, c, token, '*/*');
      const filename = /filename="?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
      return { blob: await res.blob(), filename };
    });
  }
  /** a plain-text answer (a draw's population): its text */
  function text(path: string, c: Call = {}): Promise<string> {
    return authorized(c, async (token) => (await request(path, c, token, 'text/plain')).text());
  }
  return {
    call,
    download,
    text,
    /** the session whose token calls with `auth: 'session'` carry */
    useAuth(a: ApiAuth | null): void {
      auth = a;
    },
  };
}

/** The sign-in routes (server/auth/routes.ts): what the session needs, and all the sign-in page calls. */
export function createAuthApi(agent: Agent) {
  const { call } = agent;
  return {
    /** a session, or (a one-time password) the token of the one step it allows: POST /api/password */
    login: (username: string, password: string) => call(LoginResult, '/api/login', { body: { username, password } }),
    /** set a new password (Bearer: the access token, or a password-change token): a new session for this device */
    changePassword: (body: PasswordChangeRequest, token: string) => call(SessionResponse, '/api/password', { body, auth: token }),
    /** demo or production; a demo's accounts (public) */
    instance: () => call(InstanceInfo, '/api/instance'),
    /** a new access token for the refresh cookie (HttpOnly: the app never sees the refresh token), which rotates */
    refresh: () => call(SessionResponse, '/api/auth/refresh', { body: {} }),
    /** sign out with the session's last token: the refresh cookie is deleted, the user's access tokens and sync sessions end */
    logout: (token?: string | null) => call(LogoutResponse, '/api/auth/logout', { body: {}, auth: token ?? undefined }),
  };
}
export type AuthApi = ReturnType<typeof createAuthApi>;

/** The browser's agent (same origin); session-state.ts gives it the session. */
export const agent = createAgent();
export const authApi = createAuthApi(agent);
