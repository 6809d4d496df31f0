/**
 * Shared helpers of the model layer: plain conversion of Yjs values, validated reads of record maps
 * (invalid records are skipped and reported, never thrown) and validated writes (throw ZodError).
 * Pure: no I/O, no DOM.
 */
import * as Y from 'yjs';
import { z } from 'zod';

/** A record that failed validation on read: its key in the map (or index in an array) and why. */
export interface InvalidRecord {
  key: string;
  error: string;
}

/** The result of reading a collection: valid records, and the keys of those skipped. */
export interface ReadResult<T> {
  items: T[];
  invalid: InvalidRecord[];
}

/** Transaction origin (the UI's UndoManager tracks its own origin). */
export type Origin = unknown;

/** A Yjs value (Y.Map, Y.Array, Y.Text, …) or a plain value, as plain JSON. Plain values are returned as is. */
export function toPlain(v: unknown): unknown {
  if (v instanceof Y.AbstractType) return v.toJSON();
  return v;
}

/** Human-readable one-line summary of a zod error (path: message; …). */
export function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Validate `value` with `schema`, returning the parsed value or an error string. */
export function check<S extends z.ZodType>(schema: S, value: unknown): { ok: true; value: z.output<S> } | { ok: false; error: string } {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: zodMessage(r.error) };
}

/**
 * Read every value of a record map (`id → rec`) through `schema`. A record whose `idField` does not
 * equal its key is invalid too. Items are sorted by key for a stable order. `upgrade` brings a record stored
 * by an older version to today's shape before it is validated (migrate-on-read, version.ts).
 */
export function readRecordMap<S extends z.ZodType>(
  map: Y.Map<unknown>,
  schema: S,
  idOf?: (rec: z.output<S>) => string,
  upgrade: (rec: unknown) => unknown = (rec) => rec,
): ReadResult<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidRecord[] = [];
  const keys = Array.from(map.keys()).sort();
  for (const key of keys) {
    const r = check(schema, upgrade(toPlain(map.get(key))));
    if (!r.ok) {
      invalid.push({ key, error: r.error });
      continue;
    }
    if (idOf && idOf(r.value) !== key) {
      invalid.push({ key, error: `key "${key}" does not match the record's id "${idOf(r.value)}"` });
      continue;
    }
    items.push(r.value);
  }
  return { items, invalid };
}

/** Read one record of a record map; `undefined` when absent or invalid. */
export function readRecord<S extends z.ZodType>(map: Y.Map<unknown>, key: string, schema: S): z.output<S> | undefined {
  if (!map.has(key)) return undefined;
  const r = schema.safeParse(toPlain(map.get(key)));
  return r.success ? r.data : undefined;
}

/** Drop keys whose value is `undefined` (Yjs cannot store undefined). Shallow, returns a new object. */
export function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Deep copy of plain JSON, so that a stored value never shares structure with the caller's object. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Validate a single field of an object schema; the thrown ZodError's path names the field. */
export function parseField<Shape extends z.ZodRawShape, K extends keyof Shape & string>(shape: Shape, field: K, value: unknown): z.output<Shape[K]> {
  const fieldSchema = shape[field];
  if (!fieldSchema) throw new Error(`unknown field "${field}"`);
  const parsed = z.object({ [field]: fieldSchema as unknown as z.ZodType }).parse({ [field]: value });
  return (parsed as Record<string, unknown>)[field] as z.output<Shape[K]>;
}

/** Write the fields of a plain object into a Y.Map (one key per field), deleting none. */
export function setFields(map: Y.Map<unknown>, obj: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) {
      if (map.has(k)) map.delete(k);
      continue;
    }
    map.set(k, cloneJson(v));
  }
}

/** Deep equality of plain JSON values (to avoid writing unchanged fields). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Upsert one record (validated) into a record map under `key`. */
export function putRecord<S extends z.ZodType>(doc: Y.Doc, map: Y.Map<unknown>, key: string, schema: S, value: unknown, origin?: Origin): z.output<S> {
  const parsed = schema.parse(value);
  doc.transact(() => map.set(key, cloneJson(parsed)), origin);
  return parsed;
}

/** Insert one record (validated) into a write-once map; throws if `key` exists. */
export function appendOnce<S extends z.ZodType>(
  doc: Y.Doc,
  map: Y.Map<unknown>,
  key: string,
  schema: S,
  value: unknown,
  what: string,
  origin?: Origin,
): z.output<S> {
  const parsed = schema.parse(value);
  if (map.has(key)) throw new Error(`${what} "${key}" already exists; it is write-once`);
  doc.transact(() => map.set(key, cloneJson(parsed)), origin);
  return parsed;
}

/** Read a Y.Map of fields as one object validated with `schema`; `null` when empty or invalid. */
export function readFieldMap<S extends z.ZodType>(
  map: Y.Map<unknown>,
  schema: S,
  key: string,
  upgrade: (rec: unknown) => unknown = (rec) => rec,
): { value: z.output<S> | null; invalid: InvalidRecord[] } {
  if (map.size === 0) return { value: null, invalid: [] };
  const r = check(schema, upgrade(map.toJSON()));
  return r.ok ? { value: r.value, invalid: [] } : { value: null, invalid: [{ key, error: r.error }] };
}

/** Prefix the keys of invalid records with the name of their root (`items/x`). */
export function prefixed(root: string, invalid: InvalidRecord[]): InvalidRecord[] {
  return invalid.map((x) => ({ key: `${root}/${x.key}`, error: x.error }));
}
