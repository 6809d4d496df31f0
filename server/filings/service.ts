/**
 * The filing workflow (备案, measure 6): submit a plan or joint plan, decide on a filing, publish (一公开),
 * list what a principal may see, the public list and the supervisors' list of unfiled plans.
 * server/filings/routes.ts parses the requests and calls these methods; they throw HttpError.
 *
 * Who sees what: an agency sees its own filings and those of joint plans it is a member of. A county
 * justice bureau sees and decides the filings sent to it; the city justice bureau (a justice agency of
 * level `city`) sees and decides every filing in the city, since it runs the city's platform (measure 15)
 * and the county bureaus have no supervisors on it yet.
 *
 * Plans are checked against each agency's latest published catalogue version (server/catalogue), not its
 * draft: the filing records those versions and takes its item labels from them, so a later catalogue edit
 * never changes what was filed. An item only in the draft is refused ("publish your catalogue first").
 *
 * The live doc is read and the status written through the room port, so every open editor sees the new
 * status at once; the snapshot is stored before the doc says 'submitted'. Filing, deciding and publishing
 * one room are serialised (one at a time per room).
 */
import type * as Y from 'yjs';
import { PlanStatus, type Agency, type JointContent, type PlanContent, type Principal, type InspectionItem } from '../../src/domain/schemas';
import { parseRoom, rooms, type RoomRef } from '../../src/domain/rooms';
import { contentHash, jointContentOf, planContentOf } from '../../src/domain/canonical';
import { validateJointForFiling, validatePlanForFiling } from '../../src/domain/plan-validate';
import { planDueDate, type FilingDecisionRequest, type FilingProblem, type ItemLabels, type FilingSummary } from '../../src/domain/filing';
import { policyOn, readAgencyItems, readJoint, readPlan } from '../../src/model';
import { errors, HttpError } from '../http/errors';
import type { z } from 'zod';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { FilingQuery, FilingStore } from './store';
import type { CatalogueStore } from '../catalogue/store';
import { requireSupervisor } from '../auth/rights';

export interface FilingServiceDeps {
  dir: Directory;
  rooms: RoomPort;
  filings: FilingStore;
  /** published catalogue versions */
  catalogues: Pick<CatalogueStore, 'latest'>;
  log: Logger;
  clock: Clock;
}

type PlanRef = RoomRef & ({ kind: 'plan' } | { kind: 'joint' });

const t = (zh: string, en: string) => ({ zh, en });
const conflict = (code: string, zh: string, en: string) => new HttpError(409, code, t(zh, en));
/** deciding and the unfiled list are the justice offices' (checked before the request body is read) */

const noSuchFiling = () => errors.notFound(t('没有这条备案记录', 'No such filing'));

