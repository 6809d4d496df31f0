/** Reading table files: CSV in UTF-8 (with and without BOM), GBK and UTF-16; XLSX; Excel's row numbers; the limits; bad files. */
import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { readTableFile, TABLE_LIMITS } from '../../../server/imports/table-file';
import { HttpError } from '../../../server/http/errors';
import { gbk, HEADER, csv, row, uscc } from './import-fixtures';

const text = csv([row(uscc(1), '阳泉市老王餐饮有限公司'), row(uscc(2), '平定县“好运”超市', { industry: '零售' })]);

async function refused(p: Promise<unknown>): Promise<HttpError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
}

function xlsx(rows: unknown[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '企业');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('CSV encodings', () => {
  it('reads UTF-8 without a BOM', async () => {
    const t = await readTableFile(Buffer.from(text, 'utf8'), 'e.csv');
    expect(t.columns).toEqual(HEADER);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]).toEqual({ line: 2, cells: expect.objectContaining({ 企业名称: '阳泉市老王餐饮有限公司', 统一社会信用代码: uscc(1) }) });
    expect(t.rows[1].cells.企业名称).toBe('平定县“好运”超市');
  });

  it('reads UTF-8 with a BOM (the BOM is not part of the first header)', async () => {
    const t = await readTableFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'e.csv');
    expect(t.columns[0]).toBe('统一社会信用代码');
    expect(t.rows[0].cells.统一社会信用代码).toBe(uscc(1));
  });

  it('reads GBK (what Excel writes on a Chinese Windows)', async () => {
    const bytes = gbk(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const t = await readTableFile(bytes, '企业名录.csv');
    expect(t.columns).toEqual(HEADER);
    expect(t.rows[0].cells.企业名称).toBe('阳泉市老王餐饮有限公司');
    expect(t.rows[1].cells.行业).toBe('零售');
  });

  it('reads UTF-16 with a BOM, tab-separated (Excel’s Unicode text)', async () => {
    const tsv = text.replace(/,/g, '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    const t = await readTableFile(bytes, 'e.txt');
    expect(t.rows[1].cells.企业名称).toBe('平定县“好运”超市');
  });
});

describe('rows as Excel numbers them', () => {
  it('skips empty rows but keeps counting; a quoted cell may hold a comma and a line break', async () => {
    const body = `${HEADER.join(',')}\r\n\r\n${row(uscc(1), '甲').join(',')}\r\n,,,,\r\n"乙,丙","多\r\n行",x\r\n${row(uscc(3), '丁').join(',')}`;
    const t = await readTableFile(Buffer.from(body), 'e.csv');
    expect(t.rows.map((r) => r.line)).toEqual([3, 5, 6]);
    expect(t.rows[1].cells).toEqual({ 统一社会信用代码: '乙,丙', 企业名称: '多\r\n行', 主体类型: 'x' });
  });

  it('trims cells and ignores cells under no header', async () => {
    const t = await readTableFile(Buffer.from(`a,b,\r\n  1 , 2 ,3,4\r\n`), 'e.csv');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows[0].cells).toEqual({ a: '1', b: '2' });
  });
});

describe('XLSX', () => {
  it('reads the first sheet, with row numbers, numbers without exponent and dates as YYYY-MM-DD', async () => {
    const bytes = xlsx([HEADER, row(uscc(1), '阳泉甲公司'), [], ['91140302MA0000200X', 1234567890123, '', '', '', '', '', new Date(2026, 4, 17)]]);
    const t = await readTableFile(bytes, '企业.xlsx');
    expect(t.columns).toEqual(HEADER);
    expect(t.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(t.rows[0].cells.企业名称).toBe('阳泉甲公司');
    expect(t.rows[1].cells.企业名称).toBe('1234567890123');
    expect(t.rows[1].cells.地址).toBe('2026-05-17');
  });

  it('reads a large workbook off the event loop (a worker thread): timers keep running', async () => {
    const rows: unknown[][] = [HEADER];
    for (let i = 0; i < 30_000; i++) rows.push(row(uscc(i), `阳泉市第${i}号测试公司`));
    const bytes = xlsx(rows);
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      const t = await readTableFile(bytes, 'big.xlsx');
      expect(t.rows).toHaveLength(30_000);
      expect(t.rows[29_999]).toMatchObject({ line: 30_001, cells: { 企业名称: '阳泉市第29999号测试公司' } });
    } finally {
      clearInterval(timer);
    }
    // read on the main thread, the event loop stalled for the whole read (100,000 rows: 11 s)
    expect(longest).toBeLessThan(400);
  }, 30_000);

  it('refuses a file that is not a workbook', async () => {
    const e = await refused(readTableFile(Buffer.from('PK\x03\x04 not really a zip'), 'e.xlsx'));
    expect(e.code).toBe('bad_file');
    expect(e.text.zh).toMatch(/Excel/);
  });
});

describe('limits and bad files', () => {
  it('refuses more than 200,000 rows', async () => {
    const line = `${uscc(1)},x\n`;
    const body = `统一社会信用代码,企业名称\n${line.repeat(TABLE_LIMITS.rows + 1)}`;
    expect((await refused(readTableFile(Buffer.from(body), 'e.csv'))).code).toBe('too_many_rows');
    const ok = await readTableFile(Buffer.from(`统一社会信用代码,企业名称\n${line.repeat(TABLE_LIMITS.rows)}`), 'e.csv');
    expect(ok.rows).toHaveLength(TABLE_LIMITS.rows);
  }, 30_000);

  it('refuses more than 50 columns, a cell over 1,000 characters, a file over 32 MB', async () => {
    const cols = Array.from({ length: 51 }, (_, i) => `c${i}`).join(',');
    expect((await refused(readTableFile(Buffer.from(`${cols}\n`), 'e.csv'))).code).toBe('too_many_columns');
    const long = await refused(readTableFile(Buffer.from(`a,b\n1,${'长'.repeat(1001)}\n`), 'e.csv'));
    expect(long.code).toBe('cell_too_long');
    expect(long.text.zh).toContain('第 2 行');
    expect((await readTableFile(Buffer.from(`a,b\n1,${'长'.repeat(1000)}\n`), 'e.csv')).rows).toHaveLength(1);
    const big = await refused(readTableFile(Buffer.alloc(TABLE_LIMITS.bytes + 1, 0x41), 'e.csv'));
    expect([big.status, big.code]).toEqual([413, 'file_too_large']);
  });

  it('refuses an empty file, a header-less file, a repeated header, another format', async () => {
    expect((await refused(readTableFile(Buffer.alloc(0), 'e.csv'))).code).toBe('empty_file');
    expect((await refused(readTableFile(Buffer.from('\r\n\r\n'), 'e.csv'))).code).toBe('no_header');
    expect((await refused(readTableFile(Buffer.from('a,b,a\n1,2,3\n'), 'e.csv'))).code).toBe('duplicate_header');
    expect((await refused(readTableFile(Buffer.from('x'), 'e.pdf'))).code).toBe('unsupported_file');
    expect((await refused(readTableFile(Buffer.from('a,"b\n1,2\n'), 'e.csv'))).code).toBe('bad_file');
  });
});
