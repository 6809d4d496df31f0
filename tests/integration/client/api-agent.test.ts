/**
 * The API agent (src/client/agent.ts) against a real server with 2-second access tokens: a signed-in call
 * carries the session's token; when the token has expired the server answers 401, the agent refreshes once
 * through the session (the HttpOnly refresh cookie) and sends the same call again; parallel calls share one
 * refresh; a refused refresh ends in the server's 401, in Chinese and English; signed out, no call is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, cookieFetch, type SpawnedServer } from '../../helpers/spawn-server';
import { SessionManager } from '../../../src/client/session';
import { createApi, ApiError } from '../../../src/client/api';
import { createAgent } from '../../../src/client/agent';
import { errorMessage } from '../../../src/ui/errors';

let srv: SpawnedServer;
const memKV = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  srv = await spawnServer({ env: { TOKEN_TTL_SECONDS: '2' } });
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

/** an app as the browser has it: one cookie jar, the agent with the session, requests counted by path */
function app() {
  const jar = cookieFetch();
  const sent: { path: string; auth: string | null; status: number }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const res = await jar(input, init);
    const url = new URL(String(input));
    sent.push({ path: url.pathname, auth: new Headers(init?.headers).get('authorization'), status: res.status });
    return res;
  };
  const agent = createAgent({ base: srv.url, fetch });
  const api = createApi(agent);
  const session = new SessionManager({ api, storage: memKV(), isOnline: () => true });
  agent.useAuth(session);
  return { api, session, sent };
}

describe('API agent', () => {
  it('attaches the session token; after it expires: one 401, one refresh, the same call again', async () => {
    const { api, session, sent } = app();
    await session.login('agency1', 'demo1234');
    session.dispose(); // no timer: the token must expire on its own
    const t0 = session.token!;
    expect((await api.me()).userId).toBeTruthy();
    expect(sent.at(-1)).toMatchObject({ path: '/api/me', auth: `Bearer ${t0}`, status: 200 });

    await sleep(2600);
    sent.length = 0;
    const me = await api.me();
    expect(me.role).toBe('agency');
    expect(sent.map((s) => `${s.path} ${s.status}`)).toEqual(['/api/me 401', '/api/auth/refresh 200', '/api/me 200']);
    expect(session.token).not.toBe(t0);
    expect(sent[2].auth).toBe(`Bearer ${session.token}`);
  }, 30_000);

  it('parallel calls with an expired token share one refresh', async () => {
    const { api, session, sent } = app();
    await session.login('agency1', 'demo1234');
    session.dispose();
    await sleep(2600);
    sent.length = 0;
    const [a, b, c] = await Promise.all([api.me(), api.joints(), api.filings({})]);
    expect(a.role).toBe('agency');
    expect(Array.isArray(b.items) && Array.isArray(c.items)).toBe(true);
    expect(sent.filter((s) => s.path === '/api/auth/refresh')).toHaveLength(1);
    expect(sent.filter((s) => s.status === 401)).toHaveLength(3);
  }, 30_000);

  it('a refused refresh (signed out in another tab) ends in a bilingual 401; signed out, nothing is sent', async () => {
    const { api, session, sent } = app();
    await session.login('agency1', 'demo1234');
    session.dispose();
    // this device's refresh token is revoked behind the session's back (as a sign-out in another tab of the
    // same browser does: same cookie), and the access token stops working at once (the user's token epoch)
    await api.logout(session.token);
    const e = await api.me().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(401);
    expect(errorMessage(e).zh).toMatch(/[\u4e00-\u9fff]/);
    expect(errorMessage(e).en).toMatch(/[a-z]/i);
    expect(session.expired).toBe(true);

    await session.signOut();
    sent.length = 0;
    const e2 = await api.me().catch((x: unknown) => x);
    expect((e2 as ApiError).code).toBe('unauthorized');
    expect(sent.filter((s) => s.path === '/api/me')).toEqual([]);
  }, 30_000);
});
