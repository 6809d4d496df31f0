/**
 * Public page /public/bodies (no sign-in): the city's law-enforcement bodies (执法主体) by level and
 * division, each with its inspectors who hold a certificate valid today (name and certificate number
 * only): who may inspect is public (measures 1 and 2).
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { lang, nameOf } from '../../i18n';
import { t } from '../../i18n/dict-catalogue';
import { catalogueApi } from '../../client/catalogue-api';
import { errorText } from '../../ui/errors';
import { PublicLinks } from '../../ui/PublicLinks';

export default function PublicBodiesPage(): JSX.Element {
  const [bodies] = createResource(() => catalogueApi.publicBodies());
  return (
    <section class="page public-bodies">
      <PublicLinks />
      <h1 class="doc-title">{t('pubbodies.title')}</h1>
      <p class="muted">{t('pubbodies.lead', { date: bodies()?.asOf ?? '' })}</p>
      <Show when={bodies.error}>
        <p class="error" role="alert">
          {errorText(bodies.error)}
        </p>
      </Show>
      <Show when={bodies.loading}>
        <p class="muted small" role="status">
          {t('app.loading')}
        </p>
      </Show>
      <For each={bodies()?.items ?? []}>
        {(b) => (
          <article class="card" data-testid="public-body" data-id={b.id} aria-labelledby={`body-${b.id}`}>
            <h2 id={`body-${b.id}`} class="section-title">
              {nameOf(b)}
            </h2>
            <p class="muted small">
              {t(`level.${b.level}`)} · {t('pubbodies.division')}：{lang() === 'en' ? b.divisionNameEn : b.divisionName}
            </p>
            <details>
              <summary>{t('pubbodies.inspectors', { n: b.inspectors.length })}</summary>
              <Show when={b.inspectors.length} fallback={<p class="muted small">{t('pubbodies.noInspectors')}</p>}>
                <ul class="plain">
                  <For each={b.inspectors}>
                    {(i) => (
                      <li data-testid="public-inspector">
                        {i.name}{' '}
                        <span class="muted small">
                          {t('pubbodies.cert')} {i.certificateNumber}
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </details>
          </article>
        )}
      </For>
    </section>
  );
}
