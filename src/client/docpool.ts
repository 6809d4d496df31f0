/**
 * DocPool: the lifetimes of the Yjs documents the app has open (DESIGN §3 sync/).
 *
 * `open(room)` returns a ref-counted handle. Per room: one Y.Doc, a y-indexeddb persistence (database
 * `eicp/<userId>/<room>`, so signing out wipes exactly that user's documents) whose content is loaded
 * before the handle reports `loaded`, and a y-websocket provider opened on demand. Sockets are
 * limited in number (idle ones, least recently used first, are closed to make room), idle documents
 * are closed after `idleMs` unless they still hold changes the server has not confirmed. Every socket opens
 * with a single-use ticket asked for with the current access token just before it connects
 * (src/client/ticket-socket.ts), so reconnects and offline → online always present a fresh one; a new access
 * token (refresh) reconnects the refused ones.
 * Final closes: 4401 → ask the session for a new token once, reconnect; else the session is over;
 * 4403 (or 4400, no such room) → the document is marked `denied` ("no access"); 4413 → `full` (the room reached
 * the server's size cap: what is waiting stays on the device).
 *
 * Sync state per document and in total comes from PendingTracker ("N changes waiting" / "all saved")
 * and the socket state. Framework-free: listeners, no Solid; `src/client/solid-bridge.ts` turns it into
 * signals. WebSocket and IndexedDB are injectable for Node tests (ws + fake-indexeddb).
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { PendingTracker } from './pending';
import { quietFirstLoad } from './quiet-load';
import { fetchTicket, ticketUrlOf, ticketWebSocket, type TicketAnswer } from './ticket-socket';
import { CLOSE } from '../protocol/sync';

export type Connection = 'idle' | 'connecting' | 'connected' | 'disconnected';
/** `full`: the room reached the server's size cap (4413): nothing more can be saved to it */
export type DocAccess = 'ok' | 'denied' | 'unauthorized' | 'full';

export interface DocStatus {
  room: string;
  /** local (IndexedDB) content is in the doc */
  loaded: boolean;
  connection: Connection;
  /** synced with the server on the current socket */
  synced: boolean;
  /** synced with the server at least once in this session */
  syncedOnce: boolean;
  /** the server's state is known (now or from an earlier session) */
  serverKnown: boolean;
  /** local changes the server has not confirmed */
  pending: number;
  access: DocAccess;
}

export interface PoolStatus {
  /** the browser says online and the sockets we want are connected (or none is wanted) */
  online: boolean;
  /** navigator.onLine (or the injected equivalent) */
  network: boolean;
  open: number;
  sockets: number;
  pending: number;
  /** first syncs in progress: `done` of `total` documents opened in this session */
  loading: { done: number; total: number };
  denied: string[];
  unauthorized: boolean;
}

export interface PersistenceLike {
  whenSynced: Promise<unknown>;
  destroy(): Promise<void> | void;
  get?(key: string): Promise<unknown>;
  set?(key: string, value: unknown): Promise<unknown>;
}

export interface DocPoolOptions {
  userId: string;
  /** e.g. `ws://127.0.0.1:8787/sync` or `wss://host/sync` */
  wsUrl: string;
  /** the current access token */
  getToken: () => string | null;
  /** asked once after a 4401: resolve to a new token, or null when the session is over (offline: keep trying) */
  onUnauthorized?: () => Promise<'ok' | 'offline' | 'invalid'>;
  WebSocketImpl?: typeof WebSocket;
  /** a ticket for the next socket (default: POST /api/sync/ticket of the wsUrl's origin with getToken()) */
  getTicket?: () => Promise<TicketAnswer>;
  /** the fetch used for tickets (default: the global fetch) */
  fetch?: typeof fetch;
  /** default: y-indexeddb under the global indexedDB; `null` = memory only */
  createPersistence?: ((dbName: string, doc: Y.Doc) => PersistenceLike) | null;
  indexedDB?: IDBFactory;
  /** default true: cross-tab BroadcastChannel would make "saved on the server" untrue */
  disableBc?: boolean;
  maxSockets?: number;
  idleMs?: number;
  /** a local change the server has not confirmed for this long on an open socket: reconnect to resync */
  stuckMs?: number;
  maxBackoffTime?: number;
  isOnline?: () => boolean;
}

