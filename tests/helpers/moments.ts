/**
 * The moments date-bound suites run at (besides the real today): a quiet day, the day after the plan
 * filing due date, a year boundary. And the fixed moment the ordinary end-to-end suite runs at, so its
 * outcome never depends on the day it runs (server CLOCK_NOW and the browser's page.clock agree).
 */
export interface Moment {
  name: string;
  /** ISO 8601 with offset; undefined: the real now */
  at?: string;
}

export const MOMENTS: Moment[] = [
  { name: 'today' },
  { name: 'a quiet day (2027-03-10 09:30)', at: '2027-03-10T09:30:00+08:00' },
  { name: 'the day after the filing due date (2027-02-01 10:00)', at: '2027-02-01T10:00:00+08:00' },
  { name: 'a year boundary (2027-12-31 23:30)', at: '2027-12-31T23:30:00+08:00' },
];

/** The instant of a moment (the real now for `today`). */
export const momentDate = (m: Moment): Date => (m.at ? new Date(m.at) : new Date());

/** The ordinary end-to-end suite's fixed clock (a Wednesday in November: tasks today and this week, no quiet day). */
export const E2E_NOW = '2026-11-25T10:00:00+08:00';
