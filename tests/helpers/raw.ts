/**
 * A raw y-websocket client for protocol tests: send exact frames (valid, crafted or hostile) and
 * see every frame and the close code. Plus builders for messages and valid ledger records.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { ticketUrlOf } from '../../src/client/ticket-socket';
import { MSG_AWARENESS, MSG_SYNC } from '../../src/protocol/sync';
import { SyncTicket } from '../../src/protocol/auth';

export interface RawClient {
  /** the socket: set once the ticket has come (use it after `await opened`) */
  readonly ws: WebSocket;
  frames: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(b: Uint8Array): void;
  close(): void;
}

/**
 * A single-use ticket for opening one socket with the access token `token` (POST /api/sync/ticket), or ''
 * when the server refuses the token: the socket then opens without one and the server itself refuses it
 * (4401), so tests of bad tokens still meet the relay's answer.
 */
export async function ticketFor(wsUrl: string, token: string): Promise<string> {
  const r = await fetch(ticketUrlOf(wsUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  if (!r.ok) return '';
  return SyncTicket.parse(await r.json()).ticket;
}

/** `wsUrl/room`, with `?ticket=` when a ticket is given (null: none at all) */
export const socketUrl = (wsUrl: string, room: string, ticket: string | null) =>
  `${wsUrl}/${room}${ticket === null ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;

/**
 * Open `wsUrl/room` as the holder of the access token `token` (null: anonymous). The socket opens with a
 * ticket fetched for the token first (the server no longer takes a token in the URL), so `ws` exists once
 * the ticket has come; `opened` and `closed` cover both steps.
 */
export function rawConnect(wsUrl: string, room: string, token: string | null): RawClient {
  const frames: Uint8Array[] = [];
  let ws: WebSocket | null = null;
  let closeEarly = false;
  let resolveClosed!: (c: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });
  const opened = (async () => {
    let ticket: string | null = null;
    try {
      if (token !== null) ticket = await ticketFor(wsUrl, token);
    } catch (e) {
      resolveClosed({ code: 1006, reason: 'no ticket: server unreachable' });
      throw e;
    }
    const sock = new WebSocket(socketUrl(wsUrl, room, ticket));
    ws = sock;
    sock.on('message', (d: Buffer) => frames.push(new Uint8Array(d)));
    sock.on('error', () => {});
    sock.once('close', (code, reason) => resolveClosed({ code, reason: reason.toString() }));
    if (closeEarly) sock.close();
    await new Promise<void>((resolve, reject) => {
      sock.once('open', () => resolve());
      sock.once('close', () => reject(new Error('closed before open')));
    });
  })();
  opened.catch(() => {});
  return {
    get ws() {
      if (!ws) throw new Error('rawConnect: the socket is not created yet (await opened first)');
      return ws;
    },
    frames,
    opened,
    closed,
    send: (b) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(b);
    },
    close: () => {
      if (ws) ws.close();
      else closeEarly = true;
    },
  };
}

export const msg = {
  syncStep1(doc: Y.Doc): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_SYNC);
    syncProtocol.writeSyncStep1(e, doc);
    return encoding.toUint8Array(e);
  },
  /** [0, 2, update] (sub = 1 for sync step 2) */
  update(u: Uint8Array, sub = 2): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_SYNC);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, u);
    return encoding.toUint8Array(e);
  },
  awareness(payload: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_AWARENESS);
    encoding.writeVarUint8Array(e, payload);
    return encoding.toUint8Array(e);
  },
};

/** message type and sync sub-type of a frame ([0,1] = sync step 2, [0,2] = update, [1] = awareness) */
export function kindOf(frame: Uint8Array): string {
  try {
    const d = decoding.createDecoder(frame);
    const t = decoding.readVarUint(d);
    if (t === MSG_SYNC) return `0,${decoding.readVarUint(d)}`;
    return String(t);
  } catch {
    return '?';
  }
}

/** the Yjs update carried by a [0,1] or [0,2] frame */
export function updateOf(frame: Uint8Array): Uint8Array | null {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== 0) return null;
  const sub = decoding.readVarUint(d);
  if (sub !== 1 && sub !== 2) return null;
  return decoding.readVarUint8Array(d);
}

let seq = 0;
/** a valid ledger record (an acknowledgement) as stored in ledger/<uscc> → records */
export function ackRecord(uscc: string, by: string, id = `ack-${process.pid}-${Date.now().toString(36)}-${++seq}`) {
  return { rec: { id, uscc, at: new Date().toISOString(), by, type: 'ack' as const, refId: 'result-1' } };
}

/** the (clientID, clock, state) entries of an awareness frame [1, update] */
export function awarenessClients(frame: Uint8Array): { clientID: number; clock: number; state: Record<string, unknown> | null }[] {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== 1) return [];
  const u = decoding.createDecoder(decoding.readVarUint8Array(d));
  const n = decoding.readVarUint(u);
  const out = [];
  for (let i = 0; i < n; i++) {
    const clientID = decoding.readVarUint(u);
    const clock = decoding.readVarUint(u);
    const state = JSON.parse(decoding.readVarString(u)) as Record<string, unknown> | null;
    out.push({ clientID, clock, state });
  }
  return out;
}
