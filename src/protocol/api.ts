/**
 * Every HTTP route of the server with its request, query and response schemas: the table the OpenAPI
 * document is generated from (server/http/openapi.ts), and that a test holds against the router's list of
 * registered routes (tests/integration/server/openapi.test.ts). Paths are written as the router writes
 * them (`/api/joints/:id`). zod only: no I/O.
 */
import { z } from 'zod';
import type { Operation } from './operation';
import { ADMIN_OPERATIONS } from './admin-operations';
import { ErrorBody, ValidationIssues } from './errors';
import { EmptyRequest, InstanceInfo, LoginRequest, LoginResult, LogoutResponse, PasswordChangeRequest, Principal, SessionResponse, SyncTicket } from './auth';
import { Directory, Enterprise, EnterprisePage, EnterpriseQuery, InspectorList, InspectorQuery } from './directory';
import { CheckCode, CheckCodeRequest, DeviceRegistered, EnterpriseCode, Jwks, RegisterDeviceRequest } from './codes';
import { CheckCodeDetails, CheckCodeDetailsRequest, HandbookQuery, Handbooks, QuarantinePage, QuarantineQuery } from './ledger';
import {
  FilingDecisionRequest,
  FilingFull,
  FilingList,
  FilingListQuery,
  FilingProblems,
  FilingSubmitted,
  FilingSummary,
  PublicPlans,
  PublicPlansQuery,
  PublishResult,
  RoomRequest,
  UnfiledList,
  UnfiledQuery,
} from './filings';
import {
  CreateJointRequest,
  InviteRequest,
  InviteResult,
  JointAccepted,
  JointDeclined,
  JointInvitationList,
  JointList,
  JointSuggestions,
  JointSuggestionsQuery,
  JointSummary,
  JointTasksRequest,
  JointTasksResult,
  JointYearQuery,
  TaskProblems,
} from './joints';
import { RatingQuery, RatingsByAgency, RatingSummary, WarningsQuery, WarningsResponse } from './warnings';

/** GET /healthz */
export const Health = z.object({ ok: z.literal(true) });

export type { Access, Operation } from './operation';

