/**
 * Supervision doc `supervision/<year>` (LAYOUT.supervision): `warnings` = id → rec Warning,
 * `handling` = warningId → rec WarningHandling.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Warning, WarningHandling } from '../domain/schemas';
import { prefixed, putRecord, readRecordMap, type InvalidRecord, type Origin, type ReadResult } from './util';

export type WarningT = z.infer<typeof Warning>;
export type WarningHandlingT = z.infer<typeof WarningHandling>;

export function supervisionRoots(doc: Y.Doc): { warnings: Y.Map<unknown>; handling: Y.Map<unknown> } {
  return { warnings: doc.getMap('warnings'), handling: doc.getMap('handling') };
}

/** Warnings, newest first. */
export function readWarnings(doc: Y.Doc): ReadResult<WarningT> {
  const r = readRecordMap(supervisionRoots(doc).warnings, Warning, (w) => w.id);
  r.items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? -1 : 1));
  return r;
}

export function readHandling(doc: Y.Doc): ReadResult<WarningHandlingT> {
  return readRecordMap(supervisionRoots(doc).handling, WarningHandling, (h) => h.warningId);
}

export interface SupervisionView {
  warnings: WarningT[];
  /** warningId → its handling */
  handling: Map<string, WarningHandlingT>;
  invalid: InvalidRecord[];
}

export function readSupervision(doc: Y.Doc): SupervisionView {
  const w = readWarnings(doc);
  const h = readHandling(doc);
  return {
    warnings: w.items,
    handling: new Map(h.items.map((x) => [x.warningId, x])),
    invalid: [...prefixed('warnings', w.invalid), ...prefixed('handling', h.invalid)],
  };
}

/** Raise or replace a warning (the server's projection writes these). */
export function putWarning(doc: Y.Doc, warning: z.input<typeof Warning>, origin?: Origin): WarningT {
  return putRecord(doc, supervisionRoots(doc).warnings, Warning.parse(warning).id, Warning, warning, origin);
}

/** Record how a supervisor handled a warning. */
export function setHandling(doc: Y.Doc, handling: z.input<typeof WarningHandling>, origin?: Origin): WarningHandlingT {
  return putRecord(doc, supervisionRoots(doc).handling, WarningHandling.parse(handling).warningId, WarningHandling, handling, origin);
}
