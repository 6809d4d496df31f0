/** Config doc `config/city` (LAYOUT.config): `policy` = Y.Map field → value (PolicyConfig fields). */
import * as Y from 'yjs';
import { z } from 'zod';
import { PolicyConfig } from '../domain/schemas';
import { cloneJson, defined, jsonEqual, parseField, readFieldMap, type InvalidRecord, type Origin } from './util';

export function policyRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('policy');
}

/** The policy, validated with PolicyConfig; `null` (with an `invalid` entry when not empty) otherwise. */
export function readPolicy(doc: Y.Doc): { policy: PolicyConfig | null; invalid: InvalidRecord[] } {
  const r = readFieldMap(policyRoot(doc), PolicyConfig, 'policy');
  return { policy: r.value, invalid: r.invalid };
}

/** Replace the whole policy (validated). */
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

/** Set one policy field, validated against that field of PolicyConfig. */
export function setPolicyField<K extends keyof PolicyConfig>(doc: Y.Doc, field: K, value: z.input<typeof PolicyConfig>[K], origin?: Origin): void {
  const v = parseField(PolicyConfig.shape, field, value);
  const map = policyRoot(doc);
  doc.transact(() => {
    if (v === undefined) map.delete(field);
    else if (!jsonEqual(map.get(field), v)) map.set(field, cloneJson(v));
  }, origin);
}
