/** The agency home's own warnings (DESIGN §4: agencies see theirs through the API, never the supervision doc). */
import { For, Show, createResource, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { api } from '../../client/api';
import { errorText } from '../../ui/errors';
import { principal } from '../../client/app-state';
import { shanghaiThisYear } from '../../domain/time';
import { useDirectory } from '../stores/directory';
import { KindCounts, WarningCard, bySeverityThenTime, countByKind } from '../../ui/WarningsView';

export function AgencyWarnings(): JSX.Element {
  const year = shanghaiThisYear();
  const dir = useDirectory();
  const [data, { refetch }] = createResource(
    () => principal()?.agencyId,
    async () => {
      return api.warnings({ year });
    },
  );
  const items = () => [...(data.latest?.items ?? [])].sort(bySeverityThenTime);
  return (
    <section class="warn-summary" aria-labelledby="agency-warn-h" data-testid="agency-warnings">
      <div class="row between">
        <h2 class="section-title" id="agency-warn-h">
          {t('warn.agencyTitle')} <span class="muted small">{t('common.year', { y: year })}</span>
        </h2>
        <button type="button" class="btn btn-small" onClick={() => void refetch()} disabled={data.loading}>
          {t('warn.refresh')}
        </button>
      </div>
      <p class="muted small">{t('warn.agencyLead')}</p>
      <Show when={data.error}>
        {(e) => (
          <div class="notice notice-warn" role="alert">
            {t('warn.loadFailed', { msg: errorText(e()) })}
          </div>
        )}
      </Show>
      <Show when={data.latest}>
        <KindCounts counts={countByKind(data.latest!.items)} />
        <ul class="warn-list">
          <For each={items().slice(0, 20)}>
            {(w) => <WarningCard w={w} handling={w.handling} agencyName={dir.agencyName(w.agencyId)} dayOnly={w.kind === 'complaint'} />}
          </For>
        </ul>
      </Show>
    </section>
  );
}
