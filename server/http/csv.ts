/**
 * CSV answers for downloads (the audit trail, an import's invalid rows, activation letters): RFC 4180
 * quoting, CRLF, and a UTF-8 BOM so that Excel on a Chinese Windows opens the file as UTF-8.
 * A cell that starts with = + - @ (or a tab or CR) is prefixed with ' so that a spreadsheet never runs
 * it as a formula (CSV injection: a name typed by a user must not become a formula on an administrator's PC).
 */
import type { ServerResponse } from 'node:http';

export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** a CSV download: the header row, then the rows as they come (written in chunks, never held whole) */
export function sendCsv(res: ServerResponse, filename: string, header: readonly string[], rows: Iterable<readonly unknown[]>): void {
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    'Cache-Control': 'no-store',
  });
  let buf = `\uFEFF${csvLine(header)}`;
  for (const r of rows) {
    buf += csvLine(r);
    if (buf.length > 64 * 1024) {
      res.write(buf);
      buf = '';
    }
  }
  res.end(buf);
}
