/**
 * Every route of the server as a typed function, through the API agent (agent.ts): a signed-in route
 * carries the session's token and is retried once after a refresh; its answer is parsed with its schema
 * from src/protocol. Pages never pass a token. Signed-in pages import this module; the sign-in page needs
 * only agent.ts.
 */
import type { Exemption, Window } from '../domain/schemas';
import { Principal } from '../protocol/auth';
import { Directory, Enterprise, EnterprisePage, InspectorList } from '../protocol/directory';
import { CheckCode, DeviceRegistered, EnterpriseCode, Jwks } from '../protocol/codes';
import { CheckCodeDetails, Handbooks } from '../protocol/ledger';
import { FilingFull, FilingList, FilingSubmitted, FilingSummary, PublicPlans, PublishResult, UnfiledList } from '../protocol/filings';
import {
  JointAccepted,
  JointDeclined,
  JointInvitationList,
  JointList,
  JointSuggestions,
  JointSummary,
  JointTasksResult,
  InviteResult,
  type CreateJointRequest,
} from '../protocol/joints';
import { RatingsByAgency, RatingSummary, WarningsResponse } from '../protocol/warnings';
import { agent as browserAgent, createAgent, createAuthApi, type Agent, type ApiOptions } from './agent';

export { ApiError, NETWORK_ERROR } from './agent';

const seg = encodeURIComponent;
const S = 'session' as const;

export type Api = ReturnType<typeof createApi>;

/** the routes over an agent (Node tests: `createApi({base, fetch})` makes one) */
export function createApi(o: Agent | ApiOptions = {}) {
  const agent = 'call' in o ? o : createAgent(o);
  const { call } = agent;
  return {
    ...createAuthApi(agent),
    me: () => call(Principal, '/api/me', { auth: S }),
    // ---------- directory ----------
    directory: () => call(Directory, '/api/directory'),
    enterprise: (uscc: string) => call(Enterprise, `/api/enterprises/${seg(uscc)}`, { auth: S }),
    /** enterprises (agency, supervisor, inspector): a page of the directory, filtered */
    enterprises: (q: { q?: string; division?: string; industry?: string; limit?: number; offset?: number }) =>
      call(EnterprisePage, '/api/enterprises', { query: q, auth: S }),
    /** the inspectors of an agency (or all) */
    inspectorsOf: (agencyId?: string) => call(InspectorList, '/api/inspectors', { query: { agencyId }, auth: S }),
    // ---------- codes and device keys ----------
    /** the platform's public keys (JWKS), public */
    keys: () => call(Jwks, '/api/keys'),
    /** the enterprise's signed code (enterprise itself, agencies, inspectors, supervisors) */
    enterpriseCode: (uscc: string) => call(EnterpriseCode, `/api/enterprises/${seg(uscc)}/code`, { auth: S }),
    /** register this device's public key; the server answers with its kid */
    registerDevice: (publicJwk: { kty: string; crv: string; x: string; y: string }) => call(DeviceRegistered, '/api/devices', { body: { publicJwk }, auth: S }),
    /** a task's check code (检查码), signed by the platform */
    checkCode: (body: { taskId: string; agencyId: string; uscc: string; window: Window; inspectors: { id: string; name: string; cert: string }[] }) =>
      call(CheckCode, '/api/check-code', { body, auth: S }),
    /** verify a check code with the server and see the inspection it stands for (the code's enterprise, agencies, supervisors) */
    checkCodeDetails: (code: string) => call(CheckCodeDetails, '/api/check-code/details', { body: { code }, auth: S }),
    /** 一业一册 chapters for an industry (public) */
    handbooks: (industry: string) => call(Handbooks, '/api/handbooks', { query: { industry } }),
    // ---------- joint plans (server/joints/) ----------
    /** the joint plans of the caller's agency (supervisors: all), optionally of one year */
    joints: (year?: number) => call(JointList, '/api/joints', { query: { year }, auth: S }),
    joint: (id: string) => call(JointSummary, `/api/joints/${seg(id)}`, { auth: S }),
    /** create a joint plan; the caller's agency leads it */
    createJoint: (body: CreateJointRequest) => call(JointSummary, '/api/joints', { body, auth: S }),
    /** the lead invites a member agency (it joins when its admin accepts) */
    inviteJointMember: (id: string, agencyId: string) => call(InviteResult, `/api/joints/${seg(id)}/members`, { body: { agencyId }, auth: S }),
    /** invitations to the caller's agency */
    jointInvitations: () => call(JointInvitationList, '/api/joint-invitations', { auth: S }),
    /** the invited agency's admin accepts or declines */
    acceptJoint: (id: string) => call(JointAccepted, `/api/joints/${seg(id)}/accept`, { method: 'POST', auth: S }),
    declineJoint: (id: string) => call(JointDeclined, `/api/joints/${seg(id)}/decline`, { method: 'POST', auth: S }),
    /** the lead generates the joint tasks (422 task_rules / confirm_required: details = TaskProblems) */
    jointTasks: (id: string, body: { usccs: string[]; window?: Window; confirm?: boolean; exemptions?: Exemption[] }) =>
      call(JointTasksResult, `/api/joints/${seg(id)}/tasks`, { body, auth: S }),
    /** suggested joint plans of a year concerning the caller's agency */
    jointSuggestions: (year: number) => call(JointSuggestions, '/api/joint-suggestions', { query: { year }, auth: S }),
    // ---------- filing (备案, measure 6) and publication (一公开): server/filings/ ----------
    /** submit a plan or joint plan for filing; 422 plan_invalid carries `details: {problems}` (FilingProblems) */
    submitFiling: (room: string) => call(FilingSubmitted, '/api/filings', { body: { room }, auth: S }),
    filings: (q: { year?: number; status?: string; room?: string; agencyId?: string }) => call(FilingList, '/api/filings', { query: q, auth: S }),
    filing: (id: string) => call(FilingFull, `/api/filings/${seg(id)}`, { auth: S }),
    decideFiling: (id: string, decision: 'accept' | 'return', reason: string) =>
      call(FilingSummary, `/api/filings/${seg(id)}/decision`, { body: { decision, reason }, auth: S }),
    publishPlan: (room: string) => call(PublishResult, '/api/plans/publish', { body: { room }, auth: S }),
    /** published plans of a year (no sign-in), searchable */
    publicPlans: (year: number, q = '') => call(PublicPlans, '/api/public/plans', { query: { year, q } }),
    /** supervisors: agencies with no accepted plan for the year, and the due date */
    unfiled: (year: number) => call(UnfiledList, '/api/supervision/unfiled', { query: { year }, auth: S }),
    // ---------- warnings and ratings (server/projection/) ----------
    /** supervisors' warnings of a year (supervisors: all, optionally one agency's; an agency: its own) */
    warnings: (q: { year?: number; agencyId?: string }) => call(WarningsResponse, '/api/warnings', { query: q, auth: S }),
    /** anonymised rating aggregate (an agency: its own; supervisors: name the agency) */
    ratings: (q: { year: number; agencyId?: string }) => call(RatingSummary, '/api/ratings/summary', { query: q, auth: S }),
    /** supervisors: every agency's ratings and complaints in a year */
    ratingsByAgency: (year: number) => call(RatingsByAgency, '/api/ratings/by-agency', { query: { year }, auth: S }),
  };
}

/** The browser's API (same origin), over the agent that carries the session's token. */
export const api = createApi(browserAgent);
