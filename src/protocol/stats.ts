/**
 * Supervision statistics on the wire (server/stats/): figures over the projection's SQL tables for a month
 * range, an agency, a division and an industry; the rows of the ledger for export; one enterprise's whole file
 * (一企一档). zod only, no I/O.
 *
 * Who may read what:
 * - every statistics section: supervisors (any agency, or the whole city) and agency admins (their own
 *   agency only: naming another is 403); inspectors and enterprises never;
 * - for an agency, a figure that rests on other agencies' inspections or on the enterprises' ratings and
 *   complaints is `null` (and the row `suppressed`) when fewer than STATS_MIN_ENTERPRISES enterprises are
 *   behind it: it would point at one of them;
 * - the enterprise file: supervisors only.
 * Figures are fresh: the projection turns an uploaded record into rows within seconds, and every answer
 * carries an ETag that changes when they do (a poll with If-None-Match costs a 304).
 */
import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, PlanStatus, Text, UsccShape, WarningKind } from '../domain/schemas';
import { monthsBetween } from '../domain/time';
import type { Operation } from './operation';

/** below this many enterprises an agency is not shown a figure that would identify one of them */
export const STATS_MIN_ENTERPRISES = 5;
/** the longest month range one query may cover */
export const STATS_MAX_MONTHS = 36;
/** rows per page of the ledger export, and the most one page may ask for */
export const STATS_RECORDS_PAGE = 10000;
export const STATS_RECORDS_MAX_PAGE = 10000;

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/**
 * The filters of every section. `year` alone is January to December of that year; `from`/`to` (YYYY-MM) a
 * month range, which may cross a year end (at most STATS_MAX_MONTHS); neither: the current year.
 * `division`: a county-level division code (6 digits) of the enterprises; `industry`: an industry code.
 */
export const StatsQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2099).optional(),
    from: Month.optional(),
    to: Month.optional(),
    agencyId: Id.optional(),
    division: z
      .string()
      .regex(/^\d{6}$/, 'a county-level division code of 6 digits')
      .optional(),
    industry: z.string().trim().min(1).max(40).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'the range ends before it starts', path: ['to'] })
  .refine((q) => !q.from || !q.to || monthsBetween(q.from, q.to) <= STATS_MAX_MONTHS, {
    message: `at most ${STATS_MAX_MONTHS} months`,
    path: ['to'],
  });
export type StatsQuery = z.infer<typeof StatsQuery>;

/** the filters as the server applied them (an agency's own id filled in) */
export const StatsFilter = z.object({
  from: Month,
  to: Month,
  agencyId: Id.optional(),
  division: z.string().optional(),
  industry: z.string().optional(),
});
export type StatsFilter = z.infer<typeof StatsFilter>;

/** what every section answers besides its figures */
const Meta = {
  filter: StatsFilter,
  /** `city`: a supervisor's view; `agency`: an agency's own figures, small groups suppressed */
  scope: z.enum(['city', 'agency']),
  /** when the figures were computed (server clock) */
  asOf: IsoDateTime,
};

const n = z.number().int().min(0);
/** a figure an agency may not see (fewer than STATS_MIN_ENTERPRISES enterprises behind it): null */
const nOrHidden = n.nullable();

// ---------- summary ----------

