/**
 * Exports in the browser: a table as CSV or XLSX, and the whole ledger (every entry and result matching the
 * filters) fetched a page at a time. The file is made from the same columns the page shows (columns.ts),
 * headers in the UI language; the bytes by export-format.ts. Downloaded as a Blob through an <a download>.
 *
 * XLSX is written in a Web Worker (xlsx-worker.ts, which alone loads the streaming writer xlsx-stream.ts and
 * fflate, when an XLSX export is asked for): for the ledger the rows are handed over a page at a time and
 * written and compressed there while the next page is fetched, so the page stays responsive and the file is
 * ready soon after the last page.
 */
import { statsApi } from '../../client/stats-api';
import { STATS_RECORDS_PAGE, type StatsQuery, type StatsRecords } from '../../protocol/stats';
import { matrixOf, recordCols, type Col, type RecordNames } from './columns';
import { BOM, CSV_TYPE, XLSX_TYPE, csvLines, fileName, toCsv, type Matrix, type Plain } from './export-format';

export type Format = 'csv' | 'xlsx';

/** saves a Blob under a name (an object URL on a temporary <a download>) */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download has started from the URL; a later revoke keeps slow browsers safe
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** an XLSX file built by the worker: rows go in as they come, `finish` gives the Blob */
class XlsxBuilder {
  private worker = new Worker(new URL('./xlsx-worker.ts', import.meta.url), { type: 'module' });
  constructor(headers: string[], sheet: string) {
    // the writer makes the sheet name valid (at most 31 characters, none of []:*?/\)
    this.worker.postMessage({ type: 'start', headers, sheet });
  }
  add(rows: Plain[][]): void {
    this.worker.postMessage({ type: 'rows', rows });
  }
  finish(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<{ blob?: Blob; error?: string }>) => {
        this.worker.terminate();
        if (e.data.blob) resolve(new Blob([e.data.blob], { type: XLSX_TYPE }));
        else reject(new Error(e.data.error ?? 'xlsx'));
      };
      this.worker.onerror = (e) => {
        this.worker.terminate();
        reject(new Error(e.message || 'xlsx worker'));
      };
      this.worker.postMessage({ type: 'end' });
    });
  }
  abort(): void {
    this.worker.terminate();
  }
}

/** a matrix as a file Blob */
export async function blobOf(m: Matrix, format: Format, sheet: string): Promise<Blob> {
  if (format === 'csv') return new Blob([toCsv(m)], { type: CSV_TYPE });
  const b = new XlsxBuilder(m.headers, sheet);
  b.add(m.rows);
  return b.finish();
}

/** a table of the page as a file named after its section and the month range */
export async function exportTable<T>(format: Format, title: string, range: { from: string; to: string }, cols: readonly Col<T>[], rows: readonly T[]) {
  const m = matrixOf(cols, rows);
  download(await blobOf(m, format, title), fileName(title, range.from, range.to, format));
}

export interface RecordsProgress {
  phase: 'fetching' | 'building' | 'done' | 'cancelled' | 'failed';
  fetched: number;
  total: number | null;
  /** when done: how long it took, ms */
  ms?: number;
  error?: unknown;
}

/** lets the browser paint and take input between pages */
const breathe = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * The ledger export: pages of STATS_RECORDS_PAGE rows fetched one after the other (the next is asked for
 * before the current is converted), each turned into CSV lines or handed to the XLSX worker, progress
 * reported after each; `cancel()` stops it between pages and drops what was fetched.
 */
export function exportRecords(
  format: Format,
  q: StatsQuery,
  file: { title: string; from: string; to: string },
  names: RecordNames,
  onProgress: (p: RecordsProgress) => void,
  pageSize = STATS_RECORDS_PAGE,
): { cancel(): void; done: Promise<void> } {
  let cancelled = false;
  const cols = recordCols(names);
  const headers = cols.map((c) => c.label());
  const xlsx = format === 'xlsx' ? new XlsxBuilder(headers, file.title) : null;
  const csv: string[] = format === 'csv' ? [BOM + csvLines([headers])] : [];
  const started = performance.now();

  const run = async () => {
    let fetched = 0;
    let total: number | null = null;
    onProgress({ phase: 'fetching', fetched, total });
    let next: Promise<StatsRecords> | null = statsApi.records(q, undefined, pageSize);
    while (next) {
      const page: StatsRecords = await next;
      if (cancelled) return;
      next = page.next ? statsApi.records(q, page.next, pageSize) : null;
      total = page.total;
      const rows = matrixOf(cols, page.rows).rows;
      if (xlsx) xlsx.add(rows);
      else csv.push(csvLines(rows));
      fetched += rows.length;
      onProgress({ phase: 'fetching', fetched, total });
      await breathe();
      if (cancelled) return;
    }
    onProgress({ phase: 'building', fetched, total });
    const blob = xlsx ? await xlsx.finish() : new Blob(csv, { type: CSV_TYPE });
    if (cancelled) return;
    download(blob, fileName(file.title, file.from, file.to, format));
    onProgress({ phase: 'done', fetched, total, ms: performance.now() - started });
  };

  const done = run().catch((error) => {
    xlsx?.abort();
    if (!cancelled) onProgress({ phase: 'failed', fetched: 0, total: null, error });
  });
  return {
    cancel() {
      if (cancelled) return;
      cancelled = true;
      xlsx?.abort();
      onProgress({ phase: 'cancelled', fetched: 0, total: null });
    },
    done,
  };
}
