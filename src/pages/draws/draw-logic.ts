/**
 * Pure helpers of the draw pages: the form's defaults (window, ratios), percent ↔ basis points, who a party
 * is, and which party still has to act. No I/O, no DOM: tested in tests/unit/pages/draws-logic.test.ts.
 */
import type { ClassRatios, Draw, DrawStatus } from '../../domain/schemas';
import { addDays, daysInMonth } from '../../domain/time';

export const CLASSES = ['A', 'B', 'C', 'D'] as const;
export type Cls = (typeof CLASSES)[number];

const pad = (n: number) => String(n).padStart(2, '0');
const monthStart = (y: number, m: number) => `${y}-${pad(m)}-01`;
const monthEnd = (y: number, m: number) => `${y}-${pad(m)}-${pad(daysInMonth(y, m))}`;
/** the later of two ISO dates */
export const laterDate = (a: string, b: string) => [a, b].sort()[1];

/**
 * The default inspection dates: from tomorrow (or the first day of the item's next month) to the end of that
 * month, inside the item's months of `year`. When every month is over, the last month (the server says why
 * it cannot be drawn).
 */
export function defaultWindow(today: string, year: number, months: readonly number[]): { from: string; to: string } {
  const tomorrow = addDays(today, 1);
  const ms = [...new Set(months)].sort((a, b) => a - b);
  for (const m of ms) {
    if (monthEnd(year, m) < tomorrow) continue;
    const start = monthStart(year, m);
    return { from: laterDate(start, tomorrow), to: monthEnd(year, m) };
  }
  const last = ms[ms.length - 1] ?? 12;
  return { from: monthStart(year, last), to: monthEnd(year, last) };
}

/**
 * The default ratios: the policy's per-class ratios scaled so that class B is the item's sampling ratio
 * (A = B × policyA / policyB, …), each capped at 100%. Without a sampling ratio, or when the policy's B is
 * 0, the policy's own.
 */
export function defaultRatios(policy: ClassRatios, samplingRatio: number | undefined): ClassRatios {
  if (samplingRatio === undefined || policy.B <= 0) return { ...policy };
  const b = Math.round(samplingRatio * 10000);
  const out = {} as ClassRatios;
  for (const c of CLASSES) out[c] = Math.min(10000, Math.max(0, Math.round((b * policy[c]) / policy.B)));
  return out;
}

/** basis points as a percent for an input ("5", "12.5", "0.25") */
export const bpToPercent = (bp: number) => String(Math.round(bp) / 100);

/** a percent typed by a user as basis points, or null when it is not a number 0..100 */
export function percentToBp(s: string): number | null {
  const x = Number(s.trim().replace('％', '').replace('%', ''));
  if (!s.trim() || !Number.isFinite(x) || x < 0 || x > 100) return null;
  return Math.round(x * 100);
}

/** `agency:<id>` → {kind:'agency', id}; `justice:<id>` → {kind:'justice', id} */
export function parseParty(party: string): { kind: 'agency' | 'justice' | 'other'; id: string } {
  const k = party.indexOf(':');
  const kind = party.slice(0, k);
  return { kind: kind === 'agency' || kind === 'justice' ? kind : 'other', id: party.slice(k + 1) };
}

/** the parties who have not yet done what the draw's stage asks (commit, then reveal) */
export function waitingParties(d: Pick<Draw, 'status' | 'parties'>): string[] {
  if (d.status === 'committing') return d.parties.filter((p) => !p.commitment).map((p) => p.party);
  if (d.status === 'revealing' || d.status === 'lapsed') return d.parties.filter((p) => !p.revealedAt).map((p) => p.party);
  return [];
}

/** whether a party (e.g. a supervisor's `justice:<id>`) has to act on a draw now */
export const mustAct = (d: Pick<Draw, 'status' | 'parties'>, party: string) =>
  (d.status === 'committing' || d.status === 'revealing') && waitingParties(d).includes(party);

/** the badge colour class of a status */
export function statusTone(s: DrawStatus): 'ok' | 'info' | 'warn' | 'err' {
  switch (s) {
    case 'published':
    case 'drawn':
      return 'ok';
    case 'committing':
    case 'revealing':
      return 'warn';
    case 'lapsed':
    case 'cancelled':
      return 'err';
  }
}

/** a share 0..1 as a percent with one decimal */
export const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/** drawn over population (0 for an empty population): the coverage an item or an agency has reached */
export const shareOf = (x: { drawn: number; population: number }) => (x.population ? x.drawn / x.population : 0);

/**
 * A shell recipe for a party that makes its secret off the platform: a secret from openssl, and its commitment
 * (docs/draw-spec.md §3) by printf and sha256sum. The page submits only the commitment.
 */
export function externalCommitCommand(paramsHash: string, party: string): string {
  return `secret=$(openssl rand -hex 32); echo "$secret"\nprintf 'yq-draw/1 commit\\n%s\\n%s\\n%s' ${paramsHash} ${party} "$secret" | sha256sum`;
}
