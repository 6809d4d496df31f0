/**
 * The yearly report's figures in sentences (年度行政检查工作报告): totals over the sections' rows, formatted
 * with separators and shares. Pure apart from the UI language (t).
 */
import { t } from '../../i18n/dict-stats';
import type { StatsEnterprises, StatsFeedback, StatsPlans, StatsSummary, StatsWarnings } from '../../protocol/stats';
import { fmtDec, fmtInt, fmtPct, shareOf } from './stats-logic';

const n = fmtInt;

export function basicText(y: number, who: string, s: StatsSummary): string {
  const pct = (v: number) => fmtPct(shareOf(v, s.inspections));
  return t('report.basic', {
    y,
    who,
    n: n(s.inspections),
    e: n(s.enterprises),
    planned: n(s.planned),
    plannedPct: pct(s.planned),
    triggered: n(s.triggered),
    triggeredPct: pct(s.triggered),
    onsite: n(s.onsite),
    offsite: n(s.offsite),
    written: n(s.written),
    joint: n(s.joint),
    jointPct: pct(s.joint),
    drawn: n(s.drawn),
    drawnPct: pct(s.drawn),
    late: n(s.late),
  });
}

export function enterprisesText(e: StatsEnterprises): string {
  const once = e.distribution.find((b) => b.times === 1 && !b.atLeast)?.enterprises ?? 0;
  return t('report.basic.ent', { once: n(once), overCap: n(e.overCap), multi: e.multiAgency.enterprises === null ? '<5' : n(e.multiAgency.enterprises) });
}

export function plansText(p: StatsPlans): string {
  const rows = p.rows;
  const tasks = rows.reduce((a, r) => a + r.tasks, 0);
  const done = rows.reduce((a, r) => a + r.tasksDone, 0);
  return t('report.plans', {
    n: n(rows.length),
    onTime: n(rows.filter((r) => r.onTime === true).length),
    late: n(rows.filter((r) => r.onTime === false).length),
    none: n(rows.filter((r) => r.submittedOn === null).length),
    items: n(rows.reduce((a, r) => a + r.items, 0)),
    sampling: n(rows.reduce((a, r) => a + r.samplingItems, 0)),
    tasks: n(tasks),
    done: n(done),
    donePct: fmtPct(shareOf(done, tasks)),
  });
}

export function samplingText(p: StatsPlans): string {
  const s = p.rows.reduce(
    (a, r) => (r.sampling ? { pop: a.pop + r.sampling.population, drawn: a.drawn + r.sampling.drawn, inspected: a.inspected + r.sampling.inspected } : a),
    { pop: 0, drawn: 0, inspected: 0 },
  );
  return t('report.sampling', {
    pop: n(s.pop),
    drawn: n(s.drawn),
    share: fmtPct(shareOf(s.drawn, s.pop)),
    inspected: n(s.inspected),
    inspectedPct: fmtPct(shareOf(s.inspected, s.drawn)),
  });
}

export function outcomesText(s: StatsSummary): string {
  const o = s.outcomes;
  return t('report.outcomes', {
    results: n(o.results),
    np: n(o.no_problem),
    rect: n(o.rectify),
    cases: n(o.case_filed),
    findings: n(o.findings),
    lighter: n(o.flexible.lighter),
    mitigated: n(o.flexible.mitigated),
    first: n(o.flexible.first_offence_exempt),
  });
}

export function warningsText(w: StatsWarnings): string {
  const raised = w.rows.reduce((a, r) => a + r.raised, 0);
  const handled = w.rows.reduce((a, r) => a + r.handled, 0);
  const open = w.rows.reduce((a, r) => a + r.open, 0);
  return t('report.supervision', { raised: n(raised), handled: n(handled), handledPct: fmtPct(shareOf(handled, raised)), open: n(open) });
}

export function quietText(s: StatsSummary): string {
  return t('report.quiet', {
    quiet: n(s.quiet.onQuietDays),
    exc: n(s.quiet.withException),
    trig: n(s.quiet.triggered),
    breaches: n(s.quiet.breaches),
    ex: n(s.exemptions.total),
  });
}

/** totals over the rows shown (withheld rows left out, as on the page) */
export function feedbackText(f: StatsFeedback): string {
  const shown = f.rows.filter((r) => !r.suppressed);
  const ratings = shown.reduce((a, r) => a + (r.ratings ?? 0), 0);
  const weighted = shown.reduce((a, r) => a + (r.average ?? 0) * (r.ratings ?? 0), 0);
  const complaints = shown.reduce((a, r) => a + (r.complaints ?? 0), 0);
  return t('report.feedback', { ratings: n(ratings), avg: ratings ? fmtDec(weighted / ratings) : '—', complaints: n(complaints) });
}
