/**
 * The imports routes (server/imports/routes.ts) through the API agent: upload a table file (the raw body), follow
 * its job, apply it, download its invalid rows. Used by ui/ImportWizard.tsx for every kind of import.
 */
import { ImportJob, ImportStarted, type ImportStartQuery } from '../protocol/imports';
import { EnterprisePage } from '../protocol/directory';
import { agent as browserAgent, type Agent } from './agent';

const seg = encodeURIComponent;
const S = 'session' as const;

export function createImportsApi(agent: Agent = browserAgent) {
  const { call, download } = agent;
  return {
    /** start the job of a file: a dry run unless `dryRun` is '0' */
    upload: (kind: string, file: Blob, q: { filename: string; dryRun?: ImportStartQuery['dryRun'] }) =>
      call(ImportStarted, `/api/imports/${seg(kind)}`, {
        query: { filename: q.filename, dryRun: q.dryRun ?? '1' },
        raw: { data: file, type: 'application/octet-stream' },
        auth: S,
      }),
    /** the job: phase, progress, result */
    job: (jobId: string) => call(ImportJob, `/api/imports/${seg(jobId)}`, { auth: S }),
    /** apply a finished dry run */
    apply: (jobId: string) => call(ImportStarted, `/api/imports/${seg(jobId)}/apply`, { body: {}, auth: S }),
    /** every invalid row, as CSV */
    errorsCsv: (jobId: string) => download(`/api/imports/${seg(jobId)}/errors.csv`, { auth: S }),
    /** a page of the directory the import fills, searched on the server (with the 注销 status filter) */
    enterprises: (q: { q?: string; division?: string; industry?: string; status?: 'active' | 'deregistered'; limit?: number; offset?: number }) =>
      call(EnterprisePage, '/api/enterprises', { query: q, auth: S }),
  };
}
export type ImportsApi = ReturnType<typeof createImportsApi>;

export const importsApi = createImportsApi();
