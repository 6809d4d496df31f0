/**
 * The draw lifecycle (双随机): create (snapshot the population, pool and recusals; publish the statement),
 * commit, reveal (the last reveal runs the draw and makes the tasks), cancel, and the sweep that lapses draws
 * whose parties did not reveal in time and publishes draws whose inspections are over.
 *
 * The SQL rows (store.ts) are the record; `draws/<year>` is the live copy, rewritten with putDraw after each
 * step. Each draw's steps run one at a time (serial), and creation one at a time per organiser (its ids count).
 */
import type { z } from 'zod';
import type {
  Agency,
  Certificate,
  Draw,
  Inspector,
  Method,
  PlanItem,
  PolicyConfig,
  Principal,
  Targets,
  Task,
  Text,
  Verdict,
  Warning,
} from '../../src/domain/schemas';
import { Inspector as InspectorSchema, PlanContent } from '../../src/domain/schemas';
import {
  commitmentOf,
  digestStatement,
  expectedCounts,
  infeasible,
  parsePopulationText,
  resultText,
  runDraw,
  seedOf,
  statementWithoutPopulation,
  type DrawStatement,
} from '../../src/domain/draw';
import { addWorkingDays, shanghaiMonth, addDays, daysBetween } from '../../src/domain/time';
import { rooms } from '../../src/domain/rooms';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import { jointPlanMeta } from '../../src/domain/task-plan';
import { jointTaskMembers, policyOn, putDraw, readCertificates, readJoint, readPlanMeta, readTask } from '../../src/model';
import type {
  DrawCancelRequest,
  DrawCommitRequest,
  DrawCreateRequest,
  DrawDetail,
  DrawPreview,
  DrawRevealRequest,
  DrawTaskWire,
} from '../../src/protocol/draws';
import type { CodeInspector } from '../../src/domain/codes';
import type { DB } from '../store/db';
import { drawResults } from './results';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { InspectorRecords } from '../directory/inspectors';
import type { FilingStore } from '../filings/store';
import type { CatalogueStore } from '../catalogue/store';
import { actorOf, type AuditLog } from '../audit/store';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { HttpError, errors } from '../http/errors';
import { DrawStore } from './store';
import { MAX_POPULATION, capOf, lastInspectors, poolOf, snapshotPopulation } from './population';
import { makeDrawTasks, type TeamSource } from './tasks';

export interface DrawServiceDeps {
  db: DB;
  dir: Directory;
  rooms: RoomPort;
  inspectors: InspectorRecords;
  filings: FilingStore;
  catalogues: Pick<CatalogueStore, 'latest'>;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  signCheckCode?: (task: Task, inspectors: CodeInspector[]) => Promise<string>;
  /** raises a warning where the projection keeps them (the `warnings` table and supervision/<year>) */
  raiseWarning?: (w: Warning) => Promise<unknown>;
}

type CreateBody = z.output<typeof DrawCreateRequest>;
type CommitBody = z.output<typeof DrawCommitRequest>;
type RevealBody = z.output<typeof DrawRevealRequest>;
type CancelBody = z.output<typeof DrawCancelRequest>;

const t = (zh: string, en: string): Text => ({ zh, en });
const SYSTEM = { userId: 'system', name: '系统', role: 'system' };
const OPEN_STATUSES: readonly Draw['status'][] = ['committing', 'revealing'];
const notFound = () => errors.notFound(t('没有这个抽查', 'No such draw'));
const invalid = (zh: string, en: string, details?: unknown) => new HttpError(422, 'draw_invalid', t(zh, en), {}, details);
const stage = (d: Draw) =>
  new HttpError(409, 'draw_stage', t(`抽查当前状态为“${d.status}”，不能进行此操作`, `The draw is ${d.status}: this step is not possible now`));

/** What a draw is drawn from, resolved from the request. */
interface Source {
  kind: Draw['kind'];
  teams: { agencyId: string; only?: string[] }[];
  targets: Targets[];
  divisionPrefix?: string;
  method: Method;
  /** the share the plan asks for (0..1), and the months it plans */
  itemRatio?: number;
  months: number[];
  planItemId?: string;
  jointId?: string;
  /** per team agency: catalogue items and months its tasks carry */
  teamItems: Map<string, { itemIds: string[]; months: number[] }>;
  catalogueVersions: Record<string, number>;
}

