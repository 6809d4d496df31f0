/**
 * PendingTracker: what counts as "waiting for the server", driven by the frames a y-websocket server
 * sends (sync step 1 with its state vector, step 2 / updates carrying structs), with real Yjs docs
 * standing in for the server's doc.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { PendingTracker, decodeSyncFrame } from '../../../src/client/pending';

const PROVIDER = { provider: true };
const IDB = { idb: true };

function step1(server: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(server));
  return encoding.toUint8Array(e);
}
function updateFrame(u: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, u);
  return encoding.toUint8Array(e);
}
function setup() {
  const client = new Y.Doc();
  const server = new Y.Doc();
  let saved: Uint8Array | null = null;
  const tr = new PendingTracker(client, {
    isServerOrigin: (o) => o === PROVIDER,
    isRemoteOrigin: (o) => o === PROVIDER || o === IDB,
    saveServerState: (sv) => {
      saved = sv;
    },
  });
  /** the server receives everything the client has */
  const upload = () => Y.applyUpdate(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
  return { client, server, tr, upload, saved: () => saved };
}

describe('PendingTracker', () => {
  it('decodes step 1 and update frames, ignores others', () => {
    const d = new Y.Doc();
    d.getMap('m').set('a', 1);
    const f = decodeSyncFrame(step1(d));
    expect(f?.kind).toBe('sv');
    expect(decodeSyncFrame(updateFrame(Y.encodeStateAsUpdate(d)))?.kind).toBe('update');
    expect(decodeSyncFrame(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(decodeSyncFrame(new Uint8Array([0]))).toBeNull();
  });

  it('counts local transactions until the server state vector covers them', () => {
    const { client, server, tr, upload } = setup();
    const m = client.getMap('m');
    m.set('a', 1);
    m.set('b', 2);
    client.transact(() => {
      m.set('c', 3);
      m.set('d', 4);
    });
    expect(tr.count()).toBe(3);
    tr.onFrame(step1(server)); // greeting: server has nothing yet
    expect(tr.count()).toBe(3);
    upload();
    tr.onFrame(step1(server)); // acknowledgement after storing
    expect(tr.count()).toBe(0);
  });

  it('learns from updates the server relays (our own echo confirms our change)', () => {
    const { client, server, tr } = setup();
    tr.onFrame(step1(server));
    let echo: Uint8Array | null = null;
    server.on('update', (u: Uint8Array) => {
      echo = u;
    });
    client.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== PROVIDER) Y.applyUpdate(server, u);
    });
    client.getMap('m').set('x', 1);
    expect(tr.count()).toBe(1);
    tr.onFrame(updateFrame(echo!));
    expect(tr.count()).toBe(0);
  });

  it('changes from other clients received through the provider are not waiting', () => {
    const { client, tr } = setup();
    const other = new Y.Doc();
    other.getMap('m').set('y', 2);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other), PROVIDER);
    expect(tr.count()).toBe(0);
  });

  it('a deletion-only change waits for its delete set to come back, or for an acknowledgement', () => {
    const { client, server, tr, upload } = setup();
    const m = client.getMap('m');
    m.set('a', 1);
    upload();
    tr.onFrame(step1(server));
    expect(tr.count()).toBe(0);
    let echo: Uint8Array | null = null;
    server.on('update', (u: Uint8Array) => {
      echo = u;
    });
    m.delete('a');
    expect(tr.count()).toBe(1);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    tr.onFrame(updateFrame(echo!));
    expect(tr.count()).toBe(0);
    // without an echo: the next step 1 after the change was sent confirms it (connected, greeted)
    m.set('b', 2);
    upload();
    tr.onFrame(step1(server));
    m.delete('b');
    expect(tr.count()).toBe(1);
    upload();
    tr.onFrame(step1(server));
    expect(tr.count()).toBe(0);
    // offline: the greeting of the next connection does not count, the acknowledgement after it does
    m.set('c', 3);
    upload();
    tr.onFrame(step1(server));
    tr.onDisconnect();
    m.delete('c');
    tr.onFrame(step1(server));
    expect(tr.count()).toBe(1);
    tr.onFrame(step1(server));
    expect(tr.count()).toBe(0);
  });

  it('clients of earlier sessions ahead of the last known server state count once each', () => {
    const earlier = new Y.Doc();
    earlier.getMap('m').set('a', 1);
    const serverSv = Y.encodeStateVector(earlier); // the server had this much
    earlier.getMap('m').set('b', 2); // then offline changes, app closed
    earlier.getMap('m').set('c', 3);
    const { client, tr } = setup();
    tr.restore(serverSv);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(earlier), IDB); // y-indexeddb loads it
    expect(tr.count()).toBe(1);
    const srv = new Y.Doc();
    Y.applyUpdate(srv, Y.encodeStateAsUpdate(earlier));
    tr.onFrame(step1(srv));
    expect(tr.count()).toBe(0);
  });

  it('persists the server state vector it learns', async () => {
    const { server, tr, saved } = setup();
    server.getMap('m').set('z', 1);
    tr.onFrame(step1(server));
    tr.flush();
    expect(Y.decodeStateVector(saved()!)).toEqual(Y.decodeStateVector(Y.encodeStateVector(server)));
  });
});
