/**
 * Joint plans and their tasks over HTTP (server/joints.ts does the work):
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
import { z } from 'zod';
import { Id } from '../../src/domain/schemas';
import { parseQuery, readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import type { TokenService } from '../auth/tokens';
import { CreateJointBody, InviteBody, JointTasksBody, type Joints } from './service';
import { bearerOf } from '../auth/bearer';

export interface JointRouteDeps {
  joints: Joints;
  tokens: TokenService;
}

const YearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const YearRequired = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export function registerJointRoutes(router: Router, d: JointRouteDeps): void {
  const bearer = bearerOf(d.tokens);
  const jointId = (ctx: Ctx): string => {
    const r = Id.safeParse(ctx.params.id);
    if (!r.success) throw errors.notFound({ zh: '没有这个联合检查计划', en: 'No such joint plan' });
    return r.data;
  };

  router.get('/api/joints', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, YearQuery);
    sendJson(ctx.res, 200, { items: await d.joints.list(p, q.year) });
  });

  router.post('/api/joints', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CreateJointBody);
    sendJson(ctx.res, 201, await d.joints.create(p, body));
  });

  router.get('/api/joints/:id', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, await d.joints.get(p, jointId(ctx)));
  });

  router.post('/api/joints/:id/members', async (ctx) => {
    const p = await bearer(ctx);
    const id = jointId(ctx);
    const body = await readJson(ctx.req, InviteBody);
    sendJson(ctx.res, 200, await d.joints.invite(p, id, body.agencyId));
  });

  router.get('/api/joint-invitations', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, { items: await d.joints.invitations(p) });
  });

  router.post('/api/joints/:id/accept', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, await d.joints.answer(p, jointId(ctx), true));
  });

  router.post('/api/joints/:id/decline', async (ctx) => {
    const p = await bearer(ctx);
    sendJson(ctx.res, 200, await d.joints.answer(p, jointId(ctx), false));
  });

  router.post('/api/joints/:id/tasks', async (ctx) => {
    const p = await bearer(ctx);
    const id = jointId(ctx);
    const body = await readJson(ctx.req, JointTasksBody);
    sendJson(ctx.res, 201, await d.joints.createTasks(p, id, body));
  });

  router.get('/api/joint-suggestions', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, YearRequired);
    sendJson(ctx.res, 200, { items: await d.joints.suggestions(p, q.year) });
  });
}
