/**
 * The statistics filters: year, month range within it, agency (supervisors only), county, industry. Each
 * change applies at once (the page writes it to the address, so back and forward walk through them).
 */
import { For, Show, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-stats';
import { INDUSTRIES, INDUSTRY_CODES } from '../../domain/industries';
import { lang } from '../../i18n';
import { useDirectory } from '../stores/directory';
import { monthKey, monthName, yearsOffered, type StatsFilters } from './stats-logic';

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export function Filters(p: { value: StatsFilters; thisYear: number; canPickAgency: boolean; onChange: (c: Partial<StatsFilters>) => void }): JSX.Element {
  const dir = useDirectory();
  const agencies = () => (dir.data()?.agencies ?? []).filter((a) => a.kind === 'enforcement');
  const counties = () => (dir.data()?.divisions ?? []).filter((d) => /^\d{6}$/.test(d.code) && d.level !== 'city');
  const month = (m: number) => monthName(m, lang());
  const sel = (id: string, label: string, body: JSX.Element) => (
    <div class="field">
      <label for={id}>{label}</label>
      {body}
    </div>
  );
  return (
    <form class="filters stats-filters no-print" aria-label={t('stats.filters')} onSubmit={(e) => e.preventDefault()}>
      {sel(
        'stats-year',
        t('stats.year'),
        <select
          id="stats-year"
          data-testid="stats-year"
          value={p.value.year}
          onChange={(e) => p.onChange({ year: Number(e.currentTarget.value), from: 1, to: 12 })}
        >
          <For each={yearsOffered(p.thisYear)}>
            {(y) => (
              <option value={y} selected={y === p.value.year}>
                {y}
              </option>
            )}
          </For>
        </select>,
      )}
      {sel(
        'stats-from',
        t('stats.from'),
        <select
          id="stats-from"
          data-testid="stats-from"
          value={monthKey(p.value.year, p.value.from)}
          onChange={(e) => p.onChange({ from: Number(e.currentTarget.value.slice(5, 7)) })}
        >
          <For each={MONTHS}>
            {(m) => (
              <option value={monthKey(p.value.year, m)} selected={m === p.value.from}>
                {month(m)}
              </option>
            )}
          </For>
        </select>,
      )}
      {sel(
        'stats-to',
        t('stats.to'),
        <select
          id="stats-to"
          data-testid="stats-to"
          value={monthKey(p.value.year, p.value.to)}
          onChange={(e) => p.onChange({ to: Number(e.currentTarget.value.slice(5, 7)) })}
        >
          <For each={MONTHS}>
            {(m) => (
              <option value={monthKey(p.value.year, m)} selected={m === p.value.to}>
                {month(m)}
              </option>
            )}
          </For>
        </select>,
      )}
      <Show when={p.canPickAgency}>
        {sel(
          'stats-agency',
          t('stats.agency'),
          <select id="stats-agency" data-testid="stats-agency" value={p.value.agencyId} onChange={(e) => p.onChange({ agencyId: e.currentTarget.value })}>
            <option value="">{t('stats.all')}</option>
            <For each={agencies()}>
              {(a) => (
                <option value={a.id} selected={a.id === p.value.agencyId}>
                  {nameOf(a)}
                </option>
              )}
            </For>
            {/* an agency named in a shared address before the directory has loaded */}
            <Show when={p.value.agencyId && !agencies().some((a) => a.id === p.value.agencyId)}>
              <option value={p.value.agencyId}>{p.value.agencyId}</option>
            </Show>
          </select>,
        )}
      </Show>
      {sel(
        'stats-division',
        t('stats.division'),
        <select id="stats-division" data-testid="stats-division" value={p.value.division} onChange={(e) => p.onChange({ division: e.currentTarget.value })}>
          <option value="">{t('stats.all')}</option>
          <For each={counties()}>
            {(d) => (
              <option value={d.code} selected={d.code === p.value.division}>
                {nameOf(d)}
              </option>
            )}
          </For>
          <Show when={p.value.division && !counties().some((d) => d.code === p.value.division)}>
            <option value={p.value.division}>{p.value.division}</option>
          </Show>
        </select>,
      )}
      {sel(
        'stats-industry',
        t('stats.industry'),
        <select id="stats-industry" data-testid="stats-industry" value={p.value.industry} onChange={(e) => p.onChange({ industry: e.currentTarget.value })}>
          <option value="">{t('stats.all')}</option>
          <For each={INDUSTRY_CODES}>
            {(c) => (
              <option value={c} selected={c === p.value.industry}>
                {lang() === 'en' ? INDUSTRIES[c].en : INDUSTRIES[c].zh}
              </option>
            )}
          </For>
        </select>,
      )}
    </form>
  );
}
