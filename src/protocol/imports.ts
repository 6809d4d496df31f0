/**
 * Imports on the wire (server/imports/): a table file (CSV or XLSX) uploaded as the raw body, checked in a job
 * (a dry run: counts and the invalid rows), then applied in one transaction. zod only, no I/O.
 */
import { z } from 'zod';
import { Text } from '../domain/schemas';
import { EmptyRequest } from './auth';
import type { Operation } from './operation';

/** the largest file an import takes (also the raw body's limit) */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;
/** the invalid rows a job's answer carries (errors.csv has every one) */
export const IMPORT_INVALID_SHOWN = 1000;
/** the media types of the raw body */
export const IMPORT_MEDIA_TYPES = ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] as const;

export const ImportKind = z
  .string()
  .max(40)
  .regex(/^[a-z][a-z_-]*$/, 'kind: lowercase letters, _ and -');

/** POST /api/imports/:kind?dryRun=1&filename= (the file is the body) */
export const ImportStartQuery = z.object({
  /** 1 (default): check only, apply later with POST /api/imports/:jobId/apply; 0: check and apply at once */
  dryRun: z.enum(['0', '1']).default('1'),
  filename: z.string().trim().min(1).max(200),
});
export type ImportStartQuery = z.infer<typeof ImportStartQuery>;

export const ImportStarted = z.object({ jobId: z.string().max(80) });
export type ImportStarted = z.infer<typeof ImportStarted>;

export const ImportInvalidRow = z.object({
  /** the row number as Excel shows it (the header is row 1) */
  line: z.number().int().min(1),
  /** the field at fault (the column), when one is */
  column: z.string().max(60).optional(),
  /** what the row is matched on as the file writes it (a USCC, a certificate number) */
  key: z.string().max(60).optional(),
  reason: Text,
});
export type ImportInvalidRow = z.infer<typeof ImportInvalidRow>;

export const ImportResult = z.object({
  new: z.number().int().min(0),
  changed: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  invalid: z.number().int().min(0),
  /** the first IMPORT_INVALID_SHOWN invalid rows, in line order */
  invalidRows: z.array(ImportInvalidRow).max(IMPORT_INVALID_SHOWN),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ImportPhase = z.enum(['reading', 'checking', 'applying', 'done', 'failed']);
export type ImportPhase = z.infer<typeof ImportPhase>;

/** GET /api/imports/:jobId (the job's owner only) */
export const ImportJob = z.object({
  jobId: z.string().max(80),
  kind: ImportKind,
  filename: z.string().max(200),
  dryRun: z.boolean(),
  /** true once the rows are written (then `result` counts what was written) */
  applied: z.boolean(),
  phase: ImportPhase,
  /** progress of the phase (rows); total 0 while unknown */
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  result: ImportResult.optional(),
  error: z.object({ code: z.string().max(60), message: Text }).optional(),
});
export type ImportJob = z.infer<typeof ImportJob>;

const jobErrors = {
  404: { codes: ['not_found'] },
  409: { codes: ['import_running', 'import_not_ready', 'import_applied'] },
};

/** the imports routes (src/protocol/api.ts lists every route) */
export const IMPORT_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/api/imports/:kind',
    summary:
      'Upload a table file (CSV in UTF-8, UTF-8 with BOM or GB18030/GBK; or XLSX) as the raw body and start its import job: a dry run unless dryRun=0 (kind `enterprises`: supervisors)',
    access: 'bearer',
    query: ImportStartQuery,
    rawBody: { mediaTypes: [...IMPORT_MEDIA_TYPES], maxBytes: IMPORT_MAX_BYTES },
    responses: { 202: ImportStarted },
    errors: { 404: { codes: ['not_found'] }, 409: { codes: ['import_running'] } },
  },
  {
    method: 'GET',
    path: '/api/imports/:jobId',
    summary: 'An import job: its phase and progress, then the counts of new, changed, unchanged and invalid rows (the job’s owner only)',
    access: 'bearer',
    responses: { 200: ImportJob },
    errors: { 404: jobErrors[404] },
  },
  {
    method: 'POST',
    path: '/api/imports/:jobId/apply',
    summary: 'Apply a finished dry run (the same file, checked again against the current data) in one transaction',
    access: 'bearer',
    body: EmptyRequest,
    responses: { 202: ImportStarted },
    errors: jobErrors,
  },
  {
    method: 'GET',
    path: '/api/imports/:jobId/errors.csv',
    summary: 'Every invalid row of a checked file with its line number, column and reason, as CSV (UTF-8 with BOM)',
    access: 'bearer',
    responses: { 200: 'text' },
    errors: jobErrors,
  },
];
