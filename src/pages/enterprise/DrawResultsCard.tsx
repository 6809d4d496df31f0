/**
 * The enterprise's own 抽查结果 (/api/draws/mine): each inspection a random draw sent, with its outcome as soon
 * as it is recorded (the public sees it too, within 20 working days). Hidden while there is none.
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { drawsApi } from '../../client/draws-api';
import { fmtTime } from '../../ui/WarningsView';

export function DrawResultsCard(): JSX.Element {
  const [mine] = createResource(async () => {
    try {
      return (await drawsApi.mine()).items;
    } catch {
      return [];
    }
  });
  return (
    <Show when={mine()?.length}>
      <section class="card my-draw-results" aria-labelledby="my-draws-h" data-testid="my-draw-results">
        <h2 id="my-draws-h" class="section-title">
          {t('draws.mine.title')}
        </h2>
        <p class="muted small">{t('draws.mine.lead')}</p>
        <ul class="plain my-draw-list">
          <For each={mine()}>
            {(r) => (
              <li class="my-draw-result" data-testid="my-draw-result" data-draw-id={r.drawId} data-outcome={r.outcome}>
                <div class="row between">
                  <strong>{r.title}</strong>
                  <span class={`badge draw-outcome-${r.outcome}`}>{t(`draws.outcome.${r.outcome}`)}</span>
                </div>
                <p class="muted small">
                  {nameOf({ name: r.agencyName, nameEn: r.agencyNameEn })} ·{' '}
                  {t('draws.mine.dates', { inspected: fmtTime(r.inspectedAt).slice(0, 10), published: fmtTime(r.publishedAt).slice(0, 10) })}
                </p>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
