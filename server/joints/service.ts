/**
 * Joint plans (跨部门联合检查, measures 4, 6, 8) on the server: the lead and the membership are the
 * server's facts (tables `joints`, `joint_members`; rights read the latter at every WebSocket upgrade),
 * the doc `joint/<id>` is initialised and kept in step through the room port (`change`). Also the suggestions of joint
 * plans over every agency's filed plan, and the joint tasks, which the server writes into each member's
 * `tasks/<agencyId>/<year>` room: an agency may write only its own tasks room, so the lead cannot; the
 * server checks the rules on the full picture first.
 *
 * Membership needs consent: the lead invites (table `joint_invitations`, status
 * `invited`), and the invited agency becomes a member only when its admin accepts. Until then it is not in
 * `joint_members` (so not in the rights' `jointMembers`): it gets no access to the room, no item is
 * written in its name, and no task goes into its tasks room. Plan items of a suggestion that belong to an
 * invited agency wait with the invitation and are copied in when it accepts. Suggestions and copied items
 * come from filed plans only (the latest accepted filing's snapshot), never another agency's draft.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Agency, Certificate, Exemption, LedgerRecord, PlanItem, PolicyConfig, Principal, Task } from '../../src/domain/schemas';
import { Id, PlanContent } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { suggestJointPlans, type JointSuggestion } from '../../src/domain/joint-suggest';
import { checkTask, generateJointTasks, jointPlanMeta, windowOfMonths } from '../../src/domain/task-plan';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import { jointHash } from '../../src/domain/canonical';
import {
  readJoint,
  setJointMeta,
  putJointMember,
  createJointItem,
  jointTaskMembers,
  readPlanItems,
  readPlanMeta,
  policyOn,
  readCertificates,
  ledgerRecords,
  readTasks,
  addTasks,
  type JointView,
} from '../../src/model';
import type { CodeInspector } from '../../src/domain/codes';
import type { JointRow, JointStore } from './store';
import type { CreateJointRequest, JointInvitation, JointSummary, JointTasksRequest, TaskProblem } from '../../src/protocol/joints';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import { HttpError, errors } from '../http/errors';

const PendingItems = z.array(Id).max(100);
const Months = z.array(z.number().int().min(1).max(12)).max(12);

// the wire shapes are the protocol's (src/protocol/joints.ts): requests parsed by the routes, answers built here
type CreateJointBody = z.output<typeof CreateJointRequest>;
type JointTasksBody = z.output<typeof JointTasksRequest>;

export interface JointDeps {
  /** the joints' rows and invitations (server/joints/store.ts) */
  store: JointStore;
  dir: Directory;
  /** the live rooms (read, and change as the server) */
  rooms: RoomPort;
  log: Logger;
  clock: Clock;
  /** accepted plan filings: suggestions and copied items read filed snapshots, never drafts */
  filings: { latestFiled(room: string): Promise<{ content: unknown; catalogueVersions?: Record<string, number> } | undefined> };
  /** signs a task's check code (检查码); without it tasks are saved without one */
  signCheckCode?: (task: Pick<Task, 'id' | 'agencyId' | 'uscc' | 'window'>, inspectors: CodeInspector[]) => Promise<string>;
}

const t = (zh: string, en: string) => ({ zh, en });

export class Joints {
  constructor(private readonly d: JointDeps) {}

  /** invite (again, after a decline); a member is not invited. True when the invitation is new or renewed. */
  private async putInvitation(jointId: string, agencyId: string, by: string): Promise<boolean> {
    if (this.members(jointId).includes(agencyId)) return false;
    const cur = await this.d.store.invitation(jointId, agencyId);
    if (cur?.status === 'invited') return false;
    await this.d.store.putInvitation(jointId, { agencyId, by, at: this.d.clock.iso(), planItemIds: [], months: [] });
    return true;
  }

  /** the items of an agency's latest accepted plan filing for the year (none: not filed) */
  private async filedPlanItems(agencyId: string, year: number): Promise<PlanItem[] | null> {
    const f = await this.d.filings.latestFiled(rooms.plan(agencyId, year));
    const c = f ? PlanContent.safeParse(f.content) : null;
    return c?.success ? c.data.items : null;
  }