export interface DocHandle {
  readonly room: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly whenLoaded: Promise<void>;
  status(): DocStatus;
  /** called on every status change of this doc */
  onStatus(fn: (s: DocStatus) => void): () => void;
  release(): void;
}

export const dbPrefix = (userId: string) => `eicp/${userId}/`;
const SV_KEY = 'serverStateVector';

/** One room's place in the pool: its doc, provider, IndexedDB store and reference count (not a ledger entry). */
class Slot {
  refs = 0;
  lastUsed = Date.now();
  idleTimer: ReturnType<typeof setTimeout> | null = null;
  stuckTimer: ReturnType<typeof setInterval> | null = null;
  readonly listeners = new Set<(s: DocStatus) => void>();
  readonly st: DocStatus;
  readonly provider: WebsocketProvider;
  readonly tracker: PendingTracker;
  readonly persistence: PersistenceLike | null;
  readonly whenLoaded: Promise<void>;
  authRetried = false;
  destroyed = false;
  wanted = false;

  constructor(
    readonly pool: DocPool,
    readonly room: string,
    readonly doc: Y.Doc,
  ) {
    const o = pool.opts;
    this.st = { room, loaded: false, connection: 'idle', synced: false, syncedOnce: false, serverKnown: false, pending: 0, access: 'ok' };
    this.persistence =
      o.createPersistence === null
        ? null
        : (o.createPersistence ?? ((name, d) => new IndexeddbPersistence(name, d) as unknown as PersistenceLike))(dbPrefix(o.userId) + room, doc);
    // the socket may open before IndexedDB has answered: then the load must reach it as an update
    if (this.persistence) quietFirstLoad(doc, this.persistence, () => !this.provider.wsconnected);
    this.provider = new WebsocketProvider(o.wsUrl, room, doc, {
      connect: false,
      disableBc: o.disableBc ?? true,
      maxBackoffTime: o.maxBackoffTime ?? 2500,
      WebSocketPolyfill: pool.socketClass,
    });
    const provider = this.provider;
    const persistence = this.persistence;
    this.tracker = new PendingTracker(doc, {
      isServerOrigin: (origin) => origin === provider,
      isRemoteOrigin: (origin) => origin === provider || (persistence !== null && origin === persistence),
      onChange: () => this.update({}),
      saveServerState: persistence?.set
        ? (sv) => {
            if (!this.destroyed) void persistence.set!(SV_KEY, sv)?.catch?.(() => {});
          }
        : undefined,
    });
    provider.on('status', ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connecting') {
        const ws = provider.ws as unknown as { addEventListener?: (t: string, f: (e: { data: unknown }) => void) => void } | null;
        ws?.addEventListener?.('message', (e) => {
          if (provider.ws !== (ws as unknown)) return;
          const d = e.data;
          if (d instanceof ArrayBuffer || d instanceof Uint8Array) this.tracker.onFrame(d);
        });
      }
      if (status === 'disconnected') this.tracker.onDisconnect();
      this.update({ connection: status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'disconnected', synced: provider.synced });
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) this.authRetried = false;
      this.update({ synced, syncedOnce: this.st.syncedOnce || synced, serverKnown: this.st.serverKnown || synced });
    });
    provider.on('connection-close', () => {
      this.tracker.onDisconnect();
      this.update({ connection: provider.shouldConnect ? 'connecting' : 'disconnected', synced: false });
    });
    provider.on('closed', ({ code }: { code: number; reason: string }) => {
      void this.onFinalClose(code);
    });
    this.whenLoaded = this.load();
  }

  private async load(): Promise<void> {
    try {
      globalThis.performance?.mark?.(`docpool:open:${this.room}`);
    } catch {
      /* no User Timing */
    }
    const persistence = this.persistence;
    if (persistence) {
      try {
        // the server's state vector is read alongside the updates (one IndexedDB round trip less)
        const [, sv] = await Promise.all([persistence.whenSynced, Promise.resolve(persistence.get?.(SV_KEY)).catch(() => undefined)]);
        if (sv instanceof Uint8Array) this.tracker.restore(sv);
        else if (sv instanceof ArrayBuffer) this.tracker.restore(new Uint8Array(sv));
      } catch {
        /* IndexedDB unavailable: memory only */
      }
    }
    if (this.destroyed) return;
    try {
      globalThis.performance?.mark?.(`docpool:loaded:${this.room}`);
    } catch {
      /* no User Timing */
    }
    this.update({ loaded: true, serverKnown: this.st.serverKnown || this.tracker.knowsServer });
  }

  private async onFinalClose(code: number): Promise<void> {
    if (this.destroyed) return;
    // 4400: the room names nothing the server knows; 4403: no right, or a refused write
    if (code === CLOSE.forbidden || code === CLOSE.badRoom) {
      this.update({ access: 'denied', connection: 'disconnected' });
      this.pool.changed();
      return;
    }
    if (code === CLOSE.roomFull) {
      this.update({ access: 'full', connection: 'disconnected' });
      this.pool.changed();
      return;
    }
    if (code === CLOSE.unauthorized) {
      this.update({ access: 'unauthorized', connection: 'disconnected' });
      if (this.authRetried) {
        this.pool.authFailed();
        return;
      }
      this.authRetried = true;
      await this.pool.reauthenticate();
      return;
    }
    this.update({ connection: 'disconnected' });
  }

  connect(): void {
    if (this.destroyed || this.st.access === 'denied') return;
    this.wanted = true;
    if (!this.provider.ws) {
      this.pool.makeRoomForSocket(this);
      this.provider.connect();
    }
    this.startStuckWatch();
  }

  disconnect(): void {
    this.wanted = false;
    this.provider.disconnect();
    this.update({ connection: 'idle', synced: false });
  }

  /** a change the server has not confirmed for long on an open socket: reconnect (the greeting resyncs) */
  private startStuckWatch(): void {
    if (this.stuckTimer) return;
    const ms = this.pool.opts.stuckMs ?? 20_000;
    this.stuckTimer = setInterval(
      () => {
        const t = this.tracker;
        if (!this.provider.wsconnected || !t.oldestAt || Date.now() - t.oldestAt < ms) return;
        t.oldestAt = Date.now();
        this.provider.disconnect();
        this.provider.connect();
      },
      Math.max(1000, ms / 2),
    );
    (this.stuckTimer as { unref?: () => void }).unref?.();
  }

  update(patch: Partial<DocStatus>): void {
    if (this.destroyed) return;
    Object.assign(this.st, patch, { pending: this.tracker.count() });
    const snap = { ...this.st };
    for (const l of this.listeners) l(snap);
    this.pool.changed();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.tracker.flush();
    this.destroyed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.stuckTimer) clearInterval(this.stuckTimer);
    this.tracker.destroy();
    this.provider.destroy();
    try {
      await this.persistence?.destroy();
    } catch {
      /* closed */
    }
    this.doc.destroy();
    this.listeners.clear();
  }
}

