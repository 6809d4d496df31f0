/**
 * A WebSocket that asks for a single-use ticket (`POST /api/sync/ticket`) before it opens, and opens
 * `<url>?ticket=…`: the access token never travels in a URL (proxy logs, browser history), and a ticket is
 * good for one connection within 30 s. y-websocket creates a new socket for every (re)connect through
 * `new WebSocketPolyfill(url)`, synchronously; this class is that polyfill, so each reconnect (after a
 * server restart, offline → online, a stuck resync) fetches its own ticket.
 *
 * Until the real socket exists it is CONNECTING. When no ticket can be had it closes as a socket would:
 * 4401 when the server refused the access token (the pool then refreshes and reconnects, as for a socket
 * closed with 4401), 1006 when the server could not be reached (y-websocket backs off and tries again).
 * Framework-free: the browser's WebSocket, or `ws` in Node tests.
 */
import { SyncTicket } from '../protocol/auth';

export type TicketAnswer = { ticket: string } | { close: number; reason: string };
export type TicketSource = () => Promise<TicketAnswer>;

type Listener = (ev: unknown) => void;
type WsLike = {
  binaryType: string;
  readyState: number;
  send(data: unknown): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};
type WsCtor = new (url: string, protocols?: string | string[]) => WsLike;

/** the URL with `ticket` added as a query parameter (the room part stays as y-websocket spelled it) */
export const withTicket = (url: string, ticket: string) => `${url}${url.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`;

/** a WebSocket class for y-websocket's `WebSocketPolyfill` that opens each socket with a fresh ticket */
export function ticketWebSocket(getTicket: TicketSource, Base: unknown = globalThis.WebSocket): typeof WebSocket {
  const Real = Base as WsCtor;

  class TicketSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    binaryType = 'arraybuffer';
    onopen: Listener | null = null;
    onmessage: Listener | null = null;
    onclose: Listener | null = null;
    onerror: Listener | null = null;
    private inner: WsLike | null = null;
    private state = 0;
    private readonly listeners = new Map<string, Set<Listener>>();

    constructor(
      readonly url: string,
      protocols?: string | string[],
    ) {
      void getTicket().then(
        (a) => this.start(a, protocols),
        () => this.start({ close: 1006, reason: 'no ticket: the server could not be reached' }, protocols),
      );
    }

    get readyState(): number {
      return this.inner ? this.inner.readyState : this.state;
    }

    private start(a: TicketAnswer, protocols?: string | string[]): void {
      if (this.state !== 0) return; // closed while the ticket was on its way
      if ('close' in a) {
        this.finish(a.close, a.reason);
        return;
      }
      const ws = new Real(withTicket(this.url, a.ticket), protocols);
      ws.binaryType = this.binaryType;
      this.inner = ws;
      ws.onopen = (ev) => this.emit('open', ev);
      ws.onmessage = (ev) => this.emit('message', ev);
      ws.onerror = (ev) => this.emit('error', ev);
      ws.onclose = (ev) => {
        this.state = 3;
        this.emit('close', ev);
      };
    }

    private finish(code: number, reason: string): void {
      this.state = 3;
      this.emit('close', { code, reason, wasClean: false, type: 'close' });
    }

    private emit(type: string, ev: unknown): void {
      const h = (this as unknown as Record<string, Listener | null>)[`on${type}`];
      if (typeof h === 'function') h(ev);
      for (const l of this.listeners.get(type) ?? []) l(ev);
    }

    addEventListener(type: string, fn: Listener): void {
      let set = this.listeners.get(type);
      if (!set) this.listeners.set(type, (set = new Set()));
      set.add(fn);
    }

    removeEventListener(type: string, fn: Listener): void {
      this.listeners.get(type)?.delete(fn);
    }

    /** Node's `ws` API (tests read frames with `provider.ws.on('message', …)`): the open socket's own `on` */
    on(type: string, fn: (...args: unknown[]) => void): this {
      const inner = this.inner as unknown as { on?: (t: string, f: (...args: unknown[]) => void) => void } | null;
      if (typeof inner?.on === 'function') inner.on(type, fn);
      else this.addEventListener(type, (ev) => fn(type === 'message' ? (ev as { data?: unknown }).data : ev));
      return this;
    }

    send(data: unknown): void {
      if (!this.inner) throw new Error('WebSocket is not open');
      this.inner.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.inner) {
        this.inner.close(code, reason);
        return;
      }
      if (this.state !== 0) return;
      // before the ticket came: nothing to close; report it as a socket would, asynchronously
      this.state = 2;
      queueMicrotask(() => this.finish(code ?? 1000, reason ?? ''));
    }
  }
  return TicketSocket as unknown as typeof WebSocket;
}

/** the ticket endpoint of a sync URL: ws(s)://host/sync → http(s)://host/api/sync/ticket */
export function ticketUrlOf(wsUrl: string): string {
  const u = new URL(wsUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/api/sync/ticket`;
}

/**
 * Ask `ticketUrl` for a ticket with the access token `token` (null: signed out → 4401). A refused token
 * (401/403) → close 4401; anything else that is not a ticket → 1006 (y-websocket tries again).
 */
export async function fetchTicket(ticketUrl: string, token: string | null, f: typeof fetch = (...a) => fetch(...a)): Promise<TicketAnswer> {
  if (!token) return { close: 4401, reason: 'not signed in' };
  // known offline: no request (through the service worker, on the main thread's time) that can only fail
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { close: 1006, reason: 'offline' };
  let res: Response;
  try {
    res = await f(ticketUrl, {
      method: 'POST',
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
  } catch {
    return { close: 1006, reason: 'no ticket: the server could not be reached' };
  }
  if (res.status === 401 || res.status === 403) return { close: 4401, reason: 'token refused' };
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const r = SyncTicket.safeParse(body);
  if (!res.ok || !r.success) return { close: 1006, reason: `no ticket (${res.status})` };
  return { ticket: r.data.ticket };
}
