/**
 * 双随机一公开 on the wire (server/draws/): an agency creates a draw from a sampling item of its filed plan
 * (or a joint plan, or for a county), the parties commit and reveal, the server runs the draw
 * (src/domain/draw.ts, docs/draw-spec.md) and makes the tasks; the public sees every draw, whole once it is
 * published, and each inspection's result. zod only, no I/O.
 *
 * Who may do what:
 * - create, cancel: agency admins of the organiser (a plan's agency; a joint plan's lead; a city agency for
 *   its counties);
 * - commit, reveal: a party's own people (`agency:<id>`: that agency's admins; `justice:<id>`: supervisors);
 * - read a draw whole (population, statement, picks): its parties and supervisors; enterprises and
 *   inspectors never (they see tasks and results);
 * - the public: the summary and commitments at once; the population, reveals and picks once published;
 *   each inspection's result as soon as it is recorded.
 */
import { z } from 'zod';
import { ClassRatios, Draw, DrawKind, DrawStatus, Id, IsoDate, IsoDateTime, LEN, Text, UsccShape, Verdict } from '../domain/schemas';
import type { Operation } from './operation';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hexadecimal characters');
const Window = z.object({ from: IsoDate, to: IsoDate });

/** where the enterprises and items come from */
export const DrawSource = z.discriminatedUnion('type', [
  /** a sampling item (targets with a sampling ratio) of the organiser's filed plan of the year */
  z.object({ type: z.literal('plan'), planItemId: Id }),
  /** a filed joint plan led by the organiser: the enterprises once, a team from each member */
  z.object({ type: z.literal('joint'), jointId: Id }),
]);
export type DrawSource = z.infer<typeof DrawSource>;

/** POST /api/draws (agency admins of the organiser) */
export const DrawCreateRequest = z.object({
  year: z.number().int().min(2000).max(2100),
  kind: DrawKind,
  source: DrawSource,
  /** kind `county` (市抽县查): the county agency whose inspectors go (its city counterpart is the organiser) */
  countyAgencyId: Id.optional(),
  /** the inspection dates; certificates must be valid on both ends */
  window: Window,
  /** basis points per credit-risk class (A lowest risk); defaults come from the policy and the item's ratio */
  ratios: ClassRatios,
  /** inspectors of each team per enterprise */
  perTask: z.number().int().min(1).max(10),
  title: z.string().trim().min(1).max(LEN.name).optional(),
  /** a lapsed draw of the same source that this one replaces */
  replaces: Id.optional(),
  /** check and count only: nothing is stored */
  dryRun: z.boolean().default(false),
});
export type DrawCreateRequest = z.input<typeof DrawCreateRequest>;

export const PoolMember = z.object({ id: Id, name: z.string(), certificateNumber: z.string() });
/** what the draw would be made of, before anyone commits */
export const DrawPreview = z.object({
  populationSize: z.number().int(),
  /** per class: enterprises in the population and how many the ratios draw */
  byClass: z.record(z.enum(['A', 'B', 'C', 'D']), z.object({ population: z.number().int(), drawn: z.number().int() })),
  selectedCount: z.number().int(),
  /** enterprises left out of the population, by reason (cap reached, every day of the window quiet, 注销) */
  excluded: z.object({ capReached: z.number().int(), quietWindow: z.number().int(), deregistered: z.number().int() }),
  teams: z.array(
    z.object({
      agencyId: Id,
      name: z.string(),
      nameEn: z.string(),
      perTask: z.number().int(),
      pool: z.array(PoolMember),
      /** inspectors of the agency left out of the pool, with why (no certificate valid on the dates, …) */
      left: z.array(z.object({ id: Id, name: z.string(), reason: Text })),
    }),
  ),
  recusals: z.number().int(),
  parties: z.array(z.string()),
  verdicts: z.array(Verdict),
});
export type DrawPreview = z.infer<typeof DrawPreview>;

/** the statement without its population (served apart: it can be 100,000 lines) */
export const DrawStatementWire = z.object({
  drawId: Id,
  ratios: ClassRatios,
  teams: z.array(z.object({ agencyId: Id, perTask: z.number().int(), pool: z.array(Id) })),
  recusals: z.record(z.string(), z.array(Id)),
  parties: z.array(z.string()),
});
export type DrawStatementWire = z.infer<typeof DrawStatementWire>;

export const DrawPickWire = z.object({
  uscc: UsccShape,
  name: z.string(),
  cls: z.enum(['A', 'B', 'C', 'D']),
  /** agencyId → inspector ids */
  teams: z.record(z.string(), z.array(Id)),
});
export type DrawPickWire = z.infer<typeof DrawPickWire>;

/** one inspection's result under a draw (抽查结果公示), published as soon as it is recorded */
export const DrawResultWire = z.object({
  uscc: UsccShape,
  name: z.string(),
  agencyId: Id,
  outcome: z.enum(['no_problem', 'rectify', 'case_filed']),
  inspectedAt: IsoDateTime,
  publishedAt: IsoDateTime,
  /** the last day it could have been published: 20 working days after the inspection */
  dueBy: IsoDate,
});
export type DrawResultWire = z.infer<typeof DrawResultWire>;