  private agency(id: string): Agency | undefined {
    return this.d.dir.agency(id);
  }

  private members(jointId: string): string[] {
    return this.d.dir.facts({ kind: 'joint', jointId }).jointMembers?.slice() ?? [];
  }

  /** the joint's row; a seeded joint (members only) is filled in from its doc's meta */
  private async row(id: string): Promise<JointRow | undefined> {
    const r = await this.d.store.row(id);
    if (r) return r;
    const members = this.members(id);
    if (!members.length) return undefined;
    const meta = await this.d.rooms.read(rooms.joint(id), (doc) => readJoint(doc).meta);
    if (!meta) return undefined;
    const lead = members.includes(meta.leadAgencyId) ? meta.leadAgencyId : members[0];
    await this.d.store.insertIfAbsent({ id, title: meta.title, year: meta.year, lead_agency_id: lead }, 'seed', this.d.clock.ms());
    return { id, title: meta.title, year: meta.year, lead_agency_id: lead };
  }

  private async summary(r: JointRow): Promise<JointSummary> {
    const meta = await this.d.rooms.read(rooms.joint(r.id), (doc) => readJoint(doc).meta);
    return {
      id: r.id,
      title: meta?.title ?? r.title,
      year: r.year,
      leadAgencyId: r.lead_agency_id,
      memberAgencyIds: this.members(r.id),
      invitedAgencyIds: await this.d.store.invitedIds(r.id),
      status: meta?.status ?? 'draft',
      ...(meta?.window ? { window: meta.window } : {}),
    };
  }

  private requireAgencyAdmin(p: Principal): string {
    if (p.role !== 'agency' || !p.agencyId) throw errors.forbidden();
    const a = this.agency(p.agencyId);
    if (!a || a.kind !== 'enforcement') {
      throw new HttpError(403, 'not_enforcement', t('只有行政执法部门可以牵头或参加联合检查', 'Only enforcement agencies lead or join joint inspections'));
    }
    return a.id;
  }

  private checkMemberIds(ids: readonly string[]): void {
    for (const id of ids) {
      const a = this.agency(id);
      if (!a) throw errors.badRequest('unknown_agency', t(`没有编号为 ${id} 的部门`, `No agency with id ${id}`));
      if (a.kind !== 'enforcement') {
        throw errors.badRequest(
          'not_enforcement',
          t(`${a.name}不是行政执法部门，不能参加联合检查`, `${a.nameEn} is not an enforcement agency and cannot join`),
        );
      }
    }
  }