export const StatsSummary = z.object({
  ...Meta,
  /** inspections (entry records, corrections not counted twice) */
  inspections: n,
  /** distinct enterprises inspected */
  enterprises: n,
  planned: n,
  triggered: n,
  /** planned inspections by kind: special 专项 · routine 日常 · other */
  byPlanned: z.object({ special: n, routine: n, other: n }),
  /** triggered inspections by what triggered them */
  byTrigger: z.object({ complaint: n, referral: n, data_monitoring: n, enterprise_request: n }),
  onsite: n,
  offsite: n,
  written: n,
  /** inspections of tasks of a joint plan (部门联合) */
  joint: n,
  /** inspections of tasks drawn by a 双随机 draw */
  drawn: n,
  /** late records (补录, no scan) */
  late: n,
  /** measure 10: on-site inspections of enterprises in the quiet zone on quiet days, and how they went */
  quiet: z.object({
    /** on-site inspections on a quiet day of an enterprise the quiet period covers */
    onQuietDays: n,
    /** of those: under a listed special circumstance (allowed, recorded) */
    withException: n,
    /** of those: triggered (complaint, referral, …: allowed, seen by supervisors) */
    triggered: n,
    /** quiet-period breaches (quiet_period warnings) */
    breaches: n,
  }),
  /** exemptions declared by inspectors (a lifted cap, quiet period, …), by kind */
  exemptions: z.object({ total: n, byKind: z.record(z.string(), n) }),
  /** results recorded, by outcome; findings and the flexible-enforcement decisions among them */
  outcomes: z.object({
    results: n,
    no_problem: n,
    rectify: n,
    case_filed: n,
    findings: n,
    /** findings decided under the flexible-enforcement lists: 从轻 · 减轻 · 首违不罚 */
    flexible: z.object({ lighter: n, mitigated: n, first_offence_exempt: n }),
  }),
});
export type StatsSummary = z.infer<typeof StatsSummary>;

// ---------- by month, by agency ----------

/** the figures of one month or one agency: its inspections (entries), results and warnings in the range */
const GroupFigures = {
  inspections: n,
  planned: n,
  triggered: n,
  onsite: n,
  /** off-site and written */
  offsite: n,
  joint: n,
  drawn: n,
  late: n,
  enterprises: n,
  no_problem: n,
  rectify: n,
  case_filed: n,
  /** warnings raised (in the month; against the agency) */
  warnings: n,
};

export const StatsMonthRow = z.object({ month: Month, ...GroupFigures });
export type StatsMonthRow = z.infer<typeof StatsMonthRow>;
/** every month of the range, in order, months without inspections included (zeros) */
export const StatsMonthly = z.object({ ...Meta, rows: z.array(StatsMonthRow) });
export type StatsMonthly = z.infer<typeof StatsMonthly>;

export const StatsAgencyRow = z.object({
  agencyId: Id,
  name: z.string(),
  nameEn: z.string(),
  ...GroupFigures,
  /** enterprises it inspected more often than its cap allows (over_cap warnings) */
  overCap: n,
});
export type StatsAgencyRow = z.infer<typeof StatsAgencyRow>;
/** supervisors: every enforcement agency (those without inspections too), most inspections first; an agency: itself */
export const StatsAgencies = z.object({ ...Meta, rows: z.array(StatsAgencyRow) });
export type StatsAgencies = z.infer<typeof StatsAgencies>;

// ---------- inspections per enterprise ----------

export const StatsEnterprises = z.object({
  ...Meta,
  /** the policy's on-site cap per enterprise and agency per year */
  cap: n,
  /** distinct enterprises inspected */
  inspected: n,
  /** how many enterprises were inspected (on-site, by the agencies in scope) once, twice, …; the last bucket is `atLeast` */
  distribution: z.array(z.object({ times: n, atLeast: z.boolean(), enterprises: n })),
  /** (enterprise, agency) pairs past the cap */
  overCap: n,
  /**
   * enterprises inspected by more than one agency in the range, and those agencies' inspections of them
   * (for an agency: of the enterprises it inspected; null when fewer than STATS_MIN_ENTERPRISES)
   */
  multiAgency: z.object({ enterprises: nOrHidden, inspections: nOrHidden }),
});
export type StatsEnterprises = z.infer<typeof StatsEnterprises>;

// ---------- warnings ----------

