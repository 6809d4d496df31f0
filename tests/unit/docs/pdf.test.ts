/**
 * The PDF documents made in Node with the real font: both kinds carry their Chinese text (extracted again with
 * unpdf, so the embedded font maps its glyphs back to Unicode), embed only a subset of the 1.3 MB font, keep
 * the photos' JPEG bytes as they are, and wrap long Chinese text inside the page.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { createRequire } from 'node:module';
import { extractText } from 'unpdf';
import { makeDocumentPdf, makeWrapper, type DocInput } from '../../../src/docs/pdf';
import { appealText } from '../../../src/docs/wording';

// pngjs ships no types: the little used here
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { new (o: { width: number; height: number }): { data: Buffer }; sync: { write(p: { data: Buffer }): Buffer } };
};

const font = new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../../public/fonts/doc-cjk.ttf')));

/** a small JPEG with a gradient (each photo differs) */
function photo(seed: number, w = 64, h = 48): Uint8Array {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    data[i * 4] = (i * seed) % 256;
    data[i * 4 + 1] = (i >> 3) % 256;
    data[i * 4 + 2] = 128;
    data[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 80).data);
}

/** a transparent PNG with a dark stroke, like the signature pad's */
function signature(seed: number): Uint8Array {
  const png = new PNG({ width: 120, height: 40 });
  for (let x = 5; x < 115; x++) {
    const y = 20 + Math.round(10 * Math.sin((x + seed) / 8));
    const i = (y * 120 + x) * 4;
    png.data[i + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(png));
}

const USCC = '91140300MA0K0000X1';
function input(kind: DocInput['kind'], withPhotos = true): DocInput {
  return {
    kind,
    number: 'entry-0001',
    agency: { name: '阳泉市市场监督管理局' },
    enterprise: { name: '晋味轩餐饮有限公司', uscc: USCC, address: '阳泉市城区北大街 12 号', legalRep: '王建国' },
    startedAt: '2026-11-25 10:00',
    endedAt: '2026-11-25 10:45',
    method: 'onsite',
    kindText: '计划检查（2026 年度食品安全双随机抽查）',
    team: [
      { name: '李明', certificateNumber: '14030012345' },
      { name: '赵芳', certificateNumber: '14030067890' },
    ],
    items: [{ name: '餐饮服务食品安全', legalBasis: '《中华人民共和国食品安全法》第五十四条' }],
    checklist: [
      { item: '从业人员健康证明', ok: true },
      { item: '食品贮存条件', ok: false, note: '冷藏柜温度偏高' },
    ],
    findings: [
      { item: '食品贮存条件', description: '冷藏柜温度为 9 摄氏度，超过规定温度'.repeat(4), violationCode: 'SP-0054', suggestion: '首违不罚，责令改正' },
    ],
    outcome: 'rectify',
    rectifyBy: '2026-12-10',
    notice: '经检查，发现贵单位冷藏柜温度偏高，请于 2026-12-10 前整改完毕并报告整改情况。',
    appeal: appealText('12345', 'zh'),
    photos: withPhotos ? [1, 2, 3].map((s) => ({ bytes: photo(s), type: 'image/jpeg' as const, caption: `现场照片 ${s}：冷藏柜温度显示` })) : [],
    signatures: [
      { role: 'inspector', name: '李明', png: signature(1) },
      { role: 'inspector', name: '赵芳', png: signature(2) },
      { role: 'enterprise', name: '王建国', png: signature(3) },
    ],
    footer: '涉企检查协同平台 · 生成于 2026-11-25 10:46',
  };
}

const textOf = async (pdf: Uint8Array) => (await extractText(new Uint8Array(pdf), { mergePages: true })).text.replace(/\s+/g, '');

describe('makeDocumentPdf', () => {
  it('the on-site record carries its title, the enterprise, the USCC, the item, the finding, the decision and the appeal wording', async () => {
    const pdf = await makeDocumentPdf(input('onsite_record'), { font });
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const text = await textOf(pdf);
    for (const s of [
      '现场检查笔录',
      '晋味轩餐饮有限公司',
      USCC,
      '餐饮服务食品安全',
      '冷藏柜温度为9摄氏度',
      'SP-0054',
      '责令限期整改',
      '2026-12-10',
      '行政复议',
      '行政诉讼',
      '12345',
      '李明',
      '14030012345',
      '第1页共',
      '企业负责人：王建国',
    ])
      expect(text, s).toContain(s);
    // the checklist is the record's, not the notice's
    expect(text).toContain('✓从业人员健康证明');
  });

  it('the result notice carries its own title and the notice text; a declined enterprise is printed', async () => {
    const i = input('result_notice');
    i.signatures = i.signatures.slice(0, 2);
    i.enterpriseDeclined = true;
    const text = await textOf(await makeDocumentPdf(i, { font }));
    for (const s of ['检查结果告知书', '晋味轩餐饮有限公司', USCC, '请于2026-12-10前整改完毕', '行政复议', '企业负责人拒绝签名']) expect(text, s).toContain(s);
    expect(text).not.toContain('现场检查笔录');
    expect(text).not.toContain('从业人员健康证明');
  });

  it('embeds a subset of the font (far below its 1.3 MB) and the photos as they are', async () => {
    const bare = await makeDocumentPdf(input('onsite_record', false), { font });
    expect(font.length).toBeGreaterThan(1_000_000);
    expect(bare.length).toBeLessThan(400 * 1024);
    const withPhotos = await makeDocumentPdf(input('onsite_record'), { font });
    const raw = Buffer.from(withPhotos);
    // each JPEG's bytes appear unchanged in the file (DCTDecode streams, not re-encoded)
    for (const s of [1, 2, 3]) expect(raw.indexOf(Buffer.from(photo(s)))).toBeGreaterThan(0);
  });

  it('long content flows onto more pages, each numbered', async () => {
    const i = input('onsite_record');
    i.findings = Array.from({ length: 40 }, (_, n) => ({ item: `事项${n + 1}`, description: '发现问题的详细描述，'.repeat(6) }));
    const text = await textOf(await makeDocumentPdf(i, { font }));
    const total = /共(\d+)页/.exec(text)?.[1];
    expect(Number(total)).toBeGreaterThan(1);
    expect(text).toContain(`第${total}页共${total}页`);
  });
});

describe('makeWrapper', () => {
  // a fake font: every character 1 unit wide
  const { wrap } = makeWrapper(() => 1);
  it('cuts Chinese text by characters and keeps Latin words whole', () => {
    expect(wrap('一二三四五六七', 1, 3)).toEqual(['一二三', '四五六', '七']);
    expect(wrap('代码 ABCDE 号', 1, 6)).toEqual(['代码', 'ABCDE', '号']);
  });
  it('never starts a line with closing punctuation, cuts over-long words, keeps paragraphs', () => {
    expect(wrap('一二三，四', 1, 3)).toEqual(['一二三，', '四']);
    expect(wrap('ABCDEFGH', 1, 3)).toEqual(['ABC', 'DEF', 'GH']);
    expect(wrap('甲\n乙', 1, 10)).toEqual(['甲', '乙']);
  });
});