  async list(p: Principal, year?: number): Promise<JointSummary[]> {
    if (p.role !== 'agency' && p.role !== 'supervisor') throw errors.forbidden();
    if (p.role === 'agency' && !p.agencyId) throw errors.forbidden();
    const ids = this.d.dir.jointIds(p.role === 'agency' ? p.agencyId : undefined);
    const out: JointSummary[] = [];
    for (const id of ids) {
      const r = await this.row(id);
      if (!r || (year !== undefined && r.year !== year)) continue;
      out.push(await this.summary(r));
    }
    return out.sort((a, b) => b.year - a.year || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  }

  async get(p: Principal, id: string): Promise<JointSummary> {
    const r = await this.row(id);
    const visible = r && (p.role === 'supervisor' || (p.role === 'agency' && !!p.agencyId && this.members(id).includes(p.agencyId)));
    if (!r || !visible) throw errors.notFound(t('没有这个联合检查计划，或你的部门不是其成员', 'No such joint plan, or your agency is not a member'));
    return this.summary(r);
  }

  async create(p: Principal, body: CreateJointBody): Promise<JointSummary> {
    const lead = this.requireAgencyAdmin(p);
    const invited = [...new Set(body.memberAgencyIds)].filter((m) => m !== lead);
    this.checkMemberIds([lead, ...invited]);
    if (body.window && (+body.window.from.slice(0, 4) !== body.year || +body.window.to.slice(0, 4) !== body.year)) {
      throw errors.badRequest('bad_window', t(`时间段须在${body.year}年内`, `The window must lie within ${body.year}`));
    }
    // the plan items to start from (a suggestion), read before anything is written: the lead's own from its
    // plan; an invited agency's from its filed plan only, kept with the invitation until it accepts
    const items: { agencyId: string; item: PlanItem }[] = [];
    const pending = new Map<string, string[]>();
    for (const ref of body.planItems ?? []) {
      if (ref.agencyId !== lead && !invited.includes(ref.agencyId)) {
        throw errors.badRequest('not_member', t(`计划事项 ${ref.planItemId} 的部门不在成员之列`, `The agency of plan item ${ref.planItemId} is not a member`));
      }
      const item =
        ref.agencyId === lead
          ? await this.d.rooms.read(rooms.plan(lead, body.year), (doc) => readPlanItems(doc).items.find((x) => x.id === ref.planItemId))
          : (await this.filedPlanItems(ref.agencyId, body.year))?.find((x) => x.id === ref.planItemId);
      if (!item)
        throw errors.badRequest(
          'unknown_plan_item',
          t(`没有找到计划事项 ${ref.planItemId}（其他部门的计划须已备案）`, `Plan item ${ref.planItemId} was not found (another agency's plan must be filed)`),
        );
      if (ref.agencyId === lead) items.push({ agencyId: lead, item });
      else pending.set(ref.agencyId, [...(pending.get(ref.agencyId) ?? []), ref.planItemId]);
    }
    const id = `joint-${body.year}-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    // window and targets always exist (as nested maps): two members setting their first fields at once then merge
    const window = body.window ?? windowOfMonths(body.year, body.months?.length ? body.months : [1, 12]);
    const targets = body.targets ?? { industries: [], divisions: [], riskLevels: [] };
    // a new joint: its only member is the lead, so every invited agency gets an invitation
    const at = this.d.clock.iso();
    await this.d.store.create(
      { id, title: body.title, year: body.year, lead_agency_id: lead },
      p.userId,
      this.d.clock.ms(),
      invited.map((m) => ({ agencyId: m, by: p.userId, at, planItemIds: pending.get(m) ?? [], months: body.months ?? [] })),
    );
    await this.d.rooms.change(rooms.joint(id), (doc) => {
      setJointMeta(doc, { id, title: body.title, leadAgencyId: lead, year: body.year, status: 'draft', window, targets }, 'server');
      putJointMember(doc, { agencyId: lead, name: this.agency(lead)!.name }, 'server');
      this.copyItems(doc, items, body.months ?? []);
    });
    this.d.log.info('joint created', { id, lead, invited, by: p.userId });
    return this.get(p, id);
  }

  /** copy plan items into the joint doc as joint items (ids after the last `ji-NN`), keeping the suggestion's months */
  private copyItems(doc: Parameters<typeof readJoint>[0], items: { agencyId: string; item: PlanItem }[], months: number[]): void {
    let n = readJoint(doc).items.reduce((mx, i) => Math.max(mx, Number(/^ji-(\d+)$/.exec(i.id)?.[1] ?? 0)), 0);
    for (const { agencyId, item } of items) {
      const shared = months.length ? item.months.filter((m) => months.includes(m)) : [];
      createJointItem(
        doc,
        {
          id: `ji-${String(++n).padStart(2, '0')}`,
          agencyId,
          itemId: item.itemId,
          targets: item.targets,
          months: shared.length ? shared : item.months,
          who: '',
        },
        'server',
      );
    }
  }

  /** The lead invites an agency; it becomes a member only when its admin accepts. */
  async invite(p: Principal, id: string, agencyId: string): Promise<{ joint: JointSummary; added: boolean; invited: boolean }> {
    const me = this.requireAgencyAdmin(p);
    const r = await this.row(id);
    if (!r || !this.members(id).includes(me))
      throw errors.notFound(t('没有这个联合检查计划，或你的部门不是其成员', 'No such joint plan, or your agency is not a member'));
    if (r.lead_agency_id !== me) throw new HttpError(403, 'not_lead', t('只有牵头部门可以邀请成员', 'Only the lead agency invites members'));
    this.checkMemberIds([agencyId]);
    const invited = await this.putInvitation(id, agencyId, p.userId);
    if (invited) this.d.log.info('joint member invited', { id, agencyId, by: p.userId });
    return { joint: await this.summary(r), added: false, invited };
  }

  /** Invitations to the caller's agency (pending and declined), newest first. */
  async invitations(p: Principal): Promise<JointInvitation[]> {
    const me = this.requireAgencyAdmin(p);
    const rows = await this.d.store.invitationsTo(me);
    const out: JointInvitation[] = [];
    for (const x of rows) {
      const r = await this.row(x.joint_id);
      if (!r) continue;
      const ids = PendingItems.safeParse(JSON.parse(x.plan_items));
      out.push({
        jointId: r.id,
        title: r.title,
        year: r.year,
        leadAgencyId: r.lead_agency_id,
        invitedBy: x.invited_by,
        invitedAt: x.invited_at,
        status: x.status === 'declined' ? 'declined' : 'invited',
        planItemIds: ids.success ? ids.data : [],
      });
    }
    return out;
  }

  /**
   * The invited agency's admin answers. Accepting makes the agency a member (rights, the doc's member
   * list) and copies in the plan items of its own plan that the lead proposed; declining records the answer.
   */
  async answer(p: Principal, id: string, accept: boolean): Promise<JointSummary | { jointId: string; status: 'declined' }> {
    const me = this.requireAgencyAdmin(p);
    const inv = await this.d.store.invitation(id, me);
    const r = await this.row(id);
    if (!r || !inv || inv.status !== 'invited') {
      throw errors.notFound(t('没有待答复的邀请', 'There is no open invitation to this joint plan for your agency'));
    }
    await this.d.store.answer(id, me, accept ? 'accepted' : 'declined', p.userId, this.d.clock.iso());
    if (!accept) {
      this.d.log.info('joint invitation declined', { id, agencyId: me, by: p.userId });
      return { jointId: id, status: 'declined' };
    }
    this.d.dir.addJointMember(id, me);
    // its own plan's items the lead proposed: the filed snapshot, else (its own consent) the live plan
    const ids = PendingItems.safeParse(JSON.parse(inv.plan_items));
    const months = Months.safeParse(JSON.parse(inv.months));
    const wanted = ids.success ? ids.data : [];
    let source = (await this.filedPlanItems(me, r.year)) ?? [];
    if (wanted.some((x) => !source.some((i) => i.id === x))) source = await this.d.rooms.read(rooms.plan(me, r.year), (doc) => readPlanItems(doc).items);
    const items = wanted.flatMap((x) => {
      const item = source.find((i) => i.id === x);
      return item ? [{ agencyId: me, item }] : [];
    });
    await this.d.rooms.change(rooms.joint(id), (doc) => {
      putJointMember(doc, { agencyId: me, name: this.agency(me)!.name }, 'server');
      this.copyItems(doc, items, months.success ? months.data : []);
    });
    this.d.log.info('joint invitation accepted', { id, agencyId: me, by: p.userId, items: items.length });
    return this.summary(r);
  }

  /** Suggestions of joint plans for a year: those concerning the caller's agency (supervisors: all). */
  async suggestions(p: Principal, year: number): Promise<(JointSuggestion & { existingJointIds: string[] })[]> {
    if (p.role !== 'agency' && p.role !== 'supervisor') throw errors.forbidden();
    const agencies = this.d.dir.enforcementAgencies();
    // filed plans only (the latest accepted filing's snapshot): another agency's draft is not to be read
    const plans: { agencyId: string; items: PlanItem[] }[] = [];
    for (const a of agencies) {
      const items = await this.filedPlanItems(a.id, year);
      if (items) plans.push({ agencyId: a.id, items });
    }
    const all = suggestJointPlans(plans, this.d.dir.enterpriseFacts(), { sampleSize: 5 });
    const mine = p.role === 'agency' ? all.filter((s) => s.agencies.includes(p.agencyId!)) : all;
    const joints = await this.list(p, year).catch(() => [] as JointSummary[]);
    return mine.map((s) => ({
      ...s,
      existingJointIds: joints.filter((j) => s.agencies.every((a) => j.memberAgencyIds.includes(a) || j.invitedAgencyIds.includes(a))).map((j) => j.id),
    }));
  }

  /**
   * Joint tasks: the lead picks enterprises (and a window, default the joint's); for each enterprise
   * every member with items gets a task carrying all members' items and inspectors, in its own tasks
   * room. The rules are checked per member and enterprise first: any block → 422 `task_rules`;
   * warnings not confirmed → 422 `confirm_required`; both with the problems in `details`.
   */
  async createTasks(
    p: Principal,
    id: string,
    body: JointTasksBody,
  ): Promise<{ created: { agencyId: string; room: string; taskIds: string[] }[]; existing: string[] }> {
    const me = this.requireAgencyAdmin(p);
    const r = await this.row(id);
    const members = this.members(id);
    if (!r || !members.includes(me))
      throw errors.notFound(t('没有这个联合检查计划，或你的部门不是其成员', 'No such joint plan, or your agency is not a member'));
    if (r.lead_agency_id !== me) throw new HttpError(403, 'not_lead', t('只有牵头部门可以生成联合检查任务', 'Only the lead agency generates joint tasks'));
    const view: JointView = await this.d.rooms.read(rooms.joint(id), (doc) => readJoint(doc));
    if (!view.meta) throw new HttpError(409, 'joint_empty', t('联合检查计划内容为空', 'The joint plan has no content'));
    const window = body.window ?? view.meta.window;
    if (!window) throw errors.badRequest('no_window', t('请先填写联合检查的时间段', "Set the joint plan's date window first"));
    const year = r.year;
    const team = jointTaskMembers(view).filter((m) => members.includes(m.agencyId) && m.itemIds.length > 0);
    if (!team.length) throw new HttpError(422, 'no_items', t('联合检查计划还没有检查事项', 'The joint plan has no items yet'));

    // the joint plan as it is now, hashed as filing does: a change since filing asks for re-filing (measure 6)
    let currentHash: string | undefined;
    try {
      currentHash = view.meta.filedHash
        ? await jointHash(
            view.meta,
            view.members.map((m) => m.agencyId).filter((m) => members.includes(m)),
            view.items,
          )
        : undefined;
    } catch {
      currentHash = undefined;
    }
    // the policy in force on the first day of the joint inspection's window
    const policy: PolicyConfig = (await this.d.rooms.read(rooms.config(), (doc) => policyOn(doc, window.from))) ?? defaultPolicy();
    const certs: Certificate[] = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
    const staff = new Map<string, { id: string; name: string; agencyId: string; certificateNumber?: string }>();
    for (const m of team)
      for (const x of this.d.dir.inspectors(m.agencyId) as { id: string; name: string; agencyId: string; certificateNumber?: string }[]) staff.set(x.id, x);
    const enterprises = body.usccs.map((u) => {
      const e = this.d.dir.enterprise(u) as { uscc: string; name: string; quietZone: boolean } | undefined;
      if (!e) throw errors.badRequest('unknown_enterprise', t(`未找到统一社会信用代码为 ${u} 的企业`, `No enterprise with USCC ${u}`));
      return e;
    });
    const ledgers = new Map<string, LedgerRecord[]>();
    for (const e of enterprises) ledgers.set(e.uscc, await this.d.rooms.read(rooms.ledger(e.uscc), (doc) => ledgerRecords(doc, { uscc: e.uscc }).items));
    const existingTasks = new Map<string, Task[]>();
    const caps = new Map<string, number>();
    for (const m of team) {
      existingTasks.set(m.agencyId, await this.d.rooms.read(rooms.tasks(m.agencyId, year), (doc) => readTasks(doc).items));
      const pm = await this.d.rooms.read(rooms.plan(m.agencyId, year), (doc) => readPlanMeta(doc).meta);
      caps.set(m.agencyId, pm?.capPerEnterprise ?? policy.capPerEnterpriseDefault);
    }

    // each member's task carries the catalogue version the joint plan was filed against
    const pinned = (await this.d.filings.latestFiled(rooms.joint(id)))?.catalogueVersions ?? {};
    const tasks = generateJointTasks({
      jointId: id,
      year,
      window,
      createdAt: this.d.clock.iso(),
      members: team,
      enterprises: enterprises.map((e) => ({ uscc: e.uscc, name: e.name })),
    }).map((task) => (pinned[task.agencyId] ? { ...task, catalogueVersion: pinned[task.agencyId] } : task));
    const problems: TaskProblem[] = [];
    let blocked = false;
    let toConfirm = false;
    for (const task of tasks) {
      const m = team.find((x) => x.agencyId === task.agencyId)!;
      const e = enterprises.find((x) => x.uscc === task.uscc)!;
      const foreign = m.inspectorIds.filter((i) => staff.get(i)?.agencyId !== m.agencyId);
      const check = checkTask({
        policy,
        agencyId: task.agencyId,
        task,
        enterprise: e,
        plan: { meta: jointPlanMeta(view.meta), currentHash, joint: true },
        months: view.items.filter((i) => i.agencyId === m.agencyId).flatMap((i) => i.months),
        team: m.inspectorIds.map((i) => ({
          inspectorId: i,
          name: staff.get(i)?.name,
          certificate: certs.find((c) => c.inspectorId === i && c.number === staff.get(i)?.certificateNumber) ?? certs.find((c) => c.inspectorId === i) ?? null,
        })),
        ledger: ledgers.get(e.uscc) ?? [],
        tasks: existingTasks.get(task.agencyId) ?? [],
        cap: caps.get(task.agencyId)!,
        exemptions: body.exemptions as Exemption[],
      });
      const verdicts = check.verdicts.filter((v) => v.verdict !== 'ok');
      if (foreign.length) {
        verdicts.push({
          verdict: 'block',
          code: 'team.foreign',
          message: t(
            `${foreign.join('、')}不是${this.agency(m.agencyId)?.name ?? m.agencyId}的执法人员`,
            `${foreign.join(', ')} are not inspectors of ${this.agency(m.agencyId)?.nameEn ?? m.agencyId}`,
          ),
          refs: foreign,
        });
        blocked = true;
      }
      if (check.blocking.length) blocked = true;
      if (check.toConfirm.length) toConfirm = true;
      if (verdicts.length) problems.push({ agencyId: task.agencyId, uscc: e.uscc, enterpriseName: e.name, verdicts });
    }
    if (blocked) {
      throw new HttpError(422, 'task_rules', t('部分任务违反规则，不能生成', 'Some tasks break a rule and cannot be generated'), {}, problems);
    }
    if (toConfirm && !body.confirm) {
      throw new HttpError(422, 'confirm_required', t('请确认以下提示后再生成任务', 'Confirm the warnings below before generating the tasks'), {}, problems);
    }

    if (this.d.signCheckCode) {
      for (const task of tasks) {
        const inspectors = task.inspectorIds
          .flatMap((i) => {
            const s = staff.get(i);
            return s?.certificateNumber ? [{ id: s.id, name: s.name.slice(0, 40), cert: s.certificateNumber }] : [];
          })
          .slice(0, 10);
        if (inspectors.length) task.checkCode = await this.d.signCheckCode(task, inspectors);
      }
    }
    const created: { agencyId: string; room: string; taskIds: string[] }[] = [];
    const existing: string[] = [];
    for (const m of team) {
      const mine = tasks.filter((x) => x.agencyId === m.agencyId);
      const room = rooms.tasks(m.agencyId, year);
      let res: { created: Task[]; existing: string[] } = { created: [], existing: [] };
      await this.d.rooms.change(room, (doc) => {
        res = addTasks(doc, mine, 'server');
      });
      created.push({ agencyId: m.agencyId, room, taskIds: res.created.map((x) => x.id) });
      existing.push(...res.existing);
    }
    this.d.log.info('joint tasks created', { id, by: p.userId, tasks: tasks.length });
    return { created, existing };
  }
}
