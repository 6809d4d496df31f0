/**
 * The statistics sections, each loaded on its own (one failing or slow section never holds the others), and
 * kept fresh: every 5 s while the tab is visible each section is asked again. The API revalidates with the
 * server's ETag, so an unchanged section costs a 304; an answer equal to the one shown changes nothing on the
 * page (no table re-rendered, no chart redrawn).
 */
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { statsApi, type StatsSection } from '../../client/stats-api';
import type { StatsAgencies, StatsEnterprises, StatsFeedback, StatsMonthly, StatsPlans, StatsQuery, StatsSummary, StatsWarnings } from '../../protocol/stats';

export const POLL_MS = 5000;

export interface Slot<T> {
  data: Accessor<T | undefined>;
  error: Accessor<unknown>;
  /** true until the first answer for the current filters */
  loading: Accessor<boolean>;
}

interface Answers {
  summary: StatsSummary;
  monthly: StatsMonthly;
  agencies: StatsAgencies;
  enterprises: StatsEnterprises;
  warnings: StatsWarnings;
  feedback: StatsFeedback;
  plans: StatsPlans;
}
type Answer<K extends StatsSection> = Answers[K];

/** a tick every POLL_MS while the page is visible, and one as soon as it becomes visible again */
export function usePoll(ms = POLL_MS): Accessor<number> {
  const [tick, setTick] = createSignal(0);
  const visible = () => typeof document === 'undefined' || document.visibilityState === 'visible';
  const timer = setInterval(() => {
    if (visible()) setTick((n) => n + 1);
  }, ms);
  const onVis = () => {
    if (visible()) setTick((n) => n + 1);
  };
  document.addEventListener('visibilitychange', onVis);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVis);
  });
  return tick;
}

/** one section for the current filters, refetched on every tick */
export function useSection<K extends StatsSection>(name: K, query: Accessor<StatsQuery | null>, tick: Accessor<number>): Slot<Answer<K>> {
  const [data, setData] = createSignal<Answer<K>>();
  const [error, setError] = createSignal<unknown>(null);
  const [loading, setLoading] = createSignal(true);
  let seq = 0;
  let shown = '';
  let busy = false;

  const load = async (fresh: boolean) => {
    const q = query();
    if (!q) return;
    if (busy && !fresh) return; // a poll while the previous one is still out: skip it
    const mine = ++seq;
    busy = true;
    try {
      const answer = (await statsApi[name](q)) as Answer<K>;
      if (mine !== seq) return;
      const json = JSON.stringify(answer);
      if (json !== shown) {
        shown = json;
        setData(() => answer);
      }
      setError(null);
    } catch (e) {
      if (mine !== seq) return;
      setError(() => e);
    } finally {
      if (mine === seq) {
        busy = false;
        setLoading(false);
      }
    }
  };

  createEffect(
    on(query, () => {
      shown = '';
      setData(undefined);
      setError(null);
      setLoading(true);
      void load(true);
    }),
  );
  createEffect(on(tick, () => void load(false), { defer: true }));
  return { data, error, loading };
}

/** every section for the current filters (the statistics page and the yearly report show the same seven) */
export function useSections(query: Accessor<StatsQuery | null>, tick: Accessor<number>) {
  const slots = {
    summary: useSection('summary', query, tick),
    monthly: useSection('monthly', query, tick),
    agencies: useSection('agencies', query, tick),
    enterprises: useSection('enterprises', query, tick),
    warnings: useSection('warnings', query, tick),
    feedback: useSection('feedback', query, tick),
    plans: useSection('plans', query, tick),
  };
  return { ...slots, all: Object.values(slots) as Slot<unknown>[] };
}
