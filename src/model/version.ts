/**
 * Schema versions of documents, and migrate-on-read. Phones keep documents for months (IndexedDB), so a
 * record written by an older app must still read after a field is added: the readers of src/model pass
 * every plain record through `upgrader(kind, root, version)` before validating it with today's schema.
 *
 * Where the version lives: `v` (an integer) in the doc's `meta` map, for the kinds that have one (plan,
 * joint). A doc without `v` was written before versions existed: version 1, which is today's shape, so
 * nothing has to be written to the documents now (the server's guards let no client add roots to
 * config, registry or tasks rooms). The other kinds are read as version 1 until one of them changes shape;
 * then that change adds the version to the doc (a `_meta` root, allowed by its guard) in the same commit.
 *
 * To change a shape: bump DOC_VERSION[kind], add the step `from → from + 1` for each root whose records
 * change to MIGRATIONS, and have the writers stamp `v`. Reads never write: a doc stays as it was stored
 * until someone edits it. Pure: no I/O, no DOM.
 */
import type * as Y from 'yjs';
import type { RoomKind } from '../domain/rooms';

/** The shape each kind of document is read and written at by this code. */
export const DOC_VERSION = {
  agency: 1,
  plan: 1,
  joint: 1,
  tasks: 1,
  ledger: 1,
  feedback: 1,
  registry: 1,
  draws: 1,
  supervision: 1,
  config: 1,
} as const satisfies Record<RoomKind, number>;

export type Plain = Record<string, unknown>;
/** One step: a record as version n stored it → as version n + 1 reads it. */
export type Step = (rec: Plain) => Plain;
/** Per root of a kind: `steps[n]` upgrades a record from version n to n + 1. */
export type Migrations = Record<string, Record<number, Step>>;

/** The steps of every kind (none yet: every kind is at version 1). */
export const MIGRATIONS: { [K in RoomKind]?: Migrations } = {};

/** The key of the version in a doc's meta map. */
export const VERSION_KEY = 'v';

/** The version a doc was written at: `v` in its meta map when it is a positive integer, else 1. */
export function docVersion(meta: Y.Map<unknown> | undefined): number {
  const v = meta?.get(VERSION_KEY);
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

const isPlain = (x: unknown): x is Plain => !!x && typeof x === 'object' && !Array.isArray(x);

/**
 * A function that brings a plain record of `root`, stored at version `from`, to version `to` (default: this
 * code's). A doc from a newer app is read as it is (the zod schemas ignore fields they do not know); a value
 * that is not an object is left for the schema to refuse. Identity when there is nothing to do.
 */
export function upgrader(
  kind: RoomKind,
  root: string,
  from: number,
  migrations: { [K in RoomKind]?: Migrations } = MIGRATIONS,
  to: number = DOC_VERSION[kind],
): (rec: unknown) => unknown {
  const steps = migrations[kind]?.[root];
  if (!steps || from >= to) return (rec) => rec;
  return (rec) => {
    if (!isPlain(rec)) return rec;
    let out = rec;
    for (let n = from; n < to; n++) {
      const s = steps[n];
      if (s) out = s(out);
    }
    return out;
  };
}
