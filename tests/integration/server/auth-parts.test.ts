/**
 * The parts of sign-in that a spawned server cannot show directly, run in-process on the real modules:
 *  - password hashing is queued: a burst of scrypt calls runs at most SCRYPT_CONCURRENCY at a time (the rest
 *    wait), so it never holds all of libuv's thread pool; new hashes use N = 2^17;
 *  - a ticket expires after its lifetime (≤ 60 s) and works once;
 *  - the client address behind N trusted proxies is the one N hops from the right of X-Forwarded-For.
 */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { hashPassword, needsRehash, scryptQueue, SCRYPT_CONCURRENCY, verifyPassword } from '../../../server/auth/passwords';
import { TicketStore, TICKET_TTL_SECONDS } from '../../../server/auth/tickets';
import { clientAddress } from '../../../server/http/client-ip';

describe('password hashing', () => {
  it('a burst of 8 verifications runs at most 2 scrypt calls at a time; hashes use N = 2^17', async () => {
    const stored = await hashPassword('a password of the current parameters');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(stored)).toBe(false);
    let maxRunning = 0;
    let maxWaiting = 0;
    const sample = setInterval(() => {
      const q = scryptQueue();
      maxRunning = Math.max(maxRunning, q.running);
      maxWaiting = Math.max(maxWaiting, q.waiting);
    }, 5);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => verifyPassword(i === 0 ? 'a password of the current parameters' : `wrong ${i}`, stored)),
    );
    clearInterval(sample);
    expect(results).toEqual([true, false, false, false, false, false, false, false]);
    expect(SCRYPT_CONCURRENCY).toBe(2);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(maxWaiting).toBeGreaterThan(0);
    expect(scryptQueue()).toEqual({ running: 0, waiting: 0 });
  }, 60_000);

  it('an older hash (N = 2^15) still verifies and asks for a rehash', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('old one', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = `scrypt$32768$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('old one', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });
});

describe('sync tickets', () => {
  it('work once, and not after their lifetime (at most 60 s)', () => {
    let now = 1_000_000;
    const t = new TicketStore(() => now);
    expect(TICKET_TTL_SECONDS).toBeLessThanOrEqual(60);
    const a = t.issue('access-token-a', 'u-a')!;
    expect(t.consume(a)).toBe('access-token-a');
    expect(t.consume(a)).toBeNull();
    const b = t.issue('access-token-b', 'u-a')!;
    now += TICKET_TTL_SECONDS * 1000;
    expect(t.consume(b)).toBeNull();
    expect(t.consume('made-up-ticket-made-up-ticket')).toBeNull();
    expect(t.consume(null)).toBeNull();
  });

  it('a user holds at most 64 unused tickets', () => {
    const t = new TicketStore(() => 0);
    for (let i = 0; i < 64; i++) expect(t.issue('tok', 'u-greedy')).not.toBeNull();
    expect(t.issue('tok', 'u-greedy')).toBeNull();
    expect(t.issue('tok', 'u-other')).not.toBeNull();
  });
});

describe('the client address (TRUST_PROXY hops)', () => {
  const req = (xff: string | undefined, socket = '10.0.0.9') =>
    ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress: socket } }) as unknown as IncomingMessage;
  it('counts from the right of X-Forwarded-For; the socket without a proxy or a header', () => {
    expect(clientAddress(req('1.1.1.1, 203.0.113.5'), 0)).toBe('10.0.0.9');
    expect(clientAddress(req('1.1.1.1, 203.0.113.5'), 1)).toBe('203.0.113.5');
    expect(clientAddress(req('1.1.1.1, 203.0.113.5, 10.0.0.2'), 2)).toBe('203.0.113.5');
    expect(clientAddress(req('203.0.113.5'), 2)).toBe('203.0.113.5');
    expect(clientAddress(req(undefined), 1)).toBe('10.0.0.9');
    expect(clientAddress(req('not-an-address'), 1)).toBe('10.0.0.9');
    expect(clientAddress(req('2001:db8::1'), 1)).toBe('2001:db8::1');
  });
});
