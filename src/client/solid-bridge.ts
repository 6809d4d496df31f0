/**
 * Yjs → fine-grained Solid stores. `createYStore(doc, read, roots)` keeps a Solid store equal to
 * `read(doc)` (a typed, validated view from src/model): it observes the given root types deeply and,
 * at most once per microtask, re-reads and `reconcile`s the result into the store, keyed by `id`. Only
 * the paths whose values changed notify their readers, so a remote edit of one field of one plan item
 * re-renders that field, not the document.
 *
 * Cheap updates for long lists: when `read` returns the same object for an unchanged record (see
 * `createPlanReader`), an array whose records are all the same or keep their ids in place is updated
 * record by record (only the changed ones are reconciled), not walked as a whole.
 */
import { createStore, reconcile, type Store } from 'solid-js/store';
import { batch, onCleanup, getOwner } from 'solid-js';
import type * as Y from 'yjs';

/** what observeDeep needs of a Yjs type (Y.Map, Y.Array, …) */
export interface DeepObservable {
  observeDeep(f: () => void): void;
  unobserveDeep(f: () => void): void;
}

const OPTS = { key: 'id', merge: true } as const;
type Rec = Record<string, unknown>;
const sameKey = (a: unknown, b: unknown) =>
  a === b || (!!a && !!b && typeof a === 'object' && typeof b === 'object' && (a as Rec).id != null && (a as Rec).id === (b as Rec).id);

export function createYStore<T extends object>(doc: Y.Doc, read: (doc: Y.Doc) => T, roots: (doc: Y.Doc) => DeepObservable[]): Store<T> {
  let last = read(doc) as Rec;
  const [state, setState] = createStore<T>(last as T);
  const set = setState as unknown as (...args: unknown[]) => void;
  let queued = false;
  const apply = (next: Rec) => {
    const prev = last;
    last = next;
    batch(() => {
      for (const k of Object.keys(next)) {
        const a = prev[k],
          b = next[k];
        if (a === b) continue;
        if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && b.every((x, i) => sameKey(x, a[i]))) {
          for (let i = 0; i < b.length; i++) if (b[i] !== a[i]) set(k, i, reconcile(b[i] as object, OPTS));
          continue;
        }
        set(k, reconcile(b as object, OPTS));
      }
      for (const k of Object.keys(prev)) if (!(k in next)) set(k, undefined);
    });
  };
  const refresh = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      apply(read(doc) as Rec);
    });
  };
  const types = roots(doc);
  for (const t of types) t.observeDeep(refresh);
  if (getOwner())
    onCleanup(() => {
      for (const t of types) t.unobserveDeep(refresh);
    });
  return state;
}
