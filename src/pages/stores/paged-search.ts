/**
 * A list paged and searched on the server (accounts, enterprises): the search box is debounced (250 ms),
 * and a new search or filter starts again at the first page.
 */
import { createResource, createSignal, onCleanup } from 'solid-js';

export interface PageKey<F> {
  filters: F;
  q: string;
  offset: number;
}

export function usePagedSearch<F, R>(filters: () => F, load: (k: PageKey<F>) => Promise<R>, debounceMs = 250) {
  const [q, setQ] = createSignal('');
  const [offset, setOffset] = createSignal(0);
  const [page, { refetch }] = createResource(() => ({ filters: filters(), q: q(), offset: offset() }), load);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  return {
    page,
    refetch,
    offset,
    setOffset,
    /** the search box's input: applied after a pause in typing, from the first page */
    onSearch(v: string): void {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setOffset(0);
        setQ(v.trim());
      }, debounceMs);
    },
    /** a filter changed: from the first page */
    restart(): void {
      setOffset(0);
    },
  };
}