export const operations: readonly Operation[] = [
  // ---------- the process ----------
  { method: 'GET', path: '/healthz', summary: 'Liveness', access: 'public', responses: { 200: Health } },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics (404 when METRICS_TOKEN is unset)', access: 'metrics', responses: { 200: 'text' } },
  { method: 'GET', path: '/api/openapi.json', summary: 'This document', access: 'public', responses: { 200: z.record(z.string(), z.unknown()) } },

  // ---------- sign-in and sessions (server/auth/routes.ts) ----------
  {
    method: 'POST',
    path: '/api/login',
    summary: 'Sign in: a session (and the refresh cookie), or the password-change step of a one-time password',
    access: 'public',
    body: LoginRequest,
    responses: { 200: LoginResult },
    errors: { 401: { codes: ['bad_credentials'] }, 429: { codes: ['rate_limited'] } },
  },
  {
    method: 'POST',
    path: '/api/auth/refresh',
    summary: 'A new access token; the refresh cookie rotates',
    access: 'refresh',
    body: EmptyRequest,
    responses: { 200: SessionResponse },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    summary: "Sign out: the refresh cookie is deleted, the user's access tokens and sync sessions end",
    access: 'refresh',
    body: EmptyRequest,
    responses: { 200: LogoutResponse },
  },
  { method: 'GET', path: '/api/me', summary: 'Who is signed in', access: 'bearer', responses: { 200: Principal } },
  {
    method: 'POST',
    path: '/api/sync/ticket',
    summary: 'A single-use ticket to open one sync WebSocket',
    access: 'bearer',
    responses: { 200: SyncTicket },
    errors: { 429: { codes: ['rate_limited'] } },
  },
  {
    method: 'POST',
    path: '/api/password',
    summary: 'Change the password: a new session for this device; every other session ends',
    access: 'bearer',
    body: PasswordChangeRequest,
    responses: { 200: SessionResponse },
    errors: { 429: { codes: ['rate_limited'] } },
  },
  { method: 'GET', path: '/api/instance', summary: 'Demo or production; a demo lists its accounts', access: 'public', responses: { 200: InstanceInfo } },

  // ---------- directory ----------
  { method: 'GET', path: '/api/directory', summary: 'Divisions and agencies', access: 'public', responses: { 200: Directory } },
  {
    method: 'GET',
    path: '/api/enterprises',
    summary: 'A page of enterprises, filtered (agency, supervisor, inspector)',
    access: 'bearer',
    query: EnterpriseQuery,
    responses: { 200: EnterprisePage },
  },
  {
    method: 'GET',
    path: '/api/enterprises/:uscc',
    summary: 'One enterprise',
    access: 'bearer',
    responses: { 200: Enterprise },
    errors: { 404: { codes: ['not_found'] } },
  },
  {
    method: 'GET',
    path: '/api/inspectors',
    summary: 'The inspectors of an agency (or all)',
    access: 'bearer',
    query: InspectorQuery,
    responses: { 200: InspectorList },
  },

  // ---------- codes and device keys ----------
  { method: 'GET', path: '/api/keys', summary: "The platform's public keys (JWKS)", access: 'public', responses: { 200: Jwks } },
  { method: 'GET', path: '/api/enterprises/:uscc/code', summary: "The enterprise's signed code", access: 'bearer', responses: { 200: EnterpriseCode } },
  {
    method: 'POST',
    path: '/api/check-code',
    summary: "A task's check code (检查码), signed by the platform",
    access: 'bearer',
    body: CheckCodeRequest,
    responses: { 200: CheckCode },
    errors: { 422: { codes: ['task_not_found', 'bad_certificate'] } },
  },
  {
    method: 'POST',
    path: '/api/devices',
    summary: "Register this device's public key",
    access: 'bearer',
    body: RegisterDeviceRequest,
    responses: { 200: DeviceRegistered, 201: DeviceRegistered },
  },

  // ---------- ledger ----------
  {
    method: 'GET',
    path: '/api/quarantine',
    summary: 'Ledger records the relay refused (supervisors)',
    access: 'bearer',
    query: QuarantineQuery,
    responses: { 200: QuarantinePage },
  },
  {
    method: 'POST',
    path: '/api/check-code/details',
    summary: 'What a check code stands for',
    access: 'bearer',
    body: CheckCodeDetailsRequest,
    responses: { 200: CheckCodeDetails },
  },
  {
    method: 'GET',
    path: '/api/handbooks',
    summary: 'The chapters of 一业一册 for one industry',
    access: 'public',
    query: HandbookQuery,
    responses: { 200: Handbooks },
  },

  // ---------- joint plans ----------
  {
    method: 'GET',
    path: '/api/joints',
    summary: "The caller's agency's joint plans (supervisors: all)",
    access: 'bearer',
    query: JointYearQuery,
    responses: { 200: JointList },
  },
  {
    method: 'POST',
    path: '/api/joints',
    summary: "Create a joint plan; the caller's agency leads it",
    access: 'bearer',
    body: CreateJointRequest,
    responses: { 201: JointSummary },
  },
  {
    method: 'GET',
    path: '/api/joints/:id',
    summary: 'One joint plan',
    access: 'bearer',
    responses: { 200: JointSummary },
    errors: { 404: { codes: ['not_found'] } },
  },
  {
    method: 'POST',
    path: '/api/joints/:id/members',
    summary: 'The lead invites an agency',
    access: 'bearer',
    body: InviteRequest,
    responses: { 200: InviteResult },
  },
  { method: 'GET', path: '/api/joint-invitations', summary: "Invitations to the caller's agency", access: 'bearer', responses: { 200: JointInvitationList } },
  { method: 'POST', path: '/api/joints/:id/accept', summary: "The invited agency's admin accepts", access: 'bearer', responses: { 200: JointAccepted } },
  { method: 'POST', path: '/api/joints/:id/decline', summary: "The invited agency's admin declines", access: 'bearer', responses: { 200: JointDeclined } },
  {
    method: 'POST',
    path: '/api/joints/:id/tasks',
    summary: 'The lead generates the joint tasks',
    access: 'bearer',
    body: JointTasksRequest,
    responses: { 201: JointTasksResult },
    errors: { 422: { codes: ['task_rules', 'confirm_required'], details: TaskProblems } },
  },
  {
    method: 'GET',
    path: '/api/joint-suggestions',
    summary: "Suggested joint plans of a year concerning the caller's agency",
    access: 'bearer',
    query: JointSuggestionsQuery,
    responses: { 200: JointSuggestions },
  },

  // ---------- filing and publication ----------
  {
    method: 'POST',
    path: '/api/filings',
    summary: 'Submit a plan or joint plan for filing',
    access: 'bearer',
    body: RoomRequest,
    responses: { 201: FilingSubmitted },
    errors: { 409: { codes: ['already_submitted', 'unchanged'] }, 422: { codes: ['plan_invalid'], details: FilingProblems } },
  },
  {
    method: 'GET',
    path: '/api/filings',
    summary: 'Filings the caller may see, newest first',
    access: 'bearer',
    query: FilingListQuery,
    responses: { 200: FilingList },
  },
  {
    method: 'GET',
    path: '/api/filings/:id',
    summary: 'One filing with its snapshot',
    access: 'bearer',
    responses: { 200: FilingFull },
    errors: { 404: { codes: ['not_found'] } },
  },
  {
    method: 'POST',
    path: '/api/filings/:id/decision',
    summary: 'Accept or return a filing (supervisors)',
    access: 'bearer',
    body: FilingDecisionRequest,
    responses: { 200: FilingSummary },
    errors: { 409: { codes: ['already_decided', 'superseded'] } },
  },
  {
    method: 'POST',
    path: '/api/plans/publish',
    summary: 'Publish a filed plan, unchanged since filing',
    access: 'bearer',
    body: RoomRequest,
    responses: { 200: PublishResult },
    errors: { 409: { codes: ['not_filed', 'changed_since_filing'] } },
  },
  {
    method: 'GET',
    path: '/api/public/plans',
    summary: 'Published plans of a year',
    access: 'public',
    query: PublicPlansQuery,
    responses: { 200: PublicPlans },
  },
  {
    method: 'GET',
    path: '/api/supervision/unfiled',
    summary: 'Agencies with no accepted plan for the year (supervisors)',
    access: 'bearer',
    query: UnfiledQuery,
    responses: { 200: UnfiledList },
  },

  // ---------- warnings and ratings ----------
  {
    method: 'GET',
    path: '/api/ratings/summary',
    summary: "The enterprises' ratings of an agency's inspections, anonymised",
    access: 'bearer',
    query: RatingQuery,
    responses: { 200: RatingSummary },
  },
  {
    method: 'GET',
    path: '/api/ratings/by-agency',
    summary: "Every agency's ratings and complaints (supervisors)",
    access: 'bearer',
    query: RatingQuery,
    responses: { 200: RatingsByAgency },
  },
  {
    method: 'GET',
    path: '/api/warnings',
    summary: "A year's warnings (an agency: its own)",
    access: 'bearer',
    query: WarningsQuery,
    responses: { 200: WarningsResponse },
  },
  // ---------- running the city: accounts, imports, registry, catalogues, policy, audit ----------
  ...ADMIN_OPERATIONS,
];

/** the common errors every route may answer: a 400's details are the failed checks */
export const commonErrors: Record<number, { codes: string[]; details?: z.ZodType }> = {
  400: { codes: ['bad_request', 'bad_json'], details: ValidationIssues },
  401: { codes: ['unauthorized', 'token_expired'] },
  403: { codes: ['forbidden'] },
  405: { codes: ['method_not_allowed'] },
  413: { codes: ['too_large'] },
  415: { codes: ['unsupported_media_type'] },
};

export { ErrorBody };

/** the operation for a method and a router-style path, or undefined */
export const operationOf = (method: string, path: string): Operation | undefined => operations.find((o) => o.method === method && o.path === path);
