/**
 * Filing (备案), decisions and publication (一公开) on the wire (server/filings/). The response shapes are
 * defined once in src/domain/filing.ts, beside the plan checks that produce FilingProblem (domain code may
 * not import the protocol); this module is their wire entry point and adds the requests and queries.
 * zod only: no I/O.
 */
import { z } from 'zod';
import { Id } from '../domain/schemas';
import { RoomNameSchema } from '../domain/rooms';

export {
  FilingDecisionRequest,
  FilingFull,
  FilingKind,
  FilingList,
  FilingProblem,
  FilingProblems,
  FilingSubmitted,
  FilingSummary,
  ItemLabels,
  PublicPlan,
  PublicPlans,
  PublishResult,
  UnfiledAgency,
  UnfiledList,
} from '../domain/filing';

const Year = z.coerce.number().int().min(2000).max(2100);

/** POST /api/filings and POST /api/plans/publish: the plan or joint room */
export const RoomRequest = z.object({ room: RoomNameSchema });
export type RoomRequest = z.infer<typeof RoomRequest>;

/** GET /api/filings?year=&status=&agencyId=&room= */
export const FilingListQuery = z.object({
  year: Year.optional(),
  status: z.enum(['submitted', 'filed', 'returned']).optional(),
  agencyId: Id.optional(),
  room: RoomNameSchema.optional(),
});
/** GET /api/public/plans?year=&q= */
export const PublicPlansQuery = z.object({ year: Year.optional(), q: z.string().trim().max(100).optional() });
/** GET /api/supervision/unfiled?year= */
export const UnfiledQuery = z.object({ year: Year.optional() });
