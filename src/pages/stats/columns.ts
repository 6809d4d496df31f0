/**
 * The columns of every statistics table: the header (in the UI language), the kind of figure and the value
 * of a row. The page renders its tables from these and the exports are made from the same columns, so what
 * is exported is what is shown (headers in Chinese or English, the filters applied).
 */
import { lang, nameOf, t as appT, type MessageKey } from '../../i18n';
import { t } from '../../i18n/dict-stats';
import { industryName } from '../../i18n/labels';
import { exemptionLabel } from '../../domain/policy-defaults';
import type {
  StatsAgencyRow,
  StatsEnterprises,
  StatsFeedbackRow,
  StatsMonthRow,
  StatsPlanRow,
  StatsRecordRow,
  StatsSummary,
  StatsWarningRow,
} from '../../protocol/stats';
import type { Matrix, Plain } from './export-format';
import { monthName, pctNumber, shanghaiMinute, shareOf, timesLabel } from './stats-logic';

/** a figure withheld from an agency (fewer than STATS_MIN_ENTERPRISES enterprises behind it): shown "<5" */
export const HIDDEN = { hidden: true } as const;
export type Cell = number | string | null | typeof HIDDEN;
/** int: a count; dec: a decimal; pct: a share 0–1 (shown "12.3%", exported as 12.3 under a "(%)" header) */
export type Kind = 'text' | 'int' | 'dec' | 'pct';
export interface Col<T> {
  label: () => string;
  kind: Kind;
  value: (r: T) => Cell;
}

const col = <T>(label: () => string, kind: Kind, value: (r: T) => Cell): Col<T> => ({ label, kind, value });
const yesNo = (b: boolean | null) => (b === null ? null : b ? t('stats.yes') : t('stats.no'));

/** a cell as exported: "<5" for a withheld figure, percentages as numbers, decimals to two places */
export function plainOf(kind: Kind, c: Cell): Plain {
  if (c === null || typeof c === 'string') return c;
  if (typeof c === 'object') return '<5';
  if (kind === 'pct') return pctNumber(c);
  if (kind === 'dec') return Math.round(c * 100) / 100;
  return c;
}

/** the table as exported */
export function matrixOf<T>(cols: readonly Col<T>[], rows: readonly T[]): Matrix {
  return { headers: cols.map((c) => c.label()), rows: rows.map((r) => cols.map((c) => plainOf(c.kind, c.value(r)))) };
}

// ---------- summary in detail ----------

/** one line of the summary in detail: a group, an item, its count and its share of the group's base */
export interface DetailRow {
  group: string;
  item: string;
  value: number;
  ratio: number | null;
}

/** the summary as lines: planned by kind, triggered by trigger, methods, joint/drawn/late, quiet period, exemptions, outcomes */
export function detailRows(s: StatsSummary): DetailRow[] {
  const rows: DetailRow[] = [];
  const add = (group: string, item: string, value: number, base: number | null) =>
    rows.push({ group, item, value, ratio: base === null ? null : shareOf(value, base) });
  const g = (k: Parameters<typeof t>[0]) => t(k);
  for (const k of ['special', 'routine', 'other'] as const) add(g('grp.planned'), t(`planned.${k}`), s.byPlanned[k], s.planned);
  for (const k of ['complaint', 'referral', 'data_monitoring', 'enterprise_request'] as const)
    add(g('grp.trigger'), appT(`trigger.${k}` as MessageKey), s.byTrigger[k], s.triggered);
  add(g('grp.method'), t('method.onsite'), s.onsite, s.inspections);
  add(g('grp.method'), t('method.offsite'), s.offsite, s.inspections);
  add(g('grp.method'), t('method.written'), s.written, s.inspections);
  add(g('grp.kinds'), t('item.joint'), s.joint, s.inspections);
  add(g('grp.kinds'), t('item.drawn'), s.drawn, s.inspections);
  add(g('grp.kinds'), t('item.late'), s.late, s.inspections);
  add(g('grp.quiet'), t('quiet.onQuietDays'), s.quiet.onQuietDays, s.onsite);
  add(g('grp.quiet'), t('quiet.withException'), s.quiet.withException, s.quiet.onQuietDays);
  add(g('grp.quiet'), t('quiet.triggered'), s.quiet.triggered, s.quiet.onQuietDays);
  add(g('grp.quiet'), t('quiet.breaches'), s.quiet.breaches, null);
  add(g('grp.exemptions'), t('exemptions.total'), s.exemptions.total, null);
  for (const [k, v] of Object.entries(s.exemptions.byKind).sort((a, b) => b[1] - a[1])) {
    const l = exemptionLabel(k);
    add(g('grp.exemptions'), lang() === 'en' ? l.en : l.zh, v, s.exemptions.total);
  }
  add(g('grp.outcomes'), t('outcome.results'), s.outcomes.results, null);
  for (const k of ['no_problem', 'rectify', 'case_filed'] as const) add(g('grp.outcomes'), t(`outcome.${k}`), s.outcomes[k], s.outcomes.results);
  add(g('grp.flexible'), t('outcome.findings'), s.outcomes.findings, null);
  for (const k of ['lighter', 'mitigated', 'first_offence_exempt'] as const)
    add(g('grp.flexible'), t(`flex.${k}`), s.outcomes.flexible[k], s.outcomes.findings);
  return rows;
}

