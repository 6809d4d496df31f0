/** Draws doc `draws/<year>` (LAYOUT.draws, append-only): `draws` = drawId → rec Draw (write once). */
import * as Y from 'yjs';
import { z } from 'zod';
import { Draw } from '../domain/schemas';
import { appendOnce, readRecordMap, type Origin, type ReadResult } from './util';

export function drawsRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('draws');
}

/** Every valid draw, sorted by time then id. */
export function readDraws(doc: Y.Doc): ReadResult<Draw> {
  const r = readRecordMap(drawsRoot(doc), Draw, (d) => d.id);
  r.items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return r;
}

/** Publish a draw (validated). Throws if the id exists: draws are write-once. */
export function appendDraw(doc: Y.Doc, draw: z.input<typeof Draw>, origin?: Origin): Draw {
  return appendOnce(doc, drawsRoot(doc), Draw.parse(draw).id, Draw, draw, 'draw', origin);
}
