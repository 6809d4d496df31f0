/**
 * Building blocks of the statistics page and the report: a section (title, export buttons, its own loading
 * and error state), a table rendered from columns (columns.ts: the same columns the exports use), a figure
 * card. Tables scroll sideways inside their section, never the page.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-stats';
import { errorText } from '../../ui/errors';
import { HIDDEN, type Cell, type Col, type Kind } from './columns';
import { exportTable, type Format } from './export';
import { fmtDec, fmtInt, fmtPct } from './stats-logic';

/** a cell as shown: counts with separators, shares as %, a withheld figure as "<5" marked data-suppressed */
export function CellView(p: { kind: Kind; value: Cell }): JSX.Element {
  const v = p.value;
  if (v === null) return <span class="muted">—</span>;
  if (v === HIDDEN || typeof v === 'object')
    return (
      <span class="stats-hidden" data-suppressed="true">
        &lt;5
      </span>
    );
  if (typeof v === 'string') return <>{v}</>;
  return <>{p.kind === 'pct' ? fmtPct(v) : p.kind === 'dec' ? fmtDec(v) : fmtInt(v)}</>;
}

export function StatTable<T>(p: { name: string; cols: readonly Col<T>[]; rows: readonly T[] | undefined; loading: boolean; caption?: string }): JSX.Element {
  return (
    <div class="table-wrap stats-table-wrap">
      <table class="table stats-table" data-testid={`stats-table-${p.name}`}>
        <Show when={p.caption}>
          <caption class="visually-hidden">{p.caption}</caption>
        </Show>
        <thead>
          <tr>
            <For each={p.cols}>
              {(c) => (
                <th scope="col" classList={{ num: c.kind !== 'text' }}>
                  {c.label()}
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For
            each={p.rows ?? []}
            fallback={
              <tr>
                <td colSpan={p.cols.length} class="muted">
                  {p.loading ? t('app.loading') : t('common.empty')}
                </td>
              </tr>
            }
          >
            {(r) => (
              <tr>
                <For each={p.cols}>
                  {(c) => (
                    <td classList={{ num: c.kind !== 'text' }}>
                      <CellView kind={c.kind} value={c.value(r)} />
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/** the CSV and XLSX buttons of one table */
export function ExportButtons<T>(p: {
  name: string;
  title: string;
  range: { from: string; to: string };
  cols: readonly Col<T>[];
  rows: readonly T[] | undefined;
}): JSX.Element {
  const [busy, setBusy] = createSignal<Format | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const go = async (f: Format) => {
    setBusy(f);
    setError(null);
    try {
      await exportTable(f, p.title, p.range, p.cols, p.rows ?? []);
    } catch (e) {
      setError(() => e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="stats-export no-print">
      <For each={['csv', 'xlsx'] as const}>
        {(f) => (
          <button
            type="button"
            class="btn btn-small"
            data-testid={`export-${f}-${p.name}`}
            disabled={!p.rows || busy() !== null}
            aria-label={t('export.as', { title: p.title, fmt: t(`export.${f}`) })}
            onClick={() => void go(f)}
          >
            ⤓ {t(`export.${f}`)}
          </button>
        )}
      </For>
      <Show when={error()}>
        <p class="error" role="alert">
          {t('export.failed', { e: errorText(error()) })}
        </p>
      </Show>
    </div>
  );
}

/** a section: its title and tools, then either its error or its content */
export function Section(p: { name: string; title: string; error: unknown; tools?: JSX.Element; children: JSX.Element; class?: string }): JSX.Element {
  return (
    <section class={`card stats-section ${p.class ?? ''}`} data-testid={`stats-section-${p.name}`} aria-labelledby={`stats-h-${p.name}`}>
      <div class="stats-section-head">
        <h2 class="section-title" id={`stats-h-${p.name}`}>
          {p.title}
        </h2>
        {p.tools}
      </div>
      <Show when={p.error}>
        <p class="error" role="alert" data-testid={`stats-error-${p.name}`}>
          {t('stats.error', { e: errorText(p.error) })}
        </p>
      </Show>
      {p.children}
    </section>
  );
}

/** a figure card of the summary */
export function StatCard(p: { id: string; label: string; value: number | undefined; note?: string }): JSX.Element {
  return (
    <div class="stat-card" data-testid={`stat-${p.id}`} data-value={p.value ?? ''}>
      <span class="stat-label">{p.label}</span>
      <span class="stat-value">{p.value === undefined ? '…' : fmtInt(p.value)}</span>
      <Show when={p.note}>
        <span class="stat-share muted small">{p.note}</span>
      </Show>
    </div>
  );
}
