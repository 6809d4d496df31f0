/**
 * Yjs → fine-grained Solid stores. `createYStore(doc, read, roots)` keeps a Solid store equal to
 * `read(doc)` (a typed, validated view from src/model): it observes the given root types deeply and,
 * at most once per microtask, re-reads and `reconcile`s the result into the store, keyed by `id`. Only
 * the paths whose values changed notify their readers, so a remote edit of one field of one plan item
 * re-renders that field, not the document.
 */
import { createStore, reconcile, type Store } from 'solid-js/store';
import { onCleanup, getOwner } from 'solid-js';
import type * as Y from 'yjs';

/** what observeDeep needs of a Yjs type (Y.Map, Y.Array, …) */
export interface DeepObservable { observeDeep(f: () => void): void; unobserveDeep(f: () => void): void }

export function createYStore<T extends object>(doc: Y.Doc, read: (doc: Y.Doc) => T, roots: (doc: Y.Doc) => DeepObservable[]): Store<T> {
  const [state, setState] = createStore<T>(read(doc));
  let queued = false;
  const refresh = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      setState(reconcile(read(doc), { key: 'id', merge: true }));
    });
  };
  const types = roots(doc);
  for (const t of types) t.observeDeep(refresh);
  if (getOwner()) onCleanup(() => { for (const t of types) t.unobserveDeep(refresh); });
  return state;
}
