/**
 * Statistics over HTTP (src/protocol/stats.ts has every shape and who may read what).
 *   GET /api/stats/{summary,monthly,agencies,enterprises,warnings,feedback,plans}?year=&from=&to=&agencyId=&division=&industry=
 *     supervisors: any agency or the city; an agency admin: its own (another agencyId: 403); others: 403.
 *     ETag (the projection's generation, the caller's scope, the query, the day): a poll with If-None-Match is a 304.
 *   GET /api/stats/records?…&after=&limit=   the ledger's rows for export, a page at a time (same rights)
 *   GET /api/stats/enterprise/:uscc          一企一档 (supervisors only; 404 for an unknown USCC)
 */
import { createHash } from 'node:crypto';
import { UsccShape } from '../../src/domain/schemas';
import { StatsQuery, StatsRecordsQuery } from '../../src/protocol/stats';
import { parseQuery, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import { requireSupervisor } from '../auth/rights';
import type { TokenService } from '../auth/tokens';
import type { Principal } from '../../src/domain/schemas';
import { resolveStats, type StatsScope } from './scope';
import type { StatsService } from './service';

export interface StatsRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  stats: StatsService;
}

const SECTIONS = ['summary', 'monthly', 'agencies', 'enterprises', 'warnings', 'feedback', 'plans'] as const;

export function registerStatsRoutes(router: Router, d: StatsRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  const scoped = async (ctx: Ctx): Promise<{ p: Principal; s: StatsScope }> => {
    const p = await bearer(ctx);
    const s = resolveStats(p, parseQuery(ctx.url, StatsQuery), d.stats.d.clock.year());
    return { p, s };
  };

  for (const name of SECTIONS) {
    router.get(`/api/stats/${name}`, async (ctx) => {
      const { p, s } = await scoped(ctx);
      const tag = `W/"${d.stats.version()}-${createHash('sha256')
        .update(`${p.role}|${p.agencyId ?? ''}|${d.stats.d.clock.today()}|${JSON.stringify(s)}|${name}`)
        .digest('base64url')
        .slice(0, 16)}"`;
      const headers = { ETag: tag, 'Cache-Control': 'private, no-cache' };
      if (ctx.req.headers['if-none-match'] === tag) {
        ctx.res.writeHead(304, headers);
        ctx.res.end();
        return;
      }
      sendJson(ctx.res, 200, await d.stats[name](s), headers);
    });
  }

  router.get('/api/stats/records', async (ctx) => {
    const { s } = await scoped(ctx);
    const page = parseQuery(ctx.url, StatsRecordsQuery);
    sendJson(ctx.res, 200, d.stats.records(s, page.after, page.limit));
  });

  router.get('/api/stats/enterprise/:uscc', async (ctx) => {
    requireSupervisor(await bearer(ctx));
    const uscc = UsccShape.safeParse(ctx.params.uscc);
    if (!uscc.success) throw errors.badRequest('bad_uscc', { zh: '统一社会信用代码格式不正确', en: 'Not a valid USCC' });
    const file = await d.stats.enterpriseFile(uscc.data);
    if (!file) throw errors.notFound({ zh: '没有这家企业', en: 'No such enterprise' });
    sendJson(ctx.res, 200, file);
  });
}
