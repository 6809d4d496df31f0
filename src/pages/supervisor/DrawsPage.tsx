/**
 * 双随机 for supervisors, /supervisor/draws: every draw of the year, live, with the ones waiting on the
 * justice bureau (the party supervisors act for) first and marked; and every agency's sampling coverage
 * against the yearly floor.
 */
import { Show, createMemo, createSignal, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { principal } from '../../client/app-state';
import { shanghaiThisYear } from '../../domain/time';
import type { Draw } from '../../domain/schemas';
import { AdminNav } from '../../ui/AdminNav';
import { ListTable } from '../../ui/ListTable';
import { errorText } from '../../ui/errors';
import { useDirectory } from '../stores/directory';
import { mustAct, percent, shareOf } from '../draws/draw-logic';
import { DrawRows, ShareBar, YearPick, useYearDraws } from '../draws/parts';

export default function DrawsPage(): JSX.Element {
  const thisYear = shanghaiThisYear();
  const [year, setYear] = createSignal(thisYear);
  const dir = useDirectory();
  const { draws, coverage } = useYearDraws(year);
  /** the justice party a supervisor acts for: their own agency's, else every justice party */
  const actsFor = (d: Draw) => {
    const mine = principal()?.agencyId;
    return d.parties.some((p) => p.party.startsWith('justice:') && (!mine || p.party === `justice:${mine}`) && mustAct(d, p.party));
  };
  const sorted = createMemo(() => {
    const xs = [...(draws()?.items ?? [])];
    // waiting on us first, then newest first
    return xs.sort((a, b) => Number(actsFor(b)) - Number(actsFor(a)) || b.createdAt.localeCompare(a.createdAt));
  });
  const waiting = () => sorted().filter(actsFor).length;

  return (
    <section class="page draws-page">
      <AdminNav />
      <div class="draws-head">
        <div>
          <h1 class="doc-title">{t('draws.title')}</h1>
          <p class="muted">{t('draws.supervisor.lead')}</p>
        </div>
        <YearPick year={year()} onChange={setYear} thisYear={thisYear} />
      </div>
      <Show when={waiting()}>
        <p class="notice notice-warn" data-testid="draws-waiting">
          {t('draws.supervisor.waiting', { n: waiting() })}
        </p>
      </Show>
      <DrawRows
        title={t('draws.listTitle', { y: year() })}
        error={draws.error}
        items={draws() ? sorted() : undefined}
        loading={draws.loading}
        agencyName={dir.agencyName}
        actsFor={actsFor}
      />

      <h2 class="section-title">{t('draws.coverageAll')}</h2>
      <Show when={coverage()}>{(c) => <p class="muted small">{t('draws.coverage.floor', { min: percent(c().minRatio) })}</p>}</Show>
      <Show when={coverage.error}>
        <p class="error" role="alert">
          {errorText(coverage.error)}
        </p>
      </Show>
      <ListTable
        testid="coverage-table"
        headers={[
          t('draws.cov.agency'),
          t('draws.cov.population'),
          t('draws.cov.drawn'),
          t('draws.cov.inspected'),
          t('draws.cov.results'),
          t('draws.cov.ratio'),
        ]}
        items={coverage.error ? [] : coverage()?.agencies}
        loading={coverage.loading}
        empty={t('draws.cov.none')}
      >
        {(a) => (
          <tr data-testid="coverage-row" data-agency-id={a.agencyId} data-below={a.meetsFloor ? 'false' : 'true'}>
            <td data-label={t('draws.cov.agency')}>{nameOf(a)}</td>
            <td data-label={t('draws.cov.population')}>{a.population}</td>
            <td data-label={t('draws.cov.drawn')}>{a.drawn}</td>
            <td data-label={t('draws.cov.inspected')}>{a.inspected}</td>
            <td data-label={t('draws.cov.results')}>{a.resultsPublished}</td>
            <td data-label={t('draws.cov.ratio')}>
              <ShareBar value={shareOf(a)} min={coverage()?.minRatio ?? 0.05} />
              <Show when={!a.meetsFloor}>
                <span class="badge draw-badge-err" data-testid="coverage-below">
                  {t('draws.coverage.below')}
                </span>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
