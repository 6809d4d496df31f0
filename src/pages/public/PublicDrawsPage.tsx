/**
 * Public page /public/draws (no sign-in, 双随机一公开): every draw with its organiser, where it stands and how
 * many of its inspections' results are published; each opens on its own page, where anyone can verify it.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { drawsApi } from '../../client/draws-api';
import { shanghaiThisYear } from '../../domain/time';
import { errorText } from '../../ui/errors';
import { ListTable } from '../../ui/ListTable';
import { PublicLinks } from '../../ui/PublicLinks';
import { paths } from '../routes';
import { StatusBadge } from '../draws/common';

export default function PublicDrawsPage(): JSX.Element {
  const thisYear = shanghaiThisYear();
  /** 0: every year */
  const [year, setYear] = createSignal(0);
  const [list] = createResource(year, (y) => drawsApi.publicList(y || undefined));
  return (
    <section class="page public-draws">
      <PublicLinks />
      <div class="draws-head">
        <div>
          <h1 class="doc-title">{t('draws.public.title')}</h1>
          <p class="muted">{t('draws.public.lead')}</p>
        </div>
        <div class="field inline year-pick">
          <label for="public-draws-year">{t('draws.year')}</label>
          <select id="public-draws-year" value={year()} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            <option value={0}>{t('draws.allYears')}</option>
            <For each={[thisYear, thisYear - 1, thisYear - 2]}>{(y) => <option value={y}>{y}</option>}</For>
          </select>
        </div>
      </div>
      <p class="draw-spec-link">
        <A href={paths.publicDrawSpec} data-testid="public-draw-spec-link">
          {t('draws.public.specLink')}
        </A>
      </p>
      <Show when={list.error}>
        <p class="error" role="alert">
          {errorText(list.error)}
        </p>
      </Show>
      <ListTable
        testid="public-draw-list"
        headers={[t('draws.col.title'), t('draws.col.organiser'), t('draws.col.window'), t('draws.col.status'), t('draws.col.drawn'), t('draws.col.results')]}
        items={list.error ? [] : list()?.items}
        loading={list.loading}
        empty={t('draws.none')}
      >
        {(d) => (
          <tr data-testid="public-draw-row" data-draw-id={d.id} data-status={d.status}>
            <td data-label={t('draws.col.title')}>
              <A href={paths.publicDraw(d.id)} class="draw-link">
                {d.title}
              </A>
            </td>
            <td data-label={t('draws.col.organiser')}>{nameOf({ name: d.organiserName, nameEn: d.organiserNameEn })}</td>
            <td data-label={t('draws.col.window')}>
              {d.window.from} – {d.window.to}
            </td>
            <td data-label={t('draws.col.status')}>
              <StatusBadge status={d.status} />
            </td>
            <td data-label={t('draws.col.drawn')}>
              {d.selectedCount ?? '—'} <span class="muted small">/ {d.populationSize}</span>
            </td>
            <td data-label={t('draws.col.results')} data-testid="public-draw-results">
              {d.resultsPublished}
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
