/** The audit trail's routes (server/audit/routes.ts) through the API agent, which owns the token. */
import { AuditPage, type AuditQuery } from '../protocol/audit';
import { agent as browserAgent, type Agent } from './agent';
import { saveBlob } from './save-file';

export type AuditFilter = Partial<Omit<AuditQuery, 'limit' | 'offset'>>;

export function createAuditApi(agent: Agent) {
  return {
    /** a page of entries, newest first (an agency admin: their agency's only) */
    list: (q: AuditFilter & { limit?: number; offset?: number }) => agent.call(AuditPage, '/api/audit', { query: q, auth: 'session' }),
    /** the same filters as a CSV file, saved by the browser */
    downloadCsv: async (q: AuditFilter): Promise<void> => {
      const { blob, filename } = await agent.download('/api/audit.csv', { query: q, auth: 'session' });
      saveBlob(blob, filename ?? 'audit.csv');
    },
  };
}

export const auditApi = createAuditApi(browserAgent);
