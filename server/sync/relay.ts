/**
 * The sync relay: the y-websocket protocol (y-protocols sync + awareness over `ws`), in the shape of the
 * stock server's utils.js, plus what it lacks (DESIGN §7):
 *  - auth at upgrade (JWT) and per-room rights from src/domain/rights.ts; refusals are accepted, then
 *    closed: 4401 no/bad/expired token, 4400 not a room name, 4403 no right to the room;
 *  - read-only sessions: sync step 2 and update messages ([0,1], [0,2]) from readers are dropped;
 *  - append-only rooms: updates checked on the decoded form before anything is stored (checks.ts);
 *    a refused update closes that connection with 4403;
 *  - every accepted update is stored before it is applied and relayed (so "another client got it"
 *    proves it is durable); the log is compacted into a snapshot past a threshold;
 *  - awaited loading: a doc is loaded from the store before the first sync message is sent or any
 *    message of that room is processed (early messages are queued);
 *  - idle docs are compacted and unloaded; a cap on loaded docs (1013 past it); maxPayload; a
 *    per-connection token bucket (1008 when exceeded); malformed frames close that connection (1002),
 *    never the process.
 * And what a hostile client must not bend (README, Security model):
 *  - a room must name something that exists (`roomExists`); sockets are capped per user and per IP;
 *  - every update's shape is checked first (structure.ts): nothing may stay pending;
 *  - a client id belongs to the first user who writes under it (client-ids.ts);
 *  - a room's stored size is capped (4413); new records in append-only rooms have a daily quota per user;
 *  - a session that keeps sending refused updates is closed (1008);
 *  - presence (awareness) states are parsed, capped, carry the sender's own identity, and only for client
 *    ids that session uses.
 */
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { IncomingMessage } from 'node:http';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';
import { parseRoom, isAppendOnly, type RoomRef } from '../../src/domain/rooms';
import { access, canRead, canWrite, type Access, type RoomFacts } from '../../src/domain/rights';
import type { Principal } from '../../src/domain/schemas';
import type { DocStore } from '../store/docstore';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { VerifyResult } from '../auth/tokens';
import { TokenBucket } from '../auth/ratelimit';
import { checkAppendOnly, isEmptyUpdate } from './guards/append-only';
import { checkStructure } from './guards/structure';
import { NOBODY, type ClientOwners } from './guards/client-ids';
import { MAX_PRESENCE_BYTES, MAX_PRESENCE_IDS, PresenceState } from '../../src/protocol/presence';
import { CLOSE, MSG_AWARENESS, MSG_QUERY_AWARENESS, MSG_SYNC } from '../../src/protocol/sync';

// close codes and message types are the wire contract the app reads too (src/protocol/sync.ts)
export { CLOSE };

/** refused updates (dropped, quarantined, over quota, bad presence) a session may send before it is closed */
const MAX_REFUSED_PER_CONN = 16;
/** refused records a session may send before it is closed (one update may carry many) */
const MAX_REFUSED_RECORDS_PER_CONN = 64;
const DAY_MS = 86_400_000;
const MAX_PRESENCE_CLOCK = 2 ** 31;

const OPEN = 1;
const PING_INTERVAL_MS = 30_000;
const MAX_BUFFERED = 32 * 1024 * 1024;
const DONE: Promise<void> = Promise.resolve();
/** ws's public frame builder (not in @types/ws): returns the header and the payload */
const { frame: wsFrame } = (
  wsModule as unknown as {
    Sender: { frame(data: Buffer, o: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
  }
).Sender;

/** a message and its WebSocket frame (header + payload in one buffer) */
interface Framed {
  wire: Buffer;
  data: Buffer;
}

/**
 * Frame a binary message once, for every session it goes to: ws's Sender.frame is public for exactly
 * this (broadcasts); one write per socket instead of ws.send's cork + writev of header and payload.
 */
function framed(msg: Uint8Array): Framed {
  const data = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength);
  return { data, wire: Buffer.concat(wsFrame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false })) };
}

export interface RelayOptions {
  store: DocStore;
  log: Logger;
  metrics: Metrics;
  verifyToken: (token: string | null) => Promise<VerifyResult>;
  facts: (room: RoomRef) => RoomFacts;
  /**
   * Server-side validation of a client's update before it is stored (after the append-only check):
   * plan status keys only the server sets, ledger signatures, record schemas. `refuse` closes the
   * connection with 4403 like an append-only violation; `quarantine` drops the update without closing
   * (the vetting function keeps the bytes), since a client that is closed resends the same update forever.
   */
  vet?: (c: VetContext) => VetResult | Promise<VetResult>;
  /** called after an update was applied to a doc (server-side projections, e.g. plan publication) */
  onApplied?: (room: string, ref: RoomRef, doc: Y.Doc) => void;
  /** client-id ownership (client-ids.ts); without it ids are not checked */
  owners?: ClientOwners;
  /** does the room name something that exists (an agency, a year in range, an enterprise)? default: yes */
  roomExists?: (ref: RoomRef) => boolean;
  /** the client's address (behind a proxy: from X-Forwarded-For); default: the socket's */
  clientIp?: (req: IncomingMessage) => string;
  maxSocketsPerUser?: number;
  maxSocketsPerIp?: number;
  /** stored bytes of one room past which clients' writes are refused (4413) */
  maxRoomBytes?: number;
  /** new structs (records) one user may add to append-only rooms a day */
  appendQuotaPerDay?: number;
  maxDocs: number;
  idleEvictMs: number;
  msgRate: number;
  msgBurst: number;
  compactUpdates: number;
  compactBytes: number;
}

