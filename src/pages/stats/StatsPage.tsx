/**
 * Statistics, /stats (supervisors: the city or one agency; an agency admin: its own figures). The filters live
 * in the address (shareable; back and forward walk through them). Seven sections load in parallel, each with
 * its own loading and error state, and refresh every 5 s while the tab is visible; the tables paint first,
 * the charts when Chart.js has loaded (Chart.tsx). Every table exports as CSV and XLSX; the whole ledger too.
 */
import { For, createMemo, onMount, type JSX } from 'solid-js';
import { A, useLocation, useNavigate } from '@solidjs/router';
import { t } from '../../i18n/dict-stats';
import { principal } from '../../client/session-state';
import { shanghaiThisYear } from '../../domain/time';
import type { StatsQuery } from '../../protocol/stats';
import { AdminNav } from '../../ui/AdminNav';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { loadCharts } from './Chart';
import { Filters } from './Filters';
import { StatCard } from './parts';
import { RecordsExport } from './RecordsExport';
import { AgenciesSection, DetailSection, EnterprisesSection, FeedbackSection, MonthlySection, PlansSection, WarningsSection } from './sections';
import { filtersFromSearch, fmtPct, queryOf, rangeOf, searchOf, shanghaiMinute, shareOf, withChange, type StatsFilters } from './stats-logic';
import { usePoll, useSections } from './useStats';

const sameJson = <T,>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

export default function StatsPage(): JSX.Element {
  const thisYear = shanghaiThisYear();
  const location = useLocation();
  const navigate = useNavigate();
  const dir = useDirectory();
  const canPickAgency = () => principal()?.role === 'supervisor';
  // Chart.js downloads while the sections' requests are out, instead of after their tables have painted
  onMount(() => void loadCharts().catch(() => undefined));

  const filters = createMemo(() => filtersFromSearch(Object.fromEntries(new URLSearchParams(location.search)), thisYear), undefined, { equals: sameJson });
  const query = createMemo((): StatsQuery => queryOf(filters(), canPickAgency()), undefined, { equals: sameJson });
  const range = createMemo(() => rangeOf(filters()), undefined, { equals: sameJson });
  const change = (c: Partial<StatsFilters>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(searchOf(withChange(filters(), c), thisYear))) if (v !== undefined) sp.set(k, v);
    const qs = sp.toString();
    navigate(`${paths.stats}${qs ? `?${qs}` : ''}`, { scroll: false });
  };

  const tick = usePoll();
  const { summary, monthly, agencies, enterprises, warnings, feedback, plans, all } = useSections(query, tick);

  /** the newest time any section was computed */
  const asOf = () =>
    all
      .map((s) => (s.data() as { asOf?: string } | undefined)?.asOf)
      .filter((x): x is string => !!x)
      .sort()
      .pop();

  const cards = () => {
    const s = summary.data();
    const of = (n: number | undefined) => (s && n !== undefined ? fmtPct(shareOf(n, s.inspections)) : undefined);
    return [
      { id: 'inspections', value: s?.inspections },
      { id: 'enterprises', value: s?.enterprises },
      { id: 'planned', value: s?.planned, pct: of(s?.planned) },
      { id: 'triggered', value: s?.triggered, pct: of(s?.triggered) },
      { id: 'onsite', value: s?.onsite, pct: of(s?.onsite) },
      { id: 'offsite', value: s?.offsite, pct: of(s?.offsite) },
      { id: 'joint', value: s?.joint, pct: of(s?.joint) },
      { id: 'drawn', value: s?.drawn, pct: of(s?.drawn) },
    ] as const;
  };

  return (
    <section class="page stats-page">
      <AdminNav />
      <div class="stats-head">
        <div>
          <h1 class="doc-title">{t('stats.title')}</h1>
          <p class="muted">{canPickAgency() ? t('stats.lead.city') : t('stats.lead.agency')}</p>
        </div>
        <A href={paths.statsReport(filters().year)} class="btn" data-testid="stats-report-link">
          {t('stats.report', { y: filters().year })}
        </A>
      </div>
      <Filters value={filters()} thisYear={thisYear} canPickAgency={canPickAgency()} onChange={change} />
      <p class="muted small" data-testid="stats-as-of" data-as-of={asOf() ?? ''} aria-live="off">
        {asOf() ? t('stats.asOf', { at: shanghaiMinute(asOf()!) }) : t('stats.loadingAsOf')}
      </p>

      <div class="stat-cards" data-testid="stats-summary" aria-busy={summary.loading()}>
        <For each={cards()}>{(c) => <StatCard id={c.id} label={t(`stat.${c.id}`)} value={c.value} note={'pct' in c ? c.pct : undefined} />}</For>
      </div>

      <DetailSection slot={summary} range={range()} />
      <MonthlySection slot={monthly} range={range()} />
      <AgenciesSection slot={agencies} range={range()} />
      <EnterprisesSection slot={enterprises} range={range()} />
      <WarningsSection slot={warnings} range={range()} />
      <FeedbackSection slot={feedback} range={range()} />
      <PlansSection slot={plans} range={range()} />
      <RecordsExport query={query()} range={range()} names={{ division: dir.divisionName }} />
    </section>
  );
}
