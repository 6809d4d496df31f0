/**
 * Loading a document's stored state must not re-encode it. Yjs encodes every transaction as an
 * 'update' event whenever anyone listens (y-indexeddb and the WebsocketProvider always do), but the
 * transaction that applies what IndexedDB held has no audience: y-indexeddb skips its own origin and
 * the socket is not open yet (on connect, the sync handshake sends whatever the server lacks). For a
 * 500-item plan that encoding was a tenth of the open time at 4× CPU.
 *
 * `quietFirstLoad(doc, origin, quiet)` sets the 'update' listeners aside for the first transaction whose
 * origin is `origin` (the persistence), if `quiet()` still says so then, and puts them back once Yjs has
 * finished it. Later transactions from the same origin (updates another tab stored) are encoded as usual.
 * `quiet` must say no once the socket is open: the provider may already have answered the server's sync
 * step 1 without what IndexedDB held (offline edits of an earlier session), and only this update event
 * sends those to the server now.
 */
import type * as Y from 'yjs';

type Listeners = Map<string, Set<(...args: unknown[]) => void>>;

export function quietFirstLoad(doc: Y.Doc, origin: unknown, quiet: () => boolean = () => true): void {
  const observers = (doc as unknown as { _observers: Listeners })._observers;
  let aside: Set<(...args: unknown[]) => void> | undefined;
  const before = (tr: Y.Transaction) => {
    if (tr.origin !== origin) return;
    doc.off('beforeTransaction', before);
    if (!quiet()) return;
    aside = observers.get('update');
    observers.delete('update');
    doc.on('afterAllTransactions', restore);
  };
  const restore = () => {
    doc.off('afterAllTransactions', restore);
    if (!aside) return;
    const added = observers.get('update'); // anyone who subscribed meanwhile stays subscribed
    if (added) for (const f of added) aside.add(f);
    observers.set('update', aside);
    aside = undefined;
  };
  doc.on('beforeTransaction', before);
}