/** the live state of a plan or joint room that filing needs */
interface Live {
  /** agency id → the published catalogue version the items were checked against */
  catalogueVersions: Record<string, number>;
  /** the published items of those versions */
  catalogue: InspectionItem[];
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

const rawMeta = (doc: Y.Doc) => {
  const m = doc.getMap('meta');
  const s = (k: string) => {
    const v = m.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  return { status: s('status'), filedHash: s('filedHash'), filingId: s('filingId') };
};

const labelsOf = (items: readonly InspectionItem[], ids: readonly string[]): ItemLabels => {
  const out: ItemLabels = {};
  const by = new Map(items.map((i) => [i.id, i]));
  for (const id of ids) {
    const c = by.get(id);
    if (c) out[id] = { code: c.code, name: c.name, nameEn: c.nameEn };
  }
  return out;
};

export class FilingService {
  // one filing / decision / publication per room at a time
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly d: FilingServiceDeps) {}

  private serial<T>(room: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(room) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    const tail = p.catch(() => {});
    this.locks.set(room, tail);
    void tail.then(() => {
      if (this.locks.get(room) === tail) this.locks.delete(room);
    });
    return p;
  }

  private cityJusticeId(): string {
    const all = this.d.dir.agencies() as Agency[];
    return all.find((a) => a.kind === 'justice' && a.level === 'city')?.id ?? 'city-justice';
  }
  /** a supervisor of the city justice bureau oversees every filing */
  private isCityJustice(p: Principal): boolean {
    return p.role === 'supervisor' && !!p.agencyId && this.d.dir.agency(p.agencyId)?.level === 'city';
  }

  /** the agency's latest published catalogue: its items and version (none published: no items) */
  private catalogueOf(agencyId: string): { items: InspectionItem[]; version?: number } {
    const v = this.d.catalogues.latest(agencyId);
    return v ? { items: v.content.items, version: v.version } : { items: [] };
  }

  /**
   * A plan item whose catalogue item is in the agency's draft but not in its published catalogue: say
   * "publish your catalogue first" instead of "not in the catalogue".
   */
  private async unpublishedProblems(
    problems: FilingProblem[],
    planItems: readonly { id: string; itemId: string; agencyId: string }[],
  ): Promise<FilingProblem[]> {
    const drafts = new Map<string, Set<string>>();
    const out: FilingProblem[] = [];
    for (const x of problems) {
      const it = x.code === 'filing.not_in_catalogue' ? planItems.find((i) => i.id === x.itemId) : undefined;
      if (!it) {
        out.push(x);
        continue;
      }
      let ids = drafts.get(it.agencyId);
      if (!ids) {
        ids = new Set(await this.d.rooms.read(rooms.agency(it.agencyId), (doc) => readAgencyItems(doc).items.map((i) => i.id)));
        drafts.set(it.agencyId, ids);
      }
      out.push(
        ids.has(it.itemId)
          ? {
              ...x,
              code: 'filing.catalogue_unpublished',
              message: t(
                `检查事项 ${it.itemId} 尚未发布：请先发布检查事项清单，再报送备案`,
                `Item ${it.itemId} is not in the published catalogue: publish your catalogue first, then file the plan`,
              ),
            }
          : x,
      );
    }
    return out;
  }

  /** the owning agency of a plan or joint room (the joint's lead), and the joint's members */
  private async ownerOf(ref: PlanRef): Promise<{ owner: string; members: string[] }> {
    if (ref.kind === 'plan') return { owner: ref.agencyId, members: [ref.agencyId] };
    const members = [...(this.d.dir.facts(ref).jointMembers ?? [])];
    const lead =
      this.d.dir.jointLeadId(ref.jointId) ??
      (await this.d.rooms.read(rooms.joint(ref.jointId), (doc) => {
        const v = doc.getMap('meta').get('leadAgencyId');
        return typeof v === 'string' ? v : '';
      }));
    return { owner: lead, members };
  }

  private planOrJoint(room: string): PlanRef {
    const ref = parseRoom(room);
    if (!ref || (ref.kind !== 'plan' && ref.kind !== 'joint'))
      throw errors.badRequest('not_a_plan', t('只能备案年度检查计划或联合检查计划', 'Only annual plans and joint plans are filed'));
    return ref;
  }

  /** read and validate the live plan; catalogues come from the agencies' own rooms */
  private async readLive(ref: PlanRef, members: string[]): Promise<Live> {
    const room = ref.kind === 'plan' ? rooms.plan(ref.agencyId, ref.year) : rooms.joint(ref.jointId);
    if (ref.kind === 'plan') {
      const snap = await this.d.rooms.read(room, (doc) => ({ view: readPlan(doc), raw: rawMeta(doc) }));
      const published = this.catalogueOf(ref.agencyId);
      const catalogue = published.items;
      const { meta, items, invalid } = snap.view;
      const problems = await this.unpublishedProblems(
        validatePlanForFiling({ room: ref, meta, items, invalid, catalogue, agency: this.d.dir.agency(ref.agencyId) ?? null }),
        items.map((i) => ({ id: i.id, itemId: i.itemId, agencyId: ref.agencyId })),
      );
      let content: PlanContent | null = null;
      if (meta && !problems.some((p) => p.severity === 'error')) content = planContentOf(meta, items);
      const catalogueVersions: Record<string, number> = published.version ? { [ref.agencyId]: published.version } : {};
      return {
        kind: 'plan',
        content,
        problems,
        ...snap.raw,
        title: meta?.title ?? room,
        agencyId: ref.agencyId,
        year: ref.year,
        catalogueVersions,
        catalogue,
      };
    }
    const snap = await this.d.rooms.read(room, (doc) => ({ view: readJoint(doc), raw: rawMeta(doc) }));
    const { meta, items, invalid } = snap.view;
    const memberIds = snap.view.members.map((m) => m.agencyId);
    const catalogues = new Map<string, InspectionItem[]>();
    const catalogueVersions: Record<string, number> = {};
    for (const a of new Set([...members, ...items.map((i) => i.agencyId)])) {
      if (!members.includes(a)) continue;
      const published = this.catalogueOf(a);
      catalogues.set(a, published.items);
      if (published.version) catalogueVersions[a] = published.version;
    }
    const problems = await this.unpublishedProblems(validateJointForFiling({ meta, members, items, invalid, catalogues }), items);
    let content: JointContent | null = null;
    if (meta && !problems.some((p) => p.severity === 'error')) {
      content = jointContentOf(
        meta,
        memberIds.filter((m) => members.includes(m)),
        items,
      );
    }
    return {
      kind: 'joint',
      content,
      problems,
      ...snap.raw,
      title: meta?.title ?? room,
      agencyId: meta?.leadAgencyId ?? '',
      year: meta?.year ?? 0,
      catalogueVersions,
      catalogue: [...catalogues.values()].flat(),
    };
  }

  /** may this principal see this filing? */
  private canSee(p: Principal, f: FilingSummary): boolean {
    if (p.role === 'supervisor') return this.isCityJustice(p) || f.officeId === p.agencyId;
    if (p.role === 'agency' && p.agencyId) {
      if (f.agencyId === p.agencyId) return true;
      const ref = parseRoom(f.room);
      return ref?.kind === 'joint' && (this.d.dir.facts(ref).jointMembers ?? []).includes(p.agencyId);
    }
    return false;
  }

  /** submit the room's plan as it is now: the plan's own agency, or a joint plan's lead */
  async submit(p: Principal, room: string) {
    const ref = this.planOrJoint(room);
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const { owner, members } = await this.ownerOf(ref);
    if (ref.kind === 'joint' && !members.includes(p.agencyId)) throw errors.forbidden();
    if (owner !== p.agencyId) {
      throw new HttpError(
        403,
        ref.kind === 'joint' ? 'not_lead' : 'forbidden',
        ref.kind === 'joint'
          ? t('联合检查计划由牵头部门备案（第六条）', 'A joint plan is filed by its lead agency (measure 6)')
          : t('只能备案本部门的计划', "You can file only your own agency's plan"),
      );
    }
    return this.serial(room, async () => {
      const live = await this.readLive(ref, members);
      const errs = live.problems.filter((x) => x.severity === 'error');
      if (errs.length || !live.content) {
        throw new HttpError(
          422,
          'plan_invalid',
          t(`计划有 ${errs.length} 个问题，不能报送备案`, `The plan has ${errs.length} problem(s) and cannot be filed`),
          {},
          { problems: live.problems },
        );
      }
      const hash = await contentHash(live.content);
      const latest = (await this.d.filings.list({ room }))[0];
      if (latest && latest.hash === hash && latest.status === 'submitted')
        throw conflict('already_submitted', '此版本已报送备案，等待司法行政部门处理', 'This version has been submitted and awaits the justice office');
      if (latest && latest.hash === hash && latest.status === 'filed' && live.filedHash === hash)
        throw conflict('unchanged', '计划备案后没有变化，无需重新备案', 'The plan has not changed since it was filed');
      const agency = this.d.dir.agency(owner);
      const officeId = ref.kind === 'joint' ? this.cityJusticeId() : (agency?.filingOfficeId ?? this.cityJusticeId());
      const catalogueIds = live.content.items.map((i) => i.itemId);
      const filing = await this.d.filings.insert({
        room,
        kind: ref.kind,
        agencyId: owner,
        year: live.year,
        hash,
        content: live.content,
        labels: labelsOf(live.catalogue, catalogueIds),
        catalogueVersions: live.catalogueVersions,
        title: live.title,
        submittedBy: p.userId,
        submittedAt: this.d.clock.iso(),
        officeId,
      });
      await this.d.rooms.change(room, (doc) => {
        const m = doc.getMap('meta');
        doc.transact(() => {
          m.set('status', 'submitted');
          m.set('filingId', filing.id);
          if (m.has('returnReason')) m.delete('returnReason');
        }, 'server');
      });
      this.d.log.info('plan submitted for filing', { room, filing: filing.id, hash, by: p.userId, office: officeId });
      return { filing, warnings: live.problems.filter((x) => x.severity === 'warning') };
    });
  }

  /** the filings this principal may see, newest first */
  async list(p: Principal, q: Pick<FilingQuery, 'year' | 'status' | 'room'> & { agencyId?: string }): Promise<FilingSummary[]> {
    let visible: FilingQuery['visible'] = null;
    if (p.role === 'supervisor') visible = this.isCityJustice(p) ? null : { officeIds: p.agencyId ? [p.agencyId] : [] };
    else if (p.role === 'agency' && p.agencyId) visible = { agencyIds: [p.agencyId], rooms: this.d.dir.jointIds(p.agencyId).map((j) => rooms.joint(j)) };
    else throw errors.forbidden();
    const items = await this.d.filings.list({ year: q.year, status: q.status, room: q.room, visible });
    return q.agencyId ? items.filter((f) => f.agencyId === q.agencyId) : items;
  }

  async get(p: Principal, id: string) {
    const f = await this.d.filings.get(id);
    if (!f || !this.canSee(p, { ...f, title: '', itemCount: 0 })) throw noSuchFiling();
    return f;
  }

  /** a supervisor of the office accepts or returns a submitted filing */
  async decide(p: Principal, id: string, body: z.infer<typeof FilingDecisionRequest>): Promise<FilingSummary> {
    requireSupervisor(p);
    const first = await this.d.filings.summary(id);
    if (!first || !this.canSee(p, first)) throw noSuchFiling();
    return this.serial(first.room, async () => {
      const f = (await this.d.filings.summary(id))!;
      if (f.status !== 'submitted') throw conflict('already_decided', '这条备案已处理', 'This filing has already been decided');
      if (!f.latest) throw conflict('superseded', '计划已重新报送，请处理最新的备案', 'The plan has been submitted again; decide on the newest filing');
      const at = this.d.clock.iso();
      const status = body.decision === 'accept' ? 'filed' : 'returned';
      if (!(await this.d.filings.decide(f.id, status, p.userId, at, body.decision === 'return' ? body.reason : undefined))) {
        throw conflict('already_decided', '这条备案已处理', 'This filing has already been decided');
      }
      await this.d.rooms.change(f.room, (doc) => {
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
      this.d.log.info('filing decided', { filing: f.id, room: f.room, status, by: p.userId });
      return (await this.d.filings.summary(f.id))!;
    });
  }

  /** the owner publishes a filed plan that is unchanged since filing */
  async publish(p: Principal, room: string) {
    const ref = this.planOrJoint(room);
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const { owner, members } = await this.ownerOf(ref);
    if (owner !== p.agencyId) throw errors.forbidden();
    return this.serial(room, async () => {
      const live = await this.readLive(ref, members);
      if (live.status !== 'filed' && live.status !== 'published')
        throw conflict('not_filed', '计划备案后才能公开', 'A plan is published once it has been filed');
      const hash = live.content ? await contentHash(live.content) : null;
      if (!live.filedHash || hash !== live.filedHash)
        throw conflict(
          'changed_since_filing',
          '计划备案后已修改，请重新备案后再公开（第六条）',
          'The plan changed after filing; file it again before publishing (measure 6)',
        );
      const filing = await this.d.filings.latestFiled(room);
      if (!filing || filing.hash !== live.filedHash) throw conflict('not_filed', '没有与当前计划一致的备案记录', 'No filing matches the plan as it is');
      await this.d.rooms.change(room, (doc) => {
        doc.transact(() => doc.getMap('meta').set('status', 'published'), 'server');
      });
      await this.d.filings.publish({
        room,
        kind: ref.kind,
        agencyId: owner,
        year: filing.year,
        filingId: filing.id,
        publishedBy: p.userId,
        publishedAt: this.d.clock.iso(),
      });
      if (ref.kind === 'plan') this.d.dir.setPlanPublished(ref.agencyId, ref.year, true);
      this.d.log.info('plan published', { room, filing: filing.id, by: p.userId });
      return { room, status: PlanStatus.parse('published'), filingId: filing.id };
    });
  }

  /** published plans of a year from their filed snapshots (no sign-in), filtered by `q` */
  async publicPlans(q: { year?: number; q?: string }) {
    const year = q.year ?? this.d.clock.year();
    const needle = (q.q ?? '').toLowerCase();
    const items = (await this.d.filings.published(year))
      .map(({ publication, filing }) => {
        const a = this.d.dir.agency(publication.agencyId);
        return {
          room: publication.room,
          kind: publication.kind,
          agencyId: publication.agencyId,
          agencyName: a?.name ?? publication.agencyId,
          agencyNameEn: a?.nameEn ?? publication.agencyId,
          year: publication.year,
          title: 'title' in filing.content.meta ? filing.content.meta.title : publication.room,
          filingId: filing.id,
          hash: filing.hash,
          ...(filing.decidedAt ? { filedAt: filing.decidedAt } : {}),
          publishedAt: publication.publishedAt,
          content: filing.content,
          labels: filing.labels,
        };
      })
      .filter((x) => {
        if (!needle) return true;
        const hay = [x.agencyName, x.agencyNameEn, x.title, ...Object.values(x.labels).flatMap((l) => [l.code, l.name, l.nameEn])].join('\n').toLowerCase();
        return hay.includes(needle);
      });
    return { year, items };
  }

  /** supervisors: the enforcement agencies (of their office, or all for the city) with no accepted plan filing */
  async unfiled(p: Principal, q: { year?: number }) {
    requireSupervisor(p);
    const year = q.year ?? this.d.clock.year();
    const planDue = await this.d.rooms.read(rooms.config(), (doc) => policyOn(doc, this.d.clock.today())?.planDue).catch(() => undefined);
    const due = planDueDate(year, planDue);
    const city = this.isCityJustice(p);
    const filed = await this.d.filings.filedAgencies(year);
    const latest = await this.d.filings.latestPlanFilings(year);
    const items = this.d.dir
      .enforcementAgencies()
      .filter((a) => (city || a.filingOfficeId === p.agencyId) && !filed.has(a.id))
      .map((a) => {
        const l = latest.get(a.id);
        return {
          agencyId: a.id,
          name: a.name,
          nameEn: a.nameEn,
          officeId: a.filingOfficeId ?? this.cityJusticeId(),
          latestStatus: (l && l.status !== 'filed' ? l.status : 'none') as 'none' | 'submitted' | 'returned',
          ...(l ? { filingId: l.id } : {}),
        };
      });
    return { year, due, overdue: this.d.clock.today() > due, items };
  }
}
