/**
 * Config doc `config/city` (LAYOUT.config), written by the server only (server/policy/service.ts):
 *  - `policy` = Y.Map field → value: the base policy (PolicyConfig fields), in force until the first
 *    scheduled change;
 *  - `schedule` = Y.Map effectiveFrom (YYYY-MM-DD) → a whole PolicyConfig (plain JSON), in force from that
 *    day (Asia/Shanghai) until the next one.
 * Every reader asks `policyOn(doc, date)` (or `policyAt` over a view's reading): the policy of an
 * inspection's day, not today's. A doc written before the schedule existed has only `policy` and reads the
 * same (migrate-on-read: no schedule means the base policy on every day). Past entries stay: an old record is
 * judged by the policy of its day.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { IsoDate, PolicyConfig } from '../domain/schemas';
import { check, cloneJson, defined, jsonEqual, parseField, readFieldMap, toPlain, type InvalidRecord, type Origin } from './util';

export function policyRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('policy');
}

export function scheduleRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('schedule');
}

/** One scheduled change: the whole policy in force from `effectiveFrom` (inclusive). */
export interface ScheduledPolicy {
  effectiveFrom: string;
  policy: PolicyConfig;
}

/** The base policy, validated with PolicyConfig; `null` (with an `invalid` entry when not empty) otherwise. */
export function readPolicy(doc: Y.Doc): { policy: PolicyConfig | null; invalid: InvalidRecord[] } {
  const r = readFieldMap(policyRoot(doc), PolicyConfig, 'policy');
  return { policy: r.value, invalid: r.invalid };
}

/** The scheduled changes, oldest first; entries that do not parse (or sit under a bad date) are skipped and listed. */
export function readPolicySchedule(doc: Y.Doc): { items: ScheduledPolicy[]; invalid: InvalidRecord[] } {
  const items: ScheduledPolicy[] = [];
  const invalid: InvalidRecord[] = [];
  const map = scheduleRoot(doc);
  for (const key of Array.from(map.keys()).sort()) {
    if (!IsoDate.safeParse(key).success) {
      invalid.push({ key: `schedule.${key}`, error: 'not a date YYYY-MM-DD' });
      continue;
    }
    const r = check(PolicyConfig, toPlain(map.get(key)));
    if (r.ok) items.push({ effectiveFrom: key, policy: r.value });
    else invalid.push({ key: `schedule.${key}`, error: r.error });
  }
  return { items, invalid };
}

/**
 * The policy in force on `date` (YYYY-MM-DD): the latest scheduled change on or before it, else the base.
 * Pure; `schedule` in any order. `null` only when nothing valid is known.
 */
export function policyAt(base: PolicyConfig | null, schedule: readonly ScheduledPolicy[], date: string): PolicyConfig | null {
  let best: ScheduledPolicy | null = null;
  for (const s of schedule) if (s.effectiveFrom <= date && (!best || s.effectiveFrom > best.effectiveFrom)) best = s;
  return best ? best.policy : base;
}

/** The policy in force on `date` (YYYY-MM-DD, Asia/Shanghai) in this doc; `null` when it holds none that is valid. */
export function policyOn(doc: Y.Doc, date: string): PolicyConfig | null {
  return policyAt(readPolicy(doc).policy, readPolicySchedule(doc).items, date);
}

/** Replace the whole base policy (validated). */
export function setPolicy(doc: Y.Doc, policy: z.input<typeof PolicyConfig>, origin?: Origin): PolicyConfig {
  const parsed = PolicyConfig.parse(policy);
  const map = policyRoot(doc);
  doc.transact(() => {
    const obj = defined(parsed) as Record<string, unknown>;
    for (const k of Array.from(map.keys())) if (!(k in obj)) map.delete(k);
    for (const [k, v] of Object.entries(obj)) if (!jsonEqual(map.get(k), v)) map.set(k, cloneJson(v));
  }, origin);
  return parsed;
}

/** Set one base policy field, validated against that field of PolicyConfig. */
export function setPolicyField<K extends keyof PolicyConfig>(doc: Y.Doc, field: K, value: z.input<typeof PolicyConfig>[K], origin?: Origin): void {
  const v = parseField(PolicyConfig.shape, field, value);
  const map = policyRoot(doc);
  doc.transact(() => {
    if (v === undefined) map.delete(field);
    else if (!jsonEqual(map.get(field), v)) map.set(field, cloneJson(v));
  }, origin);
}

/** Schedule (or replace) the whole policy in force from `effectiveFrom` (validated). */
export function schedulePolicy(doc: Y.Doc, effectiveFrom: string, policy: z.input<typeof PolicyConfig>, origin?: Origin): PolicyConfig {
  IsoDate.parse(effectiveFrom);
  const parsed = PolicyConfig.parse(policy);
  doc.transact(() => {
    scheduleRoot(doc).set(effectiveFrom, cloneJson(defined(parsed)));
  }, origin);
  return parsed;
}

/** Withdraw a scheduled change; false when there was none on that date. */
export function withdrawPolicy(doc: Y.Doc, effectiveFrom: string, origin?: Origin): boolean {
  const map = scheduleRoot(doc);
  if (!map.has(effectiveFrom)) return false;
  doc.transact(() => map.delete(effectiveFrom), origin);
  return true;
}
