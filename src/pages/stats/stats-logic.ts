/**
 * The statistics page's small pure rules: the filters and the address bar (so a view can be shared and the
 * back button walks through filter changes), the query sent to the server, and number formatting.
 * No DOM, no I/O: tested in tests/unit/pages/stats-logic.test.ts.
 */
import type { StatsQuery } from '../../protocol/stats';
import { monthKey } from '../../domain/time';

export interface StatsFilters {
  year: number;
  /** months 1–12 of `year`, from ≤ to */
  from: number;
  to: number;
  /** '' = every agency (supervisors; an agency's own is forced by the server) */
  agencyId: string;
  /** '' = every division; else a county-level code (6 digits) */
  division: string;
  /** '' = every industry */
  industry: string;
}

/** the years the year select offers: this year and the four before it */
export const yearsOffered = (thisYear: number) => [0, 1, 2, 3, 4].map((i) => thisYear - i);

export { monthKey };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The filters an address's query names, every bad or missing part replaced by its default (the whole of this
 * year, everything else "all"). `from`/`to` are 'YYYY-MM' of the chosen year (another year's month is ignored).
 */
export function filtersFromSearch(sp: Record<string, string | string[] | undefined>, thisYear: number): StatsFilters {
  const one = (k: string) => {
    const v = sp[k];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const y = Number(one('year'));
  const year = Number.isInteger(y) && y >= thisYear - 4 && y <= thisYear ? y : thisYear;
  const month = (k: string, dflt: number) => {
    const m = MONTH_RE.exec(one(k));
    return m && Number(m[1]) === year ? Number(m[2]) : dflt;
  };
  let from = month('from', 1);
  let to = month('to', 12);
  if (from > to) [from, to] = [to, from];
  const agencyId = ID_RE.test(one('agency')) ? one('agency') : '';
  const division = /^\d{6}$/.test(one('division')) ? one('division') : '';
  const industry = /^[a-z_]{1,40}$/.test(one('industry')) ? one('industry') : '';
  return { year, from, to, agencyId, division, industry };
}

/** the address's query of some filters: defaults left out (undefined removes a parameter) */
export function searchOf(f: StatsFilters, thisYear: number): Record<string, string | undefined> {
  return {
    year: f.year === thisYear ? undefined : String(f.year),
    from: f.from === 1 ? undefined : monthKey(f.year, f.from),
    to: f.to === 12 ? undefined : monthKey(f.year, f.to),
    agency: f.agencyId || undefined,
    division: f.division || undefined,
    industry: f.industry || undefined,
  };
}

/** a change of one filter, keeping the month range valid (from ≤ to) */
export function withChange(f: StatsFilters, change: Partial<StatsFilters>): StatsFilters {
  const n = { ...f, ...change };
  if (change.from !== undefined && n.from > n.to) n.to = n.from;
  if (change.to !== undefined && n.to < n.from) n.from = n.to;
  return n;
}

/** what the server is asked: the month range, and only the filters set; an agency never names an agency */
export function queryOf(f: StatsFilters, canPickAgency: boolean): StatsQuery {
  const q: StatsQuery = { from: monthKey(f.year, f.from), to: monthKey(f.year, f.to) };
  if (canPickAgency && f.agencyId) q.agencyId = f.agencyId;
  if (f.division) q.division = f.division;
  if (f.industry) q.industry = f.industry;
  return q;
}

/** the range in a file name: 2026-01-2026-12 */
export const rangeOf = (f: Pick<StatsFilters, 'year' | 'from' | 'to'>) => ({ from: monthKey(f.year, f.from), to: monthKey(f.year, f.to) });

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 12345 → "12,345" (the same separators in Chinese and English) */
export const fmtInt = (n: number) => intFmt.format(n);
/** 3.25 → "3.3" */
export const fmtDec = (n: number) => decFmt.format(n);
/** a share 0–1 as "12.3%"; null or a zero base: "—" */
export function fmtPct(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${decFmt.format(share * 100)}%`;
}
/** part / whole, or null when the whole is 0 */
export const shareOf = (part: number, whole: number) => (whole > 0 ? part / whole : null);
/** a share as a percentage number with two decimals (12.35), for exports; null stays null */
export const pctNumber = (share: number | null) => (share === null ? null : Math.round(share * 10000) / 100);

/** an instant as Shanghai wall time 'YYYY-MM-DD HH:mm' (exports: dates as text) */
export function shanghaiMinute(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

/** the buckets of the per-enterprise distribution as labels: "1", "2", … "≥4" */
export const timesLabel = (b: { times: number; atLeast: boolean }) => (b.atLeast ? `≥${b.times}` : String(b.times));

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** a month 1–12 by name: 3月 / Mar */
export const monthName = (m: number, lang: 'zh' | 'en') => (lang === 'en' ? EN_MONTHS[m - 1] : `${m}月`);

/** a label cut to about `max` columns (a Chinese character counts two), with an ellipsis */
export function clip(label: string, max: number): string {
  let w = 0;
  let out = '';
  for (const ch of label) {
    w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
    if (w > max) return `${out}…`;
    out += ch;
  }
  return label;
}
