/**
 * The sections of the statistics page, each from its own slot (useStats.ts): its table first (painted at
 * once), its chart beside it once Chart.js has loaded, its exports.
 */
import { Show, createMemo, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-stats';
import type { StatsAgencies, StatsEnterprises, StatsFeedback, StatsMonthly, StatsPlans, StatsSummary, StatsWarnings } from '../../protocol/stats';
import { Chart } from './Chart';
import { HIDDEN, agencyCols, bucketsOf, detailCols, detailRows, enterpriseCols, feedbackCols, monthlyCols, planCols, warningCols, type Col } from './columns';
import { agenciesHeight, agenciesLabel, agenciesSpec, enterprisesLabel, enterprisesSpec, monthlyLabel, monthlySpec, TOP_AGENCIES } from './charts';
import { CellView, ExportButtons, Section, StatTable } from './parts';
import type { Slot } from './useStats';

type Range = { from: string; to: string };

/** a section with one table and its exports */
function TableSection<T>(p: {
  name: string;
  slot: Slot<unknown>;
  range: Range;
  cols: readonly Col<T>[];
  rows: readonly T[] | undefined;
  children?: JSX.Element;
}) {
  const title = () => t(`sec.${p.name}` as Parameters<typeof t>[0]);
  return (
    <Section
      name={p.name}
      title={title()}
      error={p.slot.error()}
      tools={<ExportButtons name={p.name} title={title()} range={p.range} cols={p.cols} rows={p.rows} />}
    >
      {p.children}
      <StatTable name={p.name} cols={p.cols} rows={p.rows} loading={p.slot.loading()} caption={title()} />
    </Section>
  );
}

export function DetailSection(p: { slot: Slot<StatsSummary>; range: Range }): JSX.Element {
  const rows = createMemo(() => {
    const s = p.slot.data();
    return s ? detailRows(s) : undefined;
  });
  return <TableSection name="summary-detail" slot={p.slot} range={p.range} cols={detailCols} rows={rows()} />;
}

export function MonthlySection(p: { slot: Slot<StatsMonthly>; range: Range }): JSX.Element {
  return (
    <TableSection name="monthly" slot={p.slot} range={p.range} cols={monthlyCols} rows={p.slot.data()?.rows}>
      <Show when={p.slot.data()}>{(d) => <Chart testid="stats-chart-monthly" label={monthlyLabel(d().rows)} spec={monthlySpec(d().rows)} height={260} />}</Show>
    </TableSection>
  );
}

export function AgenciesSection(p: { slot: Slot<StatsAgencies>; range: Range }): JSX.Element {
  const city = () => p.slot.data()?.scope === 'city';
  return (
    <TableSection name="agencies" slot={p.slot} range={p.range} cols={agencyCols} rows={p.slot.data()?.rows}>
      <Show when={city() && p.slot.data()}>
        {(d) => (
          <>
            <Chart testid="stats-chart-agencies" label={agenciesLabel(d().rows)} spec={agenciesSpec(d().rows)} height={agenciesHeight(d().rows)} />
            <Show when={d().rows.length > TOP_AGENCIES}>
              <p class="muted small">{t('chart.topN', { n: TOP_AGENCIES })}</p>
            </Show>
          </>
        )}
      </Show>
    </TableSection>
  );
}

/** the facts beside the distribution: inspected, past the cap, several agencies ("<5" when withheld) */
export function EnterpriseFacts(p: { e: StatsEnterprises }): JSX.Element {
  const hidden = (v: number | null) => (v === null ? HIDDEN : v);
  return (
    <dl class="kv stats-facts">
      <dt>{t('ent.inspected')}</dt>
      <dd data-testid="stats-ent-inspected">
        <CellView kind="int" value={p.e.inspected} />
      </dd>
      <dt>{t('ent.overCap')}</dt>
      <dd data-testid="stats-ent-overcap">
        <CellView kind="int" value={p.e.overCap} />
      </dd>
      <dt>{t('ent.multi')}</dt>
      <dd data-testid="stats-ent-multi">
        <CellView kind="int" value={hidden(p.e.multiAgency.enterprises)} />
      </dd>
      <dt>{t('ent.multiInspections')}</dt>
      <dd>
        <CellView kind="int" value={hidden(p.e.multiAgency.inspections)} />
      </dd>
    </dl>
  );
}

export function EnterprisesSection(p: { slot: Slot<StatsEnterprises>; range: Range }): JSX.Element {
  const rows = createMemo(() => {
    const e = p.slot.data();
    return e ? bucketsOf(e) : undefined;
  });
  return (
    <TableSection name="enterprises" slot={p.slot} range={p.range} cols={enterpriseCols} rows={rows()}>
      <Show when={p.slot.data()}>
        {(e) => (
          <>
            <p class="muted small">{t('ent.cap', { n: e().cap })}</p>
            <EnterpriseFacts e={e()} />
            <Show when={e().multiAgency.enterprises === null}>
              <p class="muted small stats-note">{t('stats.suppressedNote')}</p>
            </Show>
            <Chart testid="stats-chart-enterprises" label={enterprisesLabel(e())} spec={enterprisesSpec(e())} height={220} />
          </>
        )}
      </Show>
    </TableSection>
  );
}

export function WarningsSection(p: { slot: Slot<StatsWarnings>; range: Range }): JSX.Element {
  return <TableSection name="warnings" slot={p.slot} range={p.range} cols={warningCols} rows={p.slot.data()?.rows} />;
}

export function FeedbackSection(p: { slot: Slot<StatsFeedback>; range: Range }): JSX.Element {
  const cols = createMemo(() => feedbackCols(p.slot.data()?.by ?? 'agency'));
  const anySuppressed = () => p.slot.data()?.rows.some((r) => r.suppressed || r.complaints === null) ?? false;
  return (
    <TableSection name="feedback" slot={p.slot} range={p.range} cols={cols()} rows={p.slot.data()?.rows}>
      <Show when={anySuppressed() || p.slot.data()?.scope === 'agency'}>
        <p class="muted small stats-note" data-testid="stats-feedback-note">
          {t('stats.suppressedNote')}
        </p>
      </Show>
    </TableSection>
  );
}

export function PlansSection(p: { slot: Slot<StatsPlans>; range: Range }): JSX.Element {
  return <TableSection name="plans" slot={p.slot} range={p.range} cols={planCols} rows={p.slot.data()?.rows} />;
}
