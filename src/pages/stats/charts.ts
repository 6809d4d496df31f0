/**
 * The three charts of the statistics page and the report, as specs for Chart.tsx, with the words of their
 * aria-labels (the gist a screen reader hears; the table beside each chart has every figure).
 */
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-stats';
import type { StatsAgencyRow, StatsEnterprises, StatsMonthRow } from '../../protocol/stats';
import type { ChartSpec } from './chart-lib';
import { monthLabel } from './columns';
import { fmtInt, timesLabel } from './stats-logic';

/** agencies in the comparison chart: more would not be readable at 360 px */
export const TOP_AGENCIES = 10;

export function monthlySpec(rows: readonly StatsMonthRow[]): ChartSpec {
  return {
    kind: 'trend',
    labels: rows.map((r) => monthLabel(r.month)),
    series: [
      { label: t('col.planned'), data: rows.map((r) => r.planned) },
      { label: t('col.triggered'), data: rows.map((r) => r.triggered) },
    ],
  };
}

export function monthlyLabel(rows: readonly StatsMonthRow[]): string {
  if (!rows.length) return t('chart.empty');
  const part = (label: string, pick: (r: StatsMonthRow) => number) => {
    const total = rows.reduce((s, r) => s + pick(r), 0);
    const top = rows.reduce((a, r) => (pick(r) > pick(a) ? r : a), rows[0]);
    return t('chart.monthly.part', { s: label, n: fmtInt(total), m: monthLabel(top.month), max: fmtInt(pick(top)) });
  };
  return t('chart.monthly', { parts: `${part(t('col.planned'), (r) => r.planned)}; ${part(t('col.triggered'), (r) => r.triggered)}` });
}

/** the agencies with the most inspections (the rows come most first) */
export const topAgencies = (rows: readonly StatsAgencyRow[]) => [...rows].sort((a, b) => b.inspections - a.inspections).slice(0, TOP_AGENCIES);

export function agenciesSpec(rows: readonly StatsAgencyRow[]): ChartSpec {
  const top = topAgencies(rows);
  return { kind: 'hbar', labels: top.map((r) => nameOf(r)), series: [{ label: t('col.inspections'), data: top.map((r) => r.inspections) }] };
}

export function agenciesLabel(rows: readonly StatsAgencyRow[]): string {
  const top = topAgencies(rows);
  if (!top.length) return t('chart.empty');
  return t('chart.agencies', { n: top.length, parts: top.map((r) => `${nameOf(r)} ${fmtInt(r.inspections)}`).join(', ') });
}

export function enterprisesSpec(e: StatsEnterprises): ChartSpec {
  return {
    kind: 'bars',
    labels: e.distribution.map((b) => t('stats.times', { n: timesLabel(b) })),
    series: [{ label: t('col.entCount'), data: e.distribution.map((b) => b.enterprises) }],
  };
}

export function enterprisesLabel(e: StatsEnterprises): string {
  if (!e.distribution.length) return t('chart.empty');
  return t('chart.enterprises', { parts: e.distribution.map((b) => `${t('stats.times', { n: timesLabel(b) })}: ${fmtInt(b.enterprises)}`).join(', ') });
}

/** the chart's height: a bar per agency */
export const agenciesHeight = (rows: readonly StatsAgencyRow[]) => Math.max(120, Math.min(rows.length, TOP_AGENCIES) * 30 + 50);
