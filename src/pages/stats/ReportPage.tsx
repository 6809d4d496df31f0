/**
 * The yearly report, /stats/report/:year (年度行政检查工作报告): the city's (supervisors) or the agency's own,
 * as numbered chapters with the figures in sentences and tables, and the monthly and agencies charts. Printed
 * from the browser to A4 (styles.css: no navigation or buttons, nothing broken across pages, black text);
 * the print button waits until every chart is drawn on its canvas.
 */
import { Show, createMemo, createSignal, type JSX } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { t } from '../../i18n/dict-stats';
import { principal } from '../../client/session-state';
import { shanghaiThisYear, shanghaiToday } from '../../domain/time';
import type { StatsQuery } from '../../protocol/stats';
import { errorText } from '../../ui/errors';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { Chart, chartsDrawn } from './Chart';
import { agenciesHeight, agenciesLabel, agenciesSpec, monthlyLabel, monthlySpec } from './charts';
import { agencyCols, detailCols, detailRows, feedbackCols, monthlyCols, planCols, warningCols, type Col } from './columns';
import { StatTable } from './parts';
import { basicText, enterprisesText, feedbackText, outcomesText, plansText, quietText, samplingText, warningsText } from './report-text';
import { useSections, type Slot } from './useStats';

/** columns of a table by their position: the report keeps what fits an A4 page */
const pick = <T,>(cols: readonly Col<T>[], idx: number[]) => idx.map((i) => cols[i]);
const MONTH_COLS = pick(monthlyCols, [0, 1, 2, 3, 4, 5, 6, 7]);
const AGENCY_COLS = pick(agencyCols, [0, 1, 2, 3, 4, 5, 6, 7, 9]);
const PLAN_COLS = pick(planCols, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
const SAMPLING_COLS = pick(planCols, [0, 9, 10, 11, 12]);

function Chapter(p: { name: string; title: string; slots: Slot<unknown>[]; children: JSX.Element }): JSX.Element {
  const failed = () => p.slots.find((s) => s.error())?.error();
  return (
    <section class="report-section" data-testid={`report-section-${p.name}`}>
      <h2>{p.title}</h2>
      <Show when={failed()}>
        <p class="error" role="alert" data-testid={`stats-error-${p.name}`}>
          {t('stats.error', { e: errorText(failed()) })}
        </p>
      </Show>
      <Show when={p.slots.some((s) => s.loading())}>
        <p class="muted">{t('app.loading')}</p>
      </Show>
      {p.children}
    </section>
  );
}

export default function ReportPage(): JSX.Element {
  const params = useParams<{ year: string }>();
  const dir = useDirectory();
  const year = createMemo(() => {
    const y = Number(params.year);
    return Number.isInteger(y) && y >= 2000 && y <= 2099 ? y : shanghaiThisYear();
  });
  const query = createMemo((): StatsQuery => ({ year: year() }), undefined, { equals: (a, b) => a.year === b.year });
  const [never] = createSignal(0);
  const { summary, monthly, agencies, enterprises, warnings, feedback, plans, all } = useSections(query, never);
  const loaded = () => all.every((s) => !s.loading());

  const city = () => principal()?.role === 'supervisor';
  const madeBy = () => dir.agencyName(principal()?.agencyId) || principal()?.name || '';
  const who = () => (city() ? t('report.city') : madeBy());
  const made = shanghaiToday();

  const [printing, setPrinting] = createSignal(false);
  const [ready, setReady] = createSignal(false);
  /** every section answered and every chart drawn: then the page is complete for print */
  const whenReady = async () => {
    while (!loaded()) await new Promise((r) => setTimeout(r, 100));
    await chartsDrawn();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    setReady(true);
  };
  void whenReady();
  const print = async () => {
    setPrinting(true);
    try {
      await whenReady();
      window.print();
    } finally {
      setPrinting(false);
    }
  };

  const outcomeRows = createMemo(() => {
    const s = summary.data();
    if (!s) return undefined;
    const keep = new Set([t('grp.outcomes'), t('grp.flexible')]);
    return detailRows(s).filter((r) => keep.has(r.group));
  });
  const quietRows = createMemo(() => {
    const s = summary.data();
    if (!s) return undefined;
    const keep = new Set([t('grp.quiet'), t('grp.exemptions')]);
    return detailRows(s).filter((r) => keep.has(r.group));
  });
  const feedbackColumns = createMemo(() => feedbackCols(feedback.data()?.by ?? 'agency'));

  return (
    <article class="report" data-testid="report-page" data-ready={ready() ? 'true' : 'false'}>
      <div class="report-tools no-print">
        <A href={paths.stats} class="back">
          ← {t('report.back')}
        </A>
        <button type="button" class="btn btn-primary" data-testid="report-print" disabled={printing()} onClick={() => void print()}>
          {printing() && !ready() ? t('report.waiting') : t('report.print')}
        </button>
      </div>

      <header class="report-cover">
        <h1>{t('report.yearTitle', { y: year() })}</h1>
        <dl>
          <dt>{t('report.for')}</dt>
          <dd data-testid="report-who">{who()}</dd>
          <dt>{t('report.madeBy')}</dt>
          <dd>{madeBy()}</dd>
          <dt>{t('report.period')}</dt>
          <dd>{t('report.periodValue', { y: year() })}</dd>
          <dt>{t('report.made')}</dt>
          <dd>{made}</dd>
        </dl>
      </header>

      <Chapter name="basic" title={t('report.ch.basic')} slots={[summary, monthly, agencies, enterprises]}>
        <Show when={summary.data()}>{(s) => <p>{basicText(year(), who(), s())}</p>}</Show>
        <Show when={enterprises.data()}>{(e) => <p>{enterprisesText(e())}</p>}</Show>
        <Show when={monthly.data()}>
          {(m) => (
            <figure>
              <Chart testid="stats-chart-monthly" label={monthlyLabel(m().rows)} spec={monthlySpec(m().rows)} height={240} dpr={2} />
              <figcaption>{t('report.fig.monthly')}</figcaption>
              <StatTable name="monthly" cols={MONTH_COLS} rows={m().rows} loading={false} caption={t('report.fig.monthly')} />
            </figure>
          )}
        </Show>
        <Show when={agencies.data()}>
          {(a) => (
            <figure>
              <Show when={a().scope === 'city'}>
                <Chart testid="stats-chart-agencies" label={agenciesLabel(a().rows)} spec={agenciesSpec(a().rows)} height={agenciesHeight(a().rows)} dpr={2} />
              </Show>
              <figcaption>{t('report.fig.agencies')}</figcaption>
              <StatTable name="agencies" cols={AGENCY_COLS} rows={a().rows} loading={false} caption={t('report.fig.agencies')} />
            </figure>
          )}
        </Show>
      </Chapter>

      <Chapter name="plans" title={t('report.ch.plans')} slots={[plans]}>
        <Show when={plans.data()}>
          {(p) => (
            <>
              <p>{plansText(p())}</p>
              <StatTable name="plans" cols={PLAN_COLS} rows={p().rows} loading={false} />
            </>
          )}
        </Show>
      </Chapter>

      <Chapter name="sampling" title={t('report.ch.sampling')} slots={[plans]}>
        <Show when={plans.data()}>
          {(p) => (
            <>
              <p>{samplingText(p())}</p>
              <StatTable name="sampling" cols={SAMPLING_COLS} rows={p().rows} loading={false} />
            </>
          )}
        </Show>
      </Chapter>

      <Chapter name="outcomes" title={t('report.ch.outcomes')} slots={[summary]}>
        <Show when={summary.data()}>
          {(s) => (
            <>
              <p>{outcomesText(s())}</p>
              <StatTable name="outcomes" cols={detailCols} rows={outcomeRows()} loading={false} />
            </>
          )}
        </Show>
      </Chapter>

      <Chapter name="supervision" title={t('report.ch.supervision')} slots={[warnings, summary]}>
        <Show when={warnings.data()}>
          {(w) => (
            <>
              <p>{warningsText(w())}</p>
              <StatTable name="warnings" cols={warningCols} rows={w().rows} loading={false} />
            </>
          )}
        </Show>
        <Show when={summary.data()}>
          {(s) => (
            <>
              <p>{quietText(s())}</p>
              <StatTable name="quiet" cols={detailCols} rows={quietRows()} loading={false} />
            </>
          )}
        </Show>
      </Chapter>

      <Chapter name="feedback" title={t('report.ch.feedback')} slots={[feedback]}>
        <Show when={feedback.data()}>
          {(f) => (
            <>
              <p>{feedbackText(f())}</p>
              <StatTable name="feedback" cols={feedbackColumns()} rows={f().rows} loading={false} />
              <Show when={f().scope === 'agency' || f().rows.some((r) => r.suppressed)}>
                <p class="muted small">{t('stats.suppressedNote')}</p>
              </Show>
            </>
          )}
        </Show>
      </Chapter>
    </article>
  );
}