export class DrawService {
  readonly store: DrawStore;
  private readonly chains = new Map<string, Promise<unknown>>();
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly d: DrawServiceDeps) {
    this.store = new DrawStore(d.db);
    this.start();
  }

  /** the 60 s sweep (unref'd: it never keeps the process alive) */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep().catch((err: unknown) => this.d.log.warn('draw sweep failed', { err: String(err) })), 60_000);
    this.timer.unref();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** one step at a time per key */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return next;
  }

  // ---------------------------------------------------------------- rights

  /** 403 unless an agency admin of an enforcement agency (who may organise a draw); its agency */
  requireOrganiser(p: Principal): Agency {
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const a = this.d.dir.agency(p.agencyId);
    if (a?.kind !== 'enforcement') throw errors.forbidden();
    return a;
  }

  /** 403 unless a supervisor or an agency admin (the only roles that may use these routes) */
  requireStaff(p: Principal): void {
    if (p.role === 'supervisor') return;
    if (p.role === 'agency' && p.agencyId) return;
    throw errors.forbidden();
  }

  /** the parties the caller acts for */
  private myParties(p: Principal, d: Draw): string[] {
    const mine = p.role === 'agency' && p.agencyId ? `agency:${p.agencyId}` : p.role === 'supervisor' && p.agencyId ? `justice:${p.agencyId}` : null;
    return mine && d.parties.some((x) => x.party === mine) ? [mine] : [];
  }

  private canRead(p: Principal, d: Draw): boolean {
    return p.role === 'supervisor' || this.myParties(p, d).length > 0;
  }

  /** the draw, or 404; 403 when the caller may not see it */
  private readable(p: Principal, id: string): Draw {
    this.requireStaff(p);
    const d = this.store.get(id);
    if (!d) throw notFound();
    if (!this.canRead(p, d)) throw errors.forbidden();
    return d;
  }

  /** the justice bureau that co-signs an organiser's draws: its filing office when that is one, else the city's */
  private justiceOf(organiser: Agency): string {
    const office = organiser.filingOfficeId ? this.d.dir.agency(organiser.filingOfficeId) : undefined;
    if (office?.kind === 'justice') return office.id;
    const city = (this.d.dir.agencies() as Agency[]).find((a) => a.kind === 'justice' && a.level === 'city');
    if (!city) throw new HttpError(409, 'draw_invalid', t('没有市级司法行政部门，无法组织抽查', 'There is no city justice bureau to co-sign the draw'));
    return city.id;
  }

  // ---------------------------------------------------------------- create

  private async policy(): Promise<PolicyConfig> {
    return (await this.d.rooms.read(rooms.config(), (doc) => policyOn(doc, this.d.clock.today()))) ?? defaultPolicy();
  }

  private async resolveSource(organiser: Agency, b: CreateBody): Promise<Source> {
    const base = { teamItems: new Map<string, { itemIds: string[]; months: number[] }>(), catalogueVersions: {} as Record<string, number> };
    const source = b.source;
    if (source.type === 'plan') {
      if (b.kind === 'joint') throw invalid('联合抽查须以联合检查计划为来源', 'A joint draw is drawn from a joint plan');
      const room = rooms.plan(organiser.id, b.year);
      const meta = await this.d.rooms.read(room, (doc) => readPlanMeta(doc).meta);
      const filing = await this.d.filings.latestFiled(room);
      const filed = !!meta && (meta.status === 'filed' || meta.status === 'published') && !!meta.filedHash;
      if (!filed || !filing) {
        throw new HttpError(
          409,
          'plan_not_filed',
          t(`${b.year}年度检查计划尚未备案，不能抽查（第六条）`, `The ${b.year} plan is not filed: no draw from it (measure 6)`),
        );
      }
      const content = PlanContent.safeParse(filing.content);
      const item: PlanItem | undefined = content.success ? content.data.items.find((i) => i.id === source.planItemId) : undefined;
      if (!item && this.itemOfAnother(organiser.id, b.year, source.planItemId)) throw errors.forbidden();
      if (!item) throw invalid(`备案的计划中没有事项 ${source.planItemId}`, `The filed plan has no item ${source.planItemId}`);
      if (item.targets.samplingRatio === undefined) {
        throw invalid('该计划事项不是随机抽查事项（没有抽查比例）', 'This plan item is not a sampling item (it has no sampling ratio)');
      }
      let teamId = organiser.id;
      let divisionPrefix: string | undefined;
      if (b.kind === 'county') {
        const c = b.countyAgencyId ? this.d.dir.agency(b.countyAgencyId) : undefined;
        if (c?.kind !== 'enforcement' || c.level !== 'county' || c.cityCounterpartId !== organiser.id) {
          throw invalid('市抽县查须指定本部门对应的县级执法部门', 'A county draw names a county enforcement agency whose city counterpart is the organiser');
        }
        teamId = c.id;
        divisionPrefix = c.division.slice(0, 6);
      } else if (b.countyAgencyId) {
        throw invalid('只有市抽县查需要指定县级部门', 'Only a county draw names a county agency');
      }
      base.teamItems.set(teamId, { itemIds: [item.itemId], months: item.months });
      const v = filing.catalogueVersions?.[organiser.id];
      if (v) base.catalogueVersions[teamId] = v;
      return {
        ...base,
        kind: b.kind,
        teams: [{ agencyId: teamId }],
        targets: [item.targets],
        divisionPrefix,
        method: item.method,
        itemRatio: item.targets.samplingRatio,
        months: item.months,
        planItemId: item.id,
      };
    }
    if (b.kind !== 'joint') throw invalid('联合检查计划只能用于联合抽查', 'A joint plan is drawn by a joint draw');
    if (b.countyAgencyId) throw invalid('只有市抽县查需要指定县级部门', 'Only a county draw names a county agency');
    const jointId = source.jointId;
    const members = this.d.dir.facts({ kind: 'joint', jointId }).jointMembers ?? [];
    if (!members.length) throw errors.notFound(t('没有这个联合检查计划', 'No such joint plan'));
    const view = await this.d.rooms.read(rooms.joint(jointId), (doc) => readJoint(doc));
    const lead = this.d.dir.jointLeadId(jointId) ?? view.meta?.leadAgencyId;
    if (lead !== organiser.id) throw errors.forbidden();
    const filed = !!view.meta && (view.meta.status === 'filed' || view.meta.status === 'published') && !!view.meta.filedHash;
    if (!filed || view.meta!.year !== b.year) {
      throw new HttpError(409, 'plan_not_filed', t('联合检查计划尚未由牵头部门备案，不能抽查', 'The joint plan is not filed by its lead: no draw from it'));
    }
    const team = jointTaskMembers(view).filter((m) => members.includes(m.agencyId) && m.itemIds.length > 0);
    if (!team.length) throw invalid('联合检查计划还没有检查事项', 'The joint plan has no items yet');
    const filing = await this.d.filings.latestFiled(rooms.joint(jointId));
    for (const m of team) {
      base.teamItems.set(m.agencyId, { itemIds: m.itemIds, months: view.items.filter((i) => i.agencyId === m.agencyId).flatMap((i) => i.months) });
      const v = filing?.catalogueVersions?.[m.agencyId];
      if (v) base.catalogueVersions[m.agencyId] = v;
    }
    const shared = view.meta!.targets;
    const sharedSays = !!shared && (shared.industries.length > 0 || shared.divisions.length > 0 || shared.riskLevels.length > 0);
    const ratios = view.items.flatMap((i) => (i.targets.samplingRatio !== undefined ? [i.targets.samplingRatio] : []));
    return {
      ...base,
      kind: 'joint',
      teams: team.map((m) => ({ agencyId: m.agencyId, ...(m.inspectorIds.length ? { only: m.inspectorIds } : {}) })),
      targets: [...(sharedSays ? [shared!] : []), ...view.items.map((i) => i.targets)],
      method: 'onsite',
      ...(ratios.length ? { itemRatio: Math.max(...ratios) } : {}),
      months: [...new Set(view.items.flatMap((i) => i.months))],
      jointId,
    };
  }

  /** is the item in another agency's filed plan of the year? (its draws are that agency's to make) */
  private itemOfAnother(agencyId: string, year: number, planItemId: string): boolean {
    const rows = this.d.db
      .prepare("SELECT content FROM filings WHERE kind = 'plan' AND year = ? AND status = 'filed' AND agency_id <> ? AND instr(content, ?) > 0")
      .all(year, agencyId, JSON.stringify(planItemId)) as { content: string }[];
    return rows.some((r) => {
      const c = PlanContent.safeParse(JSON.parse(r.content));
      return c.success && c.data.items.some((i) => i.id === planItemId);
    });
  }

  /** the lapsed draw of this source that the request must replace, if any; 409 draw_replaces when the request does not fit */
  private replaced(organiser: Agency, src: Source, b: CreateBody): Draw | undefined {
    const county = src.kind === 'county' ? src.teams[0].agencyId : undefined;
    const all = this.store.ofSource(organiser.id, { planItemId: src.planItemId, jointId: src.jointId }, county);
    const open = all.find((x) => OPEN_STATUSES.includes(x.status));
    if (open) {
      throw new HttpError(
        409,
        'draw_replaces',
        t(`该来源已有进行中的抽查 ${open.id}，须等其完成或撤销`, `Draw ${open.id} of this source is still open: wait for it or cancel it`),
      );
    }
    const pending = all.filter((x) => x.status === 'lapsed' && !all.some((y) => y.replaces === x.id && y.status !== 'cancelled'));
    if (b.replaces) {
      const r = pending.find((x) => x.id === b.replaces);
      if (!r) {
        throw new HttpError(
          409,
          'draw_replaces',
          t(`${b.replaces} 不是本来源一次未被替代的失效抽查`, `${b.replaces} is not a lapsed draw of this source that is still to be replaced`),
        );
      }
      return r;
    }
    if (pending.length) {
      throw new HttpError(
        409,
        'draw_replaces',
        t(
          `该来源的抽查 ${pending[0].id} 因未按时揭示而失效，新的抽查须注明替代它（沿用原抽取名录）`,
          `Draw ${pending[0].id} of this source lapsed: a new draw must replace it (and keeps its population)`,
        ),
      );
    }
    return undefined;
  }

  private windowCheck(b: CreateBody): void {
    const today = this.d.clock.today();
    const { from, to } = b.window;
    if (+from.slice(0, 4) !== b.year || +to.slice(0, 4) !== b.year) throw invalid(`检查时间段须在${b.year}年内`, `The window must lie within ${b.year}`);
    if (from > to) throw invalid('检查时间段的开始日期晚于结束日期', 'The window starts after it ends');
    if (from < today) throw invalid('检查时间段不能早于今天', 'The window cannot start before today');
  }

  /** POST /api/draws: check and count (dryRun), or create and publish the statement */
  async create(p: Principal, b: CreateBody): Promise<{ status: 200; body: DrawPreview } | { status: 201; body: DrawDetail }> {
    const organiser = this.requireOrganiser(p);
    await this.sweep();
    return this.serial(`create:${organiser.id}`, async () => {
      this.windowCheck(b);
      const policy = await this.policy();
      if (b.perTask < policy.draw.minInspectors) {
        throw invalid(`每个检查组至少需要${policy.draw.minInspectors}名执法人员`, `Each team needs at least ${policy.draw.minInspectors} inspectors`);
      }
      const src = await this.resolveSource(organiser, b);
      const lapsed = this.replaced(organiser, src, b);
      const year = b.year;
      const drawId = `${organiser.id}.d${year}-${this.store.countOf(organiser.id, year) + 1}`;
      const teamIds = src.teams.map((x) => x.agencyId);
      const ratios = lapsed ? lapsed.ratios : b.ratios;

      // the population: the lapsed draw's exactly, or a new snapshot
      let population: DrawStatement['population'];
      let excluded = { capReached: 0, quietWindow: 0, deregistered: 0 };
      if (lapsed) {
        population = parsePopulationText(this.store.populationText(lapsed.id) ?? '');
      } else {
        const snap = await snapshotPopulation(this.d.db, this.d.rooms, {
          year,
          window: b.window,
          targets: src.targets,
          divisionPrefix: src.divisionPrefix,
          teamAgencyIds: teamIds,
          onsite: src.method === 'onsite',
          policy,
        });
        population = snap.population;
        excluded = snap.excluded;
      }

      // the pools and the recusals
      const certs: Certificate[] = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
      const teams: DrawPreview['teams'] = src.teams.map((team) => {
        const a = this.d.dir.agency(team.agencyId);
        const staff = (this.d.dir.inspectors(team.agencyId) as unknown[]).flatMap((x) => {
          const r = InspectorSchema.safeParse(x);
          return r.success ? [r.data] : [];
        });
        const { pool, left } = poolOf(staff, certs, b.window, team.only);
        return { agencyId: team.agencyId, name: a?.name ?? team.agencyId, nameEn: a?.nameEn ?? team.agencyId, perTask: b.perTask, pool, left };
      });
      const recusals: Record<string, string[]> = {};
      if (policy.draw.recuseLastInspector) {
        const usccs = new Set(population.map((e) => e.uscc));
        for (const team of teams) {
          const pooled = new Set(team.pool.map((x) => x.id));
          for (const [u, ids] of lastInspectors(this.d.db, team.agencyId, usccs)) {
            const out = ids.filter((id) => pooled.has(id));
            if (out.length) recusals[u] = [...new Set([...(recusals[u] ?? []), ...out])].sort();
          }
        }
      }
      const parties = [
        `agency:${organiser.id}`,
        ...teamIds.filter((x) => x !== organiser.id).map((x) => `agency:${x}`),
        `justice:${this.justiceOf(organiser)}`,
      ];
      const statement: DrawStatement = {
        drawId,
        population,
        ratios,
        teams: teams.map((x) => ({ agencyId: x.agencyId, perTask: x.perTask, pool: x.pool.map((m) => m.id) })),
        recusals,
        parties,
      };

      const counts = expectedCounts(statement);
      const selectedCount = Object.values(counts).reduce((s, c) => s + c.drawn, 0);
      const preview: DrawPreview = {
        populationSize: population.length,
        byClass: counts,
        selectedCount,
        excluded,
        teams,
        recusals: Object.values(recusals).reduce((s, ids) => s + ids.length, 0),
        parties,
        verdicts: this.verdicts(policy, src, b.window, population.length, selectedCount),
      };
      if (!population.length) throw new HttpError(422, 'population_empty', t('没有符合条件的企业可供抽取', 'No enterprise is left to draw from'), {}, preview);
      if (population.length > MAX_POPULATION) {
        throw new HttpError(
          422,
          'population_too_large',
          t(`抽取名录超过${MAX_POPULATION}户`, `The population exceeds ${MAX_POPULATION} enterprises`),
          {},
          preview,
        );
      }
      const short = infeasible(statement);
      if (short.length) {
        const s = short[0];
        throw new HttpError(
          422,
          'draw_infeasible',
          t(
            `${this.d.dir.agency(s.agencyId)?.name ?? s.agencyId}可抽执法人员不足（${s.eligible}名，需${s.perTask}名）`,
            `${this.d.dir.agency(s.agencyId)?.nameEn ?? s.agencyId} has too few eligible inspectors (${s.eligible}; ${s.perTask} needed)`,
          ),
          {},
          preview,
        );
      }
      if (b.dryRun) return { status: 200 as const, body: preview };

      const digest = digestStatement(statement);
      const at = this.d.clock.iso();
      const draw: Draw = {
        id: drawId,
        year,
        kind: src.kind,
        organiserId: organiser.id,
        teamAgencyIds: teamIds,
        title: b.title ?? `${organiser.name}${year}年双随机抽查（${b.window.from}～${b.window.to}）`,
        ...(src.planItemId ? { planItemId: src.planItemId } : {}),
        ...(src.jointId ? { jointId: src.jointId } : {}),
        window: { ...b.window },
        status: 'committing',
        paramsHash: digest.paramsHash,
        populationHash: digest.populationHash,
        populationSize: population.length,
        ratios: { ...ratios },
        parties: [...parties].sort().map((party) => ({ party })),
        ...(lapsed ? { replaces: lapsed.id } : {}),
        createdBy: p.userId,
        createdAt: at,
        updatedAt: at,
      };
      const wire = statementWithoutPopulation(statement);
      this.d.db.transaction(() => {
        this.store.insert(draw, { statement: wire, statementText: digest.statementText, populationText: digest.populationText });
        this.d.audit.record({
          actor: actorOf(p),
          action: 'draw.create',
          target: `draw:${drawId}`,
          agencyId: organiser.id,
          after: { ...draw, parties: draw.parties.map((x) => x.party), excluded, selectedCount },
        });
      })();
      await this.live(draw);
      this.d.log.info('draw created', { id: drawId, by: p.userId, population: population.length, selectedCount });
      return { status: 201 as const, body: await this.detailOf(p, draw) };
    });
  }

  private verdicts(policy: PolicyConfig, src: Source, window: { from: string; to: string }, n: number, selected: number): Verdict[] {
    const out: Verdict[] = [];
    const share = n ? selected / n : 0;
    const floor = Math.max(src.itemRatio ?? 0, policy.draw.minRatio);
    if (n && share < floor) {
      const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
      out.push({
        verdict: 'warn',
        code: 'draw.ratio_low',
        message: t(
          `预计抽取${pct(share)}，低于${src.itemRatio !== undefined && src.itemRatio >= policy.draw.minRatio ? '计划的抽查比例' : '全市最低抽查比例'}${pct(floor)}`,
          `About ${pct(share)} would be drawn, below the ${src.itemRatio !== undefined && src.itemRatio >= policy.draw.minRatio ? "plan's sampling ratio" : "city's minimum ratio"} of ${pct(floor)}`,
        ),
      });
    }
    if (src.months.length) {
      const ms = new Set<number>();
      for (let k = 0; k <= Math.min(daysBetween(window.from, window.to), 366); k++) ms.add(shanghaiMonth(addDays(window.from, k)));
      if (!src.months.some((m) => ms.has(m))) {
        out.push({
          verdict: 'warn',
          code: 'draw.outside_months',
          message: t(
            `检查时间段不在计划月份（${src.months.map((m) => `${m}月`).join('、')}）内`,
            `The window is outside the planned months (${src.months.join(', ')})`,
          ),
        });
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- commit, reveal, cancel

  /** a step by one of the draw's parties: the draw, or 404/403 */
  private partyStep(p: Principal, id: string, party: string): Draw {
    const d = this.readable(p, id);
    if (!this.myParties(p, d).includes(party)) throw errors.forbidden();
    return d;
  }

  private async live(d: Draw): Promise<void> {
    await this.d.rooms.change(rooms.draws(d.year), (doc) => void putDraw(doc, d, 'server'));
  }

  async commit(p: Principal, id: string, b: CommitBody): Promise<DrawDetail> {
    this.requireStaff(p);
    await this.sweep();
    return this.serial(`draw:${id}`, async () => {
      const d = this.partyStep(p, id, b.party);
      if (d.status !== 'committing') throw stage(d);
      const row = this.store.parties(id).find((x) => x.party === b.party);
      if (row?.commitment) throw new HttpError(409, 'already_committed', t('该方已提交承诺值', 'This party has already committed'));
      const at = this.d.clock.iso();
      const parties = d.parties.map((x) => (x.party === b.party ? { ...x, commitment: b.commitment, committedAt: at } : x));
      const all = parties.every((x) => x.commitment);
      const revealBy = all ? `${addWorkingDays(this.d.clock.today(), (await this.policy()).draw.revealWorkingDays)}T23:59:59+08:00` : undefined;
      const next: Draw = { ...d, parties, status: all ? 'revealing' : 'committing', ...(revealBy ? { revealBy } : {}), updatedAt: at };
      this.d.db.transaction(() => {
        this.store.commit(id, b.party, b.commitment, p.userId, at);
        this.store.update(next);
        this.d.audit.record({
          actor: actorOf(p),
          action: 'draw.commit',
          target: `draw:${id}`,
          agencyId: d.organiserId,
          after: { party: b.party, commitment: b.commitment, status: next.status, revealBy },
        });
      })();
      await this.live(next);
      return this.detailOf(p, next);
    });
  }

  async reveal(p: Principal, id: string, b: RevealBody): Promise<DrawDetail> {
    this.requireStaff(p);
    await this.sweep();
    return this.serial(`draw:${id}`, async () => {
      const d = this.partyStep(p, id, b.party);
      if (d.status !== 'revealing') throw stage(d);
      const rows = this.store.parties(id);
      const row = rows.find((x) => x.party === b.party);
      if (row?.secret) throw new HttpError(409, 'already_revealed', t('该方已揭示', 'This party has already revealed'));
      if (!row?.commitment || commitmentOf(d.paramsHash, b.party, b.secret) !== row.commitment) {
        throw new HttpError(422, 'reveal_mismatch', t('揭示值与承诺值不符', 'The secret does not match the commitment'));
      }
      const at = this.d.clock.iso();
      const parties = d.parties.map((x) => (x.party === b.party ? { ...x, revealedAt: at } : x));
      let next: Draw = { ...d, parties, updatedAt: at };
      this.d.db.transaction(() => {
        this.store.reveal(id, b.party, b.secret, p.userId, at);
        this.store.update(next);
        this.d.audit.record({
          actor: actorOf(p),
          action: 'draw.reveal',
          target: `draw:${id}`,
          agencyId: d.organiserId,
          // not the secret: the audit trail is read by the organiser's admins, and a party that learnt another's
          // secret before revealing its own could compute the outcome and choose to withhold (draw.drawn lists them)
          after: { party: b.party, revealed: true },
        });
      })();
      const reveals = Object.fromEntries(rows.map((x) => [x.party, x.party === b.party ? b.secret : x.secret]));
      if (Object.values(reveals).every((s) => s)) next = await this.run(next, reveals as Record<string, string>);
      await this.live(next);
      return this.detailOf(p, next);
    });
  }

  /** the last reveal: the seed, the draw, the picks and the tasks */
  private async run(d: Draw, reveals: Record<string, string>): Promise<Draw> {
    const st = this.store.statement(d.id)!;
    const population = parsePopulationText(st.populationText);
    const statement: DrawStatement = { ...st.statement, population };
    const seed = seedOf(d.paramsHash, reveals);
    const out = runDraw(statement, seed);
    if (out.paramsHash !== d.paramsHash) throw new Error(`draw ${d.id}: the stored statement no longer gives its parameters hash`);
    const cls = new Map(population.map((e) => [e.uscc, e.cls]));
    const nameQ = this.d.db.prepare('SELECT name FROM enterprises WHERE uscc = ?');
    const picks = out.picks.map((x) => ({
      uscc: x.uscc,
      name: (nameQ.get(x.uscc) as { name: string } | undefined)?.name ?? x.uscc,
      cls: cls.get(x.uscc)!,
      teams: x.teams,
    }));
    const policy = (await this.d.rooms.read(rooms.config(), (doc) => policyOn(doc, d.window.from))) ?? defaultPolicy();
    const src = await this.taskSources(d, policy);
    const certs: Certificate[] = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
    const staff = new Map<string, Inspector>();
    for (const a of d.teamAgencyIds) {
      for (const x of this.d.dir.inspectors(a) as unknown[]) {
        const r = InspectorSchema.safeParse(x);
        if (r.success) staff.set(r.data.id, r.data);
      }
    }
    const made = await makeDrawTasks(this.d.rooms, {
      drawId: d.id,
      year: d.year,
      window: d.window,
      method: src.method,
      ...(d.planItemId ? { planItemId: d.planItemId } : {}),
      ...(d.jointId ? { jointId: d.jointId } : {}),
      plan: src.plan,
      teams: src.teams,
      picks,
      enterprise: (u) => {
        const r = this.d.db.prepare("SELECT quiet_zone, division, json_extract(json, '$.township') AS township FROM enterprises WHERE uscc = ?").get(u) as
          | { quiet_zone: number; division: string; township: string | null }
          | undefined;
        return r ? { uscc: u, quietZone: r.quiet_zone === 1, division: r.division, ...(r.township ? { township: r.township } : {}) } : undefined;
      },
      inspectors: staff,
      certificates: certs,
      policy,
      createdAt: this.d.clock.iso(),
      signCheckCode: this.d.signCheckCode,
    });
    const at = this.d.clock.iso();
    const next: Draw = { ...d, status: 'drawn', seed, resultHash: out.resultHash, selectedCount: picks.length, updatedAt: at };
    this.d.db.transaction(() => {
      this.store.putPicks(d.id, picks);
      for (const m of made) this.store.putTask(d.id, m.agencyId, m.uscc, 'taskId' in m ? { taskId: m.taskId } : { skipped: m.skipped });
      this.store.update(next);
      this.d.audit.record({
        actor: SYSTEM,
        action: 'draw.drawn',
        target: `draw:${d.id}`,
        agencyId: d.organiserId,
        after: {
          seed,
          reveals,
          resultHash: out.resultHash,
          selected: picks.length,
          tasks: made.filter((m) => 'taskId' in m).length,
          skipped: made.filter((m) => 'skipped' in m).length,
        },
      });
    })();
    this.d.log.info('draw drawn', { id: d.id, selected: picks.length, tasks: made.length });
    return next;
  }

  /** what each team agency's tasks carry, and the plan they come from (as the rules read it) */
  private async taskSources(
    d: Draw,
    policy: PolicyConfig,
  ): Promise<{
    method: Method;
    plan: { meta: { year: number; status: 'draft' | 'submitted' | 'filed' | 'returned' | 'published'; filedHash?: string }; joint?: boolean } | null;
    teams: TeamSource[];
  }> {
    const teams: TeamSource[] = [];
    if (d.jointId) {
      const jointId = d.jointId;
      const view = await this.d.rooms.read(rooms.joint(jointId), (doc) => readJoint(doc));
      const pinned = (await this.d.filings.latestFiled(rooms.joint(jointId)))?.catalogueVersions ?? {};
      const members = jointTaskMembers(view);
      for (const a of d.teamAgencyIds) {
        const m = members.find((x) => x.agencyId === a);
        teams.push({
          agencyId: a,
          itemIds: m?.itemIds.length ? m.itemIds : view.items.filter((i) => i.agencyId === a).map((i) => i.itemId),
          months: view.items.filter((i) => i.agencyId === a).flatMap((i) => i.months),
          cap: await capOf(this.d.rooms, a, d.year, policy),
          ...(pinned[a] ? { catalogueVersion: pinned[a] } : {}),
        });
      }
      return { method: 'onsite', plan: view.meta ? { meta: jointPlanMeta(view.meta), joint: true } : null, teams };
    }
    const room = rooms.plan(d.organiserId, d.year);
    const meta = await this.d.rooms.read(room, (doc) => readPlanMeta(doc).meta);
    const filing = await this.d.filings.latestFiled(room);
    const content = filing ? PlanContent.safeParse(filing.content) : null;
    const item = content?.success ? content.data.items.find((i) => i.id === d.planItemId) : undefined;
    for (const a of d.teamAgencyIds) {
      const v = filing?.catalogueVersions?.[d.organiserId];
      teams.push({
        agencyId: a,
        itemIds: item ? [item.itemId] : [],
        months: item?.months ?? [],
        cap: await capOf(this.d.rooms, a, d.year, policy),
        ...(v ? { catalogueVersion: v } : {}),
      });
    }
    return { method: item?.method ?? 'onsite', plan: meta ? { meta } : null, teams };
  }

  async cancel(p: Principal, id: string, b: CancelBody): Promise<DrawDetail> {
    this.requireStaff(p);
    await this.sweep();
    return this.serial(`draw:${id}`, async () => {
      const d = this.readable(p, id);
      if (p.role !== 'agency' || p.agencyId !== d.organiserId) throw errors.forbidden();
      if (d.status !== 'committing') throw stage(d);
      const next: Draw = { ...d, status: 'cancelled', updatedAt: this.d.clock.iso() };
      this.d.db.transaction(() => {
        this.store.update(next);
        this.d.audit.record({ actor: actorOf(p), action: 'draw.cancel', target: `draw:${id}`, agencyId: d.organiserId, after: { reason: b.reason } });
      })();
      await this.live(next);
      return this.detailOf(p, next);
    });
  }

  // ---------------------------------------------------------------- reads

  async list(p: Principal, year: number): Promise<Draw[]> {
    this.requireStaff(p);
    await this.sweep();
    return this.store.list(year).filter((d) => this.canRead(p, d));
  }

  async get(p: Principal, id: string): Promise<DrawDetail> {
    this.requireStaff(p);
    await this.sweep();
    return this.detailOf(p, this.readable(p, id));
  }

  async population(p: Principal, id: string): Promise<string> {
    this.requireStaff(p);
    this.readable(p, id);
    return this.store.populationText(id) ?? '';
  }

  private async detailOf(p: Principal, d: Draw): Promise<DrawDetail> {
    const st = this.store.statement(d.id)!;
    const drawn = d.status === 'drawn' || d.status === 'published';
    const picks = drawn ? this.store.picks(d.id) : undefined;
    const rows = this.store.tasks(d.id);
    // each task's live status, reading only the draw's own tasks (a city agency's room holds tens of thousands)
    const live = new Map<string, Task>();
    for (const a of new Set(rows.map((r) => r.agency_id))) {
      const ids = rows.flatMap((r) => (r.agency_id === a && r.task_id ? [r.task_id] : []));
      for (const x of await this.d.rooms.read(rooms.tasks(a, d.year), (doc) => ids.map((id) => readTask(doc, id)))) if (x) live.set(x.id, x);
    }
    const tasks: DrawTaskWire[] = rows.map((r) =>
      r.task_id
        ? { uscc: r.uscc, agencyId: r.agency_id, taskId: r.task_id, status: live.get(r.task_id)?.status ?? 'assigned' }
        : { uscc: r.uscc, agencyId: r.agency_id, status: 'skipped', ...(r.skipped_json ? { skipped: JSON.parse(r.skipped_json) as Text } : {}) },
    );
    const inspectors: Record<string, string> = {};
    for (const a of d.teamAgencyIds) for (const x of this.d.dir.inspectors(a) as { id: string; name: string }[]) inspectors[x.id] = x.name;
    const agencies: DrawDetail['agencies'] = {};
    for (const id of new Set([d.organiserId, ...d.teamAgencyIds, ...d.parties.map((x) => x.party.slice(x.party.indexOf(':') + 1))])) {
      const a = this.d.dir.agency(id);
      if (a) agencies[id] = { name: a.name, nameEn: a.nameEn };
    }
    const secrets = drawn ? Object.fromEntries(this.store.parties(d.id).flatMap((x) => (x.secret ? [[x.party, x.secret]] : []))) : undefined;
    return {
      draw: d,
      statement: st.statement,
      statementText: st.statementText,
      ...(secrets ? { reveals: secrets } : {}),
      ...(picks ? { picks, resultText: resultText(picks) } : {}),
      tasks,
      results: drawResults(this.d.db, 'dt.draw_id = ?', d.id).map(({ drawId: _, ...r }) => r),
      inspectors,
      agencies,
      myParties: this.myParties(p, d),
    };
  }

  // ---------------------------------------------------------------- sweep

  /** lapse draws past their reveal deadline, publish draws whose inspections are over */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.d.clock.ms();
    for (const d of this.store.withStatus('revealing')) {
      if (!d.revealBy || Date.parse(d.revealBy) >= now) continue;
      await this.serial(`draw:${d.id}`, () => this.lapse(d.id));
    }
    const today = this.d.clock.today();
    for (const d of this.store.withStatus('drawn')) {
      if (d.window.to < today || (await this.allDone(d))) await this.serial(`draw:${d.id}`, () => this.publish(d.id));
    }
  }

  private async lapse(id: string): Promise<void> {
    const d = this.store.get(id);
    if (d?.status !== 'revealing') return;
    const missing = d.parties.filter((x) => !x.revealedAt).map((x) => x.party);
    const at = this.d.clock.iso();
    const next: Draw = { ...d, status: 'lapsed', updatedAt: at };
    this.d.db.transaction(() => {
      this.store.update(next);
      this.d.audit.record({
        actor: SYSTEM,
        action: 'draw.lapse',
        target: `draw:${id}`,
        agencyId: d.organiserId,
        after: { notRevealed: missing, revealBy: d.revealBy },
      });
    })();
    await this.live(next);
    const names = missing.map((m) => {
      const a = this.d.dir.agency(m.slice(m.indexOf(':') + 1));
      return { zh: a?.name ?? m, en: a?.nameEn ?? m };
    });
    await this.d.raiseWarning?.({
      id: `draw_lapsed.${id}`,
      kind: 'draw_lapsed',
      severity: 'warn',
      agencyId: d.organiserId,
      refId: id,
      at,
      message: t(
        `抽查 ${id}（${d.title}）失效：${names.map((n) => n.zh).join('、')}未在${d.revealBy}前揭示`,
        `Draw ${id} (${d.title}) lapsed: ${names.map((n) => n.en).join(', ')} did not reveal by ${d.revealBy}`,
      ),
    });
    this.d.log.info('draw lapsed', { id, notRevealed: missing });
  }

  private async allDone(d: Draw): Promise<boolean> {
    const made = this.store.tasks(d.id).filter((r) => r.task_id);
    if (!made.length) return true;
    // an entry recorded for every task (the projection's table): no tasks room is read, this runs on every request
    const inspected = this.store.inspectedTaskIds(d.id);
    return made.every((r) => inspected.has(r.task_id!));
  }

  private async publish(id: string): Promise<void> {
    const d = this.store.get(id);
    if (d?.status !== 'drawn') return;
    const next: Draw = { ...d, status: 'published', updatedAt: this.d.clock.iso() };
    this.d.db.transaction(() => {
      this.store.update(next);
      this.d.audit.record({ actor: SYSTEM, action: 'draw.publish', target: `draw:${id}`, agencyId: d.organiserId });
    })();
    await this.live(next);
    this.d.log.info('draw published', { id });
  }
}
