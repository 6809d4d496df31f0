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
  /** the second inspector signs an entry on their own phone (join code on the first inspector's screen) */
  inspectorJoin: '/inspector/join',
  /** an agency's rectification follow-ups (整改复查) and the enterprises' reports */
  agencyFollowups: '/agency/followups',
  publicCode: '/c',
  /** published annual plans (一公开), no sign-in */
  publicPlans: '/public/plans',
  /** change one's own password (every role) */
  password: '/account/password',
  // ---------- running the city ----------
  /** accounts of every role (supervisors: the platform's administrators) */
  adminAccounts: '/admin/accounts',
  /** the enterprise directory: search, import from the register's export, activation codes */
  adminEnterprises: '/admin/enterprises',
  /** the certificate registry: issue, renew, suspend, revoke, import, yearly clean-up */
  adminCertificates: '/admin/certificates',
  /** the city's policy, with the date each change takes effect */
  adminPolicy: '/admin/policy',
  /** the audit trail (supervisors: all; agency admins: their agency's) */
  audit: '/admin/audit',
  /** an agency admin's inspectors and their accounts */
  agencyStaff: '/agency/staff',
  /** an agency's catalogue of inspection items, flexible-enforcement lists and handbooks, with versions */
  agencyCatalogue: '/agency/catalogue',
  /** an enterprise activates its account with the code on its letter (no sign-in) */
  activate: '/activate',
  /** published catalogues of every agency (no sign-in) */
  publicCatalogue: '/public/catalogue',
  /** the inspecting bodies (执法主体) and their inspectors (no sign-in) */
  publicBodies: '/public/bodies',
  /** the industries' handbooks (一业一册, no sign-in) */
  publicHandbooks: '/public/handbooks',
  // ---------- 双随机一公开 ----------
  /** an agency's draws: create from a sampling item, its coverage */
  agencyDraws: '/agency/draws',
  /** supervisors: every draw, the justice bureau's commitments and reveals, every agency's coverage */
  supervisorDraws: '/supervisor/draws',
  /** one draw for its parties and supervisors: statement, commit, reveal, picks, tasks, results */
  draw: (id: string) => `/draws/${encodeURIComponent(id)}`,
  /** every draw and its results (no sign-in) */
  publicDraws: '/public/draws',
  /** one draw, verified in the browser (no sign-in) */
  publicDraw: (id: string) => `/public/draws/${encodeURIComponent(id)}`,
  /** the draw algorithm's specification (no sign-in) */
  publicDrawSpec: '/public/draw-spec',
  // ---------- supervision statistics (measure 15) ----------
  /** statistics, charts and exports (supervisors: the city; an agency admin: its own) */
  stats: '/stats',
  /** the yearly report (年度行政检查工作报告), printable as A4 */
  statsReport: (year: number) => `/stats/report/${year}`,
  /** 一企一档: search an enterprise, then its whole file (supervisors) */
  enterpriseFiles: '/supervisor/file',
  enterpriseFile: (uscc: string) => `/supervisor/file/${encodeURIComponent(uscc)}`,
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
