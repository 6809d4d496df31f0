/**
 * How enterprises rated this agency's inspections this year, anonymised (DESIGN §4): the agency never
 * sees who gave which score. The server sends closed calendar months only, and only months in which at
 * least `minCount` enterprises rated, so the figures move once a month and no change
 * points to one enterprise's score; the page says so.
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { api } from '../../client/api';
import { errorText } from '../../ui/errors';
import { principal } from '../../client/app-state';
import { shanghaiThisYear } from '../../domain/time';
import { t } from '../../i18n/dict-plans';

export function AgencyRatings(): JSX.Element {
  const year = shanghaiThisYear();
  const [data] = createResource(
    () => principal()?.agencyId,
    async () => {
      return api.ratings({ year });
    },
  );
  const max = () => Math.max(1, ...(data.latest?.distribution ?? [1]));
  return (
    <section class="card ratings" aria-labelledby="ratings-h" data-testid="agency-ratings">
      <h2 class="section-title" id="ratings-h">
        {t('ratings.title')} <span class="muted small">{t('common.year', { y: year })}</span>
      </h2>
      <p class="muted small">{t('ratings.lead')}</p>
      <p class="muted small" data-testid="ratings-closed-lead">
        {t('ratings.closedLead', { min: data.latest?.minCount ?? 5 })}
      </p>
      <Show when={data.error}>
        {(e) => (
          <div class="notice notice-warn" role="alert">
            {t('ratings.loadFailed', { msg: errorText(e()) })}
          </div>
        )}
      </Show>
      <Show when={data.latest}>
        {(s) => (
          <>
            <p data-testid="ratings-count">
              {s().count
                ? t('ratings.count', { n: s().count, e: s().enterprises })
                : s().closedThrough
                  ? t('ratings.noneClosed', { min: s().minCount, through: s().closedThrough! })
                  : t('ratings.noneYet')}
            </p>
            <Show when={s().months?.length}>
              <p class="muted small" data-testid="ratings-months">
                {t('ratings.closedMonths', {
                  list: s()
                    .months!.map((m) => m.month)
                    .join('、'),
                  through: s().closedThrough ?? '',
                })}
              </p>
            </Show>
            <Show
              when={s().distribution && s().average !== null}
              fallback={
                <Show when={s().count}>
                  <p class="muted small" data-testid="ratings-hidden">
                    {t('ratings.hidden', { min: s().minCount })}
                  </p>
                </Show>
              }
            >
              <p class="ratings-average" data-testid="ratings-average">
                {t('ratings.average', { avg: s().average!.toFixed(1) })}
              </p>
              <ul class="plain ratings-bars" aria-label={t('ratings.distribution')}>
                <For each={[5, 4, 3, 2, 1]}>
                  {(score) => {
                    const n = () => s().distribution![score - 1];
                    return (
                      <li class="ratings-bar">
                        <span class="ratings-score">{t('ratings.stars', { n: score })}</span>
                        <span class="ratings-track" aria-hidden="true">
                          <span class="ratings-fill" style={{ width: `${(100 * n()) / max()}%` }} />
                        </span>
                        <span class="ratings-n">{n()}</span>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
