/** The shape of one entry of the route table (src/protocol/api.ts): a leaf module, so every feature's protocol file can list its own routes. */
import type { z } from 'zod';

/**
 * How a route is reached: `public` (no sign-in), `bearer` (an access token), `refresh` (the HttpOnly refresh
 * cookie), `metrics` (METRICS_TOKEN when set).
 */
export type Access = 'public' | 'bearer' | 'refresh' | 'metrics';

export interface Operation {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  access: Access;
  query?: z.ZodType;
  body?: z.ZodType;
  /** a raw (non-JSON) request body, e.g. an uploaded file: its media types and size limit */
  rawBody?: { mediaTypes: string[]; maxBytes: number };
  /** status → body schema; `text` for a non-JSON answer */
  responses: Record<number, z.ZodType | 'text'>;
  /** error statuses this route answers besides the common ones (400 bad request, 401, 403, 413, 415, 500), with their `details` */
  errors?: Record<number, { codes: string[]; details?: z.ZodType }>;
}
