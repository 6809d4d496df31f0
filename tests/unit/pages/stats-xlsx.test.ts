/**
 * The streaming XLSX writer (src/pages/stats/xlsx-stream.ts) read back with @e965/xlsx (SheetJS) and unzipped
 * with fflate: the same cells as the matrix (numbers as numbers, text as text, '=…' text never a formula,
 * nulls empty), XML escaping and the characters XML 1.0 forbids, a bold frozen header row, column widths, a
 * valid sheet name. And 20,000 rows × 19 columns in pages, reading back to the right row count (the 100,000-row
 * export's speed is measured by bench:stats in Chromium, not here: the suite's time is CI's).
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { strFromU8, unzipSync } from 'fflate';
import type { Matrix, Plain } from '../../../src/pages/stats/export-format';
import { LEVEL, columnName, createXlsxStream, sheetName, xmlText } from '../../../src/pages/stats/xlsx-stream';

async function write(m: Matrix, opts: { sheet?: string; pages?: number } = {}): Promise<Uint8Array> {
  const w = createXlsxStream({ sheet: opts.sheet ?? 'T', headers: m.headers });
  // rows go in a few at a time, as the ledger export's pages do
  const step = Math.max(1, Math.ceil(m.rows.length / (opts.pages ?? 3)));
  for (let i = 0; i < m.rows.length; i += step) w.rows(m.rows.slice(i, i + step));
  const blob = await w.end();
  expect(blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return new Uint8Array(await blob.arrayBuffer());
}

function read(buf: Uint8Array) {
  const wb = XLSX.read(buf, { type: 'array' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  return { wb, ws, cells: XLSX.utils.sheet_to_json<Plain[]>(ws, { header: 1, defval: null, raw: true }) };
}

const tricky: Matrix = {
  headers: ['名称', 'Count', 'Note', '空'],
  rows: [
    ['阳泉市"老字号"食品有限公司', 12345, 'a & b < c > d "e"\nsecond line', null],
    ['=HYPERLINK("http://x","y")', -0.5, '+1', null],
    ['  padded  ', 0, 'tab\there\rCR', null],
    ['emoji 😀 ok', 1e21, '', null],
    [null, null, null, null],
    ['@SUM(A1)', 2.71, '-2', '中文'],
  ],
};

describe('XLSX stream', () => {
  it('reads back to the same cells: numbers, Chinese, escaped text, line breaks, empty cells', async () => {
    const buf = await write(tricky);
    const { ws, cells } = read(buf);
    expect(cells[0]).toEqual(tricky.headers);
    // row 6 has no cell at all and comes back as nulls
    expect(cells.slice(1)).toEqual(tricky.rows);
    expect(ws.B2).toMatchObject({ t: 'n', v: 12345 });
    expect(ws.B3).toMatchObject({ t: 'n', v: -0.5 });
    expect(ws.B5).toMatchObject({ t: 'n', v: 1e21 });
    expect(ws.C2).toMatchObject({ t: 's', v: 'a & b < c > d "e"\nsecond line' });
    // a CR is written as &#13; (a raw one an XML parser would read as LF)
    expect(ws.C4.v).toBe('tab\there\rCR');
    expect(ws.A4.v).toBe('  padded  ');
    expect(ws.C5).toMatchObject({ t: 's', v: '' });
    expect(ws.D2).toBeUndefined();
  });

  it('keeps a text beginning with = + - @ as text, never a formula, without a leading quote', async () => {
    const { ws } = read(await write(tricky));
    expect(ws.A3).toMatchObject({ t: 's', v: '=HYPERLINK("http://x","y")' });
    expect(ws.A3.f).toBeUndefined();
    expect(ws.C3).toMatchObject({ t: 's', v: '+1' });
    expect(ws.A7).toMatchObject({ t: 's', v: '@SUM(A1)' });
    expect(ws.C7).toMatchObject({ t: 's', v: '-2' });
    const sheet = strFromU8(unzipSync(await write(tricky))['xl/worksheets/sheet1.xml']);
    expect(sheet).not.toContain('<f>');
  });

  it('writes a bold, frozen header row, column widths and an A1 reference on every cell', async () => {
    const files = unzipSync(await write(tricky));
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
    const styles = strFromU8(files['xl/styles.xml']);
    // the header cells use xf 1, whose font is the bold one; body cells the default xf 0
    const head = /<row r="1">(.*?)<\/row>/.exec(sheet)?.[1] ?? '';
    expect([...head.matchAll(/<c\b[^>]*>/g)].map((c) => /\ss="(\d+)"/.exec(c[0])?.[1])).toEqual(['1', '1', '1', '1']);
    expect(/<row r="2">([\s\S]*?)<\/row>/.exec(sheet)?.[1]).not.toMatch(/\ss="/);
    const xfs = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b([^>]*)>/g)].map((x) =>
      Number(/fontId="(\d+)"/.exec(x[1])?.[1]),
    );
    const fonts = [...(/<fonts[^>]*>([\s\S]*?)<\/fonts>/.exec(styles)?.[1] ?? '').matchAll(/<font>[\s\S]*?<\/font>/g)].map((x) => x[0]);
    expect(fonts[xfs[1]]).toContain('<b/>');
    expect(fonts[xfs[0]]).not.toContain('<b/>');
    // SheetJS reads the style index too
    const wb = XLSX.read(await write(tricky), { type: 'array', cellStyles: true });
    expect((wb.Sheets.T.A1 as { s?: unknown }).s).toBeDefined();
    // frozen below row 1
    expect(sheet).toMatch(/<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
    expect([...sheet.matchAll(/<col min="(\d+)" max="\1" width="(\d+)" customWidth="1"\/>/g)].length).toBe(4);
    // every cell names itself, row by row
    const cells = [...sheet.matchAll(/<c\b([^>]*)>/g)].map((c) => /\br="([A-Z]+\d+)"/.exec(c[1])?.[1]);
    expect(cells.every(Boolean)).toBe(true);
    expect(cells.slice(0, 7)).toEqual(['A1', 'B1', 'C1', 'D1', 'A2', 'B2', 'C2']);
    // the XML parts are well-formed enough for SheetJS and every part says UTF-8
    for (const [name, data] of Object.entries(files)) expect(strFromU8(data).startsWith('<?xml version="1.0" encoding="UTF-8"'), name).toBe(true);
  });

  it('gives a header-only sheet when no row came', async () => {
    const { cells } = read(await write({ headers: ['a', 'b'], rows: [] }));
    expect(cells).toEqual([['a', 'b']]);
  });
});

describe('XLSX stream details', () => {
  it('removes what XML 1.0 forbids: control characters (not tab, LF, CR), lone surrogates, U+FFFE/FFFF', async () => {
    expect(xmlText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(xmlText('x\uD800y\uDC00z\uFFFEw\uFFFF')).toBe('xyzw');
    expect(xmlText('pair 😀 kept')).toBe('pair 😀 kept');
    expect(xmlText('t\tn\nr\r')).toBe('t\tn\nr&#13;');
    expect(xmlText('&<>"\'')).toBe("&amp;&lt;&gt;&quot;'");
    const { cells } = read(await write({ headers: ['h\u0007'], rows: [['bad\u0000\u001B\uDBFFtext']] }));
    expect(cells).toEqual([['h'], ['badtext']]);
  });

  it('makes the sheet name valid: no [ ] : * ? / \\, at most 31 characters, escaped in the workbook', async () => {
    expect(sheetName('a[b]:c*d?e/f\\g')).toBe('a b  c d e f g');
    expect(sheetName('检查记录 2025-01 至 2026-12 (市场监管) & 其他 <全部>')).toHaveLength(31);
    expect(sheetName("'quoted'")).toBe('quoted');
    expect(sheetName('[]')).toBe('Sheet1');
    expect(sheetName('')).toBe('Sheet1');
    // a surrogate pair is never cut in half
    expect(sheetName(`${'x'.repeat(30)}😀`)).toBe('x'.repeat(30));
    const name = 'R&D <统计> "台账" / 2026: [全部] 记录明细表格';
    const { wb } = read(await write({ headers: ['a'], rows: [[1]] }, { sheet: name }));
    expect(wb.SheetNames).toEqual([sheetName(name)]);
    expect(wb.SheetNames[0]).toBe('R&D <统计> "台账"   2026   全部  记录明细');
  });

  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('refuses rows after the end', async () => {
    const w = createXlsxStream({ sheet: 'T', headers: ['a'] });
    await w.end();
    expect(() => w.rows([[1]])).toThrow();
    await expect(w.end()).rejects.toThrow();
  });

  it('writes 20,000 rows × 19 columns in pages of 5,000 and reads back with the right row count', { timeout: 120_000 }, async () => {
    const agencies = ['市市场监管局', '市应急管理局', '平定县市场监管局', '市生态环境局', '市交通运输局'];
    const row = (i: number): Plain[] => [
      i % 3 ? '检查' : '结果',
      `2026-${String((i % 12) + 1).padStart(2, '0')}-15 10:${String(i % 60).padStart(2, '0')}`,
      agencies[i % 5],
      `91140300MA0K${String(i).padStart(6, '0')}`,
      `阳泉市第${i % 3000}号餐饮有限公司`,
      '城区',
      '餐饮服务',
      i % 3 ? '双随机' : null,
      i % 3 ? '投诉举报' : null,
      '现场检查',
      i % 7 ? '否' : '是',
      i % 4 ? '否' : '是',
      '张三、李四',
      '否',
      i % 3 ? null : '责令整改',
      i % 3 ? null : i % 5,
      `rec-${i.toString(36)}`,
      i % 3 ? null : `rec-${(i - 1).toString(36)}`,
      i * 1.5,
    ];
    const N = 20_000;
    const pages: Plain[][][] = [];
    for (let p = 0; p < N; p += 5000) pages.push(Array.from({ length: 5000 }, (_, k) => row(p + k)));
    const headers = Array.from({ length: 19 }, (_, i) => `列${i + 1}`);
    for (const level of [LEVEL] as const) {
      const t0 = performance.now();
      const w = createXlsxStream({ sheet: '检查记录', headers, level });
      for (const p of pages) w.rows(p);
      const blob = await w.end();
      console.log(`xlsx stream, level ${level}: ${N} rows × 19 in ${(performance.now() - t0).toFixed(0)} ms, ${(blob.size / 1e6).toFixed(2)} MB`);
      const t1 = performance.now();
      const wb = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array', dense: true });
      const ws = wb.Sheets[wb.SheetNames[0]];
      const range = XLSX.utils.decode_range(ws['!ref'] ?? 'A1');
      console.log(`read back by SheetJS in ${(performance.now() - t1).toFixed(0)} ms`);
      expect(range.e.r + 1).toBe(N + 1);
      expect(range.e.c + 1).toBe(19);
      const data = (ws as unknown as { '!data': { v: unknown }[][] })['!data'];
      expect(Array.from(data[0], (c) => c.v)).toEqual(headers);
      expect(Array.from(data[N], (c) => c?.v ?? null)).toEqual(row(N - 1));
      expect(data[1][18].v).toBe(0);
    }
  });
});
