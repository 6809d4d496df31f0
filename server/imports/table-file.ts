/**
 * Reading a table file (CSV or XLSX) into header names and rows of text cells, for the imports.
 *
 * CSV: csv-parse (streamed, so a 32 MB file yields to the event loop between chunks). Encodings: UTF-8 with or
 * without BOM; when the bytes are not valid UTF-8, GB18030 (a superset of GBK: what Excel writes as "CSV" on a
 * Chinese Windows); UTF-16 with a BOM (Excel's "Unicode text", tab-separated). Node's TextDecoder (full ICU)
 * does the decoding: no library.
 * XLSX: @e965/xlsx (a mirror of SheetJS 0.20.3, no dependencies; the npm `xlsx` 0.18.5 has known CVEs), loaded
 * only when an .xlsx file comes, in a worker thread. The first sheet is read.
 *
 * `line` is the row number a user sees in Excel: the header is row 1, an empty row still counts (it is skipped,
 * not renumbered). Cells are trimmed. Limits (TABLE_LIMITS) are checked as the file is read: a file over them is
 * refused whole with a bilingual error naming the limit.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { HttpError, type Bilingual } from '../http/errors';

export const TABLE_LIMITS = {
  bytes: 32 * 1024 * 1024,
  rows: 200_000,
  columns: 50,
  cell: 1000,
} as const;

export interface TableRow {
  /** the row number in the file as Excel shows it (the header is 1) */
  line: number;
  /** header name (trimmed, as written in the file) → cell text (trimmed) */
  cells: Record<string, string>;
}

export interface TableFile {
  columns: string[];
  rows: TableRow[];
}

const bad = (code: string, text: Bilingual, status = 400) => new HttpError(status, code, text);

export const tableErrors = {
  tooLarge: () =>
    bad(
      'file_too_large',
      { zh: `文件过大：最多 ${TABLE_LIMITS.bytes / 1024 / 1024} MB`, en: `The file is too large: at most ${TABLE_LIMITS.bytes / 1024 / 1024} MB` },
      413,
    ),
  tooManyRows: () =>
    bad('too_many_rows', {
      zh: `行数过多：最多 ${TABLE_LIMITS.rows.toLocaleString('en')} 行（不含表头），请分成几个文件`,
      en: `Too many rows: at most ${TABLE_LIMITS.rows.toLocaleString('en')} (besides the header); split the file`,
    }),
  tooManyColumns: (n: number) =>
    bad('too_many_columns', { zh: `列数过多：${n} 列，最多 ${TABLE_LIMITS.columns} 列`, en: `Too many columns: ${n}, at most ${TABLE_LIMITS.columns}` }),
  cellTooLong: (line: number, column: string) =>
    bad('cell_too_long', {
      zh: `第 ${line} 行“${column}”列内容过长：一个单元格最多 ${TABLE_LIMITS.cell} 个字符`,
      en: `Row ${line}, column "${column}": a cell holds at most ${TABLE_LIMITS.cell} characters`,
    }),
  empty: () => bad('empty_file', { zh: '文件是空的：第一行应为表头', en: 'The file is empty: the first row must be the header' }),
  noHeader: () => bad('no_header', { zh: '第一行（表头）没有列名', en: 'The first row (the header) has no column names' }),
  duplicateHeader: (name: string) => bad('duplicate_header', { zh: `表头中“${name}”列出现了两次`, en: `The header names the column "${name}" twice` }),
  unreadable: (why: Bilingual) => bad('bad_file', { zh: `无法读取文件：${why.zh}`, en: `The file cannot be read: ${why.en}` }),
  unsupported: () =>
    bad('unsupported_file', {
      zh: '只能导入 CSV（.csv）或 Excel（.xlsx）文件',
      en: 'Only CSV (.csv) and Excel (.xlsx) files can be imported',
    }),
};

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/** the text of a CSV file: UTF-8 (BOM or none), UTF-16 with a BOM, else GB18030 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    // ignoreBOM: false (the default) strips a UTF-8 BOM
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** header row + data rows → TableFile, checking the limits; rows are raw cell arrays with their Excel row numbers */
class Collector {
  columns: string[] | null = null;
  rows: TableRow[] = [];

  add(line: number, raw: readonly string[]): void {
    if (!this.columns) {
      const names = raw.map((c) => String(c ?? '').trim());
      while (names.length && !names[names.length - 1]) names.pop();
      if (!names.length) throw tableErrors.noHeader();
      if (names.length > TABLE_LIMITS.columns) throw tableErrors.tooManyColumns(names.length);
      const seen = new Set<string>();
      for (const n of names) {
        if (n.length > TABLE_LIMITS.cell) throw tableErrors.cellTooLong(line, n.slice(0, 20));
        if (n && seen.has(n)) throw tableErrors.duplicateHeader(n);
        seen.add(n);
      }
      this.columns = names;
      return;
    }
    let any = false;
    const cells: Record<string, string> = {};
    const cols = this.columns;
    for (let i = 0; i < raw.length; i++) {
      const v = String(raw[i] ?? '').trim();
      if (!v) continue;
      if (i >= cols.length || !cols[i]) continue; // a cell under no header is not read
      if (v.length > TABLE_LIMITS.cell) throw tableErrors.cellTooLong(line, cols[i]);
      cells[cols[i]] = v;
      any = true;
    }
    if (!any) return; // an empty row (its number still counts)
    if (this.rows.length >= TABLE_LIMITS.rows) throw tableErrors.tooManyRows();
    this.rows.push({ line, cells });
  }

