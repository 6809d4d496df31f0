/**
 * The one error body every HTTP error carries (server/http/router.ts sendError builds it; the app's API
 * module and the tests parse it): a machine code, a bilingual message, and for some errors `details`
 * (a 400 from a zod check: the issues; a 422: the problems; see each route's schema in src/protocol/api.ts).
 * zod only: no I/O.
 */
import { z } from 'zod';
import { Text } from '../domain/schemas';

/** `{zh, en}`: every message a person may read */
export const Bilingual = Text;
export type Bilingual = z.infer<typeof Bilingual>;

/** one failed check of a request body or query (router.ts zodError) */
export const ValidationIssue = z.object({ path: z.string(), message: z.string() });
export const ValidationIssues = z.array(ValidationIssue);
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: Bilingual,
    /** unvalidated here: parse with the route's details schema (ValidationIssues, FilingProblems, TaskProblems …) */
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