export const StatsWarningRow = z.object({
  kind: WarningKind,
  raised: n,
  /** acknowledged, resolved or dismissed by supervisors */
  handled: n,
  open: n,
  /** median hours from raised to the first handling; null when none handled */
  medianHoursToHandle: z.number().min(0).nullable(),
});
export type StatsWarningRow = z.infer<typeof StatsWarningRow>;
/** every warning kind raised in the range (kinds never raised left out) */
export const StatsWarnings = z.object({ ...Meta, rows: z.array(StatsWarningRow) });
export type StatsWarnings = z.infer<typeof StatsWarnings>;

// ---------- ratings and complaints ----------

export const StatsFeedbackRow = z.object({
  /** supervisors: an agency id; an agency: a month (YYYY-MM) */
  key: z.string(),
  name: z.string(),
  nameEn: z.string(),
  /** inspections rated (an agency: null when fewer than STATS_MIN_ENTERPRISES enterprises rated, as its rating summary hides such a month whole) */
  ratings: nOrHidden,
  /** distinct enterprises that rated (null as `ratings`) */
  enterprises: nOrHidden,
  average: z.number().nullable(),
  distribution: z.tuple([n, n, n, n, n]).nullable(),
  complaints: nOrHidden,
  /** true when figures are withheld (fewer than STATS_MIN_ENTERPRISES enterprises behind them) */
  suppressed: z.boolean(),
});
export type StatsFeedbackRow = z.infer<typeof StatsFeedbackRow>;
/**
 * supervisors: by agency, scores at any count; an agency: its own closed months, anonymised as the rating
 * rules require (a month's figures only once STATS_MIN_ENTERPRISES enterprises rated, frozen once read)
 */
export const StatsFeedback = z.object({ ...Meta, by: z.enum(['agency', 'month']), rows: z.array(StatsFeedbackRow) });
export type StatsFeedback = z.infer<typeof StatsFeedback>;

// ---------- plans ----------

export const StatsPlanRow = z.object({
  agencyId: Id,
  name: z.string(),
  nameEn: z.string(),
  /** the plan of the range's last year; null when there is none */
  status: PlanStatus.nullable(),
  /** the day it was first submitted for filing; the due date; on time or not (null: not submitted) */
  submittedOn: IsoDate.nullable(),
  due: IsoDate,
  onTime: z.boolean().nullable(),
  items: n,
  /** items sampled at random (a sampling ratio) */
  samplingItems: n,
  /** tasks of the year and those done */
  tasks: n,
  tasksDone: n,
  /** 双随机 coverage: enterprises the sampling items reach, drawn, inspected; share drawn/population */
  sampling: z.object({ population: n, drawn: n, inspected: n, share: z.number().min(0) }).nullable(),
});
export type StatsPlanRow = z.infer<typeof StatsPlanRow>;
export const StatsPlans = z.object({ ...Meta, year: z.number().int(), rows: z.array(StatsPlanRow) });
export type StatsPlans = z.infer<typeof StatsPlans>;

// ---------- ledger rows for export ----------

export const StatsRecordsQuery = z.object({
  /** the `next` of the previous page */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(STATS_RECORDS_MAX_PAGE).default(STATS_RECORDS_PAGE),
});
/** one ledger record (an entry or a result) as a row of the export */
export const StatsRecordRow = z.object({
  id: Id,
  type: z.enum(['entry', 'result']),
  at: IsoDateTime,
  agencyId: Id,
  agencyName: z.string(),
  uscc: UsccShape,
  enterpriseName: z.string(),
  division: z.string(),
  industry: z.string(),
  /** entries: planned or triggered, and the planned kind or trigger kind */
  kind: z.enum(['planned', 'triggered']).nullable(),
  detail: z.string().nullable(),
  method: z.enum(['onsite', 'offsite', 'written']).nullable(),
  joint: z.boolean().nullable(),
  drawn: z.boolean().nullable(),
  /** entries: inspectors' names, joined with 、 */
  inspectors: z.string().nullable(),
  late: z.boolean().nullable(),
  /** results: outcome and number of findings; the entry they close */
  outcome: z.enum(['no_problem', 'rectify', 'case_filed']).nullable(),
  findings: n.nullable(),
  entryId: Id.nullable(),
});
export type StatsRecordRow = z.infer<typeof StatsRecordRow>;
export const StatsRecords = z.object({
  filter: StatsFilter,
  /** rows matching the filters (all pages) */
  total: n,
  rows: z.array(StatsRecordRow),
  /** pass as `after` for the next page; null on the last */
  next: z.string().nullable(),
});
export type StatsRecords = z.infer<typeof StatsRecords>;