  done(): TableFile {
    if (!this.columns) throw tableErrors.empty();
    return { columns: this.columns.filter(Boolean), rows: this.rows };
  }
}

async function readCsv(bytes: Buffer): Promise<TableFile> {
  const { text, encoding } = decodeText(bytes);
  const parser = parse({
    delimiter: encoding.startsWith('utf-16') ? '\t' : ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // one record can never be longer than every cell at its limit (a runaway quote stops here)
    max_record_size: TABLE_LIMITS.columns * (TABLE_LIMITS.cell + 3) * 2,
  });
  const chunks = function* () {
    for (let i = 0; i < text.length; i += 256 * 1024) yield text.slice(i, i + 256 * 1024);
  };
  const source = Readable.from(chunks());
  source.pipe(parser);
  const out = new Collector();
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      out.add(++line, record);
      if (line % 5000 === 0) await yieldNow();
    }
  } catch (e) {
    source.destroy();
    parser.destroy();
    if (e instanceof HttpError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw tableErrors.unreadable({ zh: `CSV 格式错误（${msg}）`, en: `malformed CSV (${msg})` });
  }
  return out.done();
}

/**
 * Reading a workbook is synchronous in SheetJS (100,000 rows: 11 s of one stalled event loop, measured), so it
 * runs in a worker thread: the server keeps answering, and the worker's heap is capped (a ZIP bomb ends the
 * worker, not the server). The worker is plain CommonJS given as text, and loads the library by the path the
 * server resolves: the same under tsx, vitest and the esbuild bundle (which keeps npm packages external).
 * Cells come back as text: dates as YYYY-MM-DD, whole numbers without exponent.
 */
const XLSX_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
function cellText(v) {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const p = (n) => String(n).padStart(2, '0');
    return v.getFullYear() + '-' + p(v.getMonth() + 1) + '-' + p(v.getDate());
  }
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  return String(v);
}
(function () {
  let wb;
  const XLSX = require(workerData.xlsxPath);
  try {
    wb = XLSX.read(workerData.bytes, { type: 'buffer', dense: true, cellDates: true, cellHTML: false, cellFormula: false, sheetRows: workerData.maxRows });
  } catch (e) {
    parentPort.postMessage({ type: 'bad', message: String((e && e.message) || e) });
    return;
  }
  const name = wb.SheetNames[0];
  const ws = name ? wb.Sheets[name] : undefined;
  if (!ws || !ws['!ref']) {
    parentPort.postMessage({ type: 'end' });
    return;
  }
  const range = XLSX.utils.decode_range(ws['!ref']);
  const rows = XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, defval: '', blankrows: true });
  for (let i = 0; i < rows.length; i += 5000)
    parentPort.postMessage({ type: 'rows', first: range.s.r + i + 1, rows: rows.slice(i, i + 5000).map((r) => (r || []).map(cellText)) });
  parentPort.postMessage({ type: 'end' });
})();
`;

type XlsxMessage = { type: 'rows'; first: number; rows: string[][] } | { type: 'end' } | { type: 'bad'; message: string };

async function readXlsx(bytes: Buffer): Promise<TableFile> {
  const xlsxPath = createRequire(import.meta.url).resolve('@e965/xlsx');
  const out = new Collector();
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (e?: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (e) reject(e);
      else resolve();
    };
    // sheetRows bounds what is read of a huge sheet (the header, the limit, one more to notice the excess)
    const worker = new Worker(XLSX_WORKER, {
      eval: true,
      workerData: { bytes, xlsxPath, maxRows: TABLE_LIMITS.rows + 2 },
      resourceLimits: { maxOldGenerationSizeMb: 1536 },
    });
    worker.on('message', (m: XlsxMessage) => {
      if (settled) return;
      try {
        if (m.type === 'rows') for (let i = 0; i < m.rows.length; i++) out.add(m.first + i, m.rows[i]);
        else if (m.type === 'bad') finish(tableErrors.unreadable({ zh: `不是有效的 Excel 文件（${m.message}）`, en: `not a valid Excel file (${m.message})` }));
        else finish();
      } catch (e) {
        finish(e);
      }
    });
    worker.on('error', (e) =>
      finish(
        (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? tableErrors.unreadable({ zh: '文件解压后过大', en: 'the file is too large once unpacked' })
          : e,
      ),
    );
    worker.on('exit', () => finish(tableErrors.unreadable({ zh: '读取中断', en: 'reading stopped' })));
  });
  return out.done();
}

/** CSV or XLSX by the file name's extension (XLSX also by its ZIP signature) */
export async function readTableFile(bytes: Buffer, filename: string): Promise<TableFile> {
  if (bytes.length > TABLE_LIMITS.bytes) throw tableErrors.tooLarge();
  if (!bytes.length) throw tableErrors.empty();
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename.trim())?.[1]?.toLowerCase();
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (ext === 'xlsx' || (zip && ext !== 'csv')) return readXlsx(bytes);
  if (ext === 'csv' || ext === 'txt' || ext === undefined) {
    if (zip) throw tableErrors.unreadable({ zh: '这是一个压缩包（Excel 文件？），不是 CSV', en: 'this is a ZIP archive (an Excel file?), not CSV' });
    return readCsv(bytes);
  }
  throw tableErrors.unsupported();
}
