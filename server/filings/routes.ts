/**
 * Plan filing (备案, measure 6), decisions, publication (一公开) and the supervisors' list of unfiled plans.
 *
 *   POST /api/filings {room}                    agency: the plan's own agency, or a joint plan's lead
 *        → 201 {filing, warnings} · 422 plan_invalid {details: {problems}} · 409 unchanged
 *   GET  /api/filings?year=&status=&agencyId=&room=   → {items: FilingSummary[]} newest first
 *   GET  /api/filings/:id                       → FilingFull (snapshot content and item labels)
 *   POST /api/filings/:id/decision {decision: accept|return, reason}   supervisor of the office
 *        → FilingSummary · 409 superseded | already_decided
 *   POST /api/plans/publish {room}              owner, when filed and unchanged since → {room, status, filingId}
 *   GET  /api/public/plans?year=&q=             no sign-in: published plans from their filed snapshots
 *   GET  /api/supervision/unfiled?year=         supervisor: agencies with no accepted plan filing
 *
 * Who sees what: an agency sees its own filings and those of joint plans it is a member of. A county
 * justice bureau sees and decides the filings sent to it; the city justice bureau (a justice agency of
 * level `city`) sees and decides every filing in the city, since it runs the city's platform (measure 15)
 * and the county bureaus have no supervisors on it yet.
 *
 * The live doc is read with relay.read and the status written with relay.change, so every open editor
 * sees the new status at once; the snapshot is stored before the doc says 'submitted'. Filing, deciding
 * and publishing one room are serialised (one at a time per room).
 */
import { z } from 'zod';
import * as Y from 'yjs';
import { Id, PlanStatus, type Agency, type JointContent, type PlanContent, type Principal } from '../../src/domain/schemas';
import { parseRoom, RoomNameSchema, rooms, type RoomRef } from '../../src/domain/rooms';
import { contentHash, jointContentOf, planContentOf } from '../../src/domain/canonical';
import { validateJointForFiling, validatePlanForFiling } from '../../src/domain/plan-validate';
import { FilingDecisionRequest, planDueDate, type FilingProblem, type ItemLabels, type FilingSummary } from '../../src/domain/filing';
import { readAgencyItems, readJoint, readPlan, readPolicy } from '../../src/model';
import type { InspectionItem } from '../../src/domain/schemas';
import { parseQuery, readJson, sendJson, type Router } from '../http/router';
import { errors, HttpError } from '../http/errors';
import type { Directory } from '../directory/store';
import type { TokenService } from '../auth/tokens';
import type { Relay } from '../sync/relay';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { FilingQuery, FilingStore } from './store';
import { bearerOf } from '../auth/bearer';

export interface FilingRouteDeps {
  dir: Directory;
  tokens: TokenService;
  relay: Relay;
  filings: FilingStore;
  log: Logger;
  clock: Clock;
}

const RoomBody = z.object({ room: RoomNameSchema });
const Year = z.coerce.number().int().min(2000).max(2100);
const ListQuery = z.object({
  year: Year.optional(),
  status: z.enum(['submitted', 'filed', 'returned']).optional(),
  agencyId: Id.optional(),
  room: RoomNameSchema.optional(),
});
const PublicQuery = z.object({ year: Year.optional(), q: z.string().trim().max(100).optional() });
const YearQuery = z.object({ year: Year.optional() });

const t = (zh: string, en: string) => ({ zh, en });
const conflict = (code: string, zh: string, en: string) => new HttpError(409, code, t(zh, en));

/** the live state of a plan or joint room that filing needs */
interface Live {
  kind: 'plan' | 'joint';
  /** validated content, or null when invalid (then `problems` say why) */
  content: PlanContent | JointContent | null;
  problems: FilingProblem[];
  status: string | undefined;
  filedHash: string | undefined;
  filingId: string | undefined;
  title: string;
  agencyId: string;
  year: number;
}

