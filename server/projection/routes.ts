/**
 * Supervisors' warnings over HTTP (DESIGN §4: `supervision/<year>` is supervisors' own room; each agency
 * sees its own warnings through the API).
 *   GET /api/warnings?year=&agencyId=&kind= (Bearer)
 *     supervisor: every warning of the year (optionally one agency's or one kind's), with its handling
 *     agency: its own warnings only (another agencyId → 403); handling status without the supervisors'
 *       notes; a complaint warning rebuilt from a whitelist (complaintForAgency): an opaque id (an HMAC
 *       under the server's secret), the day only (Asia/Shanghai midnight), a fixed message; no USCC,
 *       record id, rule or words, listed from the day after the server received it (so polling cannot
 *       date it either; ratings and complaints stay anonymous to the inspected agency)
 *     others: 403
 *   → {year, items: [Warning & {handling?}], counts: {kind: n}}
 *   GET /api/ratings/summary?year=&agencyId= (Bearer)
 *     the enterprises' ratings of an agency's inspections in a year, anonymised (DESIGN §4).
 *     agency (its own only): closed calendar months only, each frozen once read, and only months in which
 *       RATING_MIN_COUNT or more enterprises rated (ProjectionTables.agencyRatings), so polling shows no
 *       single new score: the answer changes only when a month closes
 *     → {agencyId, year, count, enterprises, distribution, average, months: [...], closedThrough, minCount}
 *     supervisors (name the agency; they may know who rated): current figures of the year, scores at any count
 *     → {agencyId, year, count, enterprises, distribution: [n1..n5] | null, average: number | null, minCount}
 *     others: 403
 *   GET /api/ratings/by-agency?year= (Bearer, supervisors): every enforcement agency's rating summary and
 *     its number of complaints that year (measure 15: statistics, problems that recur)
 *   → {year, items: [RatingSummary & {complaints}]}
 */
import { RatingQuery, WarningsQuery, type RatingsByAgency, type RatingSummary } from '../../src/protocol/warnings';
import { rooms } from '../../src/domain/rooms';
import { readHandling } from '../../src/model';
import { parseQuery, sendJson, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import type { Directory } from '../directory/store';
import { RATING_MIN_COUNT, type Projection } from './index';
import type { RoomReader } from '../sync/port';
import { bearerOf } from '../auth/bearer';
import type { Clock } from '../clock';
import { shanghaiDate, shanghaiStartOfDay } from '../../src/domain/time';
import type { WarningT } from './index';

export interface WarningRouteDeps {
  tokens: TokenService;
  projection: Pick<Projection, 'tables'>;
  rooms: RoomReader;
  /** the enforcement agencies (rating overview) */
  dir: Pick<Directory, 'enforcementAgencies'>;
  clock: Pick<Clock, 'year' | 'now' | 'today'>;
}

/** what an agency reads of a complaint about its inspections: not who complained, nor their words (they may name them) */
const COMPLAINT_FOR_AGENCY = {
  zh: '执法监督部门收到一条关于本部门检查的企业投诉，正在核查。投诉企业的身份和投诉内容对本部门保密。',
  en: "The supervisors received an enterprise's complaint about one of this agency's inspections and are looking into it. Who complained, and what they wrote, is kept from the agency.",
};

const dayOf = (iso: string) => shanghaiStartOfDay(shanghaiDate(iso));

/**
 * Everything an agency receives about a complaint, built field by field (never by removing fields from the
 * supervisors' warning, so a field added there later cannot leak): the opaque id, the day, the fixed text.
 */
function complaintForAgency(w: WarningT, h: { status: string; at: string } | undefined, opaqueId: (kind: string, id: string) => string) {
  return {
    id: opaqueId('complaint', w.id),
    kind: w.kind,
    severity: w.severity,
    ...(w.agencyId ? { agencyId: w.agencyId } : {}),
    at: dayOf(w.at),
    message: COMPLAINT_FOR_AGENCY,
    ...(h ? { handling: { status: h.status, at: dayOf(h.at) } } : {}),
  };
}

export function registerWarningRoutes(router: Router, d: WarningRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/ratings/summary', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, RatingQuery);
    const agencyId = p.role === 'supervisor' ? q.agencyId : p.role === 'agency' ? p.agencyId : undefined;
    if (!agencyId)
      throw p.role === 'supervisor' ? errors.badRequest('agency_required', { zh: '请指定部门', en: 'Name the agency (agencyId)' }) : errors.forbidden();
    if (p.role === 'agency' && q.agencyId && q.agencyId !== p.agencyId) throw errors.forbidden();
    const year = q.year ?? d.clock.year();
    const t = d.projection.tables;
    const body = p.role === 'supervisor' ? t.ratingSummary(agencyId, year, true) : t.agencyRatings(agencyId, year, d.clock.now());
    sendJson(ctx.res, 200, { ...body, minCount: RATING_MIN_COUNT } satisfies RatingSummary);
  });

  router.get('/api/ratings/by-agency', async (ctx) => {
    const p = await bearer(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const year = parseQuery(ctx.url, RatingQuery).year ?? d.clock.year();
    const complaints = d.projection.tables.complaintCounts(year);
    const items = d.dir.enforcementAgencies().map(({ id }) => ({ ...d.projection.tables.ratingSummary(id, year, true), complaints: complaints.get(id) ?? 0 }));
    sendJson(ctx.res, 200, { year, items } satisfies RatingsByAgency);
  });

  router.get('/api/warnings', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, WarningsQuery);
    const supervisor = p.role === 'supervisor';
    if (!supervisor && !(p.role === 'agency' && p.agencyId)) throw errors.forbidden();
    if (!supervisor && q.agencyId && q.agencyId !== p.agencyId) throw errors.forbidden();
    const year = q.year ?? d.clock.year();
    const agencyId = supervisor ? q.agencyId : p.agencyId;
    // an agency learns of a complaint the day after the server received it: polling must not date it to the minute
    const list = d.projection.tables.warnings({
      year,
      agencyId,
      kind: q.kind,
      ...(supervisor ? {} : { complaintsStoredBefore: Date.parse(shanghaiStartOfDay(d.clock.today())) }),
    });
    const handling = new Map((await d.rooms.read(rooms.supervision(year), (doc) => readHandling(doc).items)).map((h) => [h.warningId, h]));
    const counts: Record<string, number> = {};
    const items = list.map((w) => {
      counts[w.kind] = (counts[w.kind] ?? 0) + 1;
      const h = handling.get(w.id);
      if (supervisor) return h ? { ...w, handling: h } : w;
      if (w.kind === 'complaint') return complaintForAgency(w, h, (k, id) => d.projection.tables.opaqueId(k, id));
      return h ? { ...w, handling: { status: h.status, at: h.at } } : w;
    });
    // an agency's order must not place a complaint between its other warnings by the hour: day, then id
    if (!supervisor) items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? -1 : 1));
    sendJson(ctx.res, 200, { year, items, counts });
  });
}
