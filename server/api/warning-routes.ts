/**
 * Supervisors' warnings over HTTP (DESIGN §4: `supervision/<year>` is supervisors' own room; each agency
 * sees its own warnings through the API).
 *   GET /api/warnings?year=&agencyId=&kind= (Bearer)
 *     supervisor: every warning of the year (optionally one agency's or one kind's), with its handling
 *     agency: its own warnings only (another agencyId → 403); handling status without the supervisors'
 *       notes; a complaint warning without the enterprise, the record and the complaint's words (ratings
 *       and complaints stay anonymous to the inspected agency)
 *     others: 403
 *   → {year, items: [Warning & {handling?}], counts: {kind: n}}
 *   GET /api/ratings/summary?year=&agencyId= (Bearer)
 *     the enterprises' ratings of an agency's inspections in a year, anonymised (DESIGN §4): how many were
 *     rated and by how many enterprises; the distribution of scores and the average only once
 *     RATING_MIN_COUNT enterprises rated. An agency asks for its own; supervisors for any; others 403.
 *     Supervisors (who may know who rated) get the scores at any count.
 *   → {agencyId, year, count, enterprises, distribution: [n1..n5] | null, average: number | null, minCount}
 *   GET /api/ratings/by-agency?year= (Bearer, supervisors): every enforcement agency's rating summary and
 *     its number of complaints that year (measure 15: statistics, problems that recur)
 *   → {year, items: [RatingSummary & {complaints}]}
 */
import { z } from 'zod';
import { Id, WarningKind } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { readHandling } from '../../src/model';
import { errors, parseQuery, sendJson, type Router } from '../http/router';
import type { TokenService } from '../auth/tokens';
import type { Directory } from '../store/directory';
import { RATING_MIN_COUNT, type Projection, type RoomAccess } from '../projection';
import { bearerOf } from './bearer';
import type { Clock } from '../clock';

export interface WarningRouteDeps {
  tokens: TokenService;
  projection: Pick<Projection, 'tables'>;
  relay: RoomAccess;
  /** the enforcement agencies (rating overview) */
  dir: Pick<Directory, 'enforcementAgencies'>;
  clock: Pick<Clock, 'year'>;
}

const Query = z.object({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  agencyId: Id.optional(),
  kind: WarningKind.optional(),
});

/** what an agency reads of a complaint about its inspections: not who complained, nor their words (they may name them) */
const COMPLAINT_FOR_AGENCY = {
  zh: '执法监督部门收到一条关于本部门检查的企业投诉，正在核查。投诉企业的身份和投诉内容对本部门保密。',
  en: 'The supervisors received an enterprise\'s complaint about one of this agency\'s inspections and are looking into it. Who complained, and what they wrote, is kept from the agency.',
};

const RatingQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  agencyId: Id.optional(),
});

export function registerWarningRoutes(router: Router, d: WarningRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/ratings/summary', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, RatingQuery);
    const agencyId = p.role === 'supervisor' ? q.agencyId : p.role === 'agency' ? p.agencyId : undefined;
    if (!agencyId) throw p.role === 'supervisor' ? errors.badRequest('agency_required', { zh: '请指定部门', en: 'Name the agency (agencyId)' }) : errors.forbidden();
    if (p.role === 'agency' && q.agencyId && q.agencyId !== p.agencyId) throw errors.forbidden();
    const year = q.year ?? d.clock.year();
    sendJson(ctx.res, 200, { ...d.projection.tables.ratingSummary(agencyId, year, p.role === 'supervisor'), minCount: RATING_MIN_COUNT });
  });

  router.get('/api/ratings/by-agency', async (ctx) => {
    const p = await bearer(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const year = parseQuery(ctx.url, RatingQuery).year ?? d.clock.year();
    const complaints = d.projection.tables.complaintCounts(year);
    const items = d.dir.enforcementAgencies().map(({ id }) => ({ ...d.projection.tables.ratingSummary(id, year, true), complaints: complaints.get(id) ?? 0 }));
    sendJson(ctx.res, 200, { year, items });
  });

  router.get('/api/warnings', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, Query);
    const supervisor = p.role === 'supervisor';
    if (!supervisor && !(p.role === 'agency' && p.agencyId)) throw errors.forbidden();
    if (!supervisor && q.agencyId && q.agencyId !== p.agencyId) throw errors.forbidden();
    const year = q.year ?? d.clock.year();
    const agencyId = supervisor ? q.agencyId : p.agencyId;
    const list = d.projection.tables.warnings({ year, agencyId, kind: q.kind });
    const handling = new Map((await d.relay.read(rooms.supervision(year), (doc) => readHandling(doc).items)).map((h) => [h.warningId, h]));
    const counts: Record<string, number> = {};
    const items = list.map((w) => {
      counts[w.kind] = (counts[w.kind] ?? 0) + 1;
      const h = handling.get(w.id);
      if (supervisor) return h ? { ...w, handling: h } : w;
      const own = w.kind === 'complaint' ? { ...w, uscc: undefined, refId: undefined, message: COMPLAINT_FOR_AGENCY } : w;
      return h ? { ...own, handling: { status: h.status, at: h.at } } : own;
    });
    sendJson(ctx.res, 200, { year, items, counts });
  });
}
