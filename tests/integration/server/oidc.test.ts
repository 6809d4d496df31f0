/**
 * Enterprises sign in through the province's unified sign-in (OpenID Connect) against a real provider:
 * oidc-provider (panva) runs in this process on a random port with our server as its client, and its
 * development login and consent forms are filled in with fetch and a cookie jar, as a browser would.
 *
 * The whole flow: an enterprise with an account gets it linked (audited account.oidc_link) and signed in;
 * an enterprise with none gets one made (audited account.activate, via oidc); the refresh cookie of the
 * callback becomes a session (POST /api/auth/refresh). Refused: a replayed answer, a replayed code, a state
 * of another attempt, no attempt cookie, a code issued to another client, a malformed / unknown / missing /
 * deregistered enterprise's USCC, an identity linked to one enterprise that claims another's, a disabled
 * account, a user who cancels at the provider. A server whose provider is down starts and says so at sign-in;
 * one without OIDC_* answers 404 and shows no button.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/app';
import { configFromEnv } from '../../../server/config';
import { createLogger, type Logger } from '../../../server/log';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import { usccCheckChar } from '../../../src/domain/uscc';
import { InstanceInfo, SessionResponse } from '../../../src/protocol/auth';
import { AuditPage } from '../../../src/protocol/audit';
import { EnterprisePage } from '../../../src/protocol/directory';
import { errorOf, json } from '../../helpers/api';
import { cookieFetch, login, setCookieValue, type LoginResult } from '../../helpers/spawn-server';
import { createAgent, createAuthApi } from '../../../src/client/agent';
import { SessionManager } from '../../../src/client/session';

const CLIENT_ID = 'eicp';
const CLIENT_SECRET = 'a-test-client-secret-of-enough-length-0123456789';
const PASSWORD = 'any password: the dev login takes any';

/** the provider's accounts: sign-in name → the USCC claim it carries (undefined: none); tests change them */
const usccOf = new Map<string, string | undefined>();
/** accounts whose USCC the provider gives in userinfo only, not in the ID token */
const userinfoOnly = new Set<string>();

let provider: http.Server;
let issuer: string;
let srv: RunningServer;
let dataDir: string;
let redirectUri: string;
let supervisor1: LoginResult;
/** enterprises of the demo directory with no account */
let free: string[] = [];
/** what our server logged at warn or error */
const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
const quiet = createLogger('silent');
const logger: Logger = { ...quiet, warn: (msg, fields) => void warnings.push({ msg, fields }), error: (msg, fields) => void warnings.push({ msg, fields }) };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