/** the tasks the draw made, and the picks no task could be made for */
export const DrawTaskWire = z.object({
  uscc: UsccShape,
  agencyId: Id,
  taskId: Id.optional(),
  status: z.enum(['assigned', 'in_progress', 'done', 'cancelled', 'skipped']),
  /** why no task was made (the cap reached since the draw was created, …) */
  skipped: Text.optional(),
});
export type DrawTaskWire = z.infer<typeof DrawTaskWire>;

/** GET /api/draws/:id (its parties and supervisors), and the answer of create, commit, reveal, cancel */
export const DrawDetail = z.object({
  draw: Draw,
  statement: DrawStatementWire,
  statementText: z.string(),
  /** party → secret, once drawn */
  reveals: z.record(z.string(), Hex64).optional(),
  picks: z.array(DrawPickWire).optional(),
  resultText: z.string().optional(),
  tasks: z.array(DrawTaskWire),
  results: z.array(DrawResultWire),
  /** display names: inspector id → name; agency id → names */
  inspectors: z.record(z.string(), z.string()),
  agencies: z.record(z.string(), z.object({ name: z.string(), nameEn: z.string() })),
  /** the parties the caller may commit and reveal for */
  myParties: z.array(z.string()),
});
export type DrawDetail = z.infer<typeof DrawDetail>;

export const DrawListQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
/** GET /api/draws?year= (agencies: the draws they are a party to; supervisors: all) */
export const DrawList = z.object({ items: z.array(Draw) });
export type DrawList = z.infer<typeof DrawList>;

/** POST /api/draws/:id/commit */
export const DrawCommitRequest = z.object({ party: z.string().max(LEN.ref), commitment: Hex64 });
/** POST /api/draws/:id/reveal */
export const DrawRevealRequest = z.object({ party: z.string().max(LEN.ref), secret: Hex64 });
/** POST /api/draws/:id/cancel (the organiser, before every commitment is in) */
export const DrawCancelRequest = z.object({ reason: z.string().trim().min(2, 'give the reason').max(LEN.note) });

// ---------- coverage ----------

export const CoverageQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), agencyId: Id.optional() });
export const CoverageItem = z.object({
  planItemId: Id,
  itemId: Id,
  itemName: Text,
  /** the plan's sampling ratio (0..1) */
  targetRatio: z.number(),
  /** enterprises the item's targets reach today */
  population: z.number().int(),
  drawn: z.number().int(),
  inspected: z.number().int(),
  draws: z.number().int(),
});
export const AgencyCoverage = z.object({
  agencyId: Id,
  name: z.string(),
  nameEn: z.string(),
  /** distinct enterprises its sampling items reach */
  population: z.number().int(),
  /** distinct enterprises drawn this year (draws drawn or published) */
  drawn: z.number().int(),
  /** of those, inspected */
  inspected: z.number().int(),
  resultsPublished: z.number().int(),
  /** drawn / population (0 when the population is empty) */
  share: z.number(),
  /** share ≥ the policy's yearly floor */
  meetsFloor: z.boolean(),
  items: z.array(CoverageItem),
});
export type AgencyCoverage = z.infer<typeof AgencyCoverage>;
/** GET /api/draws/coverage?year=&agencyId= (an agency: its own; supervisors: every enforcement agency, or one) */
export const Coverage = z.object({ year: z.number().int(), minRatio: z.number(), agencies: z.array(AgencyCoverage) });
export type Coverage = z.infer<typeof Coverage>;

/** GET /api/draws/mine (an enterprise: the results of draws that picked it, once inspected) */
export const MyDrawResults = z.object({
  items: z.array(DrawResultWire.extend({ drawId: Id, title: z.string(), agencyName: z.string(), agencyNameEn: z.string() })),
});
export type MyDrawResults = z.infer<typeof MyDrawResults>;

// ---------- public (no sign-in) ----------

export const PublicDrawSummary = Draw.pick({
  id: true,
  year: true,
  kind: true,
  organiserId: true,
  teamAgencyIds: true,
  title: true,
  window: true,
  status: true,
  paramsHash: true,
  populationHash: true,
  populationSize: true,
  ratios: true,
  parties: true,
  revealBy: true,
  replaces: true,
  createdAt: true,
}).extend({
  organiserName: z.string(),
  organiserNameEn: z.string(),
  /** once published */
  seed: z.string().optional(),
  resultHash: z.string().optional(),
  selectedCount: z.number().int().optional(),
  resultsPublished: z.number().int(),
});
export type PublicDrawSummary = z.infer<typeof PublicDrawSummary>;
export const PublicDrawListQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
/** GET /api/public/draws?year= every draw (not cancelled ones before any commitment), newest first */
export const PublicDrawList = z.object({ items: z.array(PublicDrawSummary) });
export type PublicDrawList = z.infer<typeof PublicDrawList>;
/** GET /api/public/draws/:id: the summary, each result; the whole draw once published */
export const PublicDraw = PublicDrawSummary.extend({
  results: z.array(DrawResultWire),
  statement: DrawStatementWire.optional(),
  statementText: z.string().optional(),
  reveals: z.record(z.string(), Hex64).optional(),
  picks: z.array(DrawPickWire.omit({ cls: true })).optional(),
  resultText: z.string().optional(),
  /** the names of the inspectors in the picks (inspectors' names are public: /api/public/bodies), once published */
  inspectors: z.record(z.string(), z.string()).optional(),
});
export type PublicDraw = z.infer<typeof PublicDraw>;

