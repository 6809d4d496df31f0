/**
 * The one way a page reads a document: `useView(room, view)` opens the room through the DocPool for the
 * lifetime of the calling component and keeps a fine-grained Solid store equal to `view.read(doc)` (a view
 * from src/model: pages never name a Yjs root). The result is an accessor of the store (`null` until the
 * doc is open) that also carries the doc's `handle`, `status` and `loaded`, for writes and sync state.
 * `view` may be an accessor when it takes a reactive parameter (e.g. `() => u() ? ledgerView(u()) : null`).
 */
import { createEffect, createMemo, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
import type { Store } from 'solid-js/store';
import { getPool, useDoc, type UseDoc } from '../../client/app-state';
import type { DocHandle } from '../../client/docpool';
import { createYStore } from '../../client/solid-bridge';
import type { DocView } from '../../model';

export type ViewStore<T extends object> = Accessor<Store<T> | null> & UseDoc;

export function useView<T extends object>(room: Accessor<string | null>, view: DocView<T> | Accessor<DocView<T> | null>): ViewStore<T> {
  const doc = useDoc(room);
  const store = createMemo(() => {
    const h = doc.handle();
    const v = typeof view === 'function' ? view() : view;
    return h && v ? createYStore<T>(h.doc, v.read, v.roots) : null;
  });
  return Object.assign(store, doc);
}

/**
 * Several rooms read with one view at once (the members' catalogues, the selected enterprises' ledgers):
 * each room is opened for as long as it is listed and the calling component lives, and `view.read(doc)` is
 * re-run when the view's roots change. The result maps room name → read value (plain, not a store).
 */
export function useViews<T extends object>(names: Accessor<string[]>, view: DocView<T>): Accessor<Map<string, T>> {
  const [out, setOut] = createSignal(new Map<string, T>(), { equals: false });
  const open = new Map<string, { h: DocHandle; off: () => void }>();
  const put = (room: string, v: T | null) => {
    const m = out();
    if (v === null) m.delete(room);
    else m.set(room, v);
    setOut(m);
  };
  createEffect(() => {
    const want = new Set(names());
    const pool = untrack(getPool);
    if (!pool) return;
    for (const room of want) {
      if (open.has(room)) continue;
      const h = pool.open(room);
      const rs = view.roots(h.doc);
      const again = () => put(room, view.read(h.doc));
      for (const r of rs) r.observeDeep(again);
      void h.whenLoaded.then(again);
      open.set(room, {
        h,
        off: () => {
          for (const r of rs) r.unobserveDeep(again);
        },
      });
      again();
    }
    for (const [room, x] of [...open])
      if (!want.has(room)) {
        x.off();
        x.h.release();
        open.delete(room);
        put(room, null);
      }
  });
  onCleanup(() => {
    for (const x of open.values()) {
      x.off();
      x.h.release();
    }
    open.clear();
  });
  return out;
}
