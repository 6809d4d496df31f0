/** Small helpers to build verdicts (schemas.ts `Verdict`) and to reason about them. */
import type { Text, Verdict } from '../schemas';

export type VerdictLevel = Verdict['verdict'];

export interface VerdictExtra {
  exemptBy?: readonly string[];
  refs?: readonly string[];
}

export function makeVerdict(verdict: VerdictLevel, code: string, message: Text, extra: VerdictExtra = {}): Verdict {
  const out: Verdict = { verdict, code, message };
  if (extra.exemptBy) out.exemptBy = [...extra.exemptBy];
  if (extra.refs && extra.refs.length) out.refs = [...extra.refs];
  return out;
}

export const ok = (code: string, zh: string, en: string, extra?: VerdictExtra) => makeVerdict('ok', code, { zh, en }, extra);
export const warn = (code: string, zh: string, en: string, extra?: VerdictExtra) => makeVerdict('warn', code, { zh, en }, extra);
export const block = (code: string, zh: string, en: string, extra?: VerdictExtra) => makeVerdict('block', code, { zh, en }, extra);

const RANK: Record<VerdictLevel, number> = { ok: 0, warn: 1, block: 2 };
/** The most severe level among verdicts (`ok` for none). */
export function worst(vs: readonly Verdict[]): VerdictLevel {
  return vs.reduce<VerdictLevel>((w, v) => (RANK[v.verdict] > RANK[w] ? v.verdict : w), 'ok');
}

export const zhList = (xs: readonly string[]) => xs.join('、');
export const enList = (xs: readonly string[]) => xs.join(', ');
