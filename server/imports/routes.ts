/**
 * Imports (server/imports/service.ts):
 *   POST /api/imports/:kind?dryRun=1&filename=   raw body: the file (≤ 32 MB)  → 202 {jobId}
 *   GET  /api/imports/:jobId                                                  → ImportJob (phase, progress, result)
 *   POST /api/imports/:jobId/apply               {}                           → 202 {jobId}
 *   GET  /api/imports/:jobId/errors.csv                                       → every invalid row (CSV)
 * Who may import a kind is the importer's (`enterprises`: supervisors); a job is read and applied only by the
 * user who started it (404 for anyone else).
 */
import { EmptyRequest } from '../../src/protocol/auth';
import { IMPORT_MAX_BYTES, IMPORT_MEDIA_TYPES, ImportKind, ImportStartQuery, type ImportStarted } from '../../src/protocol/imports';
import { parseQuery, readBody, readJson, sendJson, type Router } from '../http/router';
import { errors, HttpError } from '../http/errors';
import { sendCsv } from '../http/csv';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { ImportService } from './service';

export interface ImportRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  imports: ImportService;
}

const JOB_ID = /^[0-9a-f-]{36}$/;

export function registerImportRoutes(router: Router, d: ImportRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  const jobId = (raw: string) => {
    if (!JOB_ID.test(raw)) throw errors.notFound({ zh: '没有这个导入任务', en: 'No such import job' });
    return raw;
  };

  router.post('/api/imports/:kind', async (ctx) => {
    const p = await bearer(ctx);
    const kind = ImportKind.safeParse(ctx.params.kind);
    if (!kind.success) throw errors.notFound({ zh: '没有这种导入', en: 'No such import' });
    // rights (and the one running job) before the upload is read: a refused user never sends 32 MB into memory
    d.imports.precheck(kind.data, p);
    const q = parseQuery(ctx.url, ImportStartQuery);
    const ct = String(ctx.req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!(IMPORT_MEDIA_TYPES as readonly string[]).includes(ct))
      throw new HttpError(415, 'unsupported_media_type', {
        zh: '请以文件原始内容上传（application/octet-stream）',
        en: 'Upload the file as the raw body (application/octet-stream)',
      });
    const bytes = await readBody(ctx.req, IMPORT_MAX_BYTES);
    const job = d.imports.start(kind.data, p, bytes, q.filename, q.dryRun === '1');
    sendJson(ctx.res, 202, { jobId: job.id } satisfies ImportStarted);
  });

  router.get('/api/imports/:jobId', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.imports.view(jobId(ctx.params.jobId), p));
  });

  router.post('/api/imports/:jobId/apply', async (ctx) => {
    const p = await bearer(ctx);
    await readJson(ctx.req, EmptyRequest);
    const job = d.imports.apply(jobId(ctx.params.jobId), p);
    sendJson(ctx.res, 202, { jobId: job.id } satisfies ImportStarted);
  });

  router.get('/api/imports/:jobId/errors.csv', async (ctx) => {
    const p = await bearer(ctx);
    const job = d.imports.invalidRows(jobId(ctx.params.jobId), p);
    const name = job.filename.replace(/\.[^.]*$/, '');
    sendCsv(
      ctx.res,
      `${name}-errors.csv`,
      ['行号 line', '标识 key', '列 column', '原因', 'reason'],
      job.invalid.map((r) => [r.line, r.key ?? '', r.column ?? '', r.reason.zh, r.reason.en]),
    );
  });
}
