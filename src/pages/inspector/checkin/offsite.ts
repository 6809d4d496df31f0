/**
 * The off-site path (measure 12): an off-site or written task is recorded without entering and without a
 * scan. The inspector lists the data sources checked (at least one), then starts: an entry `via: 'offsite'`.
 */
import { createSignal } from 'solid-js';
import type { DataSource, DataSourceKind, Task } from '../../../domain/schemas';

export const SOURCE_KINDS: readonly DataSourceKind[] = ['documents', 'remote_video', 'other_system', 'other'];

/** an off-site or written task (no scan card) */
export const isOffsite = (task: Pick<Task, 'method'> | null | undefined) => !!task && task.method !== 'onsite';

export function createOffsite(o: { canStart: () => boolean; busy: () => boolean; enter: (sources: DataSource[]) => Promise<void> }) {
  const [kind, setKind] = createSignal<DataSourceKind>('documents');
  const [note, setNote] = createSignal('');
  const [sources, setSources] = createSignal<DataSource[]>([]);
  const add = () => {
    const n = note().trim();
    if (n.length < 2) return;
    setSources([...sources(), { kind: kind(), note: n }]);
    setNote('');
  };
  const remove = (i: number) => setSources(sources().filter((_, j) => j !== i));
  const canStart = () => o.canStart() && !o.busy() && sources().length > 0;
  return {
    kind,
    setKind,
    note,
    setNote,
    sources,
    add,
    remove,
    canStart,
    start: () => (canStart() ? o.enter(sources()) : Promise.resolve()),
  };
}
export type Offsite = ReturnType<typeof createOffsite>;
