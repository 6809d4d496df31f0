/**
 * The client's address. Behind `hops` trusted reverse proxies (TRUST_PROXY) it is the entry `hops` places
 * from the RIGHT of X-Forwarded-For: each proxy appends the address it received the request from, so the
 * right end was written by our proxies and everything to the left of it by whoever sent the request (a
 * forged leftmost address changes nothing). Too few entries: the leftmost one (what the outermost of our
 * proxies saw); no header, or an entry that is not an IP address: the socket's address.
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export function clientAddress(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) return socket;
  const pick = list[Math.max(0, list.length - hops)];
  return isIP(pick) ? pick : socket;
}
