/** Route paths of the app, one place for every page's address. */
import type { Role } from '../domain/schemas';

export const paths = {
  login: '/login',
  inspector: '/inspector',
  agency: '/agency',
  agencyPlan: (year: number) => `/agency/plan/${year}`,
  plan: (agencyId: string, year: number) => `/plan/${agencyId}/${year}`,
  /** a joint plan's editor (members; supervisors read) */
  joint: (id: string) => `/agency/joint/${encodeURIComponent(id)}`,
  /** the agency's tasks of a year, and task generation from plan items and joint plans */
  agencyTasks: (year: number) => `/agency/tasks/${year}`,
  supervisor: '/supervisor',
  supervisorWarnings: '/supervisor/warnings',
  enterprise: '/enterprise',
  checkin: (taskId: string) => `/inspector/task/${encodeURIComponent(taskId)}`,
  /** the inspector starts a triggered inspection (complaint, referral, data monitoring, enterprise request) */
  triggered: '/inspector/triggered',
  publicCode: '/c',
  /** published annual plans (一公开), no sign-in */
  publicPlans: '/public/plans',
  /** change one's own password (every role) */
  password: '/account/password',
} as const;

export function homeOf(role: Role): string {
  switch (role) {
    case 'inspector':
      return paths.inspector;
    case 'agency':
      return paths.agency;
    case 'supervisor':
      return paths.supervisor;
    case 'enterprise':
      return paths.enterprise;
  }
}
