/**
 * The rules (DESIGN §2, §6) as pure functions returning `Verdict`s with stable reason codes.
 * Policy parameters always come in as a `PolicyConfig` argument. One file per concern in `rules/`.
 */
export { makeVerdict, worst, type VerdictLevel, type VerdictExtra } from './rules/verdict';
export * from './rules/certificates';
export * from './rules/cap';
export * from './rules/quiet';
export * from './rules/plan';
export * from './rules/overlap';
export * from './rules/level';
export * from './rules/precheck';
