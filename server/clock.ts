/**
 * The server's one clock. Everything date-bound reads it: "today" for tasks and quiet days, the year of
 * plans and warnings, filing due dates, certificate expiry, and every business timestamp the server writes
 * (filings, publications, warnings, joint plans, accounts). `CLOCK_NOW=<ISO 8601 with offset>` starts it at
 * that instant for demos and tests; from there it runs at the real pace, so a demo seeded at 23:30 on
 * 31 December crosses into the new year half an hour later, as a real server would.
 *
 * What does not read it, on purpose: security and operations durations (token and refresh-token expiry,
 * sign-in rate limits, idle eviction, journal timestamps, log lines). Those measure real elapsed time, and
 * a demo clock must not make a token live for a year or a lock-out end early.
 */
import { shanghaiDate, shanghaiYear } from '../src/domain/time';

export interface Clock {
  /** the current instant */
  now(): Date;
  /** the current instant in ms since the epoch */
  ms(): number;
  /** the current instant, ISO 8601 UTC */
  iso(): string;
  /** today in Asia/Shanghai, YYYY-MM-DD */
  today(): string;
  /** this year in Asia/Shanghai */
  year(): number;
  /** the instant CLOCK_NOW started the clock at (ISO), when it did */
  readonly startedAt?: string;
}

/** A clock that reads `ms()`; the calendar helpers follow from it. */
export function clockOf(ms: () => number, startedAt?: string): Clock {
  return {
    ms,
    now: () => new Date(ms()),
    iso: () => new Date(ms()).toISOString(),
    today: () => shanghaiDate(new Date(ms())),
    year: () => shanghaiYear(new Date(ms())),
    ...(startedAt ? { startedAt } : {}),
  };
}

/** The system clock. */
export const systemClock: Clock = clockOf(() => Date.now());

/** ISO 8601 date-time with a `Z` or `±hh:mm` offset (a bare local time would depend on the machine's zone). */
export const CLOCK_NOW_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A clock that starts at `start` (CLOCK_NOW) and runs at the real pace; the system clock without it.
 * `realMs` is the real time source (tests may pass their own).
 */
export function startClock(start: string | undefined, realMs: () => number = () => Date.now()): Clock {
  if (!start) return systemClock;
  const at = Date.parse(start);
  if (!CLOCK_NOW_RE.test(start) || Number.isNaN(at))
    throw new RangeError(`CLOCK_NOW must be ISO 8601 with an offset, e.g. 2027-03-10T09:30:00+08:00; got ${JSON.stringify(start)}`);
  const offset = at - realMs();
  return clockOf(() => realMs() + offset, new Date(at).toISOString());
}

/** A clock that stands still at `at` (unit tests). */
export function fixedClock(at: string | Date): Clock {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`fixedClock: not an instant: ${String(at)}`);
  return clockOf(() => ms, new Date(ms).toISOString());
}
