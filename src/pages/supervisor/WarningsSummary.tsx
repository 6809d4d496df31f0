/** The supervisor home's warnings section: this year's counts per kind, the open ones, the latest few, live. */
import { For, createMemo, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { t } from '../../i18n';
import { rooms } from '../../domain/rooms';
import { shanghaiThisYear } from '../../domain/time';
import { DocSyncChip } from '../../ui/SyncChip';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { supervisionView } from '../../model';
import { useView } from '../stores/useView';
import { KindCounts, WarningCard, bySeverityThenTime, countByKind } from '../../ui/WarningsView';

export function WarningsSummary(): JSX.Element {
  const year = shanghaiThisYear();
  const store = useView(() => rooms.supervision(year), supervisionView);
  const dir = useDirectory();
  const handled = createMemo(() => new Map((store()?.handling ?? []).map((h) => [h.warningId, h])));
  const open = createMemo(() => (store()?.warnings ?? []).filter((w) => (handled().get(w.id)?.status ?? 'open') === 'open'));
  const latest = createMemo(() => [...open()].sort(bySeverityThenTime).slice(0, 3));
  return (
    <section class="warn-summary" aria-labelledby="warn-summary-h" data-testid="warnings-summary">
      <div class="row between">
        <h2 class="section-title" id="warn-summary-h">
          {t('warn.summary', { y: year })}{' '}
          <span class="muted small" data-testid="warning-open-count">
            {t('warn.open', { n: open().length })}
          </span>
        </h2>
        <DocSyncChip status={store.status()} />
      </div>
      <KindCounts counts={countByKind(store()?.warnings ?? [])} />
      <ul class="warn-list">
        <For each={latest()}>{(w) => <WarningCard w={w} agencyName={dir.agencyName(w.agencyId)} />}</For>
      </ul>
      <A class="btn btn-primary" href={paths.supervisorWarnings} data-testid="warnings-link">
        {t('warn.viewAll')}
      </A>
    </section>
  );
}
