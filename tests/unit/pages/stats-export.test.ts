/**
 * The statistics exports (src/pages/stats/export-format.ts, columns.ts): CSV per RFC 4180 with a BOM and CRLF,
 * headers in the UI language, withheld figures as "<5"; the XLSX made from the same matrix by the streaming
 * writer (xlsx-stream.ts, which the page's worker runs) read back with @e965/xlsx gives the same cells, numbers
 * as numbers, a bold header row. The writer itself in detail: stats-xlsx.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { unzipSync, strFromU8 } from 'fflate';
import { setLang } from '../../../src/i18n';
import { BOM, csvField, csvLines, fileName, toCsv, type Matrix } from '../../../src/pages/stats/export-format';
import { createXlsxStream } from '../../../src/pages/stats/xlsx-stream';
import { detailCols, detailRows, feedbackCols, matrixOf, monthlyCols, planCols, recordCols, warningCols } from '../../../src/pages/stats/columns';
import type { StatsFeedbackRow, StatsMonthRow, StatsPlanRow, StatsRecordRow, StatsSummary } from '../../../src/protocol/stats';

afterEach(() => setLang('zh'));

/** a minimal CSV reader per RFC 4180 (quoted fields, doubled quotes, CRLF), to read back what we wrote */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
      i++;
    } else f += c;
  }
  return rows;
}

const month = (m: string, n: number): StatsMonthRow => ({
  month: m,
  inspections: n,
  planned: n - 1,
  late: 0,
  triggered: 1,
  onsite: n,
  offsite: 0,
  joint: 0,
  drawn: 0,
  enterprises: n,
  no_problem: 1,
  rectify: 0,
  case_filed: 0,
  warnings: 12345,
});

const record = (over: Partial<StatsRecordRow> = {}): StatsRecordRow => ({
  id: 'rec-1',
  type: 'entry',
  at: '2026-11-25T02:05:09.000Z',
  agencyId: 'city-market',
  agencyName: '市市场监管局',
  uscc: '91140300MA0K000001',
  enterpriseName: '阳泉市"老字号",食品\n有限公司',
  division: '140302',
  industry: 'catering',
  kind: 'triggered',
  detail: 'complaint',
  method: 'onsite',
  joint: false,
  drawn: true,
  inspectors: '张三、李四',
  late: false,
  outcome: null,
  findings: null,
  entryId: null,
  ...over,
});

