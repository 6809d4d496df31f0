/**
 * Evidence files over HTTP (src/protocol/evidence.ts; rights and checks in ./service.ts):
 *   POST /api/evidence/uploads                  UploadStart (JSON)                      → UploadState
 *   POST /api/evidence/uploads/:sha256?offset=N  the chunk (application/octet-stream, ≤ 1 MiB) → UploadState
 *   GET  /api/evidence/:uscc/:sha256             the bytes, immutable (ETag "<sha256>", 304 on If-None-Match)
 * A malformed USCC or digest in a path is the same 404 as a file that does not exist.
 */
import { EVIDENCE_CHUNK_BYTES } from '../../src/domain/evidence';
import { Sha256Hex, UsccShape } from '../../src/domain/schemas';
import { ChunkQuery, UploadStart } from '../../src/protocol/evidence';
import { parseQuery, readBody, readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors, HttpError } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { EvidenceService } from './service';

export interface EvidenceRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  evidence: EvidenceService;
}

const notFound = () => errors.notFound({ zh: '没有这个证据文件', en: 'No such evidence file' });

function param<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: string): T {
  const r = schema.safeParse(v);
  if (!r.success) throw notFound();
  return r.data;
}

/** the response headers of a file: cached for good (the name is the content), never sniffed */
export function evidenceHeaders(sha256: string, type: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${sha256}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': type === 'application/pdf' ? `attachment; filename="${sha256.slice(0, 12)}.pdf"` : 'inline',
  };
}

const etagMatches = (ctx: Ctx, sha256: string) =>
  String(ctx.req.headers['if-none-match'] ?? '')
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === `"${sha256}"` || t === '*');

export function registerEvidenceRoutes(router: Router, d: EvidenceRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.post('/api/evidence/uploads', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, d.evidence.start(p, await readJson(ctx.req, UploadStart)));
  });

  router.post('/api/evidence/uploads/:sha256', async (ctx) => {
    const p = await bearer(ctx);
    const sha256 = param(Sha256Hex, ctx.params.sha256);
    const q = parseQuery(ctx.url, ChunkQuery);
    const ct = String(ctx.req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (ct !== 'application/octet-stream')
      throw new HttpError(415, 'unsupported_media_type', {
        zh: '请以原始字节上传（application/octet-stream）',
        en: 'Send the chunk as raw bytes (application/octet-stream)',
      });
    // whose upload it is before the body is read: nobody else's chunk is ever read into memory
    d.evidence.precheck(p, sha256);
    const bytes = await readBody(ctx.req, EVIDENCE_CHUNK_BYTES);
    sendJson(ctx.res, 200, d.evidence.chunk(p, sha256, q.offset, bytes));
  });

  router.get('/api/evidence/:uscc/:sha256', async (ctx) => {
    const p = await bearer(ctx);
    const uscc = param(UsccShape, ctx.params.uscc);
    const sha256 = param(Sha256Hex, ctx.params.sha256);
    if (etagMatches(ctx, sha256)) {
      // rights and the ledger's reference first: a 304 says no more than a 200 would
      const type = await d.evidence.readable(p, uscc, sha256);
      const { 'Content-Type': _, 'Content-Disposition': __, ...h } = evidenceHeaders(sha256, type);
      ctx.res.writeHead(304, h);
      ctx.res.end();
      return;
    }
    const f = await d.evidence.read(p, uscc, sha256);
    ctx.res.writeHead(200, { ...evidenceHeaders(sha256, f.type), 'Content-Length': f.bytes.length });
    ctx.res.end(f.bytes);
  });
}
