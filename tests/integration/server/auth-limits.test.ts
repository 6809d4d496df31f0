/**
 * Guessing passwords (the limiter race, forged X-Forwarded-For), against a real server over HTTP:
 *  - §10 the limiter race: one wrong password, then 100 at once for the same account: an attempt counts from
 *    the moment it starts, so at most 5 get as far as a wrong-password answer (401), the rest 429;
 *  - §11 forged X-Forwarded-For: behind one proxy (TRUST_PROXY=1) the client address is the rightmost entry,
 *    so 30 wrong sign-ins spread over many user names with a different forged leftmost address each are
 *    limited per address;
 *  - §11 lock-out: five and more wrong passwords from other addresses do not keep the owner out at the address
 *    they signed in from before; past the per-account ceiling strangers are refused while the owner's known
 *    address and known device (the eicp_dev cookie) still sign in.
 * The server runs as if behind one reverse proxy: each request's X-Forwarded-For ends with the address the
 * proxy saw (what it appends), and may start with whatever the client forged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, login, spawnServer, type SpawnedServer } from '../../helpers/spawn-server';

let srv: SpawnedServer;
beforeAll(async () => {
  srv = await spawnServer({ env: { TRUST_PROXY: '1', LOGIN_MAX_FAILS_ACCOUNT: '5', LOGIN_MAX_FAILS_IP: '20', LOGIN_MAX_FAILS_ACCOUNT_TOTAL: '12' } });
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

/** POST /api/login as seen through our proxy: `via` is the address the proxy saw, `forged` what the client claims */
const signIn = (username: string, password: string, via: string, o: { forged?: string; cookie?: string } = {}) =>
  fetch(`${srv.url}/api/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': o.forged ? `${o.forged}, ${via}` : via,
      ...(o.cookie ? { cookie: o.cookie } : {}),
    },
    body: JSON.stringify({ username, password }),
  });

const tally = (codes: number[]) => codes.reduce<Record<number, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {});

describe('the login limiter race', () => {
  it('1 wrong password, then 100 concurrent ones for one account: at most 5 × 401 in all, the rest 429', async () => {
    const via = '198.51.100.10';
    const first = await signIn('inspector3', 'wrong-0', via);
    expect(first.status).toBe(401);
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn('inspector3', `wrong-${i + 1}`, via)));
    const codes = tally([first.status, ...burst.map((r) => r.status)]);
    expect(codes[401] ?? 0).toBeLessThanOrEqual(5);
    expect((codes[401] ?? 0) + (codes[429] ?? 0)).toBe(101);
    const limited = burst.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // the server answers at once afterwards (the burst was refused before any hashing was queued)
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe('forged X-Forwarded-For', () => {
  it('TRUST_PROXY=1: 30 wrong sign-ins with a varied forged leftmost address are limited (the rightmost one counts)', async () => {
    const via = '198.51.100.7';
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) {
      // password spraying: a different user name each time, so only the per-address limit can stop it
      const r = await signIn(i % 2 ? `ghost${i}` : ['agency1', 'county1', 'enterprise1', 'enterprise2', 'inspector1'][(i / 2) % 5], `spray-${i}`, via, {
        forged: `203.0.113.${i + 1}`,
      });
      codes.push(r.status);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20).every((c) => c === 429)).toBe(true);
    // another client behind the same proxy is not affected
    expect((await signIn('agency1', DEMO_PASSWORD, '198.51.100.8', { forged: '198.51.100.7' })).status).toBe(200);
  }, 120_000);

  it('five and more wrong passwords from other addresses do not lock the owner out at their usual address', async () => {
    const home = '198.51.100.20';
    expect((await signIn('agency2', DEMO_PASSWORD, home)).status).toBe(200); // the owner, earlier
    for (let i = 0; i < 10; i++) expect((await signIn('agency2', `guess-${i}`, `203.0.113.${100 + (i % 2)}`)).status).not.toBe(200);
    // the stranger's own address is limited
    expect((await signIn('agency2', `guess-x`, '203.0.113.100')).status).toBe(429);
    // the owner at their usual address gets in
    expect((await signIn('agency2', DEMO_PASSWORD, home)).status).toBe(200);
  }, 60_000);

  it("past the per-account ceiling strangers are refused; the owner's known address and known device still sign in", async () => {
    const home = '198.51.100.30';
    const r = await login(srv.url, 'supervisor1'); // no proxy header: the socket address, 127.0.0.1
    expect(r.deviceCookie).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect((await signIn('supervisor1', DEMO_PASSWORD, home)).status).toBe(200);
    // 12 wrong passwords (LOGIN_MAX_FAILS_ACCOUNT_TOTAL) from 12 addresses: each address stays under its own limit
    for (let i = 0; i < 12; i++) expect((await signIn('supervisor1', `guess-${i}`, `203.0.113.${150 + i}`)).status).toBe(401);
    // a 13th address is refused, even with the right password: a stranger cannot keep guessing from new addresses
    expect((await signIn('supervisor1', DEMO_PASSWORD, '203.0.113.200')).status).toBe(429);
    // the owner: at the known address, and from a new address on the device that signed in before
    expect((await signIn('supervisor1', DEMO_PASSWORD, home)).status).toBe(200);
    expect((await signIn('supervisor1', DEMO_PASSWORD, '203.0.113.201', { cookie: `eicp_dev=${r.deviceCookie}` })).status).toBe(200);
    // a made-up device cookie is no way round it
    expect((await signIn('supervisor1', DEMO_PASSWORD, '203.0.113.202', { cookie: 'eicp_dev=AAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(429);
  }, 60_000);
});
