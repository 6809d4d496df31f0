/**
 * Joint plans and their tasks over HTTP (server/joints/service.ts does the work):
 *   GET  /api/joints?year=                    (agency: its joints; supervisor: all) → {items: JointSummary[]}
 *   POST /api/joints {title, year, memberAgencyIds, window?, targets?, planItems?, months?} (agency admin, becomes lead) → 201 JointSummary
 *   GET  /api/joints/:id                      (members, supervisors) → JointSummary
 *   POST /api/joints/:id/members {agencyId}   (lead) → {joint, added: false, invited}: an invitation; the
 *                                             agency becomes a member when its admin accepts
 *   GET  /api/joint-invitations               (agency admin) → {items: JointInvitation[]} to its agency
 *   POST /api/joints/:id/accept               (the invited agency's admin) → JointSummary (now a member)
 *   POST /api/joints/:id/decline              (the invited agency's admin) → {jointId, status: 'declined'}
 *   POST /api/joints/:id/tasks {usccs, window?, confirm?, exemptions?} (lead) → 201 {created, existing}
 *                                             (422 task_rules / confirm_required with details = problems)
 *   GET  /api/joint-suggestions?year=         (agency: those concerning it; supervisor: all) → {items}
 */
import { Id } from '../../src/domain/schemas';
import { parseQuery, readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import type { Joints } from './service';
import {
  CreateJointRequest,
  InviteRequest,
  JointSuggestionsQuery,
  JointTasksRequest,
  JointYearQuery,
  type InviteResult,
  type JointDeclined,
  type JointInvitationList,
  type JointList,
  type JointSuggestions,
  type JointSummary,
  type JointTasksResult,
} from '../../src/protocol/joints';
import { bearerOf } from '../auth/bearer';

export interface JointRouteDeps {
  joints: Joints;
  tokens: TokenService;
}

export function registerJointRoutes(router: Router, d: JointRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  const jointId = (ctx: Ctx): string => {
    const r = Id.safeParse(ctx.params.id);
    if (!r.success) throw errors.notFound({ zh: '没有这个联合检查计划', en: 'No such joint plan' });
    return r.data;
  };

  router.get('/api/joints', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, JointYearQuery);
    sendJson(ctx.res, 200, { items: await d.joints.list(p, q.year) } satisfies JointList);
  });

  router.post('/api/joints', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CreateJointRequest);
    sendJson(ctx.res, 201, (await d.joints.create(p, body)) satisfies JointSummary);
  });

  router.get('/api/joints/:id', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, (await d.joints.get(p, jointId(ctx))) satisfies JointSummary);
  });

  router.post('/api/joints/:id/members', async (ctx) => {
    const p = await bearer(ctx);
    const id = jointId(ctx);
    const body = await readJson(ctx.req, InviteRequest);
    sendJson(ctx.res, 200, (await d.joints.invite(p, id, body.agencyId)) satisfies InviteResult);
  });

  router.get('/api/joint-invitations', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, { items: await d.joints.invitations(p) } satisfies JointInvitationList);
  });

  router.post('/api/joints/:id/accept', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, (await d.joints.answer(p, jointId(ctx), true)) satisfies JointSummary | JointDeclined);
  });

  router.post('/api/joints/:id/decline', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, (await d.joints.answer(p, jointId(ctx), false)) satisfies JointSummary | JointDeclined);
  });

  router.post('/api/joints/:id/tasks', async (ctx) => {
    const p = await bearer(ctx);
    const id = jointId(ctx);
    const body = await readJson(ctx.req, JointTasksRequest);
    sendJson(ctx.res, 201, (await d.joints.createTasks(p, id, body)) satisfies JointTasksResult);
  });

  router.get('/api/joint-suggestions', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, JointSuggestionsQuery);
    sendJson(ctx.res, 200, { items: await d.joints.suggestions(p, q.year) } satisfies JointSuggestions);
  });
}
