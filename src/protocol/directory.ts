/**
 * The directory on the wire (server/directory/routes.ts): divisions, agencies, enterprises, inspectors.
 * zod only: no I/O.
 */
import { z } from 'zod';
import { Agency, Division, Enterprise, Id, Inspector } from '../domain/schemas';

export { Enterprise };

/** GET /api/directory (public) */
export const Directory = z.object({ divisions: z.array(Division), agencies: z.array(Agency) });
export type Directory = z.infer<typeof Directory>;

/** GET /api/enterprises?q=&division=&industry=&status=&limit=&offset= (q: part of the name, or the beginning of a USCC) */
export const EnterpriseQuery = z.object({
  q: z.string().trim().max(100).optional(),
  division: z
    .string()
    .regex(/^\d{6}$/, 'division: a 6-digit code')
    .optional(),
  industry: z.string().max(60).optional(),
  /** `active` or `deregistered` (注销) only; absent: both */
  status: z.enum(['active', 'deregistered']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const EnterprisePage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(Enterprise) });
export type EnterprisePage = z.infer<typeof EnterprisePage>;

/** GET /api/inspectors?agencyId= */
export const InspectorQuery = z.object({ agencyId: Id.optional() });
export const InspectorList = z.object({ items: z.array(Inspector) });
export type InspectorList = z.infer<typeof InspectorList>;
