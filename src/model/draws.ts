/** Draws doc `draws/<year>` (LAYOUT.draws, written by the server only): `draws` = drawId → rec Draw, rewritten at each step. */
import * as Y from 'yjs';
import { z } from 'zod';
import { Draw } from '../domain/schemas';
import { readRecordMap, type Origin, type ReadResult } from './util';

export function drawsRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('draws');
}

/** Every valid draw, sorted by time then id. */
export function readDraws(doc: Y.Doc): ReadResult<Draw> {
  const r = readRecordMap(drawsRoot(doc), Draw, (d) => d.id);
  r.items.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return r;
}

/** Write a draw's current state (validated; the server's step of the draw). */
export function putDraw(doc: Y.Doc, draw: z.input<typeof Draw>, origin?: Origin): Draw {
  const d = Draw.parse(draw);
  doc.transact(() => drawsRoot(doc).set(d.id, d), origin);
  return d;
}