export const DrawStatusName: Record<z.infer<typeof DrawStatus>, Text> = {
  committing: { zh: '待承诺', en: 'Awaiting commitments' },
  revealing: { zh: '待揭示', en: 'Awaiting reveals' },
  drawn: { zh: '已抽取', en: 'Drawn' },
  published: { zh: '已公开', en: 'Published' },
  lapsed: { zh: '已失效（未按时揭示）', en: 'Lapsed (not revealed in time)' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

const notFound = { 404: { codes: ['not_found'] } };
const text = 'text' as const;

/** the draw routes (src/protocol/api.ts lists every route) */
export const DRAW_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/api/draws',
    summary: 'Create a draw from a sampling item of a filed plan, a joint plan or for a county; dryRun counts and checks only (organiser agency admins)',
    access: 'bearer',
    body: DrawCreateRequest,
    responses: { 200: DrawPreview, 201: DrawDetail },
    errors: {
      404: { codes: ['not_found'] },
      409: { codes: ['plan_not_filed', 'draw_replaces'] },
      422: { codes: ['draw_invalid', 'draw_infeasible', 'population_empty', 'population_too_large'], details: DrawPreview },
    },
  },
  {
    method: 'GET',
    path: '/api/draws',
    summary: 'The draws of a year: the ones an agency is a party to, or all for supervisors',
    access: 'bearer',
    query: DrawListQuery,
    responses: { 200: DrawList },
  },
  {
    method: 'GET',
    path: '/api/draws/coverage',
    summary: 'Sampling coverage against the plans and the yearly floor (an agency: its own; supervisors: all)',
    access: 'bearer',
    query: CoverageQuery,
    responses: { 200: Coverage },
  },
  {
    method: 'GET',
    path: '/api/draws/mine',
    summary: "An enterprise's results of draws that picked it, once inspected",
    access: 'bearer',
    responses: { 200: MyDrawResults },
  },
  {
    method: 'GET',
    path: '/api/draws/:id',
    summary: 'One draw whole: statement, commitments, reveals, picks, tasks, results (its parties and supervisors)',
    access: 'bearer',
    responses: { 200: DrawDetail },
    errors: notFound,
  },
  {
    method: 'GET',
    path: '/api/draws/:id/population',
    summary: 'The population text of a draw, `<uscc> <class>` a line (its parties and supervisors)',
    access: 'bearer',
    responses: { 200: text },
    errors: notFound,
  },
  {
    method: 'POST',
    path: '/api/draws/:id/commit',
    summary: "A party's commitment (SHA-256 of its secret bound to the statement)",
    access: 'bearer',
    body: DrawCommitRequest,
    responses: { 200: DrawDetail },
    errors: { ...notFound, 409: { codes: ['draw_stage', 'already_committed'] } },
  },
  {
    method: 'POST',
    path: '/api/draws/:id/reveal',
    summary: "A party's secret, once every commitment is in; the last reveal runs the draw and makes the tasks",
    access: 'bearer',
    body: DrawRevealRequest,
    responses: { 200: DrawDetail },
    errors: { ...notFound, 409: { codes: ['draw_stage', 'already_revealed'] }, 422: { codes: ['reveal_mismatch'] } },
  },
  {
    method: 'POST',
    path: '/api/draws/:id/cancel',
    summary: 'Withdraw a draw before every commitment is in (the organiser)',
    access: 'bearer',
    body: DrawCancelRequest,
    responses: { 200: DrawDetail },
    errors: { ...notFound, 409: { codes: ['draw_stage'] } },
  },
  {
    method: 'GET',
    path: '/api/public/draws',
    summary: 'Every draw: its statement hash, commitments and status; results as they are recorded (no sign-in)',
    access: 'public',
    query: PublicDrawListQuery,
    responses: { 200: PublicDrawList },
  },
  {
    method: 'GET',
    path: '/api/public/draws/:id',
    summary: 'One draw for the public: whole (statement, reveals, picks) once published (no sign-in)',
    access: 'public',
    responses: { 200: PublicDraw },
    errors: notFound,
  },
  {
    method: 'GET',
    path: '/api/public/draws/:id/population',
    summary: 'The population text of a published draw, to verify it (no sign-in)',
    access: 'public',
    responses: { 200: text },
    errors: notFound,
  },
];