export class DocPool {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(s: PoolStatus) => void>();
  private notifyQueued = false;
  private readonly isOnline: () => boolean;
  private unauthorized = false;
  private disposed = false;
  /** y-websocket's WebSocket class: each socket asks for its own ticket first */
  readonly socketClass: typeof WebSocket;
  private readonly onOnline = () => {
    for (const e of this.slots.values()) if (e.wanted && !e.provider.ws) e.connect();
    this.changed();
  };
  private readonly onOffline = () => this.changed();

  constructor(readonly opts: DocPoolOptions) {
    this.isOnline = opts.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine !== false));
    const ticketUrl = ticketUrlOf(opts.wsUrl);
    this.socketClass = ticketWebSocket(
      opts.getTicket ?? (() => fetchTicket(ticketUrl, opts.getToken(), opts.fetch)),
      opts.WebSocketImpl ?? globalThis.WebSocket,
    );
    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
  }

  get userId(): string {
    return this.opts.userId;
  }

  /** open (or share) the document of `room`; connect its socket unless `connect: false` */
  open(room: string, o: { connect?: boolean } = {}): DocHandle {
    if (this.disposed) throw new Error('DocPool is disposed');
    let e = this.slots.get(room);
    if (!e) {
      e = new Slot(this, room, new Y.Doc());
      this.slots.set(room, e);
      this.remember(room);
    }
    const slot = e;
    slot.refs++;
    slot.lastUsed = Date.now();
    if (slot.idleTimer) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
    }
    if (o.connect !== false && !this.unauthorized) slot.connect();
    this.changed();
    let released = false;
    return {
      room,
      doc: slot.doc,
      awareness: slot.provider.awareness,
      whenLoaded: slot.whenLoaded,
      status: () => ({ ...slot.st }),
      onStatus: (fn) => {
        slot.listeners.add(fn);
        return () => slot.listeners.delete(fn);
      },
      release: () => {
        if (released) return;
        released = true;
        this.release(slot);
      },
    };
  }

  private release(e: Slot): void {
    e.refs = Math.max(0, e.refs - 1);
    e.lastUsed = Date.now();
    if (e.refs === 0) {
      // presence: we are no longer in this document
      e.provider.awareness.setLocalState(null);
      this.scheduleIdle(e);
    }
    this.changed();
  }

  private scheduleIdle(e: Slot): void {
    if (e.idleTimer) clearTimeout(e.idleTimer);
    e.idleTimer = setTimeout(() => {
      e.idleTimer = null;
      if (e.refs > 0 || e.destroyed) return;
      if (e.tracker.count() > 0 && this.isOnline()) {
        this.scheduleIdle(e);
        return;
      } // keep until the server has it
      void this.close(e);
    }, this.opts.idleMs ?? 60_000);
    (e.idleTimer as { unref?: () => void }).unref?.();
  }

  private async close(e: Slot): Promise<void> {
    if (this.slots.get(e.room) === e) this.slots.delete(e.room);
    await e.destroy();
    this.changed();
  }

  /** before opening a socket: close idle ones (no refs, nothing waiting), least recently used first */
  makeRoomForSocket(except: Slot): void {
    const max = this.opts.maxSockets ?? 8;
    const live = [...this.slots.values()].filter((x) => x !== except && x.provider.ws !== null);
    if (live.length < max) return;
    const idle = live.filter((x) => x.refs === 0 && x.tracker.count() === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const x of idle.slice(0, live.length - max + 1)) void this.close(x);
    // documents in use are never starved: above the limit only while all sockets are in use
  }

  /** sockets currently open or opening */
  get socketCount(): number {
    let n = 0;
    for (const e of this.slots.values()) if (e.provider.ws !== null) n++;
    return n;
  }

  /** a new access token (getToken() answers it): refused sockets reconnect, each asking for a ticket with it */
  setToken(_token: string): void {
    this.unauthorized = false;
    for (const e of this.slots.values()) {
      if (e.st.access === 'unauthorized') {
        e.update({ access: 'ok' });
        if (e.wanted || e.refs > 0) e.connect();
      } else if (e.refs > 0 && !e.provider.ws && !e.wanted) {
        e.connect();
      }
    }
    this.changed();
  }

  private reauth: Promise<void> | null = null;
  /** one 4401: ask the session for a new token (once for all docs) */
  reauthenticate(): Promise<void> {
    if (this.reauth) return this.reauth;
    this.reauth = (async () => {
      const r = this.opts.onUnauthorized ? await this.opts.onUnauthorized() : 'invalid';
      if (r === 'ok') {
        const t = this.opts.getToken();
        if (t) this.setToken(t);
      } else if (r === 'invalid') this.authFailed();
      // offline: the 'online' event or the session's next refresh calls setToken
    })().finally(() => {
      this.reauth = null;
    });
    return this.reauth;
  }

  authFailed(): void {
    this.unauthorized = true;
    this.changed();
  }

  status(): PoolStatus {
    let pending = 0,
      sockets = 0,
      open = 0,
      wanted = 0,
      connected = 0,
      done = 0,
      total = 0;
    const denied: string[] = [];
    for (const e of this.slots.values()) {
      pending += e.st.pending;
      if (e.provider.ws !== null) sockets++;
      if (e.refs > 0) open++;
      if (e.st.access === 'denied') {
        denied.push(e.room);
        continue;
      }
      if (e.wanted) {
        wanted++;
        if (e.provider.wsconnected) connected++;
        if (e.refs > 0) {
          total++;
          if (e.st.syncedOnce) done++;
        }
      }
    }
    const network = this.isOnline();
    return {
      online: network && !this.unauthorized && (wanted === 0 || connected > 0),
      network,
      open,
      sockets,
      pending,
      loading: { done, total },
      denied,
      unauthorized: this.unauthorized,
    };
  }

  subscribe(fn: (s: PoolStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** coalesced notification of pool listeners */
  changed(): void {
    if (this.notifyQueued || this.disposed) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      const s = this.status();
      for (const l of this.listeners) l(s);
    });
  }

  /** rooms this user has stored locally (kept in localStorage as a fallback to indexedDB.databases()) */
  private remember(room: string): void {
    try {
      if (typeof localStorage === 'undefined') return;
      const k = `eicp.rooms.${this.opts.userId}`;
      const set = new Set<string>(JSON.parse(localStorage.getItem(k) ?? '[]') as string[]);
      if (!set.has(room)) {
        set.add(room);
        localStorage.setItem(k, JSON.stringify([...set]));
      }
    } catch {
      /* ignore */
    }
  }

  /** close everything (keeps local data) */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    const all = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(all.map((e) => e.destroy()));
    this.listeners.clear();
  }

  /** close everything and delete this user's local databases (sign-out on a shared phone) */
  async wipe(): Promise<void> {
    await this.dispose();
    await wipeUserData(this.opts.userId, this.opts.indexedDB);
  }
}

/** delete every IndexedDB database of `userId` and its room list */
export async function wipeUserData(userId: string, idb?: IDBFactory): Promise<void> {
  const factory = idb ?? (typeof indexedDB !== 'undefined' ? indexedDB : undefined);
  if (!factory) return;
  const prefix = dbPrefix(userId);
  const names = new Set<string>();
  try {
    const k = `eicp.rooms.${userId}`;
    if (typeof localStorage !== 'undefined') {
      for (const r of JSON.parse(localStorage.getItem(k) ?? '[]') as string[]) names.add(prefix + r);
      localStorage.removeItem(k);
    }
  } catch {
    /* ignore */
  }
  try {
    if (typeof factory.databases === 'function') {
      for (const d of await factory.databases()) if (d.name?.startsWith(prefix)) names.add(d.name);
    }
  } catch {
    /* not supported */
  }
  await Promise.all(
    [...names].map(
      (name) =>
        new Promise<void>((resolve) => {
          const req = factory.deleteDatabase(name);
          req.onsuccess = () => resolve();
          req.onerror = () => resolve();
          req.onblocked = () => resolve();
        }),
    ),
  );
}

/** the WebSocket base URL of this origin: ws(s)://host/sync */
export function syncUrlOf(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/sync`;
}
