/**
 * What the agency's and the supervisors' draw pages share: the live `draws/<year>` doc, the status badge,
 * a party's name, the year picker and the list of draws.
 */
import { For, Show, createEffect, createResource, on, type Accessor, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import type * as Y from 'yjs';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { drawsRoot, readDraws, type DocView } from '../../model';
import { rooms } from '../../domain/rooms';
import { drawsApi } from '../../client/draws-api';
import type { Draw } from '../../domain/schemas';
import { ListTable } from '../../ui/ListTable';
import { errorText } from '../../ui/errors';
import { fmtTime } from '../../ui/WarningsView';
import { useView } from '../stores/useView';
import { paths } from '../routes';
import { waitingParties } from './draw-logic';
import { StatusBadge, type AgencyNames } from './common';
export { ShareBar, StatusBadge, partyName, type AgencyNames } from './common';

const drawsView: DocView<{ items: Draw[] }> = {
  read: (d: Y.Doc) => ({ items: readDraws(d).items }),
  roots: (d: Y.Doc) => [drawsRoot(d)],
};

/**
 * The live draws of a year (written by the server at each step): a signature that changes whenever any
 * draw changes, to refetch what the API serves; and one draw's state.
 */
export function useDrawsDoc(year: Accessor<number | null>) {
  const doc = useView(() => (year() ? rooms.draws(year()!) : null), drawsView);
  return {
    /** `id@updatedAt status` of every draw, joined: changes with every step of any draw */
    signature: () =>
      (doc()?.items ?? [])
        .map((d) => `${d.id}@${d.updatedAt}:${d.status}:${d.parties.map((p) => (p.commitment ? 1 : 0) + (p.revealedAt ? 1 : 0)).join('')}`)
        .join('|'),
    entry: (id: string) => doc()?.items.find((d) => d.id === id) ?? null,
    status: doc.status,
  };
}

/** the draws of a year and the coverage the caller may see, fetched again whenever a draw of the year moves */
export function useYearDraws(year: Accessor<number>) {
  const live = useDrawsDoc(year);
  const [draws, { refetch: refetchDraws }] = createResource(year, (y) => drawsApi.list(y));
  const [coverage, { refetch: refetchCoverage }] = createResource(year, (y) => drawsApi.coverage(y));
  createEffect(
    on(
      live.signature,
      () => {
        void refetchDraws();
        void refetchCoverage();
      },
      { defer: true },
    ),
  );
  return { draws, coverage };
}

/** names from a DrawDetail's agencies map, else the directory */
export const namesFrom =
  (agencies: Record<string, { name: string; nameEn: string }> | undefined, fallback: AgencyNames): AgencyNames =>
  (id) => {
    const a = agencies?.[id];
    return a ? nameOf(a) : fallback(id);
  };

/** this year and the two before it (draws of past years stay readable) */
export function YearPick(p: { year: number; onChange: (y: number) => void; thisYear: number }): JSX.Element {
  return (
    <div class="field inline year-pick">
      <label for="draws-year">{t('draws.year')}</label>
      <select id="draws-year" value={p.year} onChange={(e) => p.onChange(Number(e.currentTarget.value))} data-testid="draws-year">
        <For each={[p.thisYear + 1, p.thisYear, p.thisYear - 1, p.thisYear - 2]}>{(y) => <option value={y}>{y}</option>}</For>
      </select>
    </div>
  );
}

/** the draws of a year: title and window, organiser, status with who is awaited, the count drawn */
export function DrawRows(p: {
  title: string;
  error?: unknown;
  items: readonly Draw[] | undefined;
  loading: boolean;
  agencyName: AgencyNames;
  /** the party the viewer acts for: its draws waiting on it are highlighted */
  actsFor?: (d: Draw) => boolean;
}): JSX.Element {
  return (
    <>
      <h2 class="section-title">{p.title}</h2>
      <Show when={p.error}>
        <p class="error" role="alert">
          {errorText(p.error)}
        </p>
      </Show>
      <ListTable
        testid="draw-list"
        headers={[t('draws.col.title'), t('draws.col.organiser'), t('draws.col.window'), t('draws.col.status'), t('draws.col.drawn')]}
        items={p.error ? [] : p.items}
        loading={p.loading}
        empty={t('draws.none')}
      >
        {(d) => {
          const mine = () => p.actsFor?.(d) ?? false;
          return (
            <tr data-testid="draw-row" data-draw-id={d.id} data-status={d.status} classList={{ 'draw-row-act': mine() }}>
              <td data-label={t('draws.col.title')}>
                <A href={paths.draw(d.id)} class="draw-link">
                  {d.title}
                </A>
                <Show when={d.replaces}>
                  <br />
                  <span class="muted small">{t('draws.replacesShort')}</span>
                </Show>
              </td>
              <td data-label={t('draws.col.organiser')}>
                {p.agencyName(d.organiserId)}
                <Show when={d.kind !== 'agency'}>
                  {' '}
                  <span class="badge">{t(`draws.kind.${d.kind}`)}</span>
                </Show>
              </td>
              <td data-label={t('draws.col.window')}>
                {d.window.from} – {d.window.to}
              </td>
              <td data-label={t('draws.col.status')}>
                <StatusBadge status={d.status} />
                <Show when={mine()}>
                  {' '}
                  <span class="badge draw-badge-act" data-testid="draw-act-needed">
                    {d.status === 'committing' ? t('draws.act.commit') : t('draws.act.reveal')}
                  </span>
                </Show>
                <Show when={!mine() && waitingParties(d).length && (d.status === 'committing' || d.status === 'revealing')}>
                  <div class="muted small">{t('draws.waitingFor', { n: waitingParties(d).length })}</div>
                </Show>
                <Show when={d.revealBy && d.status === 'revealing'}>
                  <div class="muted small">{t('draws.revealByShort', { at: fmtTime(d.revealBy!) })}</div>
                </Show>
              </td>
              <td data-label={t('draws.col.drawn')}>
                <span>
                  {d.selectedCount ?? '—'} <span class="muted small">/ {d.populationSize}</span>
                </span>
              </td>
            </tr>
          );
        }}
      </ListTable>
    </>
  );
}