export function registerFilingRoutes(router: Router, d: FilingRouteDeps): void {
  const principal = bearerOf(d.tokens);

  // one filing / decision / publication per room at a time
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(room: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(room) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    const tail = p.catch(() => {});
    locks.set(room, tail);
    void tail.then(() => { if (locks.get(room) === tail) locks.delete(room); });
    return p;
  };

  const cityJusticeId = (): string => {
    const all = d.dir.agencies() as Agency[];
    return all.find((a) => a.kind === 'justice' && a.level === 'city')?.id ?? 'city-justice';
  };
  /** a supervisor of the city justice bureau oversees every filing */
  const isCityJustice = (p: Principal) => p.role === 'supervisor' && !!p.agencyId && d.dir.agency(p.agencyId)?.level === 'city';

  const catalogueOf = (agencyId: string): Promise<InspectionItem[]> => d.relay.read(rooms.agency(agencyId), (doc) => readAgencyItems(doc).items);
  const labelsOf = (items: readonly InspectionItem[], ids: readonly string[]): ItemLabels => {
    const out: ItemLabels = {};
    const by = new Map(items.map((i) => [i.id, i]));
    for (const id of ids) { const c = by.get(id); if (c) out[id] = { code: c.code, name: c.name, nameEn: c.nameEn }; }
    return out;
  };
  const rawMeta = (doc: Y.Doc) => {
    const m = doc.getMap('meta');
    const s = (k: string) => { const v = m.get(k); return typeof v === 'string' ? v : undefined; };
    return { status: s('status'), filedHash: s('filedHash'), filingId: s('filingId') };
  };

  /** the owning agency of a plan or joint room (the joint's lead), and the joint's members */
  const ownerOf = async (ref: RoomRef & ({ kind: 'plan' } | { kind: 'joint' })): Promise<{ owner: string; members: string[] }> => {
    if (ref.kind === 'plan') return { owner: ref.agencyId, members: [ref.agencyId] };
    const members = [...(d.dir.facts(ref).jointMembers ?? [])];
    const lead = d.dir.jointLeadId(ref.jointId)
      ?? await d.relay.read(rooms.joint(ref.jointId), (doc) => { const v = doc.getMap('meta').get('leadAgencyId'); return typeof v === 'string' ? v : ''; });
    return { owner: lead, members };
  };

  const planOrJoint = (room: string): RoomRef & ({ kind: 'plan' } | { kind: 'joint' }) => {
    const ref = parseRoom(room);
    if (!ref || (ref.kind !== 'plan' && ref.kind !== 'joint')) throw errors.badRequest('not_a_plan', t('只能备案年度检查计划或联合检查计划', 'Only annual plans and joint plans are filed'));
    return ref;
  };

  /** read and validate the live plan; catalogues come from the agencies' own rooms */
  const readLive = async (ref: RoomRef & ({ kind: 'plan' } | { kind: 'joint' }), members: string[]): Promise<Live> => {
    const room = ref.kind === 'plan' ? rooms.plan(ref.agencyId, ref.year) : rooms.joint(ref.jointId);
    if (ref.kind === 'plan') {
      const [snap, catalogue] = await Promise.all([
        d.relay.read(room, (doc) => ({ view: readPlan(doc), raw: rawMeta(doc) })),
        catalogueOf(ref.agencyId),
      ]);
      const { meta, items, invalid } = snap.view;
      const problems = validatePlanForFiling({ room: ref, meta, items, invalid, catalogue, agency: d.dir.agency(ref.agencyId) ?? null });
      let content: PlanContent | null = null;
      if (meta && !problems.some((p) => p.severity === 'error')) content = planContentOf(meta, items);
      return { kind: 'plan', content, problems, ...snap.raw, title: meta?.title ?? room, agencyId: ref.agencyId, year: ref.year };
    }
    const snap = await d.relay.read(room, (doc) => ({ view: readJoint(doc), raw: rawMeta(doc) }));
    const { meta, items, invalid } = snap.view;
    const memberIds = snap.view.members.map((m) => m.agencyId);
    const catalogues = new Map<string, InspectionItem[]>();
    for (const a of new Set([...members, ...items.map((i) => i.agencyId)])) if (members.includes(a)) catalogues.set(a, await catalogueOf(a));
    const problems = validateJointForFiling({ meta, members, items, invalid, catalogues });
    let content: JointContent | null = null;
    if (meta && !problems.some((p) => p.severity === 'error')) {
      content = jointContentOf(meta, memberIds.filter((m) => members.includes(m)), items);
    }
    return { kind: 'joint', content, problems, ...snap.raw, title: meta?.title ?? room, agencyId: meta?.leadAgencyId ?? '', year: meta?.year ?? 0 };
  };

  /** may this principal see this filing? */
  const canSee = (p: Principal, f: FilingSummary): boolean => {
    if (p.role === 'supervisor') return isCityJustice(p) || f.officeId === p.agencyId;
    if (p.role === 'agency' && p.agencyId) {
      if (f.agencyId === p.agencyId) return true;
      const ref = parseRoom(f.room);
      return ref?.kind === 'joint' && (d.dir.facts(ref).jointMembers ?? []).includes(p.agencyId);
    }
    return false;
  };

  // ---------- submit ----------
  router.post('/api/filings', async (ctx) => {
    const p = await principal(ctx);
    const body = await readJson(ctx.req, RoomBody);
    const ref = planOrJoint(body.room);
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const { owner, members } = await ownerOf(ref);
    if (ref.kind === 'joint' && !members.includes(p.agencyId)) throw errors.forbidden();
    if (owner !== p.agencyId) {
      throw new HttpError(403, ref.kind === 'joint' ? 'not_lead' : 'forbidden', ref.kind === 'joint'
        ? t('联合检查计划由牵头部门备案（第六条）', 'A joint plan is filed by its lead agency (measure 6)')
        : t('只能备案本部门的计划', 'You can file only your own agency\'s plan'));
    }
    const room = body.room;
    const out = await serial(room, async () => {
      const live = await readLive(ref, members);
      const errs = live.problems.filter((x) => x.severity === 'error');
      if (errs.length || !live.content) {
        throw new HttpError(422, 'plan_invalid', t(`计划有 ${errs.length} 个问题，不能报送备案`, `The plan has ${errs.length} problem(s) and cannot be filed`), {}, { problems: live.problems });
      }
      const hash = await contentHash(live.content);
      const latest = d.filings.list({ room })[0];
      if (latest && latest.hash === hash && latest.status === 'submitted') throw conflict('already_submitted', '此版本已报送备案，等待司法行政部门处理', 'This version has been submitted and awaits the justice office');
      if (latest && latest.hash === hash && latest.status === 'filed' && live.filedHash === hash) throw conflict('unchanged', '计划备案后没有变化，无需重新备案', 'The plan has not changed since it was filed');
      const agency = d.dir.agency(owner);
      const officeId = ref.kind === 'joint' ? cityJusticeId() : agency?.filingOfficeId ?? cityJusticeId();
      const catalogueIds = live.content.items.map((i) => i.itemId);
      const catalogue = ref.kind === 'plan' ? await catalogueOf(ref.agencyId)
        : (await Promise.all([...new Set((live.content as JointContent).items.map((i) => i.agencyId))].map(catalogueOf))).flat();
      const filing = d.filings.insert({
        room, kind: ref.kind, agencyId: owner, year: live.year, hash, content: live.content,
        labels: labelsOf(catalogue, catalogueIds), title: live.title,
        submittedBy: p.userId, submittedAt: d.clock.iso(), officeId,
      });
      await d.relay.change(room, (doc) => {
        const m = doc.getMap('meta');
        doc.transact(() => {
          m.set('status', 'submitted');
          m.set('filingId', filing.id);
          if (m.has('returnReason')) m.delete('returnReason');
        }, 'server');
      });
      d.log.info('plan submitted for filing', { room, filing: filing.id, hash, by: p.userId, office: officeId });
      return { filing, warnings: live.problems.filter((x) => x.severity === 'warning') };
    });
    sendJson(ctx.res, 201, out);
  });

  // ---------- list and read ----------
  router.get('/api/filings', async (ctx) => {
    const p = await principal(ctx);
    const q = parseQuery(ctx.url, ListQuery);
    let visible: FilingQuery['visible'] = null;
    if (p.role === 'supervisor') visible = isCityJustice(p) ? null : { officeIds: p.agencyId ? [p.agencyId] : [] };
    else if (p.role === 'agency' && p.agencyId) visible = { agencyIds: [p.agencyId], rooms: d.dir.jointIds(p.agencyId).map((j) => rooms.joint(j)) };
    else throw errors.forbidden();
    let items = d.filings.list({ year: q.year, status: q.status, room: q.room, visible });
    if (q.agencyId) items = items.filter((f) => f.agencyId === q.agencyId);
    sendJson(ctx.res, 200, { items });
  });

  router.get('/api/filings/:id', async (ctx) => {
    const p = await principal(ctx);
    const f = d.filings.get(ctx.params.id);
    if (!f || !canSee(p, { ...f, title: '', itemCount: 0 })) throw errors.notFound(t('没有这条备案记录', 'No such filing'));
    sendJson(ctx.res, 200, f);
  });

  // ---------- decision ----------
  router.post('/api/filings/:id/decision', async (ctx) => {
    const p = await principal(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const body = await readJson(ctx.req, FilingDecisionRequest);
    const first = d.filings.summary(ctx.params.id);
    if (!first || !canSee(p, first)) throw errors.notFound(t('没有这条备案记录', 'No such filing'));
    const out = await serial(first.room, async () => {
      const f = d.filings.summary(ctx.params.id)!;
      if (f.status !== 'submitted') throw conflict('already_decided', '这条备案已处理', 'This filing has already been decided');
      if (!f.latest) throw conflict('superseded', '计划已重新报送，请处理最新的备案', 'The plan has been submitted again; decide on the newest filing');
      const at = d.clock.iso();
      const status = body.decision === 'accept' ? 'filed' : 'returned';
      if (!d.filings.decide(f.id, status, p.userId, at, body.decision === 'return' ? body.reason : undefined)) {
        throw conflict('already_decided', '这条备案已处理', 'This filing has already been decided');
      }
      await d.relay.change(f.room, (doc) => {
        const m = doc.getMap('meta');
        doc.transact(() => {
          m.set('status', status);
          m.set('filingId', f.id);
          if (status === 'filed') {
            m.set('filedHash', f.hash);
            if (m.has('returnReason')) m.delete('returnReason');
          } else {
            m.set('returnReason', body.reason);
          }
        }, 'server');
      });
      d.log.info('filing decided', { filing: f.id, room: f.room, status, by: p.userId });
      return d.filings.summary(f.id)!;
    });
    sendJson(ctx.res, 200, out);
  });

  // ---------- publish ----------
  router.post('/api/plans/publish', async (ctx) => {
    const p = await principal(ctx);
    const body = await readJson(ctx.req, RoomBody);
    const ref = planOrJoint(body.room);
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const { owner, members } = await ownerOf(ref);
    if (owner !== p.agencyId) throw errors.forbidden();
    const out = await serial(body.room, async () => {
      const live = await readLive(ref, members);
      if (live.status !== 'filed' && live.status !== 'published') throw conflict('not_filed', '计划备案后才能公开', 'A plan is published once it has been filed');
      const hash = live.content ? await contentHash(live.content) : null;
      if (!live.filedHash || hash !== live.filedHash) throw conflict('changed_since_filing', '计划备案后已修改，请重新备案后再公开（第六条）', 'The plan changed after filing; file it again before publishing (measure 6)');
      const filing = d.filings.latestFiled(body.room);
      if (!filing || filing.hash !== live.filedHash) throw conflict('not_filed', '没有与当前计划一致的备案记录', 'No filing matches the plan as it is');
      await d.relay.change(body.room, (doc) => { doc.transact(() => doc.getMap('meta').set('status', 'published'), 'server'); });
      d.filings.publish({ room: body.room, kind: ref.kind, agencyId: owner, year: filing.year, filingId: filing.id, publishedBy: p.userId, publishedAt: d.clock.iso() });
      if (ref.kind === 'plan') d.dir.setPlanPublished(ref.agencyId, ref.year, true);
      d.log.info('plan published', { room: body.room, filing: filing.id, by: p.userId });
      return { room: body.room, status: PlanStatus.parse('published'), filingId: filing.id };
    });
    sendJson(ctx.res, 200, out);
  });

  // ---------- public ----------
  router.get('/api/public/plans', (ctx) => {
    const q = parseQuery(ctx.url, PublicQuery);
    const year = q.year ?? d.clock.year();
    const needle = (q.q ?? '').toLowerCase();
    const items = d.filings.published(year).map(({ publication, filing }) => {
      const a = d.dir.agency(publication.agencyId);
      return {
        room: publication.room, kind: publication.kind, agencyId: publication.agencyId,
        agencyName: a?.name ?? publication.agencyId, agencyNameEn: a?.nameEn ?? publication.agencyId,
        year: publication.year, title: 'title' in filing.content.meta ? filing.content.meta.title : publication.room,
        filingId: filing.id, hash: filing.hash, ...(filing.decidedAt ? { filedAt: filing.decidedAt } : {}),
        publishedAt: publication.publishedAt, content: filing.content, labels: filing.labels,
      };
    }).filter((x) => {
      if (!needle) return true;
      const hay = [x.agencyName, x.agencyNameEn, x.title, ...Object.values(x.labels).flatMap((l) => [l.code, l.name, l.nameEn])].join('\n').toLowerCase();
      return hay.includes(needle);
    });
    sendJson(ctx.res, 200, { year, items }, { 'Cache-Control': 'no-cache' });
  });

  // ---------- supervision: not filed ----------
  router.get('/api/supervision/unfiled', async (ctx) => {
    const p = await principal(ctx);
    if (p.role !== 'supervisor') throw errors.forbidden();
    const q = parseQuery(ctx.url, YearQuery);
    const year = q.year ?? d.clock.year();
    const planDue = await d.relay.read(rooms.config(), (doc) => readPolicy(doc).policy?.planDue).catch(() => undefined);
    const due = planDueDate(year, planDue);
    const city = isCityJustice(p);
    const filed = d.filings.filedAgencies(year);
    const latest = d.filings.latestPlanFilings(year);
    const items = d.dir.enforcementAgencies()
      .filter((a) => (city || a.filingOfficeId === p.agencyId) && !filed.has(a.id))
      .map((a) => {
        const l = latest.get(a.id);
        return {
          agencyId: a.id, name: a.name, nameEn: a.nameEn, officeId: a.filingOfficeId ?? cityJusticeId(),
          latestStatus: (l && l.status !== 'filed' ? l.status : 'none') as 'none' | 'submitted' | 'returned',
          ...(l ? { filingId: l.id } : {}),
        };
      });
    sendJson(ctx.res, 200, { year, due, overdue: d.clock.today() > due, items });
  });
}
