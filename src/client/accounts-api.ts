/**
 * Account administration and enterprise activation (server/accounts/routes.ts) through the API agent, which
 * owns the token. The bulk activation codes come back as a CSV file: fetched with the session's token and
 * handed to the browser as a download (a plain link could not carry the token).
 */
import {
  AccountCreated,
  AccountPage,
  ActivationIssued,
  StaffCreated,
  StaffList,
  StaffMember,
  UserSummary,
  type ActivateRequest,
  type BulkActivationRequest,
  type CreateStaffRequest,
  type CreateUserRequest,
  type RebindRequest,
} from '../protocol/accounts';
import { Agency, Division, type Role } from '../domain/schemas';
import type { CreateAgencyRequest, CreateDivisionRequest, UpdateAgencyRequest, UpdateDivisionRequest } from '../protocol/agencies';
import { Directory } from '../protocol/directory';
import { SessionResponse } from '../protocol/auth';
import { agent as browserAgent, type Agent } from './agent';
import { saveBlob } from './save-file';

/** GET /api/accounts: the filters and the page (src/protocol/accounts.ts AccountQuery) */
export interface AccountFilter {
  q?: string;
  role?: Role;
  agencyId?: string;
  disabled?: boolean;
  limit?: number;
  offset?: number;
}

const seg = encodeURIComponent;
const S = 'session' as const;

export function createAccountsApi(agent: Agent) {
  const { call } = agent;
  return {
    /** accounts, searched and paged on the server */
    list: (q: AccountFilter) =>
      call(AccountPage, '/api/accounts', { query: { ...q, disabled: q.disabled === undefined ? undefined : String(q.disabled) }, auth: S }),
    create: (body: CreateUserRequest) => call(AccountCreated, '/api/accounts', { body, auth: S }),
    disable: (userId: string) => call(UserSummary, `/api/accounts/${seg(userId)}/disable`, { body: {}, auth: S }),
    enable: (userId: string) => call(UserSummary, `/api/accounts/${seg(userId)}/enable`, { body: {}, auth: S }),
    reset: (userId: string) => call(AccountCreated, `/api/accounts/${seg(userId)}/reset`, { body: {}, auth: S }),
    rebind: (userId: string, body: RebindRequest) => call(UserSummary, `/api/accounts/${seg(userId)}/rebind`, { body, auth: S }),
    /** an agency's inspectors with their accounts (an agency admin: their own) */
    staff: (agencyId?: string) => call(StaffList, '/api/staff', { query: { agencyId }, auth: S }),
    createStaff: (body: CreateStaffRequest) => call(StaffCreated, '/api/staff', { body, auth: S }),
    setStaffActive: (inspectorId: string, active: boolean) => call(StaffMember, `/api/staff/${seg(inspectorId)}/active`, { body: { active }, auth: S }),
    /** a new activation code for one enterprise (supervisors) */
    issueActivation: (uscc: string) => call(ActivationIssued, '/api/activation-codes', { body: { uscc }, auth: S }),
    /** codes for many enterprises (supervisors), saved by the browser as a CSV for the letters */
    downloadActivationCsv: async (body: BulkActivationRequest): Promise<void> => {
      const { blob, filename } = await agent.download('/api/activation-codes/bulk', { body, auth: S });
      saveBlob(blob, filename ?? 'activation-codes.csv');
    },
    /** the enterprise's own account with its code: a session (public) */
    activate: (body: ActivateRequest) => call(SessionResponse, '/api/activate', { body }),
    // ---------- divisions and agencies (supervisors; server/agencies/) ----------
    /** the current divisions and agencies (public), fresh from the server */
    directory: () => call(Directory, '/api/directory'),
    createDivision: (body: CreateDivisionRequest) => call(Division, '/api/divisions', { body, auth: S }),
    updateDivision: (code: string, body: UpdateDivisionRequest) => call(Division, `/api/divisions/${seg(code)}`, { body, auth: S }),
    createAgency: (body: CreateAgencyRequest) => call(Agency, '/api/agencies', { body, auth: S }),
    updateAgency: (id: string, body: UpdateAgencyRequest) => call(Agency, `/api/agencies/${seg(id)}`, { body, auth: S }),
  };
}

export const accountsApi = createAccountsApi(browserAgent);
