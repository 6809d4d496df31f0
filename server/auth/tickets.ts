/**
 * WebSocket tickets: the app opens `/sync/<room>?ticket=…` with a ticket from `POST /api/sync/ticket`
 * (Bearer), never with its access token in the URL (URLs end up in proxy logs and browser history).
 * A ticket is 32 random bytes, single use, and lives TICKET_TTL_SECONDS; it stands for the access token it
 * was issued against, which the relay then verifies as before (principal, token epoch, expiry: the socket
 * ends when that access token expires). In memory: a restart only makes the app ask for a new one.
 */
import { randomBytes } from 'node:crypto';

export const TICKET_TTL_SECONDS = 30;
/** tickets outstanding per user: a reconnecting app needs a handful; more is a misbehaving client */
const PER_USER = 64;
const MAX_TOTAL = 200_000;

interface Ticket {
  token: string;
  userId: string;
  expiresAt: number;
}

export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly ttlSeconds = TICKET_TTL_SECONDS,
  ) {}

  /** a ticket for an access token that has just been verified as `userId`'s; null when the user holds too many */
  issue(token: string, userId: string): string | null {
    const now = this.now();
    if ((this.perUser.get(userId) ?? 0) >= PER_USER || this.tickets.size >= MAX_TOTAL) this.sweep(now);
    if ((this.perUser.get(userId) ?? 0) >= PER_USER || this.tickets.size >= MAX_TOTAL) return null;
    const ticket = randomBytes(32).toString('base64url');
    this.tickets.set(ticket, { token, userId, expiresAt: now + this.ttlSeconds * 1000 });
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    return ticket;
  }

  /** the access token a ticket stands for, once: a second use, an unknown or an expired ticket give null */
  consume(ticket: string | null | undefined): string | null {
    if (!ticket || ticket.length > 128) return null;
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.drop(ticket, t);
    return t.expiresAt > this.now() ? t.token : null;
  }

  private drop(key: string, t: Ticket): void {
    this.tickets.delete(key);
    const n = (this.perUser.get(t.userId) ?? 1) - 1;
    if (n > 0) this.perUser.set(t.userId, n);
    else this.perUser.delete(t.userId);
  }

  private sweep(now: number): void {
    for (const [k, t] of this.tickets) if (t.expiresAt <= now) this.drop(k, t);
  }
}
