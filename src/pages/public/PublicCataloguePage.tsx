/**
 * Public page /public/catalogue (no sign-in): each enforcement agency's latest published catalogue of
 * inspection items (legal basis, level, method) and its flexible-enforcement lists, never the draft.
 * The chosen agency is kept in the address (?agency=).
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-catalogue';
import { industryName } from '../../i18n/labels';
import { catalogueApi } from '../../client/catalogue-api';
import { shanghaiDate } from '../../domain/time';
import { FlexList } from '../../domain/schemas';
import { errorText } from '../../ui/errors';
import { PublicLinks } from '../../ui/PublicLinks';

export default function PublicCataloguePage(): JSX.Element {
  const [sp, setSp] = useSearchParams<{ agency?: string }>();
  const [list] = createResource(() => catalogueApi.publicCatalogues());
  const agencyId = () => sp.agency ?? list()?.items.find((a) => a.latest)?.id ?? '';
  const [cat] = createResource(
    () => agencyId() || null,
    (id) => catalogueApi.publicCatalogue(id),
  );
  return (
    <section class="page public-catalogue">
      <PublicLinks />
      <h1 class="doc-title">{t('pubcat.title')}</h1>
      <p class="muted">{t('pubcat.lead')}</p>
      <Show when={list.error}>
        <p class="error" role="alert">
          {errorText(list.error)}
        </p>
      </Show>
      <div class="filters">
        <div class="field inline grow">
          <label for="pubcat-agency">{t('pubcat.agency')}</label>
          <select
            id="pubcat-agency"
            value={agencyId()}
            onChange={(e) => setSp({ agency: e.currentTarget.value || undefined }, { replace: true })}
            data-testid="public-agency"
          >
            <option value="">{t('pubcat.pick')}</option>
            <For each={list()?.items ?? []}>
              {(a) => (
                <option value={a.id}>
                  {nameOf(a)}
                  {a.latest ? '' : ` ${t('pubcat.notYet')}`}
                </option>
              )}
            </For>
          </select>
        </div>
      </div>
      <Show when={agencyId() && cat.error}>
        <p class="muted" role="status" data-testid="public-none">
          {t('pubcat.none')}
        </p>
      </Show>
      <Show when={!cat.error && cat()}>
        {(c) => (
          <>
            <p class="muted small" data-testid="public-version">
              {nameOf(c().agency)} · {t('pubcat.version', { v: c().version, date: shanghaiDate(c().publishedAt) })}
            </p>
            <h2 class="section-title">{t('pubcat.items')}</h2>
            <div class="table-wrap">
              <table class="table stack">
                <thead>
                  <tr>
                    <th scope="col">{t('cat.item.code')}</th>
                    <th scope="col">{t('cat.item.name')}</th>
                    <th scope="col">{t('cat.item.basis')}</th>
                    <th scope="col">{t('cat.item.level')}</th>
                    <th scope="col">{t('cat.item.method')}</th>
                    <th scope="col">{t('cat.item.industries')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={c().content.items}>
                    {(x) => (
                      <tr data-testid="public-item" data-id={x.id}>
                        <td data-label={t('cat.item.code')}>{x.code}</td>
                        <td data-label={t('cat.item.name')}>{nameOf(x)}</td>
                        <td data-label={t('cat.item.basis')} class="small">
                          {x.legalBasis}
                        </td>
                        <td data-label={t('cat.item.level')}>{t(`level.${x.level}`)}</td>
                        <td data-label={t('cat.item.method')}>{t(`method.${x.defaultMethod}`)}</td>
                        <td data-label={t('cat.item.industries')} class="small">
                          {x.industries.map(industryName).join('、')}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <h2 class="section-title">{t('pubcat.flex')}</h2>
            <For each={FlexList.options}>
              {(list) => (
                <div class="card">
                  <h3>{t(`cat.flex.list.${list}`)}</h3>
                  <Show when={c().content.flex.some((x) => x.list === list)} fallback={<p class="muted small">{t('pubcat.noFlex')}</p>}>
                    <ul class="plain">
                      <For each={c().content.flex.filter((x) => x.list === list)}>
                        {(x) => (
                          <li data-testid="public-flex">
                            <strong>{x.violationCode}</strong> {x.description} <span class="muted small">（{x.legalBasis}）</span>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </div>
              )}
            </For>
          </>
        )}
      </Show>
    </section>
  );
}