describe('CSV', () => {
  it('quotes a field with a comma, a quote or a line break and doubles its quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvField('plain 中文')).toBe('plain 中文');
    expect(csvField(null)).toBe('');
    expect(csvField(1234.5)).toBe('1234.5');
  });

  it('keeps a text Excel would run as a formula from running (a leading apostrophe)', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('starts with a BOM, ends every line with CRLF, numbers unquoted', () => {
    const csv = toCsv({
      headers: ['月份', '检查次数'],
      rows: [
        ['2026-01', 12345],
        ['2026-02', null],
      ],
    });
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe('月份,检查次数\r\n2026-01,12345\r\n2026-02,\r\n');
    expect(csv.slice(1).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('reads back to the same cells, a tricky enterprise name included', () => {
    setLang('zh');
    const m = matrixOf(recordCols({ division: (c) => (c === '140302' ? '城区' : c) }), [
      record(),
      record({
        id: 'rec-2',
        type: 'result',
        kind: null,
        detail: null,
        method: null,
        joint: null,
        drawn: null,
        inspectors: null,
        late: null,
        outcome: 'rectify',
        findings: 2,
        entryId: 'rec-1',
      }),
    ]);
    const back = parseCsv(toCsv(m).slice(1));
    expect(back[0]).toEqual(m.headers);
    expect(back[1][4]).toBe('阳泉市"老字号",食品\n有限公司');
    expect(back.slice(1)).toEqual(m.rows.map((r) => r.map((v) => (v === null ? '' : String(v)))));
    // dates as text, Shanghai time to the minute
    expect(back[1][1]).toBe('2026-11-25 10:05');
  });

  it('writes headers and labels in the UI language', () => {
    setLang('zh');
    const zh = matrixOf(monthlyCols, [month('2026-03', 5)]);
    expect(zh.headers.slice(0, 3)).toEqual(['月份', '检查次数', '计划检查']);
    setLang('en');
    const en = matrixOf(monthlyCols, [month('2026-03', 5)]);
    expect(en.headers.slice(0, 3)).toEqual(['Month', 'Inspections', 'Planned']);
    expect(en.rows).toEqual(zh.rows);
    const w = matrixOf(warningCols, [{ kind: 'over_cap', raised: 3, handled: 2, open: 1, medianHoursToHandle: 5.256 }]);
    expect(w.headers[0]).toBe('Kind');
    expect(w.rows[0]).toEqual(['Over the annual cap', 3, 2, 1, 5.26]);
    setLang('zh');
    expect(matrixOf(warningCols, [{ kind: 'over_cap', raised: 3, handled: 2, open: 1, medianHoursToHandle: null }]).rows[0]).toEqual([
      '超年度频次',
      3,
      2,
      1,
      null,
    ]);
  });

  it('exports a withheld figure as "<5" and shares as percentage numbers', () => {
    setLang('zh');
    const fb: StatsFeedbackRow[] = [
      {
        key: '2026-10',
        name: '2026-10',
        nameEn: '2026-10',
        // withheld by the server: fewer than 5 enterprises rated (the page never has the counts to show)
        ratings: null,
        enterprises: null,
        average: null,
        distribution: null,
        complaints: null,
        suppressed: true,
      },
      {
        key: '2026-09',
        name: '2026-09',
        nameEn: '2026-09',
        ratings: 9,
        enterprises: 6,
        average: 4.25,
        distribution: [0, 0, 1, 4, 4],
        complaints: 1,
        suppressed: false,
      },
    ];
    const m = matrixOf(feedbackCols('month'), fb);
    expect(m.headers).toEqual(['月份', '评价次数', '评价企业', '平均分', '1星', '2星', '3星', '4星', '5星', '投诉']);
    expect(m.rows[0]).toEqual(['2026-10', '<5', '<5', null, null, null, null, null, null, '<5']);
    expect(m.rows[1]).toEqual(['2026-09', 9, 6, 4.25, 0, 0, 1, 4, 4, 1]);
    const plan: StatsPlanRow = {
      agencyId: 'city-market',
      name: '市市场监管局',
      nameEn: 'City market regulation',
      status: 'filed',
      submittedOn: '2026-01-20',
      due: '2026-01-31',
      onTime: true,
      items: 10,
      samplingItems: 4,
      tasks: 100,
      tasksDone: 80,
      sampling: { population: 2000, drawn: 123, inspected: 100, share: 0.0615 },
    };
    const p = matrixOf(planCols, [plan]);
    expect(p.rows[0]).toEqual(['市市场监管局', '已备案', '2026-01-20', '2026-01-31', '是', 10, 4, 80, 100, 2000, 123, 100, 6.15]);
  });
});

describe('XLSX', () => {
  async function readBack(m: Matrix) {
    const w = createXlsxStream({ sheet: 'T', headers: m.headers });
    w.rows(m.rows);
    const buf = Buffer.from(await (await w.end()).arrayBuffer());
    const wb = XLSX.read(buf, { type: 'buffer' });
    const ws = wb.Sheets[wb.SheetNames[0]];
    return { buf, ws, cells: XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null, raw: true }) };
  }

  it('has the same cells as the table, numbers as numbers, text as text, dates as text', async () => {
    setLang('zh');
    const m = matrixOf(recordCols({ division: () => '城区' }), [record(), record({ id: 'rec-2', findings: 3, type: 'result', outcome: 'case_filed' })]);
    const { ws, cells } = await readBack(m);
    expect(cells[0]).toEqual(m.headers);
    expect(cells.slice(1)).toEqual(m.rows);
    // findings (column P) is a number cell; the time (column B) a text cell
    expect(ws.P3.t).toBe('n');
    expect(ws.P3.v).toBe(3);
    expect(ws.B2.t).toBe('s');
    expect(ws.B2.v).toBe('2026-11-25 10:05');
  });

  it('writes the header row bold, in English when the UI is', async () => {
    setLang('en');
    const s = {
      inspections: 10,
      enterprises: 8,
      planned: 6,
      triggered: 4,
      byPlanned: { special: 2, routine: 3, other: 1 },
      byTrigger: { complaint: 1, referral: 1, data_monitoring: 1, enterprise_request: 1 },
      onsite: 7,
      offsite: 2,
      written: 1,
      joint: 1,
      drawn: 2,
      late: 0,
      quiet: { onQuietDays: 1, withException: 1, triggered: 0, breaches: 0 },
      exemptions: { total: 1, byKind: { hazard: 1 } },
      outcomes: { results: 5, no_problem: 3, rectify: 1, case_filed: 1, findings: 2, flexible: { lighter: 1, mitigated: 0, first_offence_exempt: 1 } },
    } as unknown as StatsSummary;
    const m = matrixOf(detailCols, detailRows(s));
    const { buf, cells } = await readBack(m);
    expect(cells[0]).toEqual(['Group', 'Item', 'Count', 'Share (%)']);
    expect(cells[1]).toEqual(['Planned', 'Special campaign', 2, 33.33]);
    const files = unzipSync(new Uint8Array(buf));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
    const styles = strFromU8(files['xl/styles.xml']);
    // the header cells carry a style whose font is bold; body cells do not
    const headStyle = /<c r="A1"[^>]* s="(\d+)"/.exec(sheet)?.[1];
    expect(headStyle).toBeDefined();
    const xfs = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b([^>]*)>/g)].map((x) =>
      Number(/fontId="(\d+)"/.exec(x[1])?.[1] ?? 0),
    );
    const fonts = [...(/<fonts[^>]*>([\s\S]*?)<\/fonts>/.exec(styles)?.[1] ?? '').matchAll(/<font>[\s\S]*?<\/font>|<font\/>/g)].map((x) => x[0]);
    expect(fonts[xfs[Number(headStyle)]]).toContain('<b/>');
    // a body cell has no bold style
    const bodyStyle = Number(/<c r="A2"[^>]*? s="(\d+)"/.exec(sheet)?.[1] ?? 0);
    expect(fonts[xfs[bodyStyle]] ?? '').not.toContain('<b/>');
  });
});

describe('file names', () => {
  it('name the section and the range, without characters a file system refuses', () => {
    expect(fileName('月度趋势', '2026-01', '2026-12', 'csv')).toBe('月度趋势-2026-01-2026-12.csv');
    expect(fileName('Plans / sampling: 2026', '2026-09', '2026-11', 'xlsx')).toBe('Plans_sampling_2026-2026-09-2026-11.xlsx');
  });

  it('csvLines adds a page of rows at a time (the ledger export)', () => {
    expect(
      csvLines([
        ['a', 1],
        ['b,c', null],
      ]),
    ).toBe('a,1\r\n"b,c",\r\n');
  });
});
