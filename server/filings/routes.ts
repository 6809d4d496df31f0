/**
 * Plan filing (备案, measure 6), decisions, publication (一公开) and the supervisors' list of unfiled plans.
 * These routes parse the requests and call server/filings/service.ts, which holds the workflow.
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
 * (The last three keep their URLs, which clients already use; they belong to the filing workflow.)
 */
import type { z } from 'zod';
import {
  FilingDecisionRequest,
  type FilingFull,
  type FilingList,
  FilingListQuery,
  type FilingSubmitted,
  type FilingSummary,
  type PublicPlans,
  PublicPlansQuery,
  type PublishResult,
  RoomRequest,
  type UnfiledList,
  UnfiledQuery,
} from '../../src/protocol/filings';
import { parseQuery, readJson, sendJson, type Router } from '../http/router';
import type { TokenService } from '../auth/tokens';
import { bearerOf } from '../auth/bearer';
import type { FilingService } from './service';
import { requireSupervisor } from '../auth/rights';

export interface FilingRouteDeps {
  tokens: TokenService;
  filings: FilingService;
}

export function registerFilingRoutes(router: Router, d: FilingRouteDeps): void {
  const principal = bearerOf(d.tokens);
  const s = d.filings;

  router.post('/api/filings', async (ctx) => {
    const p = await principal(ctx);
    const body = await readJson(ctx.req, RoomRequest);
    sendJson(ctx.res, 201, (await s.submit(p, body.room)) satisfies z.output<typeof FilingSubmitted>);
  });

  router.get('/api/filings', async (ctx) => {
    const p = await principal(ctx);
    const q = parseQuery(ctx.url, FilingListQuery);
    sendJson(ctx.res, 200, { items: await s.list(p, q) } satisfies z.output<typeof FilingList>);
  });

  router.get('/api/filings/:id', async (ctx) => {
    const p = await principal(ctx);
    sendJson(ctx.res, 200, (await s.get(p, ctx.params.id)) satisfies z.output<typeof FilingFull>);
  });

  router.post('/api/filings/:id/decision', async (ctx) => {
    const p = await principal(ctx);
    requireSupervisor(p);
    const body = await readJson(ctx.req, FilingDecisionRequest);
    sendJson(ctx.res, 200, (await s.decide(p, ctx.params.id, body)) satisfies z.output<typeof FilingSummary>);
  });

  router.post('/api/plans/publish', async (ctx) => {
    const p = await principal(ctx);
    const body = await readJson(ctx.req, RoomRequest);
    sendJson(ctx.res, 200, (await s.publish(p, body.room)) satisfies z.output<typeof PublishResult>);
  });

  router.get('/api/public/plans', async (ctx) => {
    const q = parseQuery(ctx.url, PublicPlansQuery);
    sendJson(ctx.res, 200, (await s.publicPlans(q)) satisfies z.output<typeof PublicPlans>, { 'Cache-Control': 'no-cache' });
  });

  router.get('/api/supervision/unfiled', async (ctx) => {
    const p = await principal(ctx);
    requireSupervisor(p);
    const q = parseQuery(ctx.url, UnfiledQuery);
    sendJson(ctx.res, 200, (await s.unfiled(p, q)) satisfies z.output<typeof UnfiledList>);
  });
}
