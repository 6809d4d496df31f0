/**
 * The demo's calendar: everything dated in the seed is placed relative to the instant it is built at
 * (the server's clock on first start), in Asia/Shanghai. Done work lies before now, assigned work from
 * today on, and nothing planned for a quiet-zone enterprise falls on a quiet day.
 */
import { DEFAULT_QUIET_DAYS } from '../../src/domain/policy-defaults';
import { addDays, daysBetween, daysInMonth, shanghaiDate, shanghaiYear, weekOf } from '../../src/domain/time';
import type { Prng } from '../../src/domain/prng';

const pad = (n: number) => String(n).padStart(2, '0');
const QUIET = new Set(DEFAULT_QUIET_DAYS);

export class SeedCalendar {
  readonly nowMs: number;
  readonly today: string;
  readonly year: number;
  readonly month: number;
  /** how much of this year has passed (0–1) */
  readonly yearElapsed: number;

  constructor(readonly now: Date) {
    this.nowMs = now.getTime();
    this.today = shanghaiDate(now);
    this.year = shanghaiYear(now);
    this.month = +this.today.slice(5, 7);
    this.yearElapsed = (daysBetween(`${this.year}-01-01`, this.today) + 1) / 365;
  }

  addDays(date: string, n: number): string {
    return addDays(date, n);
  }

  /** a planned on-site inspection of a quiet-zone enterprise is not allowed on this day (measure 10) */
  isQuiet(date: string): boolean {
    return QUIET.has(+date.slice(8, 10));
  }

  /**
   * `date` at hh:mm Shanghai time (ISO with +08:00). The seed dates nothing today but on 1 January (there
   * is no earlier day in the year), so it depends on the day only; that case is moved before now.
   */
  instant(date: string, hh: number, mm = 0): string {
    const at = `${date}T${pad(hh)}:${pad(mm)}:00+08:00`;
    if (Date.parse(at) < this.nowMs) return at;
    const start = Date.parse(`${date}T00:00:00+08:00`);
    const ms = Math.max(start, this.nowMs - 10 * 60_000);
    return new Date(ms).toISOString();
  }

  /** the days of this week (Monday to Sunday) that lie in this year */
  week(): string[] {
    const w = weekOf(this.today);
    const out: string[] = [];
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) if (+d.slice(0, 4) === this.year) out.push(d);
    return out;
  }

  /**
   * A day of `year`'s `month` in [from, to] that suits the enterprise (not a quiet day when `quiet`),
   * or undefined when there is none.
   */
  dayIn(r: Prng, year: number, month: number, range: { from: string; to: string }, quiet: boolean): string | undefined {
    const days: string[] = [];
    for (let d = 1; d <= daysInMonth(year, month); d++) {
      const date = `${year}-${pad(month)}-${pad(d)}`;
      if (date < range.from || date > range.to) continue;
      if (quiet && this.isQuiet(date)) continue;
      days.push(date);
    }
    return days.length ? r.pick(days) : undefined;
  }

  /** the most recent quiet day before today and not before `from` (today when there is none) */
  lastQuietDay(from: string): string {
    for (let d = addDays(this.today, -1); d >= from; d = addDays(d, -1)) if (this.isQuiet(d)) return d;
    return this.today;
  }
}
