/**
 * HTTP around the ledger and the enterprise's side of an inspection (issue 4):
 *   GET  /api/quarantine?uscc=&limit=&offset= (supervisors) → {total, limit, offset, items}: ledger records
 *        that failed device-signature vetting (server/quarantine.ts), newest first, without their bytes.
 *   POST /api/check-code/details {code} (the code's enterprise, agencies, inspectors, supervisors)
 *        → what a check code (检查码) stands for, from the server's documents: the agency, each inspector's
 *          certificate status today, the task's items and kind, and whether the agency's plan is filed and
 *          unchanged since. 400 when the code does not verify or is not a check code.
 *   GET  /api/handbooks?industry= (public)  → {industry, chapters: [{agencyId, chapter}]} (一业一册: the
 *        handbook chapters that agencies keep in their `agency/<id>` docs for that industry).
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import { Agency, Inspector, UsccShape } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { shanghaiDate } from '../../src/domain/time';
import { planHash } from '../../src/domain/canonical';
import { readAgencyItems, readCertificates, readHandbooks, readPlanContent, readPlanMeta, readTask } from '../../src/model';
import { certificateValidOn } from '../../src/model/registry';
import { parseQuery, readJson, sendJson, type Router } from '../http/router';
import { errors, HttpError } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import type { Directory } from '../directory/store';
import type { KeyStore } from '../codes/keys';
import type { QuarantineStore } from './quarantine';
import { bearerOf } from '../auth/bearer';

export interface LedgerRouteDeps {
  tokens: TokenService;
  quarantine: QuarantineStore;
  dir: Directory;
  keys: Pick<KeyStore, 'verify'>;
  /** a server-side read of a room (Relay.read) */
  read: <T>(room: string, fn: (doc: Y.Doc) => T) => Promise<T>;
  now?: () => Date;
}

const QuarantineQuery = z.object({
  uscc: UsccShape.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const DetailsRequest = z.object({ code: z.string().min(1).max(4000) });
const HandbookQuery = z.object({ industry: z.string().min(1).max(60) });

export type CertState = 'valid' | 'expired' | 'revoked' | 'unknown';

export function registerLedgerRoutes(router: Router, d: LedgerRouteDeps): void {
  const now = d.now ?? (() => new Date());
  const bearer = bearerOf(d.tokens);
  const agencies = () => d.dir.agencies().map((a) => Agency.safeParse(a)).filter((r) => r.success).map((r) => r.data);

  router.get('/api/quarantine', async (ctx) => {
    const p = await bearer(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const q = parseQuery(ctx.url, QuarantineQuery);
    const r = d.quarantine.list(q);
    sendJson(ctx.res, 200, { total: r.total, limit: q.limit, offset: q.offset, items: r.items });
  });

  router.post('/api/check-code/details', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, DetailsRequest);
    const v = await d.keys.verify(body.code);
    if (!v.ok) throw errors.badRequest(`code_${v.code}`, v.message);
    if (v.kind !== 'chk') throw errors.badRequest('not_check_code', { zh: '这是企业专属二维码，不是检查码', en: 'This is an enterprise code, not a check code' });
    const c = v.payload;
    if (p.role === 'enterprise' && p.uscc !== c.uscc) {
      throw new HttpError(403, 'other_enterprise', { zh: '这张检查码是给其他企业的，不是对本企业的检查', en: 'This check code is for another enterprise, not an inspection of yours' });
    }
    const agency = agencies().find((a) => a.id === c.agencyId) ?? null;
    const today = shanghaiDate(now());
    const certs = await d.read(rooms.registry(), (doc) => readCertificates(doc).items);
    // the code names inspectors by certificate; the holder must be one of the code's agency's inspectors
    // (codes of the first form also carry the holder's id, which must match)
    const staff = new Map(d.dir.inspectors(c.agencyId).flatMap((x) => { const r = Inspector.safeParse(x); return r.success ? [[r.data.id, r.data] as const] : []; }));
    const inspectors = c.inspectors.map((i) => {
      const cert = certs.find((x) => x.number === i.cert);
      const holder = cert ? staff.get(cert.inspectorId) : undefined;
      const state: CertState = !cert || !holder || (i.id !== undefined && cert.inspectorId !== i.id) ? 'unknown'
        : cert.status === 'revoked' ? 'revoked' : certificateValidOn(cert, today) ? 'valid' : 'expired';
      return { id: holder?.id ?? i.id ?? null, name: holder?.name ?? i.name ?? null, cert: i.cert, state, expiresOn: cert?.expiresOn ?? null };
    });
    const year = Number(c.window.from.slice(0, 4));
    const task = await d.read(rooms.tasks(c.agencyId, year), (doc) => readTask(doc, c.taskId) ?? null);
    const catalogue = await d.read(rooms.agency(c.agencyId), (doc) => readAgencyItems(doc).items);
    const items = (task?.itemIds ?? []).map((id) => {
      const it = catalogue.find((x) => x.id === id);
      return { id, name: it?.name ?? id, nameEn: it?.nameEn ?? id, legalBasis: it?.legalBasis ?? '' };
    });
    const plan = await d.read(rooms.plan(c.agencyId, year), (doc) => ({ meta: readPlanMeta(doc).meta, content: readPlanContent(doc) }));
    let changed: boolean | null = null;
    if (plan.meta?.filedHash && plan.content) {
      try { changed = (await planHash(plan.content.meta, plan.content.items)) !== plan.meta.filedHash; } catch { changed = null; }
    }
    const filed = !!plan.meta?.filedHash && (plan.meta.status === 'filed' || plan.meta.status === 'published');
    sendJson(ctx.res, 200, {
      taskId: c.taskId, uscc: c.uscc, window: c.window, issuedAt: new Date(c.iat * 1000).toISOString(),
      agency: agency ? { id: agency.id, name: agency.name, nameEn: agency.nameEn } : { id: c.agencyId, name: c.agencyId, nameEn: c.agencyId },
      inspectors,
      task: task ? { found: true, kind: task.kind, method: task.method, status: task.status, items } : { found: false, items },
      plan: { year, status: plan.meta?.status ?? null, filed, changedSinceFiling: changed },
    });
  });

  // every agency doc is read to answer: keep the answer a little while (handbooks change rarely)
  const handbookCache = new Map<string, { at: number; chapters: { agencyId: string; chapter: unknown }[] }>();
  router.get('/api/handbooks', async (ctx) => {
    const q = parseQuery(ctx.url, HandbookQuery);
    let hit = handbookCache.get(q.industry);
    if (!hit || now().getTime() - hit.at > 60_000) {
      const chapters: { agencyId: string; chapter: unknown }[] = [];
      for (const a of d.dir.enforcementAgencies()) {
        const found = await d.read(rooms.agency(a.id), (doc) => readHandbooks(doc).items.filter((h) => h.industry === q.industry));
        for (const chapter of found) chapters.push({ agencyId: a.id, chapter });
      }
      if (handbookCache.size > 100) handbookCache.clear();
      hit = { at: now().getTime(), chapters };
      handbookCache.set(q.industry, hit);
    }
    sendJson(ctx.res, 200, { industry: q.industry, chapters: hit.chapters }, { 'Cache-Control': 'public, max-age=60' });
  });
}
