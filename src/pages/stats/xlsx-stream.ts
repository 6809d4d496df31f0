/**
 * A streaming XLSX writer: a minimal SpreadsheetML package (content types, relationships, workbook, styles,
 * one sheet with a bold frozen header row and column widths; no docProps, which are optional), the sheet's
 * XML written a batch of rows at a time and deflated as it goes (fflate's streaming Zip), so a 100,000-row
 * ledger never exists as one big sheet in memory and the zip work of a page overlaps the fetching of the next (xlsx-worker.ts). The app's only XLSX
 * writer: the section tables use it too (export.ts → the worker).
 *
 * Cells: a finite number is a number cell; text an inline string (no shared-string table to build at the
 * end), XML-escaped and stripped of what XML 1.0 forbids; null (and a non-finite number) an absent cell.
 * Text is typed text, which a spreadsheet never evaluates: a text beginning with '=' stays that text (the CSV
 * needs its leading apostrophe, the XLSX does not). Every cell carries its A1 reference for strict readers.
 */
import { Zip, ZipDeflate } from 'fflate';
import { columnWidths, XLSX_TYPE, type Plain } from './export-format';

export interface XlsxStreamOptions {
  /** the sheet's name; made valid here (sheetName) */
  sheet: string;
  headers: string[];
  /** column widths in characters; when absent, from the headers and the first batch of rows (columnWidths) */
  widths?: number[];
  /** DEFLATE level of the sheet (LEVEL when absent) */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** each piece of the file as it is made (the Blob of `end()` is made of the same pieces) */
  onChunk?: (chunk: Uint8Array) => void;
}

export interface XlsxStream {
  /** appends rows (each as long as the headers; shorter rows leave the rest empty) */
  rows(rows: readonly (readonly Plain[])[]): void;
  /** closes the sheet and the package */
  end(): Promise<Blob>;
}

/** an Excel sheet name: at most 31 characters, none of [ ] : * ? / \, not starting or ending with ' */
export function sheetName(s: string): string {
  const clean = xmlClean(s)
    .replace(/[[\]:*?/\\]/g, ' ')
    .slice(0, 31)
    .replace(/[\uD800-\uDBFF]$/, '')
    .replace(/^'+|'+$/g, '')
    .trim();
  return clean || 'Sheet1';
}

// characters XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; surrogates not in a pair
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what is removed
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// the quick test: nothing to escape or remove in most cells (a pair of surrogates takes the slow path, fine)
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same control characters, found
const SPECIAL = /[&<>"\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

const xmlClean = (s: string) => s.replace(FORBIDDEN, '');

/** text as XML character data: escaped, forbidden characters removed; CR as &#13; (a parser turns a raw CR into LF) */
export function xmlText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return xmlClean(s).replace(/[&<>"\r]/g, (c) => ENTITY[c]);
}

/** the column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA */
export function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** leading or trailing white space, or a line break or tab inside, must be kept as written */
const KEEP_SPACE = /^\s|\s$|[\t\n\r]/;
// the one test most text cells need: nothing to keep, escape or remove (then the text goes as it is)
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters xmlText removes
const PLAIN = /^\s|\s$|[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** one cell, or '' for an empty one; `s` the style attribute (' s="1"' for the bold header) */
function cell(ref: string, v: Plain | undefined, s: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${s} t="n"><v>${v}</v></c>` : '';
  if (!PLAIN.test(v)) return `<c r="${ref}"${s} t="inlineStr"><is><t>${v}</t></is></c>`;
  const space = KEEP_SPACE.test(v) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${xmlText(v)}</t></is></c>`;
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const CONTENT_TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/></Types>`;
const ROOT_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
// xf 0 the default, xf 1 the bold font (the header row)
const STYLES = `${XML}<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const workbook = (name: string) =>
  `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

/** the sheet up to its first row: the header row frozen, the column widths */
const sheetHead = (widths: number[]) =>
  `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>${colsXml(widths)}<sheetData>`;

/** the column widths (an empty <cols> is invalid: none then) */
const colsXml = (widths: number[]) =>
  widths.length ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>` : '';

const encoder = new TextEncoder();

/**
 * The sheet's DEFLATE level. 100,000 ledger rows × 19 columns (~97 MB of sheet XML) in Chromium on the 2-core
 * test machine: level 0 (stored) 1.8–2.2 s / 96.5 MB, level 1 3.0–3.4 s / 9.8 MB, level 3 2.7–3.3 s / 9.1 MB,
 * level 6 3.7–4.0 s / 7.9 MB. Making the XML, encoding it and its CRC take two thirds of the time; fflate's
 * levels 1–3 share its fast matcher, so 3 costs no more than 1 for a smaller file.
 */
export const LEVEL = 3;

export function createXlsxStream(o: XlsxStreamOptions): XlsxStream {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let complete = false;
  // fflate's Zip and ZipDeflate call back synchronously (no worker threads): each push is compressed and
  // handed on before it returns, and the package is complete when zip.end() returns
  const zip = new Zip((err, data, final) => {
    if (err) {
      failure ??= err;
      return;
    }
    chunks.push(data);
    o.onChunk?.(data);
    if (final) complete = true;
  });
  // every part deflated: a stored part would need its sizes ahead of its data for streaming readers (fflate's
  // streaming Zip writes them after it, in a data descriptor), and these parts are tiny anyway
  const small = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(encoder.encode(text), true);
  };
  small('[Content_Types].xml', CONTENT_TYPES);
  small('_rels/.rels', ROOT_RELS);
  small('xl/workbook.xml', workbook(sheetName(o.sheet)));
  small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  small('xl/styles.xml', STYLES);
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: o.level ?? LEVEL });
  zip.add(sheet);

  const cols = o.headers.map((_, i) => columnName(i));
  let row = 1;
  let started = false;
  let ended = false;

  const push = (text: string, final = false) => {
    sheet.push(encoder.encode(text), final);
    if (failure) throw failure;
  };
  // the sheet's head waits for the first rows: the widths may come from them
  const start = (first: readonly (readonly Plain[])[]) => {
    started = true;
    const widths = o.widths ?? columnWidths({ headers: o.headers, rows: first as Plain[][] }).map((c) => c.width);
    let head = `${sheetHead(widths)}<row r="1">`;
    for (let i = 0; i < cols.length; i++) head += cell(`${cols[i]}1`, o.headers[i], ' s="1"');
    push(`${head}</row>`);
  };

  return {
    rows(rows) {
      if (ended) throw new Error('xlsx stream ended');
      if (!started) start(rows);
      let out = '';
      for (const r of rows) {
        const n = ++row;
        out += `<row r="${n}">`;
        for (let i = 0; i < cols.length; i++) out += cell(cols[i] + n, r[i], '');
        out += '</row>';
      }
      if (out) push(out);
    },
    async end() {
      if (ended) throw new Error('xlsx stream ended');
      ended = true;
      if (!started) start([]);
      push('</sheetData></worksheet>', true);
      zip.end();
      if (failure) throw failure;
      if (!complete) throw new Error('xlsx stream incomplete');
      return new Blob(chunks as BlobPart[], { type: XLSX_TYPE });
    },
  };
}