export interface VetContext {
  room: string;
  ref: RoomRef;
  /** the doc before the update (do not modify) */
  doc: Y.Doc;
  update: Uint8Array;
  decoded: ReturnType<typeof Y.decodeUpdate>;
  principal: Principal;
}
/**
 * `accepted` (quarantine only): the part of the update that passed (other clients' records), stored as usual;
 * `count`: how many records were refused (a session that keeps sending refused records is closed)
 */
export type VetResult = { ok: true } | { ok: false; action: 'refuse' | 'quarantine'; reason: string; detail?: string; accepted?: Uint8Array; count?: number };

class Conn {
  closed = false;
  /** refused updates and records of this session (closed past MAX_REFUSED_*) */
  refused = 0;
  refusedRecords = 0;
  readonly controlledIds = new Set<number>();
  readonly bucket: TokenBucket;
  constructor(
    readonly ws: WebSocket,
    readonly principal: Principal,
    readonly access: Access,
    readonly id: number,
    rate: number,
    burst: number,
    readonly ip: string,
  ) {
    this.bucket = new TokenBucket(rate, burst);
  }
  get writable(): boolean {
    return canWrite(this.access);
  }
}

class SharedDoc {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Conn>();
  /** serialises loading, message handling, compaction and eviction of this doc */
  private queue: Promise<void>;
  /** tasks started and not settled; at 0 a task runs at once, in the caller's turn */
  private busy = 0;
  ready = false;
  failed = false;
  evictTimer: NodeJS.Timeout | null = null;
  updatesSinceSnapshot = 0;
  bytesSinceSnapshot = 0;
  lastId = 0;
  /** bytes of the stored snapshot and update log (MAX_ROOM_BYTES) */
  storedBytes = 0;
  /** who owns each client id that wrote here (client-ids.ts); null until loaded or when not tracked */
  owners: Map<number, string> | null = null;
  /** last session change or server read/change (ms), for evicting idle docs at the cap */
  lastUsed = Date.now();

  constructor(
    readonly name: string,
    readonly ref: RoomRef,
    after: Promise<void>,
  ) {
    this.awareness.setLocalState(null);
    this.queue = Promise.resolve();
    this.track(after);
  }

  /**
   * Run fn after every task queued before it. When nothing is queued, fn runs synchronously: a message
   * whose handling needs no asynchronous step (most updates) is stored, applied and relayed within the
   * socket's data callback, as the stock server does, without a chain of promises per message.
   */
  run(fn: () => Promise<void> | void): Promise<void> {
    if (this.busy === 0) {
      let r: Promise<void> | void;
      try {
        r = fn();
      } catch (err) {
        return Promise.reject(err);
      }
      return r ? this.track(r) : DONE;
    }
    return this.track(this.queue.then(fn));
  }

  private track(p: Promise<void>): Promise<void> {
    this.busy++;
    this.queue = p.then(
      () => {
        this.busy--;
      },
      () => {
        this.busy--;
      },
    );
    return p;
  }
}

export class Relay {
  private readonly docs = new Map<string, SharedDoc>();
  /** tails of docs being unloaded: a reload of the same room waits for them */
  private readonly draining = new Map<string, Promise<void>>();
  private connSeq = 0;
  private closing = false;
  private readonly socketsByUser = new Map<string, number>();
  private readonly socketsByIp = new Map<string, number>();
  /** new records appended today per user: [day number, count] */
  private readonly appended = new Map<string, [number, number]>();
  private readonly userSocketCap: number;

  constructor(private readonly o: RelayOptions) {
    // one user may hold at most a quarter of the loaded-docs cap (but 8 at least: one tab's sockets), so that
    // one user never starves the others
    this.userSocketCap = Math.min(o.maxSocketsPerUser ?? Infinity, Math.max(8, Math.ceil(o.maxDocs / 4)));
  }

  get loadedDocs(): number {
    return this.docs.size;
  }

