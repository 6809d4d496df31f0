/**
 * A table as exported: headers and rows of plain values (text, numbers, empty), turned into CSV text here
 * (the XLSX by xlsx-stream.ts, which takes its column widths from here). Pure, no DOM and no i18n, so the XLSX
 * worker (xlsx-worker.ts) and the unit tests use exactly this code; the page's columns (columns.ts) make the
 * matrix.
 */

/** one exported cell: numbers stay numbers, dates are already text ('YYYY-MM-DD HH:mm') */
export type Plain = string | number | null;

export interface Matrix {
  headers: string[];
  rows: Plain[][];
}

/**
 * what Excel would run as a formula if a CSV field began with it (CSV injection): such text gets a leading '.
 * An XLSX text cell is typed text, never run, so the XLSX keeps the text as it is.
 */
const FORMULA = /^[=+\-@\t\r]/;

/** one CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled */
export function csvField(v: Plain): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV lines, each ended by CRLF (the records export adds a page at a time) */
export function csvLines(rows: readonly Plain[][]): string {
  let out = '';
  for (const r of rows) out += `${r.map(csvField).join(',')}\r\n`;
  return out;
}

/** the byte-order mark: without it Excel reads UTF-8 Chinese as mojibake */
export const BOM = '\uFEFF';

/** the whole CSV text: BOM, header line, rows; CRLF line ends */
export function toCsv(m: Matrix): string {
  return BOM + csvLines([m.headers]) + csvLines(m.rows);
}

/** column widths (in characters) from the longest value of each column, Chinese characters counted twice */
export function columnWidths(m: Matrix, sample = 500): { width: number }[] {
  const len = (v: Plain) => {
    if (v === null) return 0;
    const s = String(v);
    let n = 0;
    for (const ch of s) n += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
    return n;
  };
  return m.headers.map((h, i) => {
    let w = len(h);
    for (let r = 0; r < Math.min(sample, m.rows.length); r++) w = Math.max(w, len(m.rows[r][i]));
    return { width: Math.min(60, Math.max(6, w + 2)) };
  });
}

/** `<section title>-<from>-<to>.<ext>`, without the characters a file system refuses */
export function fileName(title: string, from: string, to: string, ext: 'csv' | 'xlsx'): string {
  const safe = title.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}-${from}-${to}.${ext}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv;charset=utf-8';
