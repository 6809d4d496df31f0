/**
 * Builds an XLSX file off the main thread with the streaming writer (xlsx-stream.ts): each page of rows is
 * written and compressed as it arrives, while the page fetches the next, so the file is ready soon after the
 * last page; nothing holds the whole sheet. Messages: start {headers, sheet} · rows {rows} · end → {blob} | {error}.
 */
import type { Plain } from './export-format';
import { createXlsxStream, type XlsxStream } from './xlsx-stream';

type In = { type: 'start'; headers: string[]; sheet: string } | { type: 'rows'; rows: Plain[][] } | { type: 'end' };

let w: XlsxStream | null = null;
let failed: string | null = null;

const post = (m: { blob: Blob } | { error: string }) => (self as unknown as Worker).postMessage(m);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

self.onmessage = async (e: MessageEvent<In>) => {
  const msg = e.data;
  try {
    if (msg.type === 'start') {
      failed = null;
      w = createXlsxStream({ sheet: msg.sheet, headers: msg.headers });
    } else if (msg.type === 'rows') {
      if (!failed) w?.rows(msg.rows);
    } else {
      if (failed) throw new Error(failed);
      if (!w) throw new Error('xlsx: no start');
      const blob = await w.end();
      w = null;
      post({ blob });
    }
  } catch (err) {
    // a failure while rows come in is told at the end, where the page waits for an answer
    failed ??= message(err);
    if (msg.type === 'end') {
      w = null;
      post({ error: failed });
    }
  }
};