// ---------- one enterprise's whole file (一企一档) ----------

export const FileEventType = z.enum(['entry', 'result', 'ack', 'dispute', 'cosign', 'document', 'rectification', 'review', 'rating', 'complaint', 'warning']);
export type FileEventType = z.infer<typeof FileEventType>;
export const FileEvent = z.object({
  /** the record's or warning's id */
  id: z.string(),
  type: FileEventType,
  at: IsoDateTime,
  agencyId: Id.nullable(),
  agencyName: z.string().nullable(),
  agencyNameEn: z.string().nullable(),
  /** the entry this event belongs to (results, acks, disputes, ratings, complaints, warnings when known) */
  entryId: z.string().nullable(),
  /** one line for the time line */
  title: Text,
  /** the details, as label/value pairs */
  details: z.array(z.object({ label: Text, value: z.string().max(4000) })).max(30),
  severity: z.enum(['info', 'warn', 'block']).optional(),
});
export type FileEvent = z.infer<typeof FileEvent>;
export const EnterpriseFile = z.object({
  enterprise: z.object({
    uscc: UsccShape,
    name: z.string(),
    division: z.string(),
    industry: z.string(),
    riskLevel: z.string(),
    creditLevel: z.string(),
    quietZone: z.boolean(),
    deregistered: z.boolean(),
  }),
  /** newest first */
  events: z.array(FileEvent),
  counts: z.object({ inspections: n, agencies: n, results: n, ratings: n, complaints: n, warnings: n }),
});
export type EnterpriseFile = z.infer<typeof EnterpriseFile>;

// ---------- the route table ----------

const section = (path: string, summary: string, schema: z.ZodType): Operation => ({
  method: 'GET',
  path,
  summary,
  access: 'bearer',
  query: StatsQuery,
  responses: { 200: schema, 304: 'text' },
});

export const STATS_OPERATIONS: readonly Operation[] = [
  section('/api/stats/summary', 'Inspections, enterprises, quiet period, exemptions and outcomes in a range (supervisors; an agency its own)', StatsSummary),
  section('/api/stats/monthly', 'The figures month by month', StatsMonthly),
  section('/api/stats/agencies', 'The figures agency by agency', StatsAgencies),
  section('/api/stats/enterprises', 'Inspections per enterprise: the distribution, past the cap, by several agencies', StatsEnterprises),
  section('/api/stats/warnings', 'Warnings by kind: raised, handled, median time to handle', StatsWarnings),
  section('/api/stats/feedback', 'Ratings and complaints, anonymised for agencies', StatsFeedback),
  section('/api/stats/plans', 'Plans filed on time, tasks done, sampling coverage against the plan', StatsPlans),
  {
    method: 'GET',
    path: '/api/stats/records',
    summary: 'The ledger records (entries and results) matching the filters, a page at a time, for export',
    access: 'bearer',
    query: StatsQuery,
    responses: { 200: StatsRecords },
  },
  {
    method: 'GET',
    path: '/api/stats/enterprise/:uscc',
    summary: "One enterprise's whole file: every agency's inspections, results, acknowledgements, ratings, complaints and warnings (supervisors)",
    access: 'bearer',
    responses: { 200: EnterpriseFile },
    errors: { 404: { codes: ['not_found'] } },
  },
];