beforeAll(async () => {
  provider = http.createServer();
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const pa = provider.address();
  issuer = `http://127.0.0.1:${typeof pa === 'object' && pa ? pa.port : 0}`;
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/api/auth/oidc/callback`;
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      // another relying party of the same provider, sent back to the same address (a code stolen from it must not work with us)
      {
        client_id: 'other-app',
        client_secret: 'another-client-secret-of-enough-length-98765',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: (use: string) => {
        const uscc = usccOf.get(sub);
        return uscc === undefined || (use === 'id_token' && userinfoOnly.has(sub)) ? { sub } : { sub, uscc };
      },
    }),
    // the USCC rides with the openid scope, in the ID token itself
    claims: { openid: ['sub', 'uscc'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
  });
  // the provider's "this is not https" warnings and the dev-interaction notice are expected here
  provider.on('request', oidc.callback());

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-oidc-'));
  srv = await startServer({
    port,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger,
    oidc: {
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri,
      usccClaim: 'uscc',
      scope: 'openid',
      label: { zh: '使用省统一身份认证登录', en: "Sign in with the province's unified sign-in" },
    },
  });
  supervisor1 = await login(srv.url, 'supervisor1');
  const page = await json(await fetch(`${srv.url}/api/enterprises?limit=50`, { headers: { authorization: `Bearer ${supervisor1.token}` } }), EnterprisePage);
  const has = new Set(
    (
      new Database(path.join(dataDir, 'platform.sqlite'), { readonly: true }).prepare('SELECT uscc FROM users WHERE uscc IS NOT NULL').all() as {
        uscc: string;
      }[]
    ).map((r) => r.uscc),
  );
  free = page.items.map((e) => e.uscc).filter((u) => !has.has(u) && u !== ENTERPRISE1_USCC && u !== ENTERPRISE2_USCC);
  expect(free.length).toBeGreaterThan(5);
}, 90_000);

afterAll(async () => {
  await srv?.close();
  await new Promise((r) => provider?.close(r));
  provider?.closeAllConnections();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---------- a browser, in fetch ----------

/** a cookie jar for one host (paths ignored: sending the provider its own cookies everywhere is harmless) */
class Jar {
  private readonly m = new Map<string, string>();
  take(r: Response): void {
    for (const c of r.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a))) this.m.delete(name);
      else this.m.set(name, value);
    }
  }
  header(): string {
    return [...this.m].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.m.get(name);
  }
}

/** our server's attempt: the provider's authorization URL and the attempt cookie */
async function start(): Promise<{ url: string; cookie: string }> {
  const r = await fetch(`${srv.url}/api/auth/oidc/start`, { redirect: 'manual' });
  expect(r.status).toBe(302);
  const cookieHeader = r.headers.getSetCookie().find((c) => c.startsWith('eicp_oidc='));
  expect(cookieHeader).toMatch(/Path=\/api\/auth\/oidc; Max-Age=600; HttpOnly; Secure; SameSite=Lax/);
  return { url: r.headers.get('location')!, cookie: setCookieValue(r, 'eicp_oidc') };
}

/**
 * At the provider: follow its redirects, sign in as `who` and consent, until it sends the browser back to us;
 * that address (our callback with code, state, iss). `abort`: cancel at the login form instead.
 */
async function atProvider(authUrl: string, who: string, o: { abort?: boolean } = {}): Promise<string> {
  const jar = new Jar();
  let url = authUrl;
  for (let hops = 0; hops < 20; hops++) {
    if (url.startsWith(redirectUri)) return url;
    const r = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(r);
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get('location')!, url).href;
      continue;
    }
    const html = await r.text();
    expect(r.status, html.slice(0, 500)).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form at the provider: ${html.slice(0, 300)}`);
    if (o.abort) {
      url = new URL(`${new URL(action, url).pathname}/abort`, url).href;
      continue;
    }
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login: who, password: PASSWORD } : { prompt });
    const s = await fetch(new URL(action.replace(/&amp;/g, '&'), url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    jar.take(s);
    expect(s.status, await s.clone().text()).toBeGreaterThanOrEqual(300);
    url = new URL(s.headers.get('location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}

/** our callback with an attempt cookie: where it sends the browser, and the refresh cookie it set */
async function callback(url: string, cookie: string | null): Promise<{ location: string; refresh: string; r: Response }> {
  const r = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie: `eicp_oidc=${cookie}` } : {} });
  expect(r.status).toBe(302);
  // the attempt cookie is cleared whatever the outcome
  expect(r.headers.getSetCookie().some((c) => c.startsWith('eicp_oidc=;') && c.includes('Max-Age=0'))).toBe(true);
  return { location: r.headers.get('location')!, refresh: setCookieValue(r, 'eicp_rt'), r };
}

/** the whole sign-in as `who`; the page it ends on and (on success) the session the refresh cookie opens */
async function signIn(who: string): Promise<{ location: string; session?: SessionResponse; refresh: string }> {
  const a = await start();
  const back = await atProvider(a.url, who);
  const c = await callback(back, a.cookie);
  if (!c.refresh) return c;
  const r = await fetch(`${srv.url}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `eicp_rt=${c.refresh}` },
    body: '{}',
  });
  return { ...c, session: await json(r, SessionResponse) };
}

const auditOf = async (action: string, target: string) =>
  (
    await json(
      await fetch(`${srv.url}/api/audit?action=${action}&target=${encodeURIComponent(target)}`, { headers: { authorization: `Bearer ${supervisor1.token}` } }),
      AuditPage,
    )
  ).items;

// ---------- the tests ----------

describe('configuration', () => {
  const base = { OIDC_ISSUER: 'https://sso.example.gov.cn/realms/sx', OIDC_CLIENT_ID: 'eicp', PUBLIC_URL: 'https://insp.example.gov.cn' };
  it('is off without OIDC_*, on with issuer and client id; the redirect URI follows PUBLIC_URL', () => {
    expect(configFromEnv({}).oidc).toBeUndefined();
    const c = configFromEnv({ ...base, OIDC_CLIENT_SECRET: 's3cret', OIDC_SCOPE: 'profile uscc' }).oidc;
    expect(c).toEqual({
      issuer: base.OIDC_ISSUER,
      clientId: 'eicp',
      clientSecret: 's3cret',
      redirectUri: 'https://insp.example.gov.cn/api/auth/oidc/callback',
      usccClaim: 'uscc',
      scope: 'openid profile uscc',
      label: { zh: '使用省统一身份认证登录', en: "Sign in with the province's unified sign-in" },
    });
    expect(configFromEnv({ ...base, OIDC_REDIRECT_URI: 'https://a.example/cb', OIDC_USCC_CLAIM: 'tyshxydm' }).oidc).toMatchObject({
      redirectUri: 'https://a.example/cb',
      usccClaim: 'tyshxydm',
    });
  });
  it('refuses half a configuration, no way back, and a plain-http provider elsewhere than this machine', () => {
    expect(() => configFromEnv({ OIDC_ISSUER: base.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => configFromEnv({ OIDC_ISSUER: base.OIDC_ISSUER, OIDC_CLIENT_ID: 'eicp' })).toThrow(/PUBLIC_URL or OIDC_REDIRECT_URI/);
    expect(() => configFromEnv({ ...base, OIDC_ISSUER: 'http://sso.example.gov.cn' })).toThrow(/https/);
    expect(configFromEnv({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9999' }).oidc?.issuer).toBe('http://127.0.0.1:9999');
  });
});

describe('sign-in through a real OpenID provider', () => {
  it('the sign-in page learns the button text from /api/instance', async () => {
    const i = await json(await fetch(`${srv.url}/api/instance`), InstanceInfo);
    expect(i.oidc?.label.zh).toBe('使用省统一身份认证登录');
  });

  it('an enterprise with an account: the identity is linked to it (audited) and signs in to it', async () => {
    usccOf.set('legal-rep-1', ENTERPRISE1_USCC);
    const s = await signIn('legal-rep-1');
    expect(s.location).toBe('/login?via=oidc');
    expect(s.session).toMatchObject({ role: 'enterprise', uscc: ENTERPRISE1_USCC, userId: 'u-enterprise1' });
    const audit = await auditOf('account.oidc_link', 'user:u-enterprise1');
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toMatchObject({ userId: 'u-enterprise1', role: 'enterprise' });
    expect(audit[0].after).toMatchObject({ issuer, sub: 'legal-rep-1', uscc: ENTERPRISE1_USCC });
    // the session works like any other: the enterprise reads its own profile
    const me = await fetch(`${srv.url}/api/me`, { headers: { authorization: `Bearer ${s.session!.token}` } });
    expect(me.status).toBe(200);
    // again: the link is used, nothing new is audited
    expect((await signIn('legal-rep-1')).session?.userId).toBe('u-enterprise1');
    expect(await auditOf('account.oidc_link', 'user:u-enterprise1')).toHaveLength(1);
  }, 20_000);

  it("an enterprise with no account: one is made at its first sign-in (audited account.activate, actor the new user); its password is nobody's", async () => {
    const uscc = free[0];
    usccOf.set('legal-rep-new', uscc);
    const s = await signIn('legal-rep-new');
    const userId = `u-e-${uscc.toLowerCase()}`;
    expect(s.session).toMatchObject({ role: 'enterprise', uscc, userId });
    const audit = await auditOf('account.activate', `user:${userId}`);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toMatchObject({ userId, role: 'enterprise' });
    expect(audit[0].after).toMatchObject({ via: 'oidc', issuer, sub: 'legal-rep-new', uscc, username: `e-${uscc.toLowerCase()}` });
    expect(JSON.stringify(audit[0])).not.toMatch(/password_hash|scrypt/);
    // no password signs in to it (the demo one neither)
    const r = await fetch(`${srv.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `e-${uscc.toLowerCase()}`, password: 'demo1234' }),
    });
    expect(r.status).toBe(401);
    // a second identity of the same enterprise (another agent of it) is linked to the same account; its
    // provider gives the USCC in userinfo only (and in lowercase)
    usccOf.set('agent-of-new', uscc.toLowerCase());
    userinfoOnly.add('agent-of-new');
    expect((await signIn('agent-of-new')).session?.userId).toBe(userId);
    expect(await auditOf('account.activate', `user:${userId}`)).toHaveLength(1);
    expect(await auditOf('account.oidc_link', `user:${userId}`)).toHaveLength(1);
  }, 20_000);

  it("the app's own session code opens the session from the callback's cookie (what /login?via=oidc does)", async () => {
    usccOf.set('legal-rep-1', ENTERPRISE1_USCC);
    const f = cookieFetch();
    const started = await f(`${srv.url}/api/auth/oidc/start`, { redirect: 'manual' });
    const back = await atProvider(started.headers.get('location')!, 'legal-rep-1');
    const landed = await f(back, { redirect: 'manual' });
    expect(landed.headers.get('location')).toBe('/login?via=oidc');
    const session = new SessionManager({ api: createAuthApi(createAgent({ base: srv.url, fetch: f })) });
    try {
      const s = await session.fromCookie();
      expect(s.principal).toMatchObject({ userId: 'u-enterprise1', role: 'enterprise', uscc: ENTERPRISE1_USCC });
      expect(session.token).toBe(s.token);
      // the session goes on like any other: the rotated cookie refreshes it
      expect(await session.refresh()).toBe('ok');
    } finally {
      session.dispose();
    }
    // no cookie at all: 401, which the page shows as "could not open a session"
    const none = new SessionManager({ api: createAuthApi(createAgent({ base: srv.url })) });
    await expect(none.fromCookie()).rejects.toMatchObject({ status: 401 });
    none.dispose();
  }, 20_000);

  it('a replayed answer, a replayed code, another attempt’s state and no attempt cookie are refused', async () => {
    usccOf.set('legal-rep-2', ENTERPRISE2_USCC);
    const a = await start();
    const back = await atProvider(a.url, 'legal-rep-2');
    // no cookie (the answer carried to another browser): refused, and the attempt is still good for its owner
    expect((await callback(back, null)).location).toBe('/login?oidc_error=expired');
    // another attempt's cookie: its state differs
    const b = await start();
    expect((await callback(back, b.cookie)).location).toBe('/login?oidc_error=expired');
    const ok = await callback(back, a.cookie);
    expect(ok.location).toBe('/login?via=oidc');
    expect(ok.refresh).not.toBe('');
    // the same answer again, with the same cookie: the attempt is used
    const again = await callback(back, a.cookie);
    expect(again).toMatchObject({ location: '/login?oidc_error=expired', refresh: '' });
    // the used code with a fresh attempt's state and cookie: the provider refuses the code
    const c = await start();
    const code = new URL(back).searchParams.get('code')!;
    const state = new URL(c.url).searchParams.get('state')!;
    const forged = `${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(issuer)}`;
    expect(await callback(forged, c.cookie)).toMatchObject({ location: '/login?oidc_error=invalid_response', refresh: '' });
    // a callback without any parameter, and one with oversized ones
    const d = await start();
    expect((await callback(redirectUri, d.cookie)).location).toBe('/login?oidc_error=expired');
    expect((await callback(`${redirectUri}?state=${'x'.repeat(5000)}`, d.cookie)).location).toBe('/login?oidc_error=invalid_response');
  }, 20_000);

  it('a code issued to another client of the provider (its ID token is for another audience) is refused', async () => {
    usccOf.set('legal-rep-1', ENTERPRISE1_USCC);
    const mine = await start();
    const theirs = new URL(mine.url);
    theirs.searchParams.set('client_id', 'other-app');
    const back = await atProvider(theirs.href, 'legal-rep-1');
    expect(new URL(back).searchParams.get('code')).toBeTruthy();
    expect(await callback(back, mine.cookie)).toMatchObject({ location: '/login?oidc_error=invalid_response', refresh: '' });
  }, 20_000);

  it('a malformed, unknown, missing or deregistered enterprise’s USCC is refused with its own message', async () => {
    const good = free[1];
    const wrongCheck = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
    usccOf.set('malformed', wrongCheck);
    expect((await signIn('malformed')).location).toBe('/login?oidc_error=no_uscc');
    usccOf.set('too-long', 'X'.repeat(5000));
    expect((await signIn('too-long')).location).toBe('/login?oidc_error=no_uscc');
    usccOf.set('no-claim', undefined);
    expect((await signIn('no-claim')).location).toBe('/login?oidc_error=no_uscc');
    // a well-formed code of no enterprise in the directory
    let unknown = '';
    for (let i = 0; !unknown; i++) {
      const first = `91140300MA0Y${String(i).padStart(5, '0')}`;
      const u = first + usccCheckChar(first);
      if (!free.includes(u)) unknown = u;
    }
    usccOf.set('stranger', unknown);
    expect((await signIn('stranger')).location).toBe('/login?oidc_error=unknown_enterprise');
    // a deregistered (注销) enterprise: marked by the register's import; here written straight into the directory
    const gone = free[2];
    const db = new Database(path.join(dataDir, 'platform.sqlite'));
    db.prepare('UPDATE enterprises SET deregistered = 1 WHERE uscc = ?').run(gone);
    db.close();
    usccOf.set('gone', gone);
    expect((await signIn('gone')).location).toBe('/login?oidc_error=deregistered');
    // none of them made an account
    const made = (await auditOf('account.activate', '')).filter((e) => [wrongCheck, unknown, gone].includes((e.after as { uscc?: string })?.uscc ?? ''));
    expect(made).toEqual([]);
  }, 30_000);

  it('an identity linked to enterprise A that claims B’s USCC is refused: the link wins', async () => {
    usccOf.set('legal-rep-1', ENTERPRISE2_USCC);
    const s = await signIn('legal-rep-1');
    expect(s).toMatchObject({ location: '/login?oidc_error=mismatch', refresh: '' });
    expect(warnings.find((w) => w.msg.includes('presented the USCC of another'))?.fields).toMatchObject({
      sub: 'legal-rep-1',
      linked: ENTERPRISE1_USCC,
      claimed: ENTERPRISE2_USCC,
    });
    usccOf.set('legal-rep-1', ENTERPRISE1_USCC);
  }, 20_000);

  it('a disabled account is refused; enabled again, it signs in; after a password reset it must set its password first', async () => {
    const auth = { authorization: `Bearer ${supervisor1.token}`, 'content-type': 'application/json' };
    expect((await fetch(`${srv.url}/api/accounts/u-enterprise2/disable`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(200);
    usccOf.set('legal-rep-2', ENTERPRISE2_USCC);
    expect((await signIn('legal-rep-2')).location).toBe('/login?oidc_error=disabled');
    expect((await fetch(`${srv.url}/api/accounts/u-enterprise2/enable`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(200);
    expect((await signIn('legal-rep-2')).session?.userId).toBe('u-enterprise2');
    expect((await fetch(`${srv.url}/api/accounts/u-enterprise2/reset`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(200);
    expect((await signIn('legal-rep-2')).location).toBe('/login?oidc_error=password_change');
  }, 20_000);

  it('a user who cancels at the provider comes back to the sign-in page with a message', async () => {
    const a = await start();
    const back = await atProvider(a.url, 'whoever', { abort: true });
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    expect(await callback(back, a.cookie)).toMatchObject({ location: '/login?oidc_error=denied', refresh: '' });
  }, 20_000);

  it('the attempts one address may have under way are limited', async () => {
    // the test's address has some attempts left over from the tests above; fill up to the limit
    let last = 0;
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${srv.url}/api/auth/oidc/start`, { redirect: 'manual' });
      if (r.headers.get('location') === '/login?oidc_error=busy') {
        last = i;
        break;
      }
    }
    expect(last).toBeGreaterThan(0);
  });
});

describe('a server whose provider is down, and one without OIDC', () => {
  let other: RunningServer;
  let otherDir: string;
  beforeAll(async () => {
    otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-oidc-down-'));
    const deadPort = await freePort();
    other = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: otherDir,
      staticDir: path.join(otherDir, 'no-dist'),
      logger: createLogger('silent'),
      oidc: {
        issuer: `http://127.0.0.1:${deadPort}`,
        clientId: CLIENT_ID,
        redirectUri: 'http://127.0.0.1:1/api/auth/oidc/callback',
        usccClaim: 'uscc',
        scope: 'openid',
        label: { zh: '省统一身份认证', en: 'Unified sign-in' },
      },
    });
  }, 90_000);
  afterAll(async () => {
    await other?.close();
    fs.rmSync(otherDir, { recursive: true, force: true });
  });

  it('starts, and the sign-in page gets a clear message', async () => {
    const r = await fetch(`${other.url}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/login?oidc_error=provider_unavailable');
    expect(r.headers.getSetCookie().some((c) => c.startsWith('eicp_oidc='))).toBe(false);
  });

  it('without OIDC_*: no button, and both routes answer 404 oidc_disabled', async () => {
    // the same data dir, now without the OIDC configuration
    await other.close();
    other = await startServer({ port: 0, host: '127.0.0.1', dataDir: otherDir, staticDir: path.join(otherDir, 'no-dist'), logger: createLogger('silent') });
    expect((await json(await fetch(`${other.url}/api/instance`), InstanceInfo)).oidc).toBeUndefined();
    for (const p of ['/api/auth/oidc/start', '/api/auth/oidc/callback?code=x&state=y']) {
      const r = await fetch(other.url + p, { redirect: 'manual' });
      expect(r.status).toBe(404);
      expect((await errorOf(r)).code).toBe('oidc_disabled');
    }
  }, 60_000);
});
