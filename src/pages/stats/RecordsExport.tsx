/**
 * The ledger export: every entry and result matching the filters as CSV or XLSX, fetched a page at a time
 * with its progress shown (rows fetched of the total) and a cancel button; the page stays usable meanwhile.
 */
import { Show, createSignal, onCleanup, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-stats';
import type { StatsQuery } from '../../protocol/stats';
import { errorText } from '../../ui/errors';
import type { RecordNames } from './columns';
import { exportRecords, type Format, type RecordsProgress } from './export';
import { fmtDec, fmtInt } from './stats-logic';

export function RecordsExport(p: { query: StatsQuery; range: { from: string; to: string }; names: RecordNames }): JSX.Element {
  const [progress, setProgress] = createSignal<RecordsProgress | null>(null);
  let running: { cancel(): void } | null = null;
  const active = () => {
    const ph = progress()?.phase;
    return ph === 'fetching' || ph === 'building';
  };
  const start = (format: Format) => {
    if (active()) return;
    const title = t('export.records.name');
    const job = exportRecords(format, p.query, { title, ...p.range }, p.names, setProgress);
    running = job;
    void job.done.finally(() => {
      if (running === job) running = null;
    });
  };
  onCleanup(() => running?.cancel());

  const status = () => {
    const pr = progress();
    if (!pr) return '';
    switch (pr.phase) {
      case 'fetching':
        return t('export.status', { n: fmtInt(pr.fetched), total: pr.total === null ? '…' : fmtInt(pr.total) });
      case 'building':
        return t('export.building', { n: fmtInt(pr.fetched) });
      case 'done':
        return t('export.done', { n: fmtInt(pr.fetched), s: fmtDec((pr.ms ?? 0) / 1000) });
      case 'cancelled':
        return t('export.cancelled');
      case 'failed':
        return t('export.failed', { e: errorText(pr.error) });
    }
  };

  return (
    <section class="card stats-section no-print" data-testid="stats-section-records" aria-labelledby="stats-h-records">
      <h2 class="section-title" id="stats-h-records">
        {t('sec.records')}
      </h2>
      <p class="muted small">{t('export.records.lead')}</p>
      <div class="row">
        <button type="button" class="btn" data-testid="export-records-csv" disabled={active()} onClick={() => start('csv')}>
          ⤓ {t('export.records.csv')}
        </button>
        <button type="button" class="btn" data-testid="export-records-xlsx" disabled={active()} onClick={() => start('xlsx')}>
          ⤓ {t('export.records.xlsx')}
        </button>
        <Show when={active()}>
          <button type="button" class="btn btn-danger" data-testid="export-cancel" onClick={() => running?.cancel()}>
            {t('export.cancel')}
          </button>
        </Show>
      </div>
      <Show when={progress()}>
        {(pr) => (
          <div class="stats-progress">
            <Show when={pr().phase === 'fetching' || pr().phase === 'building' || pr().phase === 'done'}>
              <progress
                data-testid="export-progress"
                max={Math.max(1, pr().total ?? 1)}
                value={pr().total === null ? 0 : Math.min(pr().fetched, pr().total ?? 0)}
                aria-valuenow={pr().fetched}
                aria-valuemax={pr().total ?? undefined}
                aria-label={t('sec.records')}
              />
            </Show>
            <p class={pr().phase === 'failed' ? 'error' : 'muted small'} data-testid="export-status" role="status" aria-live="polite">
              {status()}
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}
