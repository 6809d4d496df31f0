/**
 * The only module that speaks HTTP to the server. Every response body is validated with zod (a trust
 * boundary like any other); failures become an `ApiError` carrying the server's bilingual message
 * (`{error: {code, message: {zh, en}}}`), or a network error when the server cannot be reached.
 * Framework-free, so it runs in Node tests too (`createApi({base: 'http://127.0.0.1:…'})`).
 */
import { z } from 'zod';
import { Agency, Division, Enterprise, Exemption, HandbookChapter, InspectionKind, Inspector, Principal, Text, Verdict, Window, Warning, WarningHandling } from '../domain/schemas';
import { FilingFull, FilingList, FilingSubmitted, FilingSummary, PublishResult, PublicPlans, UnfiledList } from '../domain/filing';
import { InstanceInfo, LoginResult, SessionResponse, SyncTicket, type PasswordChangeRequest } from '../protocol/auth';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: Text, details: z.unknown().optional() }) });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    /** the server's `error.details` (e.g. the problems list of a 422), unvalidated: parse before use */
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${text.en}`);
    this.name = 'ApiError';
  }
  /** true when the server was not reached at all (offline, DNS, refused) */
  get network(): boolean { return this.status === 0; }
}

export const NETWORK_ERROR: Text = { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the connection and try again' };
const BAD_RESPONSE: Text = { zh: '服务器返回了无法识别的数据', en: 'The server sent a response the app does not understand' };

export const Jwks = z.object({ keys: z.array(z.object({ kty: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(), kid: z.string().optional() }).loose()) });
export type Jwks = z.infer<typeof Jwks>;
export const EnterpriseCode = z.object({ uscc: z.string(), token: z.string(), url: z.string(), qrText: z.string(), qrVersion: z.number().optional(), kid: z.string().optional() });
export type EnterpriseCode = z.infer<typeof EnterpriseCode>;

export const Directory = z.object({ divisions: z.array(Division), agencies: z.array(Agency) });
export type Directory = z.infer<typeof Directory>;

/** GET /api/warnings: a year's warnings (an agency gets its own only, handling without the notes) */
export const WarningItem = Warning.extend({ handling: WarningHandling.partial().extend({ status: WarningHandling.shape.status }).optional() });
export type WarningItem = z.infer<typeof WarningItem>;
export const WarningsResponse = z.object({ year: z.number().int(), items: z.array(WarningItem), counts: z.record(z.string(), z.number()) });
export type WarningsResponse = z.infer<typeof WarningsResponse>;

/** GET /api/ratings/summary: the enterprises' ratings of an agency's inspections, anonymised */
export const RatingSummary = z.object({
  agencyId: z.string(), year: z.number().int(), count: z.number().int(), enterprises: z.number().int(),
  distribution: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]).nullable(),
  average: z.number().nullable(), minCount: z.number().int(),
  /** an agency's own view only: the closed months shown (each with ≥ minCount rating enterprises), and the last closed month */
  months: z.array(z.object({ month: z.string(), count: z.number().int(), enterprises: z.number().int(), average: z.number() })).optional(),
  closedThrough: z.string().optional(),
});
export type RatingSummary = z.infer<typeof RatingSummary>;
export const RatingsByAgency = z.object({ year: z.number().int(), items: z.array(RatingSummary.omit({ minCount: true }).extend({ complaints: z.number().int() })) });
export type RatingsByAgency = z.infer<typeof RatingsByAgency>;

/** joint plans (server/joints.ts) */
export const JointSummary = z.object({
  id: z.string(), title: z.string(), year: z.number().int(), leadAgencyId: z.string(), memberAgencyIds: z.array(z.string()),
  status: z.string(), window: z.object({ from: z.string(), to: z.string() }).optional(),
});
export type JointSummary = z.infer<typeof JointSummary>;
export const JointSuggestionItem = z.object({
  agencies: z.array(z.string()), planItemIds: z.record(z.string(), z.array(z.string())), months: z.array(z.number().int()),
  enterpriseCount: z.number().int(), sampleUsccs: z.array(z.string()), existingJointIds: z.array(z.string()),
});
export type JointSuggestionItem = z.infer<typeof JointSuggestionItem>;
/** a 422's problems (joint tasks: per member agency and enterprise, the verdicts that are not ok) */
export const TaskProblems = z.array(z.object({ agencyId: z.string(), uscc: z.string(), enterpriseName: z.string(), verdicts: z.array(Verdict) }));
export type TaskProblems = z.infer<typeof TaskProblems>;
export const InspectorList = z.object({ items: z.array(Inspector) });
export const EnterprisePage = z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(Enterprise) });
export type EnterprisePage = z.infer<typeof EnterprisePage>;
export interface CreateJointRequest {
  title: string; year: number; memberAgencyIds: string[]; window?: { from: string; to: string };
  planItems?: { agencyId: string; planItemId: string }[]; months?: number[];
}

/** POST /api/check-code/details: what a check code (检查码) stands for, from the server's documents */
export const CheckCodeDetails = z.object({
  taskId: z.string(), uscc: z.string(), window: z.object({ from: z.string(), to: z.string() }), issuedAt: z.string(),
  agency: z.object({ id: z.string(), name: z.string(), nameEn: z.string() }),
  inspectors: z.array(z.object({ id: z.string().nullable(), name: z.string().nullable(), cert: z.string(), state: z.enum(['valid', 'expired', 'revoked', 'unknown']), expiresOn: z.string().nullable() })),
  task: z.object({
    found: z.boolean(), kind: InspectionKind.optional(), method: z.string().optional(), status: z.string().optional(),
    items: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string(), legalBasis: z.string() })),
  }),
  plan: z.object({ year: z.number().int(), status: z.string().nullable(), filed: z.boolean(), changedSinceFiling: z.boolean().nullable() }),
});
export type CheckCodeDetails = z.infer<typeof CheckCodeDetails>;
/** GET /api/handbooks?industry=: the chapters of 一业一册 for one industry */
export const Handbooks = z.object({ industry: z.string(), chapters: z.array(z.object({ agencyId: z.string(), chapter: HandbookChapter })) });
export type Handbooks = z.infer<typeof Handbooks>;

export interface ApiOptions {
  /** origin of the server; '' = same origin (the browser) */
  base?: string;
  /** Node tests pass a fetch that keeps cookies (the refresh token is an HttpOnly cookie) */
  fetch?: typeof fetch;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(o: ApiOptions = {}) {
  const base = (o.base ?? '').replace(/\/+$/, '');
  const f: typeof fetch = o.fetch ?? ((...a) => fetch(...a));

  async function call<S extends z.ZodType>(schema: S, path: string, init: RequestInit & { token?: string | null } = {}): Promise<z.output<S>> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let res: Response;
    try {
      // same-origin cookies only: the refresh cookie (HttpOnly, Path=/api/auth) goes nowhere else
      res = await f(base + path, { ...init, headers, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', NETWORK_ERROR);
    }
    let body: unknown = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      if (e.success) throw new ApiError(res.status, e.data.error.code, e.data.error.message, e.data.error.details);
      // a proxy or service worker answered for an unreachable server
      if (res.status >= 502 && res.status <= 504) throw new ApiError(0, 'network', NETWORK_ERROR);
      throw new ApiError(res.status, 'http_' + res.status, { zh: `服务器错误（${res.status}）`, en: `Server error (${res.status})` });
    }
    const r = schema.safeParse(body);
    if (!r.success) throw new ApiError(res.status, 'bad_response', BAD_RESPONSE);
    return r.data;
  }

  const post = (path: string, body: unknown, token?: string | null) => ({ method: 'POST', body: JSON.stringify(body), token });

  return {
    /** a session, or (a one-time password) the token of the one step it allows: POST /api/password */
    login: (username: string, password: string) => call(LoginResult, '/api/login', post('/api/login', { username, password })),
    /** set a new password (Bearer: the access token, or a password-change token): a new session for this device */
    changePassword: (body: PasswordChangeRequest, token: string) => call(SessionResponse, '/api/password', post('', body, token)),
    /** demo or production; a demo's accounts (public) */
    instance: () => call(InstanceInfo, '/api/instance'),
    /** a new access token for the refresh cookie (HttpOnly: the app never sees the refresh token), which rotates */
    refresh: () => call(SessionResponse, '/api/auth/refresh', post('', {})),
    /** sign out: the refresh cookie is deleted, the user's access tokens and sync sessions end */
    logout: (token?: string | null) => call(z.object({ ok: z.boolean() }), '/api/auth/logout', post('', {}, token)),
    /** a single-use ticket to open one sync WebSocket (`/sync/<room>?ticket=…`) */
    syncTicket: (token: string) => call(SyncTicket, '/api/sync/ticket', post('', {}, token)),
    me: (token: string) => call(Principal, '/api/me', { token }),
    directory: () => call(Directory, '/api/directory'),
    enterprise: (uscc: string, token: string) => call(Enterprise, `/api/enterprises/${encodeURIComponent(uscc)}`, { token }),
    /** the platform's public keys (JWKS), public */
    keys: () => call(Jwks, '/api/keys'),
    /** the enterprise's signed code (enterprise itself, agencies, inspectors, supervisors) */
    enterpriseCode: (uscc: string, token: string) => call(EnterpriseCode, `/api/enterprises/${encodeURIComponent(uscc)}/code`, { token }),
    /** register this device's public key; the server answers with its kid */
    registerDevice: (publicJwk: { kty: string; crv: string; x: string; y: string }, token: string) =>
      call(z.object({ kid: z.string() }), '/api/devices', post('/api/devices', { publicJwk }, token)),
    /** enterprises (agency, supervisor, inspector): a page of the directory, filtered */
    enterprises: (q: { q?: string; division?: string; industry?: string; limit?: number; offset?: number }, token: string) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') qs.set(k, String(v));
      return call(EnterprisePage, `/api/enterprises?${qs}`, { token });
    },
    /** the inspectors of an agency (or all) */
    inspectorsOf: (agencyId: string | undefined, token: string) =>
      call(InspectorList, `/api/inspectors${agencyId ? `?agencyId=${encodeURIComponent(agencyId)}` : ''}`, { token }),
    /** the joint plans of the caller's agency (supervisors: all), optionally of one year */
    joints: (year: number | undefined, token: string) =>
      call(z.object({ items: z.array(JointSummary) }), `/api/joints${year ? `?year=${year}` : ''}`, { token }),
    joint: (id: string, token: string) => call(JointSummary, `/api/joints/${encodeURIComponent(id)}`, { token }),
    /** create a joint plan; the caller's agency leads it */
    createJoint: (body: CreateJointRequest, token: string) => call(JointSummary, '/api/joints', post('/api/joints', body, token)),
    /** the lead invites a member agency */
    inviteJointMember: (id: string, agencyId: string, token: string) =>
      call(z.object({ joint: JointSummary, added: z.boolean() }), `/api/joints/${encodeURIComponent(id)}/members`, post('', { agencyId }, token)),
    /** the lead generates the joint tasks (422 task_rules / confirm_required: details = TaskProblems) */
    jointTasks: (id: string, body: { usccs: string[]; window?: Window; confirm?: boolean; exemptions?: Exemption[] }, token: string) =>
      call(z.object({ created: z.array(z.object({ agencyId: z.string(), room: z.string(), taskIds: z.array(z.string()) })), existing: z.array(z.string()) }),
        `/api/joints/${encodeURIComponent(id)}/tasks`, post('', body, token)),
    /** suggested joint plans of a year concerning the caller's agency */
    jointSuggestions: (year: number, token: string) =>
      call(z.object({ items: z.array(JointSuggestionItem) }), `/api/joint-suggestions?year=${year}`, { token }),
    /** a task's check code (检查码), signed by the platform */
    checkCode: (body: { taskId: string; agencyId: string; uscc: string; window: Window; inspectors: { id: string; name: string; cert: string }[] }, token: string) =>
      call(z.object({ token: z.string(), url: z.string() }), '/api/check-code', post('', body, token)),
    /** verify a check code with the server and see the inspection it stands for (the code's enterprise, agencies, supervisors) */
    checkCodeDetails: (code: string, token: string) => call(CheckCodeDetails, '/api/check-code/details', post('', { code }, token)),
    /** 一业一册 chapters for an industry (public) */
    handbooks: (industry: string) => call(Handbooks, `/api/handbooks?industry=${encodeURIComponent(industry)}`),
    // filing (备案, measure 6) and publication (一公开): server/api/filing-routes.ts
    /** submit a plan or joint plan for filing; 422 plan_invalid carries `details: {problems}` (FilingProblems) */
    submitFiling: (room: string, token: string) => call(FilingSubmitted, '/api/filings', post('', { room }, token)),
    filings: (q: { year?: number; status?: string; room?: string; agencyId?: string }, token: string) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') qs.set(k, String(v));
      return call(FilingList, `/api/filings?${qs}`, { token });
    },
    filing: (id: string, token: string) => call(FilingFull, `/api/filings/${encodeURIComponent(id)}`, { token }),
    decideFiling: (id: string, decision: 'accept' | 'return', reason: string, token: string) =>
      call(FilingSummary, `/api/filings/${encodeURIComponent(id)}/decision`, post('', { decision, reason }, token)),
    publishPlan: (room: string, token: string) => call(PublishResult, '/api/plans/publish', post('', { room }, token)),
    /** published plans of a year (no sign-in), searchable */
    publicPlans: (year: number, q = '') => call(PublicPlans, `/api/public/plans?year=${year}${q ? `&q=${encodeURIComponent(q)}` : ''}`),
    /** supervisors: agencies with no accepted plan for the year, and the due date */
    unfiled: (year: number, token: string) => call(UnfiledList, `/api/supervision/unfiled?year=${year}`, { token }),
    /** supervisors' warnings of a year (supervisors: all, optionally one agency's; an agency: its own) */
    warnings: (q: { year?: number; agencyId?: string }, token: string) => {
      const qs = new URLSearchParams();
      if (q.year !== undefined) qs.set('year', String(q.year));
      if (q.agencyId) qs.set('agencyId', q.agencyId);
      return call(WarningsResponse, `/api/warnings?${qs}`, { token });
    },
    /** anonymised rating aggregate (an agency: its own; supervisors: name the agency) */
    ratings: (q: { year: number; agencyId?: string }, token: string) =>
      call(RatingSummary, `/api/ratings/summary?year=${q.year}${q.agencyId ? `&agencyId=${encodeURIComponent(q.agencyId)}` : ''}`, { token }),
    /** supervisors: every agency's ratings and complaints in a year */
    ratingsByAgency: (year: number, token: string) => call(RatingsByAgency, `/api/ratings/by-agency?year=${year}`, { token }),
  };
}

/** The browser's API client (same origin). */
export const api = createApi();
