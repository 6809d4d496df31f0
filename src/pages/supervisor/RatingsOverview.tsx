/**
 * Supervisors' overview of how enterprises rated each agency's inspections this year and how many
 * complaints each drew (measure 15: statistics, problems that recur). Agencies with complaints or low
 * averages first. Supervisors may know who rated; the agencies see only anonymised aggregates.
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { api } from '../../client/api';
import { errorText } from '../../ui/errors';
import type { RatingsByAgency } from '../../protocol/warnings';
import { shanghaiThisYear } from '../../domain/time';
import { useDirectory } from '../stores/directory';
import { t } from '../../i18n/dict-plans';

type Row = RatingsByAgency['items'][number];
const order = (a: Row, b: Row) => b.complaints - a.complaints || (a.average ?? 6) - (b.average ?? 6) || b.count - a.count;

export function RatingsOverview(): JSX.Element {
  const year = shanghaiThisYear();
  const dir = useDirectory();
  const [data] = createResource(async () => {
    return api.ratingsByAgency(year);
  });
  const rows = () => [...(data.latest?.items ?? [])].filter((r) => r.count > 0 || r.complaints > 0).sort(order);
  return (
    <section aria-labelledby="ratings-overview-h" data-testid="ratings-overview">
      <h2 class="section-title" id="ratings-overview-h">
        {t('ratings.overview')} <span class="muted small">{t('common.year', { y: year })}</span>
      </h2>
      <Show when={data.error}>
        {(e) => (
          <div class="notice notice-warn" role="alert">
            {t('ratings.loadFailed', { msg: errorText(e()) })}
          </div>
        )}
      </Show>
      <Show when={data.latest}>
        <Show
          when={rows().length}
          fallback={
            <p class="muted" data-testid="ratings-none">
              {t('ratings.none')}
            </p>
          }
        >
          <div class="table-wrap">
            <table class="table stack">
              <thead>
                <tr>
                  <th scope="col">{t('ratings.agency')}</th>
                  <th scope="col">{t('ratings.rated')}</th>
                  <th scope="col">{t('ratings.avgCol')}</th>
                  <th scope="col">{t('ratings.complaints')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr data-testid="ratings-row" data-agency={r.agencyId}>
                      <td data-label={t('ratings.agency')}>{dir.agencyName(r.agencyId)}</td>
                      <td data-label={t('ratings.rated')}>{t('ratings.ratedCell', { n: r.count, e: r.enterprises })}</td>
                      <td data-label={t('ratings.avgCol')}>{r.average === null ? '—' : r.average.toFixed(1)}</td>
                      <td data-label={t('ratings.complaints')} class={r.complaints ? 'bad' : ''}>
                        {r.complaints}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Show>
    </section>
  );
}
