/**
 * Asia/Shanghai calendar helpers. China has used UTC+8 all year since 1991 (no DST), so a fixed
 * +8 h offset is exact for every date this platform handles; no Intl or tz database is needed and
 * the results are identical in browsers and Node.
 *
 * Conventions: a *date* is a calendar day in Asia/Shanghai written `YYYY-MM-DD`; an *instant* is a
 * `Date` or an ISO 8601 date-time string with `Z` or an offset. Functions that take "a date or an
 * instant" accept a bare `YYYY-MM-DD` as that Shanghai day itself.
 */

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date or an instant: `YYYY-MM-DD` (a Shanghai day), an ISO date-time string, or a Date. */
export type DateLike = Date | string;

/** True for a real calendar date `YYYY-MM-DD` (rejects 2026-02-30, 2026-13-01 …). */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function assertDate(s: string): void {
  if (!isIsoDate(s)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(s)}`);
}

/** Parse an instant; throws on anything that is not a valid date-time. */
export function toInstant(x: Date | string): Date {
  const d = typeof x === 'string' ? new Date(x) : x;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid instant: ${String(x)}`);
  return d;
}

/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD`. A bare date is returned unchanged. */
export function shanghaiDate(x: DateLike): string {
  if (typeof x === 'string' && DATE_RE.test(x)) {
    assertDate(x);
    return x;
  }
  const ms = toInstant(x).getTime() + SHANGHAI_OFFSET_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

export function shanghaiYear(x: DateLike): number {
  return +shanghaiDate(x).slice(0, 4);
}

/** Month 1..12 in Asia/Shanghai. */
export function shanghaiMonth(x: DateLike): number {
  return +shanghaiDate(x).slice(5, 7);
}

/** `YYYY-MM` of an instant or date in Asia/Shanghai. */
export function shanghaiMonthKey(x: DateLike): string {
  return shanghaiDate(x).slice(0, 7);
}

/** `YYYY-MM` of a year and a month 1..12. */
export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** the month `n` months after `YYYY-MM` (`n` may be negative) */
export function addMonths(month: string, n: number): string {
  const i = monthIndex(month) + n;
  return monthKey(Math.floor(i / 12), (i % 12) + 1);
}

/** how many months from `from` to `to` (`YYYY-MM`), both included; 0 or less when `to` is before `from` */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from) + 1;
}

/** every month from `from` to `to` (`YYYY-MM`), both included */
export function monthsFromTo(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, monthsBetween(from, to)) }, (_, i) => addMonths(from, i));
}

/** Day of month 1..31 in Asia/Shanghai. */
export function dayOfMonth(x: DateLike): number {
  return +shanghaiDate(x).slice(8, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day number since 1970-01-01 of a calendar date (pure calendar arithmetic). */
function dayNumber(date: string): number {
  assertDate(date);
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
}

function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `n` calendar days (n may be negative). Accepts an instant, taking its Shanghai day. */
export function addDays(date: DateLike, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return fromDayNumber(dayNumber(shanghaiDate(date)) + n);
}

/**
 * The Shanghai day `n` working days (Monday to Friday) after `date` (n ≥ 0; 0 gives the day itself). Public
 * holidays and their make-up working days are not known to the platform: a deadline counted here can only
 * be earlier than the statutory one, never later.
 */
export function addWorkingDays(date: DateLike, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays: n must be a non-negative integer, got ${n}`);
  let d = dayNumber(shanghaiDate(date));
  for (let left = n; left > 0; ) {
    d += 1;
    const wd = new Date(d * DAY_MS).getUTCDay();
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return fromDayNumber(d);
}

/** −1, 0 or 1 comparing two Shanghai days. */
export function compareDates(a: DateLike, b: DateLike): -1 | 0 | 1 {
  const x = shanghaiDate(a),
    y = shanghaiDate(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whole calendar days from `a` to `b` in Asia/Shanghai (positive when b is later). */
export function daysBetween(a: DateLike, b: DateLike): number {
  return dayNumber(shanghaiDate(b)) - dayNumber(shanghaiDate(a));
}

/** Is the Shanghai day of `x` within `[from, to]` inclusive? */
export function inDateRange(x: DateLike, from: string, to: string): boolean {
  const d = shanghaiDate(x);
  return d >= shanghaiDate(from) && d <= shanghaiDate(to);
}

/** Do two inclusive date ranges share at least one day? */
export function rangesOverlap(a: { from: string; to: string }, b: { from: string; to: string }): boolean {
  return shanghaiDate(a.from) <= shanghaiDate(b.to) && shanghaiDate(b.from) <= shanghaiDate(a.to);
}

/** The instant at which a Shanghai day starts, as ISO with the +08:00 offset. */
export function shanghaiStartOfDay(date: string): string {
  assertDate(date);
  return `${date}T00:00:00+08:00`;
}

/** The current instant as ISO 8601 UTC, by the app's clock (`now()` below). */
export function nowIso(): string {
  return now().toISOString();
}

/** Instant comparison in milliseconds (a − b); accepts any DateLike (a bare date = start of that Shanghai day). */
export function instantMs(x: DateLike): number {
  if (typeof x === 'string' && DATE_RE.test(x)) return new Date(shanghaiStartOfDay(x)).getTime();
  return toInstant(x).getTime();
}

/** The Monday-to-Sunday week (Chinese convention) around a Shanghai day. */
export function weekOf(date: DateLike): { from: string; to: string } {
  const d = shanghaiDate(date);
  const dow = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return { from: addDays(d, -dow), to: addDays(d, 6 - dow) };
}

let offsetMs = 0;

/**
 * The app's clock: the one place the browser code reads the time (tests fix it with Playwright's
 * `page.clock`; the server has its own, server/clock.ts). It is the device's clock, moved by the offset of a
 * demo server whose clock CLOCK_NOW started at another day (src/client/server-clock.ts), 0 otherwise.
 */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Follow a demo server's clock: `ms` ahead of (or behind) the device's. */
export function setClockOffset(ms: number): void {
  offsetMs = Number.isFinite(ms) ? Math.round(ms) : 0;
}

/** Today in Asia/Shanghai by the app's clock. */
export function shanghaiToday(): string {
  return shanghaiDate(now());
}

/** This year in Asia/Shanghai by the app's clock. */
export function shanghaiThisYear(): number {
  return shanghaiYear(now());
}
