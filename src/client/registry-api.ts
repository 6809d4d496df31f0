/** The certificate registry's routes (server/registry/routes.ts) through the API agent, which owns the token. */
import { Certificate, type CertificateStatus } from '../domain/schemas';
import { CertificatePage, CleanupResult, CleanupView, type CleanupRequest, type IssueCertificateRequest } from '../protocol/registry';
import { agent as browserAgent, type Agent } from './agent';

export interface CertificateFilter {
  status?: CertificateStatus;
  agencyId?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

const path = (number: string, action: string) => `/api/certificates/${encodeURIComponent(number)}/${action}`;

export function createRegistryApi(agent: Agent) {
  return {
    list: (q: CertificateFilter = {}) => agent.call(CertificatePage, '/api/certificates', { query: { ...q }, auth: 'session' }),
    issue: (body: IssueCertificateRequest) => agent.call(Certificate, '/api/certificates', { method: 'POST', body, auth: 'session' }),
    renew: (number: string, expiresOn: string) => agent.call(Certificate, path(number, 'renew'), { method: 'POST', body: { expiresOn }, auth: 'session' }),
    suspend: (number: string, reason: string) => agent.call(Certificate, path(number, 'suspend'), { method: 'POST', body: { reason }, auth: 'session' }),
    reinstate: (number: string) => agent.call(Certificate, path(number, 'reinstate'), { method: 'POST', body: {}, auth: 'session' }),
    revoke: (number: string, reason: string) => agent.call(Certificate, path(number, 'revoke'), { method: 'POST', body: { reason }, auth: 'session' }),
    cleanup: (withinDays = 60) => agent.call(CleanupView, '/api/certificates/cleanup', { query: { withinDays }, auth: 'session' }),
    confirmCleanup: (body: CleanupRequest) => agent.call(CleanupResult, '/api/certificates/cleanup', { method: 'POST', body, auth: 'session' }),
  };
}

export const registryApi = createRegistryApi(browserAgent);
