/**
 * Supervisors' warnings and the enterprises' ratings on the wire (server/projection/ routes).
 * zod only: no I/O.
 */
import { z } from 'zod';
import { Id, Warning, WarningHandling, WarningKind } from '../domain/schemas';

/** GET /api/warnings?year=&agencyId=&kind= */
export const WarningsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  agencyId: Id.optional(),
  kind: WarningKind.optional(),
});
/** a warning with its handling (an agency gets its own only, the handling without the supervisors' notes) */
export const WarningItem = Warning.extend({ handling: WarningHandling.partial().extend({ status: WarningHandling.shape.status }).optional() });
export type WarningItem = z.infer<typeof WarningItem>;
export const WarningsResponse = z.object({ year: z.number().int(), items: z.array(WarningItem), counts: z.record(z.string(), z.number()) });
export type WarningsResponse = z.infer<typeof WarningsResponse>;

/** GET /api/ratings/summary?year=&agencyId= and /api/ratings/by-agency?year= */
export const RatingQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  agencyId: Id.optional(),
});
/** the enterprises' ratings of an agency's inspections, anonymised */
export const RatingSummary = z.object({
  agencyId: z.string(),
  year: z.number().int(),
  count: z.number().int(),
  enterprises: z.number().int(),
  distribution: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]).nullable(),
  average: z.number().nullable(),
  minCount: z.number().int(),
  /** an agency's own view only: the closed months shown (each with ≥ minCount rating enterprises), and the last closed month */
  months: z.array(z.object({ month: z.string(), count: z.number().int(), enterprises: z.number().int(), average: z.number() })).optional(),
  closedThrough: z.string().optional(),
});
export type RatingSummary = z.infer<typeof RatingSummary>;
export const RatingsByAgency = z.object({
  year: z.number().int(),
  items: z.array(RatingSummary.omit({ minCount: true }).extend({ complaints: z.number().int() })),
});
export type RatingsByAgency = z.infer<typeof RatingsByAgency>;
