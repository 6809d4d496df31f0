/**
 * quietFirstLoad with the real y-indexeddb (on fake-indexeddb) and Yjs: the transaction that loads the
 * stored state emits no 'update' (nobody needs it re-encoded), every later one does, listeners added
 * meanwhile are kept, and the content is all there.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { quietFirstLoad } from '../../../src/client/quiet-load';

async function stored(name: string, n: number): Promise<void> {
  const doc = new Y.Doc();
  const p = new IndexeddbPersistence(name, doc);
  await p.whenSynced;
  doc.transact(() => {
    for (let i = 0; i < n; i++) doc.getMap('items').set(`k${i}`, i);
  });
  await new Promise((r) => setTimeout(r, 50)); // y-indexeddb writes behind
  await p.destroy();
}

/** a fresh doc counting its update events, with y-indexeddb loading `name` into it */
function opened(name: string) {
  const doc = new Y.Doc();
  let n = 0;
  doc.on('update', () => {
    n++;
  });
  return { doc, p: new IndexeddbPersistence(name, doc), updates: () => n };
}

describe('quietFirstLoad', () => {
  it('loads the stored state without an update event; later changes are encoded as usual', async () => {
    await stored('quiet-1', 200);
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const p = new IndexeddbPersistence('quiet-1', doc);
    quietFirstLoad(doc, p);
    let lateListener = 0;
    const late = (tr: Y.Transaction) => {
      if (tr.origin === p) {
        doc.off('afterTransaction', late);
        doc.on('update', () => {
          lateListener++;
        });
      }
    };
    doc.on('afterTransaction', late);
    await p.whenSynced;
    expect(doc.getMap('items').size).toBe(200);
    expect(origins).toEqual([]);
    doc.getMap('items').set('local', 1);
    expect(origins).toEqual([null]);
    expect(lateListener).toBe(2); // subscribed inside the load: it hears the load and the local change
    await p.destroy();
  });

  it('without it, the load is encoded (the test can tell the difference)', async () => {
    await stored('quiet-2', 10);
    const { p, updates } = opened('quiet-2');
    await p.whenSynced;
    expect(updates()).toBe(1);
    await p.destroy();
  });

  it('stays out of the way when quiet() says no at load time (the socket is already open)', async () => {
    await stored('quiet-3', 5);
    const { doc, p, updates } = opened('quiet-3');
    let socketOpen = false;
    quietFirstLoad(doc, p, () => !socketOpen);
    socketOpen = true; // opened before IndexedDB answered
    await p.whenSynced;
    expect(doc.getMap('items').size).toBe(5);
    expect(updates()).toBe(1);
    await p.destroy();
  });

  it('leaves transactions of other origins alone', async () => {
    const doc = new Y.Doc();
    const origin = {};
    quietFirstLoad(doc, origin);
    let updates = 0;
    doc.on('update', () => {
      updates++;
    });
    doc.transact(() => doc.getMap('m').set('a', 1), 'someone else');
    doc.transact(() => doc.getMap('m').set('b', 1), origin);
    doc.transact(() => doc.getMap('m').set('c', 1), origin);
    expect(updates).toBe(2);
  });
});