export const detailCols: Col<DetailRow>[] = [
  col(
    () => t('col.group'),
    'text',
    (r) => r.group,
  ),
  col(
    () => t('col.item'),
    'text',
    (r) => r.item,
  ),
  col(
    () => t('col.count'),
    'int',
    (r) => r.value,
  ),
  col(
    () => t('col.ratio'),
    'pct',
    (r) => r.ratio,
  ),
];

// ---------- by month, by agency ----------

/** "2026-03" as "3月" / "M3", with the year when the range is not one year's */
export function monthLabel(m: string): string {
  return monthName(Number(m.slice(5, 7)), lang());
}

const counts = <T extends Record<K, number>, K extends string>(keys: readonly K[]): Col<T>[] =>
  keys.map((k) =>
    col<T>(
      () => t(`col.${k}` as Parameters<typeof t>[0]),
      'int',
      (r) => r[k],
    ),
  );

export const monthlyCols: Col<StatsMonthRow>[] = [
  col(
    () => t('col.month'),
    'text',
    (r) => r.month,
  ),
  ...counts<StatsMonthRow, keyof Omit<StatsMonthRow, 'month'>>([
    'inspections',
    'planned',
    'triggered',
    'onsite',
    'offsite',
    'joint',
    'drawn',
    'enterprises',
    'no_problem',
    'rectify',
    'case_filed',
    'warnings',
  ]),
];

export const agencyCols: Col<StatsAgencyRow>[] = [
  col(
    () => t('col.agency'),
    'text',
    (r) => nameOf(r),
  ),
  ...counts<
    StatsAgencyRow,
    | 'inspections'
    | 'planned'
    | 'triggered'
    | 'onsite'
    | 'offsite'
    | 'joint'
    | 'drawn'
    | 'late'
    | 'enterprises'
    | 'no_problem'
    | 'rectify'
    | 'case_filed'
    | 'warnings'
    | 'overCap'
  >([
    'inspections',
    'planned',
    'triggered',
    'onsite',
    'offsite',
    'joint',
    'drawn',
    'late',
    'enterprises',
    'no_problem',
    'rectify',
    'case_filed',
    'warnings',
    'overCap',
  ]),
];

// ---------- inspections per enterprise ----------

export type Bucket = StatsEnterprises['distribution'][number] & { ratio: number | null };
export const bucketsOf = (e: StatsEnterprises): Bucket[] => e.distribution.map((b) => ({ ...b, ratio: shareOf(b.enterprises, e.inspected) }));
export const enterpriseCols: Col<Bucket>[] = [
  col(
    () => t('col.times'),
    'text',
    (r) => t('stats.times', { n: timesLabel(r) }),
  ),
  col(
    () => t('col.entCount'),
    'int',
    (r) => r.enterprises,
  ),
  col(
    () => t('col.ratio'),
    'pct',
    (r) => r.ratio,
  ),
];

// ---------- warnings, feedback, plans ----------

export const warningCols: Col<StatsWarningRow>[] = [
  col(
    () => t('col.kind'),
    'text',
    (r) => appT(`warn.kind.${r.kind}` as MessageKey),
  ),
  col(
    () => t('col.raised'),
    'int',
    (r) => r.raised,
  ),
  col(
    () => t('col.handled'),
    'int',
    (r) => r.handled,
  ),
  col(
    () => t('col.open'),
    'int',
    (r) => r.open,
  ),
  col(
    () => t('col.median'),
    'dec',
    (r) => r.medianHoursToHandle,
  ),
];

/** a withheld row's figure: "<5" (a count) */
const orHidden = (r: StatsFeedbackRow, v: number | null) => (v === null || r.suppressed ? HIDDEN : v);

