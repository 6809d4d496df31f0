/** Route paths of the app (issue 4's scanner pages and issue 5's filing pages go under these). */
import type { Role } from '../domain/schemas';

export const paths = {
  login: '/login',
  inspector: '/inspector',
  agency: '/agency',
  agencyPlan: (year: number) => `/agency/plan/${year}`,
  plan: (agencyId: string, year: number) => `/plan/${agencyId}/${year}`,
  supervisor: '/supervisor',
  enterprise: '/enterprise',
  checkin: (taskId: string) => `/inspector/task/${encodeURIComponent(taskId)}`,
  publicCode: '/c',
} as const;

export function homeOf(role: Role): string {
  switch (role) {
    case 'inspector': return paths.inspector;
    case 'agency': return paths.agency;
    case 'supervisor': return paths.supervisor;
    case 'enterprise': return paths.enterprise;
  }
}
