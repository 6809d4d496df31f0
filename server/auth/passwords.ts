/**
 * Password hashes: scrypt from node:crypto, a random 16-byte salt per user, parameters stored with the
 * hash (`scrypt$N$r$p$salt$hash`, base64url) so they can be raised later: `needsRehash` tells a sign-in
 * that the stored hash has older parameters, and the caller stores a new one (transparent rehash).
 * Compared in constant time.
 *
 * Every scrypt call goes through one small queue (SCRYPT_CONCURRENCY at a time): N = 2^17 costs ~0.4 s and
 * 128 MiB, and a burst of sign-ins must neither take all of libuv's thread pool (file I/O and DNS share it)
 * nor the memory. A full queue answers `PasswordsBusy` (the route says 503, try again).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DEMO_PASSWORD } from '../seed/constants';

/** the current parameters: N = 2^17 (OWASP's scrypt minimum), r = 8, p = 1 */
export const SCRYPT_N = 1 << 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) is below that for N = 2^17 */
const maxmemOf = (n: number, r: number) => 128 * n * r * 2;

/** scrypt calls running at once (libuv's pool has 4 threads by default: two stay free for everything else) */
export const SCRYPT_CONCURRENCY = 2;
/** calls waiting beyond this are refused at once: the limiter keeps honest traffic far below it */
const MAX_WAITING = 256;

export class PasswordsBusy extends Error {
  override readonly name = 'PasswordsBusy';
}

let running = 0;
const waiting: (() => void)[] = [];

/** run `fn` when a queue slot is free */
async function queued<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= SCRYPT_CONCURRENCY) {
    if (waiting.length >= MAX_WAITING) throw new PasswordsBusy('password hashing queue is full');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await fn();
  } finally {
    // hand the slot straight to the next waiter (running stays the same), or free it
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** scrypt calls running and waiting now (tests, metrics) */
export const scryptQueue = () => ({ running, waiting: waiting.length });

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return queued(
    () => new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

async function freshHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N: SCRYPT_N, r: R, p: P, maxmem: maxmemOf(SCRYPT_N, R) });
  return `scrypt$${SCRYPT_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * The published demo password is hashed once per process: the demo seed gives it to every demo account
 * (thousands at city scale), and a salt of its own per account protects nothing that the README does not
 * already publish. No user can choose it (passwordProblem: at least 10 characters).
 */
let demoHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  if (password === DEMO_PASSWORD) {
    demoHash ??= freshHash(password);
    return demoHash;
  }
  return freshHash(password);
}

interface Params {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  expected: Buffer;
}

function parse(stored: string): Params | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20 || r > 32 || p > 16) return null;
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return null;
  return { n, r, p, salt: Buffer.from(parts[4], 'base64url'), expected };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const x = parse(stored);
  if (!x) return false;
  const key = await scrypt(password, x.salt, x.expected.length, { N: x.n, r: x.r, p: x.p, maxmem: maxmemOf(x.n, x.r) });
  return timingSafeEqual(key, x.expected);
}

/** the stored hash has weaker parameters than today's: hash the password again at this sign-in */
export function needsRehash(stored: string): boolean {
  const x = parse(stored);
  return !x || x.n < SCRYPT_N || x.r !== R || x.p !== P || x.expected.length < KEYLEN;
}

/** A hash of a random password: verifying against it costs the same as a real account (unknown user names). */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