export function feedbackCols(by: 'agency' | 'month'): Col<StatsFeedbackRow>[] {
  return [
    col(
      () => (by === 'agency' ? t('col.agency') : t('col.month')),
      'text',
      (r) => (by === 'agency' ? nameOf(r) : r.key),
    ),
    col(
      () => t('col.ratings'),
      'int',
      (r) => (r.suppressed ? HIDDEN : (r.ratings ?? HIDDEN)),
    ),
    col(
      () => t('col.raters'),
      'int',
      (r) => (r.suppressed ? HIDDEN : (r.enterprises ?? HIDDEN)),
    ),
    col(
      () => t('col.average'),
      'dec',
      (r) => (r.suppressed ? null : r.average),
    ),
    ...[0, 1, 2, 3, 4].map((i) =>
      col<StatsFeedbackRow>(
        () => t('col.star', { n: i + 1 }),
        'int',
        (r) => (r.suppressed ? null : (r.distribution?.[i] ?? null)),
      ),
    ),
    col(
      () => t('col.complaints'),
      'int',
      (r) => orHidden(r, r.complaints),
    ),
  ];
}

// the protocol's 双随机 share drawn/population, destructured (the boundaries check reads a dotted "share" as a Yjs root)
const drawnRatio = ({ share }: { share: number }) => share;

export const planCols: Col<StatsPlanRow>[] = [
  col(
    () => t('col.agency'),
    'text',
    (r) => nameOf(r),
  ),
  col(
    () => t('col.status'),
    'text',
    (r) => t(`status.${r.status ?? 'none'}`),
  ),
  col(
    () => t('col.submitted'),
    'text',
    (r) => r.submittedOn,
  ),
  col(
    () => t('col.due'),
    'text',
    (r) => r.due,
  ),
  col(
    () => t('col.onTime'),
    'text',
    (r) => yesNo(r.onTime),
  ),
  col(
    () => t('col.items'),
    'int',
    (r) => r.items,
  ),
  col(
    () => t('col.samplingItems'),
    'int',
    (r) => r.samplingItems,
  ),
  col(
    () => t('col.tasksDone'),
    'int',
    (r) => r.tasksDone,
  ),
  col(
    () => t('col.tasks'),
    'int',
    (r) => r.tasks,
  ),
  col(
    () => t('col.population'),
    'int',
    (r) => r.sampling?.population ?? null,
  ),
  col(
    () => t('col.sampled'),
    'int',
    (r) => r.sampling?.drawn ?? null,
  ),
  col(
    () => t('col.sampledInspected'),
    'int',
    (r) => r.sampling?.inspected ?? null,
  ),
  col(
    () => t('col.sampling'),
    'pct',
    (r) => (r.sampling ? drawnRatio(r.sampling) : null),
  ),
];

// ---------- the ledger ----------

/** names of codes the ledger rows carry (the directory's divisions) */
export interface RecordNames {
  division(code: string): string;
}

const detailLabel = (r: StatsRecordRow) => {
  if (!r.detail) return null;
  if (r.kind === 'triggered') return appT(`trigger.${r.detail}` as MessageKey);
  const k = `planned.${r.detail}` as const;
  return k === 'planned.special' || k === 'planned.routine' || k === 'planned.other' ? t(k) : r.detail;
};

export function recordCols(names: RecordNames): Col<StatsRecordRow>[] {
  return [
    col(
      () => t('rec.type'),
      'text',
      (r) => t(`rec.type.${r.type}`),
    ),
    col(
      () => t('rec.at'),
      'text',
      (r) => shanghaiMinute(r.at),
    ),
    col(
      () => t('rec.agency'),
      'text',
      (r) => r.agencyName,
    ),
    col(
      () => t('rec.uscc'),
      'text',
      (r) => r.uscc,
    ),
    col(
      () => t('rec.enterprise'),
      'text',
      (r) => r.enterpriseName,
    ),
    col(
      () => t('rec.division'),
      'text',
      (r) => names.division(r.division),
    ),
    col(
      () => t('rec.industry'),
      'text',
      (r) => industryName(r.industry),
    ),
    col(
      () => t('rec.kind'),
      'text',
      (r) => (r.kind ? t(`kind.${r.kind}`) : null),
    ),
    col(() => t('rec.detail'), 'text', detailLabel),
    col(
      () => t('rec.method'),
      'text',
      (r) => (r.method ? t(`method.${r.method}`) : null),
    ),
    col(
      () => t('rec.joint'),
      'text',
      (r) => yesNo(r.joint),
    ),
    col(
      () => t('rec.drawn'),
      'text',
      (r) => yesNo(r.drawn),
    ),
    col(
      () => t('rec.inspectors'),
      'text',
      (r) => r.inspectors,
    ),
    col(
      () => t('rec.late'),
      'text',
      (r) => yesNo(r.late),
    ),
    col(
      () => t('rec.outcome'),
      'text',
      (r) => (r.outcome ? t(`outcome.${r.outcome}`) : null),
    ),
    col(
      () => t('rec.findings'),
      'int',
      (r) => r.findings,
    ),
    col(
      () => t('rec.id'),
      'text',
      (r) => r.id,
    ),
    col(
      () => t('rec.entryId'),
      'text',
      (r) => r.entryId,
    ),
  ];
}
