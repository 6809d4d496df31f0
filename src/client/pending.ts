/**
 * "N changes waiting": which local changes the server has not yet confirmed, without any extra
 * protocol. The tracker learns what the server holds from the messages it already sends:
 *  - sync step 1 (at connect, and after the server stored an update from us, debounced) carries the
 *    server's state vector: authoritative, it replaces what we knew;
 *  - sync step 2 and update messages carry structs the server has applied (it stores before it
 *    applies and relays, and echoes our own updates back to us): their upper clocks are merged in.
 * A local transaction (origin not the provider / IndexedDB) that added structs is confirmed once the
 * server's clock for our client reaches the transaction's clock. A deletion-only transaction adds no
 * struct: it is confirmed when an update from the server carries its delete set, or by the next
 * server step 1 sent after it reached the server (the connect greeting does not count). Clients from
 * earlier sessions (loaded from IndexedDB) whose clock is ahead of the last known server state count
 * as one change each. The last known server state vector is kept with the document (IndexedDB meta)
 * so an offline reopen still knows what waits.
 * Pure Yjs + lib0; no DOM.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

type SV = Map<number, number>;
interface Range {
  client: number;
  clock: number;
  len: number;
}
type DeleteSet = ReturnType<typeof Y.createDeleteSet>;
interface LocalChange {
  clock?: number;
  deletes?: Range[];
  ackAt?: number;
}

export const MSG_SYNC = 0;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** Decode a y-websocket frame: the server's state vector (step 1) or an update (step 2 / update). */
export function decodeSyncFrame(data: ArrayBuffer | Uint8Array): { kind: 'sv'; sv: SV } | { kind: 'update'; update: Uint8Array } | null {
  try {
    const dec = decoding.createDecoder(data instanceof Uint8Array ? data : new Uint8Array(data));
    if (decoding.readVarUint(dec) !== MSG_SYNC) return null;
    const sub = decoding.readVarUint(dec);
    const payload = decoding.readVarUint8Array(dec);
    if (sub === SYNC_STEP1) return { kind: 'sv', sv: Y.decodeStateVector(payload) };
    if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) return { kind: 'update', update: payload };
    return null;
  } catch {
    return null;
  }
}

function rangesOf(ds: DeleteSet): Range[] {
  const out: Range[] = [];
  ds.clients.forEach((items: { clock: number; len: number }[], client: number) => {
    for (const it of items) if (it.len > 0) out.push({ client, clock: it.clock, len: it.len });
  });
  return out;
}

function covers(ds: DeleteSet, r: Range): boolean {
  const items = ds.clients.get(r.client);
  if (!items) return false;
  let clock = r.clock;
  const end = r.clock + r.len;
  const sorted = [...items].sort((a, b) => a.clock - b.clock);
  for (const it of sorted) {
    if (it.clock <= clock && it.clock + it.len > clock) clock = it.clock + it.len;
    if (clock >= end) return true;
  }
  return clock >= end;
}

export interface PendingOptions {
  /** transactions with these origins are not local edits (the provider, the IndexedDB persistence) */
  isRemoteOrigin: (origin: unknown) => boolean;
  /** the provider's origin (updates from the server): their structs are on the server */
  isServerOrigin: (origin: unknown) => boolean;
  /** called whenever the count may have changed */
  onChange?: () => void;
  /** persist the server state vector (encoded) */
  saveServerState?: (sv: Uint8Array) => void;
}

