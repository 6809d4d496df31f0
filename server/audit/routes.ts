/**
 * The audit trail (server/audit/store.ts):
 *   GET /api/audit?actor=&action=&agencyId=&target=&from=&to=&limit=&offset=   → AuditPage, newest first
 *   GET /api/audit.csv?(same filters)                                           → CSV, oldest first
 * Supervisors read every entry; an agency admin reads only entries of their own agency (whatever agencyId
 * they ask for); inspectors and enterprises are refused (403).
 */
import { AuditQuery, type AuditPage } from '../../src/protocol/audit';
import type { Principal } from '../../src/domain/schemas';
import { parseQuery, sendJson, type Router } from '../http/router';
import { sendCsv } from '../http/csv';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { AuditLog } from './store';
import { adminScope } from '../auth/rights';

export interface AuditRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  audit: AuditLog;
}

/** the most rows one CSV export holds */
export const AUDIT_CSV_MAX = 100_000;

export function registerAuditRoutes(router: Router, d: AuditRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  router.get('/api/audit', async (ctx) => {
    const p = await bearer(ctx);
    const scope = adminScope(p);
    const q = parseQuery(ctx.url, AuditQuery);
    const r = d.audit.list(q, scope);
    sendJson(ctx.res, 200, { total: r.total, limit: q.limit, offset: q.offset, items: r.items } satisfies AuditPage);
  });
  router.get('/api/audit.csv', async (ctx) => {
    const p = await bearer(ctx);
    const scope = adminScope(p);
    const q = parseQuery(ctx.url, AuditQuery.omit({ limit: true, offset: true }));
    const entries = d.audit.iterate(q, scope, AUDIT_CSV_MAX);
    const rows = (function* () {
      for (const e of entries)
        yield [e.id, e.at, e.actor.name, e.actor.userId, e.actor.role, e.agencyId ?? '', e.action, e.target, e.before ?? '', e.after ?? ''];
    })();
    sendCsv(ctx.res, 'audit.csv', ['id', 'at', 'actor', 'actor_id', 'role', 'agency', 'action', 'target', 'before', 'after'], rows);
  });
}
