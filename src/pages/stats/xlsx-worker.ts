/**
 * Builds an XLSX file off the main thread: write-excel-file writes the sheet's XML on the thread that calls
 * it (a 100,000-row ledger is seconds of work), so the page hands the rows here, a page at a time as they
 * arrive, and gets a Blob back. Messages: start {headers, sheet} · rows {rows} · end → {blob} | {error}.
 */
import writeExcelFile from 'write-excel-file/browser';
import { columnWidths, toSheetData, type Matrix, type Plain } from './export-format';

type In = { type: 'start'; headers: string[]; sheet: string } | { type: 'rows'; rows: Plain[][] } | { type: 'end' };

let m: Matrix = { headers: [], rows: [] };
let sheet = 'Sheet1';

self.onmessage = async (e: MessageEvent<In>) => {
  const msg = e.data;
  if (msg.type === 'start') {
    m = { headers: msg.headers, rows: [] };
    sheet = msg.sheet;
  } else if (msg.type === 'rows') {
    for (const r of msg.rows) m.rows.push(r);
  } else {
    try {
      // biome-ignore lint/suspicious/noExplicitAny: write-excel-file's SheetData type wants its own Cell union
      const blob = await writeExcelFile(toSheetData(m) as any, { columns: columnWidths(m), sheet, stickyRowsCount: 1 }).toBlob();
      (self as unknown as Worker).postMessage({ blob });
    } catch (err) {
      (self as unknown as Worker).postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
    m = { headers: [], rows: [] };
  }
};