export class PendingTracker {
  private server: SV | null = null;
  private readonly local: LocalChange[] = [];
  private steps = 0;
  private greeted = false;
  private last = -1;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** time of the oldest unconfirmed local change of this session (ms), for the stuck-ack self-heal */
  oldestAt = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly o: PendingOptions,
  ) {
    doc.on('afterTransaction', this.onTransaction);
  }

  /** the server state vector known from an earlier session (IndexedDB meta) */
  restore(encoded: Uint8Array | null | undefined): void {
    if (!encoded || this.server) return;
    try {
      this.server = Y.decodeStateVector(encoded);
    } catch {
      /* ignore */
    }
    this.changed();
  }

  get knowsServer(): boolean {
    return this.server !== null;
  }

  private readonly onTransaction = (tr: Y.Transaction): void => {
    const origin = tr.origin;
    if (this.o.isServerOrigin(origin)) {
      // structs that came from the server are on the server
      let grew = false;
      tr.afterState.forEach((clock, client) => {
        if (clock > (tr.beforeState.get(client) ?? 0)) {
          this.server ??= new Map();
          if ((this.server.get(client) ?? 0) < clock) {
            this.server.set(client, clock);
            grew = true;
          }
        }
      });
      if (grew) {
        this.scheduleSave();
        this.changed();
      }
      return;
    }
    if (this.o.isRemoteOrigin(origin)) {
      this.changed();
      return;
    }
    const me = this.doc.clientID;
    const after = tr.afterState.get(me) ?? 0;
    const before = tr.beforeState.get(me) ?? 0;
    if (after > before) {
      this.local.push({ clock: after });
    } else {
      const deletes = rangesOf(tr.deleteSet);
      if (deletes.length === 0) return; // nothing changed
      this.local.push({ deletes, ackAt: this.steps + (this.greeted ? 1 : 2) });
    }
    if (this.local.length === 1) this.oldestAt = Date.now();
    this.changed();
  };

  /** a raw frame received from the server */
  onFrame(data: ArrayBuffer | Uint8Array): void {
    const f = decodeSyncFrame(data);
    if (!f) return;
    if (f.kind === 'sv') {
      this.steps++;
      this.greeted = true;
      this.server = f.sv;
      this.scheduleSave();
      this.prune();
      this.changed();
      return;
    }
    let meta: { to: SV } | null = null;
    let ds: DeleteSet | null = null;
    try {
      meta = Y.parseUpdateMeta(f.update);
      if (this.local.some((c) => c.deletes)) ds = Y.decodeUpdate(f.update).ds;
    } catch {
      return;
    }
    let grew = false;
    meta.to.forEach((clock, client) => {
      this.server ??= new Map();
      if ((this.server.get(client) ?? 0) < clock) {
        this.server.set(client, clock);
        grew = true;
      }
    });
    if (ds) {
      for (let i = this.local.length - 1; i >= 0; i--) {
        const c = this.local[i];
        if (c.deletes && c.deletes.every((r) => covers(ds!, r))) {
          this.local.splice(i, 1);
          grew = true;
        }
      }
    }
    if (grew) {
      this.scheduleSave();
      this.prune();
      this.changed();
    }
  }

  /** the socket closed: the next step 1 is a greeting, not an acknowledgement */
  onDisconnect(): void {
    this.greeted = false;
  }

  private prune(): void {
    const me = this.doc.clientID;
    const mine = this.server?.get(me) ?? 0;
    for (let i = this.local.length - 1; i >= 0; i--) {
      const c = this.local[i];
      if (c.clock !== undefined ? c.clock <= mine : this.steps >= (c.ackAt ?? Infinity)) this.local.splice(i, 1);
    }
    if (this.local.length === 0) this.oldestAt = 0;
  }

  /** number of changes that wait for the server */
  count(): number {
    this.prune();
    let n = this.local.length;
    const me = this.doc.clientID;
    const sv = this.server ?? new Map<number, number>();
    this.doc.store.clients.forEach((_structs, client) => {
      if (client === me) return;
      if (Y.getState(this.doc.store, client) > (sv.get(client) ?? 0)) n++;
    });
    return n;
  }

  private changed(): void {
    const n = this.count();
    if (n !== this.last) {
      this.last = n;
      this.o.onChange?.();
    }
  }

  private scheduleSave(): void {
    if (!this.o.saveServerState || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      if (this.server) this.o.saveServerState?.(encodeSV(this.server));
    }, 200);
  }

  flush(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (this.server) this.o.saveServerState?.(encodeSV(this.server));
  }

  destroy(): void {
    this.flush();
    this.doc.off('afterTransaction', this.onTransaction);
  }
}

function encodeSV(sv: SV): Uint8Array {
  // the encoding of Y.encodeStateVector, for a state vector without a doc
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, sv.size);
  [...sv.entries()]
    .sort((a, b) => b[0] - a[0])
    .forEach(([client, clock]) => {
      encoding.writeVarUint(enc, client);
      encoding.writeVarUint(enc, clock);
    });
  return encoding.toUint8Array(enc);
}