  /** handle a WebSocket accepted on /sync/<room> */
  handleConnection(ws: WebSocket, req: IncomingMessage, roomName: string, token: string | null): void {
    ws.binaryType = 'nodebuffer';
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let onMessage: ((m: Uint8Array) => void) | null = null;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.refuse(ws, CLOSE.protocol, 'binary frames only');
        return;
      }
      const m = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (onMessage) onMessage(m);
      else {
        earlyBytes += m.byteLength;
        if (early.length > 64 || earlyBytes > 4 * 1024 * 1024) {
          this.refuse(ws, CLOSE.policy, 'too many messages before the session opened');
          return;
        }
        early.push(m);
      }
    });
    ws.on('error', (err) => this.o.log.debug('ws error', { err }));

    void (async () => {
      const v = await this.o.verifyToken(token);
      if (ws.readyState !== OPEN) return;
      if (!v.ok) {
        this.refuse(ws, CLOSE.unauthorized, v.reason === 'expired' ? 'token expired' : v.reason === 'missing' ? 'token missing' : 'token invalid');
        return;
      }
      const ref = parseRoom(roomName);
      if (!ref) {
        this.refuse(ws, CLOSE.badRoom, 'unknown room');
        return;
      }
      if (this.o.roomExists && !this.o.roomExists(ref)) {
        this.refuse(ws, CLOSE.badRoom, 'no such room');
        return;
      }
      const acc = access(v.principal, ref, this.o.facts(ref));
      if (!canRead(acc)) {
        this.refuse(ws, CLOSE.forbidden, 'no access to this room');
        return;
      }
      if (this.closing) {
        this.refuse(ws, CLOSE.goingAway, 'server shutting down');
        return;
      }
      const ip = this.o.clientIp?.(req) ?? req.socket.remoteAddress ?? 'unknown';
      if ((this.socketsByUser.get(v.principal.userId) ?? 0) >= this.userSocketCap) {
        this.refuse(ws, CLOSE.policy, 'too many open documents for this user');
        return;
      }
      if ((this.socketsByIp.get(ip) ?? 0) >= (this.o.maxSocketsPerIp ?? Infinity)) {
        this.refuse(ws, CLOSE.policy, 'too many connections from this address');
        return;
      }
      let sd = this.docs.get(roomName);
      if (!sd) {
        if (this.docs.size >= this.o.maxDocs) this.evictIdle(this.docs.size - this.o.maxDocs + 1);
        if (this.docs.size >= this.o.maxDocs) {
          this.refuse(ws, CLOSE.tryAgain, 'too many open documents, try again later');
          return;
        }
        sd = this.loadDoc(roomName, ref);
      }
      const conn = new Conn(ws, v.principal, acc, ++this.connSeq, this.o.msgRate, this.o.msgBurst, ip);
      this.attach(sd, conn);
      // a session lives no longer than its token: a revoked or signed-out user loses the socket too;
      // the client refreshes its token on 4401 and reconnects (the greeting resyncs)
      if (v.expiresAt !== undefined) {
        const expire = setTimeout(
          () => {
            if (!conn.closed) this.closeConn(sd, conn, CLOSE.unauthorized, 'token expired');
          },
          Math.max(0, v.expiresAt - Date.now()),
        );
        expire.unref();
        ws.once('close', () => clearTimeout(expire));
      }
      onMessage = (m) => this.onMessage(sd, conn, m);
      // queued behind loading: the first sync step goes out once the doc is loaded
      void sd.run(() => this.greet(sd, conn));
      for (const m of early.splice(0)) onMessage(m);
    })().catch((err) => {
      this.o.log.error('connection setup failed', { err, room: roomName });
      this.refuse(ws, CLOSE.internal, 'internal error');
    });
  }

  private refuse(ws: WebSocket, code: number, reason: string): void {
    this.o.metrics.wsRefused.inc({ code: String(code) });
    try {
      ws.close(code, reason);
    } catch {
      /* already closed */
    }
    // a peer that ignores the close handshake is cut off
    setTimeout(() => {
      if (ws.readyState !== 3) ws.terminate();
    }, 5000).unref();
  }

  private loadDoc(name: string, ref: RoomRef): SharedDoc {
    const after = this.draining.get(name) ?? Promise.resolve();
    const sd = new SharedDoc(name, ref, after);
    this.docs.set(name, sd);
    this.o.metrics.docsLoaded.set(this.docs.size);
    sd.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin instanceof Conn) {
        for (const id of added) origin.controlledIds.add(id);
        for (const id of removed) origin.controlledIds.delete(id);
      }
      const changed = added.concat(updated, removed);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MSG_AWARENESS);
      encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(sd.awareness, changed));
      const f = framed(encoding.toUint8Array(enc));
      for (const c of sd.conns.values()) this.sendFramed(sd, c, f);
    });
    void sd
      .run(async () => {
        const t0 = Date.now();
        const rows = await this.o.store.load(name);
        let bad = 0;
        for (const r of rows) {
          try {
            Y.applyUpdate(sd.doc, r.data, 'load');
          } catch (err) {
            bad++;
            this.o.log.error('stored update failed to apply', { room: name, id: r.id, err });
          }
          sd.lastId = r.id;
          sd.storedBytes += r.data.byteLength;
          if (!r.snapshot) {
            sd.updatesSinceSnapshot++;
            sd.bytesSinceSnapshot += r.data.byteLength;
          }
        }
        if (this.o.owners) sd.owners = this.o.owners.load(name, ref, sd.doc);
        sd.ready = true;
        this.o.log.debug('doc loaded', { room: name, rows: rows.length, bad, ms: Date.now() - t0 });
      })
      .catch((err) => {
        sd.failed = true;
        this.o.log.error('doc load failed', { room: name, err });
        for (const c of [...sd.conns.values()]) this.closeConn(sd, c, CLOSE.internal, 'document failed to load');
        if (this.docs.get(name) === sd) {
          this.docs.delete(name);
          this.o.metrics.docsLoaded.set(this.docs.size);
        }
      });
    return sd;
  }

  private attach(sd: SharedDoc, conn: Conn): void {
    sd.lastUsed = Date.now();
    if (sd.evictTimer) {
      clearTimeout(sd.evictTimer);
      sd.evictTimer = null;
    }
    sd.conns.set(conn.ws, conn);
    bump(this.socketsByUser, conn.principal.userId, 1);
    bump(this.socketsByIp, conn.ip, 1);
    this.o.metrics.connections.inc();
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        this.closeConn(sd, conn, CLOSE.goingAway, 'no pong');
        return;
      }
      alive = false;
      try {
        conn.ws.ping();
      } catch {
        this.closeConn(sd, conn, CLOSE.goingAway, 'ping failed');
      }
    }, PING_INTERVAL_MS);
    conn.ws.on('pong', () => {
      alive = true;
    });
    conn.ws.on('close', () => {
      clearInterval(ping);
      this.detach(sd, conn);
    });
    this.o.log.debug('session opened', { room: sd.name, user: conn.principal.userId, access: conn.access, conn: conn.id });
  }

  private detach(sd: SharedDoc, conn: Conn): void {
    if (!sd.conns.has(conn.ws)) return;
    conn.closed = true;
    sd.conns.delete(conn.ws);
    bump(this.socketsByUser, conn.principal.userId, -1);
    bump(this.socketsByIp, conn.ip, -1);
    this.o.metrics.connections.dec();
    sd.lastUsed = Date.now();
    if (conn.controlledIds.size) awarenessProtocol.removeAwarenessStates(sd.awareness, [...conn.controlledIds], null);
    if (sd.conns.size === 0) this.scheduleEvict(sd);
  }

  private closeConn(sd: SharedDoc, conn: Conn, code: number, reason: string): void {
    if (code !== CLOSE.goingAway) this.o.metrics.wsRefused.inc({ code: String(code) });
    this.detach(sd, conn);
    try {
      conn.ws.close(code, reason);
    } catch {
      /* closed */
    }
    setTimeout(() => {
      if (conn.ws.readyState !== 3) conn.ws.terminate();
    }, 5000).unref();
  }

  private send(sd: SharedDoc, conn: Conn, msg: Uint8Array): void {
    this.sendFramed(sd, conn, framed(msg));
  }

  /**
   * One framed binary message onto the connection's socket. ws writes its own frames (pings, close) to
   * the same socket in order and never holds any back when no extension is negotiated (perMessageDeflate
   * is off), so a pre-built frame can go straight to the socket; otherwise ws.send frames it itself.
   */
  private sendFramed(sd: SharedDoc, conn: Conn, f: Framed): void {
    if (conn.closed || conn.ws.readyState !== OPEN) return;
    if (conn.ws.bufferedAmount > MAX_BUFFERED) {
      this.closeConn(sd, conn, CLOSE.tryAgain, 'client too slow');
      return;
    }
    const socket = (conn.ws as unknown as { _socket?: import('node:net').Socket })._socket;
    const done = (err?: Error | null) => {
      if (err) this.closeConn(sd, conn, CLOSE.goingAway, 'send failed');
    };
    if (socket && conn.ws.extensions === '') socket.write(f.wire, done);
    else conn.ws.send(f.data, done);
  }

  /**
   * Relay an applied update to every session of the room, the sender too (its echo is how a client learns
   * that the server holds its change: src/client/pending.ts), as the bytes that were stored (`frame` when
   * the received message can go out unchanged). Not from the doc's 'update' event: Yjs would re-encode
   * every transaction for it (≈17 µs per update under bench:sync's load).
   */
  private broadcast(sd: SharedDoc, update: Uint8Array, frame: Uint8Array | null): void {
    if (sd.conns.size === 0) return;
    let msg = frame;
    if (!msg) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MSG_SYNC);
      syncProtocol.writeUpdate(enc, update);
      msg = encoding.toUint8Array(enc);
    }
    const f = framed(msg);
    for (const c of sd.conns.values()) this.sendFramed(sd, c, f);
  }

  private greet(sd: SharedDoc, conn: Conn): void {
    if (conn.closed || !sd.ready) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    syncProtocol.writeSyncStep1(enc, sd.doc);
    this.send(sd, conn, encoding.toUint8Array(enc));
    const states = sd.awareness.getStates();
    if (states.size > 0) {
      const e2 = encoding.createEncoder();
      encoding.writeVarUint(e2, MSG_AWARENESS);
      encoding.writeVarUint8Array(e2, awarenessProtocol.encodeAwarenessUpdate(sd.awareness, [...states.keys()]));
      this.send(sd, conn, encoding.toUint8Array(e2));
    }
  }

  private onMessage(sd: SharedDoc, conn: Conn, m: Uint8Array): void {
    if (conn.closed) return;
    if (!conn.bucket.take()) {
      this.o.metrics.updatesRejected.inc({ reason: 'rate' });
      this.closeConn(sd, conn, CLOSE.policy, 'message rate exceeded');
      return;
    }
    // copy: the frame buffer is not ours once this tick ends
    const msg = new Uint8Array(m);
    const fail = (err: unknown) => {
      this.o.log.warn('message handling failed', { room: sd.name, conn: conn.id, err });
      this.o.metrics.updatesRejected.inc({ reason: 'malformed' });
      this.closeConn(sd, conn, CLOSE.protocol, 'malformed message');
    };
    // a message that fails synchronously closes the session at once, before the next frame of the same
    // chunk (handled in this same turn) could be answered
    const done = sd.run(() => {
      try {
        return this.handle(sd, conn, msg);
      } catch (err) {
        fail(err);
      }
    });
    if (done !== DONE) done.catch(fail);
  }

  private handle(sd: SharedDoc, conn: Conn, msg: Uint8Array): Promise<void> | void {
    if (conn.closed || !sd.ready) return;
    const dec = decoding.createDecoder(msg);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MSG_SYNC: {
        const sub = decoding.readVarUint(dec);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const sv = decoding.readVarUint8Array(dec);
          const enc = encoding.createEncoder();
          encoding.writeVarUint(enc, MSG_SYNC);
          encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep2);
          encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(sd.doc, sv));
          this.send(sd, conn, encoding.toUint8Array(enc));
          return;
        }
        if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) {
          const update = decoding.readVarUint8Array(dec);
          if (!conn.writable) {
            this.o.metrics.readerDropped.inc();
            return;
          }
          // an update message that holds nothing else is relayed as it came
          const frame = sub === syncProtocol.messageYjsUpdate && dec.pos === msg.byteLength ? msg : null;
          return this.acceptUpdate(sd, conn, update, frame);
        }
        throw new Error(`unknown sync message ${sub}`);
      }
      case MSG_AWARENESS: {
        const vetted = this.vetPresence(sd, conn, decoding.readVarUint8Array(dec));
        if (!vetted) return;
        // an id moves to this session from an older one of the same user (a reconnect before the old socket closed)
        for (const c of sd.conns.values()) if (c !== conn) for (const id of vetted.ids) c.controlledIds.delete(id);
        for (const id of vetted.ids) {
          conn.controlledIds.add(id);
          // presence shows a session's client id before it writes: the id is claimed now, or another user
          // could write under it first
          if (sd.owners && !sd.owners.has(id)) {
            sd.owners.set(id, conn.principal.userId);
            this.o.owners?.claim(sd.name, id, conn.principal.userId);
          }
        }
        awarenessProtocol.applyAwarenessUpdate(sd.awareness, vetted.update, conn);
        return;
      }
      case MSG_QUERY_AWARENESS: {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_AWARENESS);
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(sd.awareness, [...sd.awareness.getStates().keys()]));
        this.send(sd, conn, encoding.toUint8Array(enc));
        return;
      }
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  /**
   * Check, vet, store, apply and relay one update. Synchronous unless a step is not (vetting a ledger
   * record's signature, a store that is asynchronous, compaction): then the rest continues when it settles.
   * `frame`: the received message when it is exactly [sync, update, received] (relayed as is).
   */
  private acceptUpdate(sd: SharedDoc, conn: Conn, update: Uint8Array, frame: Uint8Array | null): Promise<void> | void {
    // full V1 decode first: a truncated or hostile update is refused before it is stored
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
    } catch (err) {
      this.o.metrics.updatesRejected.inc({ reason: 'malformed' });
      this.o.log.warn('malformed update', { room: sd.name, conn: conn.id, err });
      this.closeConn(sd, conn, CLOSE.protocol, 'malformed update');
      return;
    }
    if (isEmptyUpdate(decoded)) return;
    const shape = checkStructure(sd.doc, decoded, update);
    if (!shape.ok) {
      // a gap follows an update of this client that was dropped (quarantined): drop this one too but keep
      // the session, or one bad record would lock the sender out of the room for good (4403 is final)
      if (shape.reason === 'gap') {
        this.dropped(sd, conn, 'gap', shape.detail);
        return;
      }
      return this.refuseUpdate(sd, conn, shape.reason ?? 'structure', shape.detail);
    }
    const fresh = this.freshClients(sd, decoded);
    const claims: number[] = [];
    if (sd.owners) {
      for (const client of fresh.keys()) {
        const owner = sd.owners.get(client);
        if (owner === undefined) claims.push(client);
        else if (owner !== conn.principal.userId) {
          return this.refuseUpdate(sd, conn, 'client_id', owner === NOBODY ? 'client id closed to new content' : 'client id of another user');
        }
      }
    }
    if (this.o.maxRoomBytes !== undefined && sd.storedBytes + update.byteLength > this.o.maxRoomBytes) {
      this.o.metrics.updatesRejected.inc({ reason: 'room_full' });
      this.o.log.warn('room full', { room: sd.name, user: conn.principal.userId, bytes: sd.storedBytes });
      this.closeConn(sd, conn, CLOSE.roomFull, 'room size limit reached');
      return;
    }
    if (isAppendOnly(sd.ref.kind)) {
      if (this.o.appendQuotaPerDay !== undefined) {
        let n = 0;
        for (const k of fresh.values()) n += k;
        if (!this.takeQuota(conn.principal.userId, n)) {
          this.dropped(sd, conn, 'quota', 'daily write quota reached');
          return;
        }
      }
      const r = checkAppendOnly(sd.doc, sd.ref, decoded, conn.principal);
      if (!r.ok) return this.refuseUpdate(sd, conn, r.reason, r.detail);
    }
    if (!this.o.vet) return this.store(sd, conn, update, frame, claims);
    const failed = (err: unknown): VetResult => {
      this.o.log.error('vetting failed', { room: sd.name, err });
      return { ok: false, action: 'refuse', reason: 'vet_failed', detail: 'update could not be checked' };
    };
    let v: VetResult | Promise<VetResult>;
    try {
      v = this.o.vet({ room: sd.name, ref: sd.ref, doc: sd.doc, update, decoded, principal: conn.principal });
    } catch (err) {
      v = failed(err);
    }
    if (v instanceof Promise) return v.catch(failed).then((r) => this.afterVet(sd, conn, update, frame, r, claims));
    return this.afterVet(sd, conn, update, frame, v, claims);
  }

  /** the clients with content the doc does not hold yet, and how many structs of each are new */
  private freshClients(sd: SharedDoc, decoded: ReturnType<typeof Y.decodeUpdate>): Map<number, number> {
    const out = new Map<number, number>();
    for (const s of decoded.structs) {
      const have = Y.getState(sd.doc.store, s.id.client);
      if (s.id.clock + s.length > have) out.set(s.id.client, (out.get(s.id.client) ?? 0) + 1);
    }
    return out;
  }

  /** count `n` new records against the user's daily quota; false (nothing counted) when it would pass it */
  private takeQuota(userId: string, n: number): boolean {
    if (n === 0) return true;
    const day = Math.floor(Date.now() / DAY_MS);
    const had = this.appended.get(userId);
    const used = had && had[0] === day ? had[1] : 0;
    if (used + n > (this.o.appendQuotaPerDay ?? Infinity)) return false;
    this.appended.set(userId, [day, used + n]);
    if (this.appended.size > 100_000) for (const [u, [d]] of this.appended) if (d !== day) this.appended.delete(u);
    return true;
  }

  /** refuse an update: nothing of it is applied and the session is closed (4403: the client stops resending) */
  private refuseUpdate(sd: SharedDoc, conn: Conn, reason: string, detail?: string): void {
    this.o.metrics.updatesRejected.inc({ reason });
    this.o.log.warn('update refused', { room: sd.name, user: conn.principal.userId, reason, detail });
    this.closeConn(sd, conn, CLOSE.forbidden, detail ?? 'update refused');
  }

  /**
   * Drop an update without closing (the client may resend it later, e.g. after a dropped predecessor or when
   * the quota frees up), but close a session that keeps sending refused updates or records (1008).
   */
  private dropped(sd: SharedDoc, conn: Conn, reason: string, detail?: string, records = 0): void {
    this.o.metrics.updatesRejected.inc({ reason });
    this.o.log.warn('update dropped', { room: sd.name, user: conn.principal.userId, reason, detail });
    conn.refused++;
    conn.refusedRecords += records;
    if (conn.refused > MAX_REFUSED_PER_CONN || conn.refusedRecords > MAX_REFUSED_RECORDS_PER_CONN) {
      this.closeConn(sd, conn, CLOSE.policy, 'too many refused updates');
    }
  }

  private afterVet(sd: SharedDoc, conn: Conn, update: Uint8Array, frame: Uint8Array | null, v: VetResult, claims: number[]): Promise<void> | void {
    if (!v.ok) {
      if (v.action === 'refuse') return this.refuseUpdate(sd, conn, v.reason, v.detail);
      this.o.log.warn('update quarantined', { room: sd.name, user: conn.principal.userId, reason: v.reason, detail: v.detail });
      this.dropped(sd, conn, v.reason, v.detail, v.count ?? 1);
      if (!v.accepted || conn.closed) return;
      update = v.accepted;
      frame = null;
      if (isEmptyUpdate(Y.decodeUpdate(update))) return;
    }
    if (conn.closed) return;
    return this.store(sd, conn, update, frame, claims);
  }

  private store(sd: SharedDoc, conn: Conn, update: Uint8Array, frame: Uint8Array | null, claims: number[]): Promise<void> | void {
    const id = this.o.store.append(sd.name, update);
    if (typeof id !== 'number') return id.then((n) => this.applyAndRelay(sd, conn, update, frame, n, claims));
    return this.applyAndRelay(sd, conn, update, frame, id, claims);
  }

  private applyAndRelay(sd: SharedDoc, conn: Conn, update: Uint8Array, frame: Uint8Array | null, id: number, claims: number[]): Promise<void> | void {
    this.o.metrics.updatesAccepted.inc();
    this.o.metrics.bytesStored.inc(undefined, update.byteLength);
    sd.lastId = id;
    sd.updatesSinceSnapshot++;
    sd.bytesSinceSnapshot += update.byteLength;
    sd.storedBytes += update.byteLength;
    // the update is stored: its new client ids are this user's from now on
    for (const client of claims) {
      if (sd.owners?.has(client)) continue;
      sd.owners?.set(client, conn.principal.userId);
      this.o.owners?.claim(sd.name, client, conn.principal.userId);
    }
    try {
      Y.applyUpdate(sd.doc, update, conn);
    } catch (err) {
      // stored as received; the same bytes replay identically on load (also in try/catch)
      this.o.metrics.updatesRejected.inc({ reason: 'apply_failed' });
      this.o.log.warn('update failed to apply', { room: sd.name, conn: conn.id, err });
      this.closeConn(sd, conn, CLOSE.protocol, 'update failed to apply');
      return;
    }
    this.broadcast(sd, update, frame);
    try {
      this.o.onApplied?.(sd.name, sd.ref, sd.doc);
    } catch (err) {
      this.o.log.warn('onApplied failed', { room: sd.name, err });
    }
    if (sd.updatesSinceSnapshot >= this.o.compactUpdates || sd.bytesSinceSnapshot >= this.o.compactBytes) {
      // the update is stored and relayed: a compaction that fails is the server's problem, not this
      // session's; the log just stays longer and the next update tries again
      return this.compact(sd).catch((err) => this.o.log.warn('compaction failed', { room: sd.name, err }));
    }
  }

  /**
   * A session's presence update, made safe to relay, or null to drop it: every state parses as
   * PresenceState (or is null: gone) within MAX_PRESENCE_BYTES, carries the sender's own identity (the
   * server writes it), and is for a client id this session uses, at most MAX_PRESENCE_IDS of them, never one
   * another user's session uses or another user owns in the room. Dropped states are not counted against
   * the session: they harm nobody, and the token bucket bounds their cost.
   */
  private vetPresence(sd: SharedDoc, conn: Conn, update: Uint8Array): { update: Uint8Array; ids: number[] } | null {
    const bad = (detail: string) => {
      this.o.metrics.updatesRejected.inc({ reason: 'presence' });
      this.o.log.debug('presence dropped', { room: sd.name, user: conn.principal.userId, detail });
      return null;
    };
    const dec = decoding.createDecoder(update);
    const n = decoding.readVarUint(dec);
    if (n > MAX_PRESENCE_IDS) return bad('too many presence states');
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, n);
    const ids = new Set(conn.controlledIds);
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(dec);
      const clock = decoding.readVarUint(dec);
      const json = decoding.readVarString(dec);
      if (json.length > MAX_PRESENCE_BYTES) return bad('presence state too large');
      // an honest client counts up by one per change; a huge clock would freeze the state for good
      if (clock > MAX_PRESENCE_CLOCK) return bad('presence clock out of range');
      if (!ids.has(client)) {
        if (ids.size >= MAX_PRESENCE_IDS) return bad('too many presence ids');
        for (const c of sd.conns.values()) {
          if (c !== conn && c.controlledIds.has(client) && c.principal.userId !== conn.principal.userId) return bad("presence id of another user's session");
        }
        const owner = sd.owners?.get(client);
        if (owner !== undefined && owner !== conn.principal.userId) return bad('presence id of another user');
        ids.add(client);
      }
      let state: unknown;
      try {
        state = JSON.parse(json);
      } catch {
        return bad('presence state is not JSON');
      }
      if (state !== null) {
        const r = PresenceState.safeParse(state);
        if (!r.success) return bad('presence state invalid');
        const p = conn.principal;
        const user = { name: p.name, color: r.data.user.color, userId: p.userId, ...(p.agencyId ? { agencyId: p.agencyId } : {}) };
        state = { user, focus: r.data.focus ?? null };
      }
      encoding.writeVarUint(enc, client);
      encoding.writeVarUint(enc, clock);
      encoding.writeVarString(enc, JSON.stringify(state));
    }
    if (dec.pos !== update.byteLength) return bad('presence update has trailing bytes');
    return { update: encoding.toUint8Array(enc), ids: [...ids].filter((id) => !conn.controlledIds.has(id)) };
  }

  private async compact(sd: SharedDoc): Promise<void> {
    if (sd.lastId === 0 || sd.updatesSinceSnapshot === 0) return;
    const snapshot = Y.encodeStateAsUpdate(sd.doc);
    await this.o.store.compact(sd.name, snapshot, sd.lastId);
    sd.storedBytes = snapshot.byteLength;
    this.o.metrics.compactions.inc();
    this.o.log.debug('compacted', { room: sd.name, updates: sd.updatesSinceSnapshot, bytes: snapshot.byteLength });
    sd.updatesSinceSnapshot = 0;
    sd.bytesSinceSnapshot = 0;
  }

  private scheduleEvict(sd: SharedDoc): void {
    if (sd.evictTimer) clearTimeout(sd.evictTimer);
    sd.evictTimer = setTimeout(() => {
      sd.evictTimer = null;
      this.evict(sd);
    }, this.o.idleEvictMs);
    sd.evictTimer.unref();
  }

  /** at the cap: unload up to n docs without sessions (server reads, recently closed rooms), oldest use first */
  private evictIdle(n: number): void {
    const idle = [...this.docs.values()].filter((d) => d.conns.size === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const sd of idle.slice(0, n)) {
      if (sd.evictTimer) {
        clearTimeout(sd.evictTimer);
        sd.evictTimer = null;
      }
      this.evict(sd);
    }
  }

  private evict(sd: SharedDoc): void {
    if (sd.conns.size > 0 || this.docs.get(sd.name) !== sd) return;
    this.docs.delete(sd.name);
    this.o.metrics.docsLoaded.set(this.docs.size);
    this.o.metrics.evictions.inc();
    const tail = sd
      .run(async () => {
        if (sd.ready && sd.updatesSinceSnapshot > 1) await this.compact(sd);
        sd.awareness.destroy();
        sd.doc.destroy();
      })
      .catch((err) => this.o.log.error('evict failed', { room: sd.name, err }))
      .finally(() => {
        if (this.draining.get(sd.name) === tail) this.draining.delete(sd.name);
      });
    this.draining.set(sd.name, tail);
  }

  /** the loaded doc of a room, loading it (without a session) if needed; evicted again when idle */
  private docFor(room: string): SharedDoc {
    const ref = parseRoom(room);
    if (!ref) throw new Error(`not a room: ${room}`);
    const sd = this.docs.get(room) ?? this.loadDoc(room, ref);
    sd.lastUsed = Date.now();
    if (sd.conns.size === 0) this.scheduleEvict(sd);
    return sd;
  }

  /** Read a room's current state on the server (e.g. the plan content a filing snapshots). */
  async read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const sd = this.docFor(room);
    let out!: T;
    await sd.run(() => {
      if (!sd.ready) throw new Error(`room ${room} failed to load`);
      out = fn(sd.doc);
    });
    return out;
  }

  /**
   * A change made by the server itself (filing status, joint membership list, warnings). `fn` edits a
   * scratch copy; the resulting update is stored, applied and relayed like a client's, so it is durable
   * before anyone sees it. No append-only check: the server is trusted. Returns the update's size.
   */
  async change(room: string, fn: (doc: Y.Doc) => void): Promise<number> {
    const sd = this.docFor(room);
    let size = 0;
    await sd.run(async () => {
      if (!sd.ready) throw new Error(`room ${room} failed to load`);
      const scratch = new Y.Doc({ gc: true });
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(sd.doc));
      fn(scratch);
      const update = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(sd.doc));
      scratch.destroy();
      if (isEmptyUpdate(Y.decodeUpdate(update))) return;
      sd.lastId = await this.o.store.append(sd.name, update);
      this.o.metrics.updatesAccepted.inc();
      this.o.metrics.bytesStored.inc(undefined, update.byteLength);
      sd.updatesSinceSnapshot++;
      sd.bytesSinceSnapshot += update.byteLength;
      sd.storedBytes += update.byteLength;
      Y.applyUpdate(sd.doc, update, 'server');
      this.broadcast(sd, update, null);
      size = update.byteLength;
      try {
        this.o.onApplied?.(sd.name, sd.ref, sd.doc);
      } catch (err) {
        this.o.log.warn('onApplied failed', { room: sd.name, err });
      }
    });
    return size;
  }

  /**
   * Close every open session of a user with 4401 (their password changed): tokens are checked only at the
   * upgrade, so without this a socket opened by an old session would live until its token expired. The
   * user's own devices refresh with their new session and reconnect. Walks the loaded docs: rare, off the
   * message path.
   */
  endSessionsOf(userId: string): number {
    let n = 0;
    for (const sd of this.docs.values()) {
      for (const c of [...sd.conns.values()]) {
        if (c.principal.userId === userId) {
          this.closeConn(sd, c, CLOSE.unauthorized, 'session ended');
          n++;
        }
      }
    }
    return n;
  }

  /** close every session (1001), compact and unload every doc */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.docs.values()];
    for (const sd of all) {
      for (const c of [...sd.conns.values()]) this.closeConn(sd, c, CLOSE.goingAway, 'server shutting down');
      if (sd.evictTimer) {
        clearTimeout(sd.evictTimer);
        sd.evictTimer = null;
      }
      this.evict(sd);
    }
    await Promise.all([...this.draining.values()]);
  }
}

function bump(m: Map<string, number>, key: string, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n > 0) m.set(key, n);
  else m.delete(key);
}
