/**
 * The formal documents as PDF, made on the phone (offline too): 现场检查笔录 (on-site record) and 检查结果告知书
 * (result notice), in the city's format, with a subset of the CJK font (public/fonts/doc-cjk.ttf) embedded.
 * Loaded only where documents are made (dynamic import): pdf-lib and fontkit never reach the first screen.
 *
 * Layout: A4 portrait; the title centred, the document number, then labelled rows (the label column on the
 * left, the value wrapped in the rest), the photos three to a row with captions, the signature block, and on
 * every page "第 N 页 共 M 页" with the footer. Text is wrapped by measured width, character by character for
 * Chinese, Latin words and numbers kept whole when they fit, closing punctuation never starting a line.
 * Speed: photos are embedded as the JPEGs they are (no decoding, no re-encoding), signatures as PNG; the
 * font's glyph widths are measured once per character; the font file is fetched once per page load.
 * `performance.measure('document:pdf')` times it.
 */
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb, type PDFImage, type PDFPage } from '@cantoo/pdf-lib';
import { DOC_TITLES, METHOD_NAMES, OUTCOME_NAMES } from './wording';

export interface DocSignature {
  /** who signs, as printed under the signature: 执法人员 / 企业负责人 */
  role: 'inspector' | 'enterprise';
  name: string;
  /** the PNG of the handwritten signature */
  png: Uint8Array;
  /** printed under the signature (default: the input's signedAt, else the end of the inspection) */
  date?: string;
}

export interface DocInput {
  kind: 'onsite_record' | 'result_notice';
  /** the document's number (文书编号), e.g. the entry id */
  number: string;
  agency: { name: string };
  enterprise: { name: string; uscc: string; address?: string; legalRep?: string };
  /** 检查时间 (Asia/Shanghai, as shown) */
  startedAt: string;
  endedAt?: string;
  /** 现场 / 非现场 / 书面 */
  method: 'onsite' | 'offsite' | 'written';
  /** what the inspection is: planned (and which), or triggered by */
  kindText: string;
  team: { name: string; certificateNumber: string }[];
  items: { name: string; legalBasis: string }[];
  /** off-site: the data sources checked */
  sources?: string[];
  checklist: { item: string; ok: boolean; note?: string }[];
  findings: { item: string; description: string; violationCode?: string; suggestion?: string }[];
  outcome: 'no_problem' | 'rectify' | 'case_filed';
  rectifyBy?: string;
  /** the result notice's text as given to the enterprise */
  notice?: string;
  /** 救济途径: the rights to appeal (administrative reconsideration, litigation) and the hotline */
  appeal: string;
  photos: { bytes: Uint8Array; type: 'image/jpeg' | 'image/png'; caption: string }[];
  signatures: DocSignature[];
  enterpriseDeclined?: boolean;
  /** printed in the footer: the platform, the time made */
  footer: string;
  /** the date printed under the signatures (Asia/Shanghai, as shown) */
  signedAt?: string;
}

export const FONT_URL = '/fonts/doc-cjk.ttf';

let fontBytes: Promise<Uint8Array> | null = null;
/** the document font, fetched once (the service worker keeps it offline) */
export function documentFont(): Promise<Uint8Array> {
  if (!fontBytes) {
    fontBytes = fetch(FONT_URL).then(async (r) => {
      if (!r.ok) throw new Error(`font ${FONT_URL}: ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    });
    fontBytes.catch(() => {
      fontBytes = null;
    });
  }
  return fontBytes;
}

// A4 portrait, points
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN_X = 56;
const TOP = PAGE_H - 64;
const BOTTOM = 72;
const CONTENT_W = PAGE_W - 2 * MARGIN_X;
const LABEL_W = 100;
const GAP = 10;
const BODY = 10.5;
const LEADING = 1.55;
const INK = rgb(0.07, 0.07, 0.07);
const GREY = rgb(0.38, 0.38, 0.38);
const RULE = rgb(0.78, 0.78, 0.78);

/** closing punctuation that never starts a line: it hangs at the end of the previous one */
const NO_START = new Set('，。、；：？！）》」』】〕”’,.;:?!)]}%…—·');
/** a Latin word or number (kept whole when it fits), a run of spaces, or one character */
const TOKENS = /[A-Za-z0-9@._\-/:%+#&'’]+|\s+|./gu;

/**
 * Wraps text to a width. `unitWidth` is a character's advance at size 1 (measured once per character): the
 * font's glyph metrics (fontkit, no shaping: the subset has no layout features), ~5× quicker than pdf-lib's
 * widthOfTextAtSize, which lays out every string it measures.
 */
export function makeWrapper(unitWidth: (ch: string) => number) {
  const cache = new Map<string, number>();
  const unit = (s: string): number => {
    let w = 0;
    for (const ch of s) {
      let c = cache.get(ch);
      if (c === undefined) {
        c = unitWidth(ch);
        cache.set(ch, c);
      }
      w += c;
    }
    return w;
  };
  const width = (s: string, size: number) => unit(s) * size;
  function wrap(text: string, size: number, maxW: number): string[] {
    const out: string[] = [];
    for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
      let line = '';
      let w = 0;
      for (const tok of para.match(TOKENS) ?? []) {
        const tw = width(tok, size);
        if (w + tw <= maxW || (line && NO_START.has(tok))) {
          line += tok;
          w += tw;
          continue;
        }
        if (/^\s+$/.test(tok)) {
          out.push(line);
          line = '';
          w = 0;
          continue;
        }
        if (line) out.push(line.trimEnd());
        line = '';
        w = 0;
        if (tw <= maxW) {
          line = tok;
          w = tw;
          continue;
        }
        // a word longer than the line: cut it by characters
        for (const ch of tok) {
          const cw = width(ch, size);
          if (w + cw > maxW && line) {
            out.push(line);
            line = '';
            w = 0;
          }
          line += ch;
          w += cw;
        }
      }
      out.push(line.trimEnd());
    }
    return out;
  }
  return { wrap, width };
}

const parsed = new WeakMap<Uint8Array, (ch: string) => number | null>();
/** a character's advance width at size 1 from the font's own metrics (the font parsed once per bytes) */
function glyphMetrics(bytes: Uint8Array): (ch: string) => number | null {
  let m = parsed.get(bytes);
  if (!m) {
    try {
      const f = fontkit.create(bytes as Parameters<typeof fontkit.create>[0]) as unknown as {
        unitsPerEm: number;
        glyphForCodePoint(cp: number): { advanceWidth: number };
      };
      m = (ch) => f.glyphForCodePoint(ch.codePointAt(0) ?? 0).advanceWidth / f.unitsPerEm;
    } catch {
      m = () => null;
    }
    parsed.set(bytes, m);
  }
  return m;
}

/** The PDF bytes of one document. */
export async function makeDocumentPdf(input: DocInput, opts: { font?: Uint8Array } = {}): Promise<Uint8Array> {
  const t0 = performance.now();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const title = DOC_TITLES[input.kind].zh;
  doc.setTitle(`${title} ${input.number}`);
  doc.setSubject(input.enterprise.name);
  doc.setProducer('涉企检查协同平台');
  doc.setCreator('涉企检查协同平台');
  const bytes = opts.font ?? (await documentFont());
  const font = await doc.embedFont(bytes, { subset: true });
  const metrics = glyphMetrics(bytes);
  const { wrap, width } = makeWrapper((ch) => metrics(ch) ?? font.widthOfTextAtSize(ch, 1));

  let page: PDFPage = doc.addPage([PAGE_W, PAGE_H]);
  let y = TOP;
  const newPage = () => {
    page = doc.addPage([PAGE_W, PAGE_H]);
    y = TOP;
  };
  /** room for `h` points below the cursor, else a new page */
  const ensure = (h: number) => {
    if (y - h < BOTTOM) newPage();
  };
  const draw = (s: string, x: number, baseline: number, size: number, color = INK) => {
    if (s) page.drawText(s, { x, y: baseline, size, font, color });
  };
  const rule = (at: number) => page.drawLine({ start: { x: MARGIN_X, y: at }, end: { x: PAGE_W - MARGIN_X, y: at }, thickness: 0.5, color: RULE });
  const lineH = (size: number) => size * LEADING;

  // ---- title and number ----
  const titleSize = 20;
  draw(title, (PAGE_W - width(title, titleSize)) / 2, y - titleSize, titleSize);
  y -= titleSize + 14;
  const no = `文书编号：${input.number}`;
  draw(no, PAGE_W - MARGIN_X - width(no, 9.5), y - 9.5, 9.5, GREY);
  y -= 9.5 + 10;
  rule(y);

  /** a labelled row: the label on the left, the value's lines beside it (continued on the next page when long) */
  const row = (label: string, value: string | string[]) => {
    const valueW = CONTENT_W - LABEL_W - GAP;
    const paras = Array.isArray(value) ? value : [value];
    const lines = (paras.length ? paras : ['—']).flatMap((p) => wrap(p || '—', BODY, valueW));
    const labelLines = wrap(label, BODY, LABEL_W);
    const h = lineH(BODY);
    y -= 6;
    ensure(h * Math.min(lines.length, 2));
    const n = Math.max(lines.length, labelLines.length);
    for (let i = 0; i < n; i++) {
      if (y - h < BOTTOM) {
        newPage();
        if (i < lines.length && i >= labelLines.length) draw(`${label}（续）`, MARGIN_X, y - BODY, 9, GREY);
      }
      if (i < labelLines.length) draw(labelLines[i], MARGIN_X, y - BODY, BODY, GREY);
      if (i < lines.length) draw(lines[i], MARGIN_X + LABEL_W + GAP, y - BODY, BODY);
      y -= h;
    }
    y -= 4;
    rule(y);
  };
  const heading = (s: string, need: number) => {
    y -= 14;
    ensure(need + 20);
    draw(s, MARGIN_X, y - 12, 12);
    y -= 12 + 8;
  };

  // ---- the rows ----
  const e = input.enterprise;
  row('检查机关', input.agency.name);
  row('被检查单位', e.name);
  row('统一社会信用代码', e.uscc);
  if (e.address) row('地址', e.address);
  if (e.legalRep) row('负责人', e.legalRep);
  row('检查时间', input.endedAt ? `${input.startedAt} 至 ${input.endedAt}` : input.startedAt);
  row('检查方式', METHOD_NAMES[input.method].zh);
  row('检查类型', input.kindText);
  row(
    '执法人员及证件号',
    input.team.map((m) => `${m.name}（执法证号：${m.certificateNumber}）`),
  );
  row(
    '检查事项及法律依据',
    input.items.map((it, i) => `${i + 1}. ${it.name}${it.legalBasis ? `　依据：${it.legalBasis}` : ''}`),
  );
  if (input.sources?.length)
    row(
      '核查资料',
      input.sources.map((s, i) => `${i + 1}. ${s}`),
    );
  if (input.kind === 'onsite_record')
    row(
      '检查情况',
      input.checklist.map((c) => `${c.ok ? '✓' : '×'} ${c.item}${c.ok ? '' : '（不符合）'}${c.note ? `：${c.note}` : ''}`),
    );
  row(
    '发现的问题',
    input.findings.length
      ? input.findings.map((f, i) => {
          const extra = [f.violationCode ? `违法行为代码：${f.violationCode}` : '', f.suggestion ? `处理建议：${f.suggestion}` : ''].filter(Boolean).join('；');
          return `${i + 1}. ${f.item}：${f.description}${extra ? `（${extra}）` : ''}`;
        })
      : ['未发现问题'],
  );
  row(
    '处理决定',
    input.outcome === 'rectify' && input.rectifyBy ? `${OUTCOME_NAMES.rectify.zh}，整改期限至 ${input.rectifyBy}` : OUTCOME_NAMES[input.outcome].zh,
  );
  if (input.kind === 'result_notice' && input.notice) row('告知内容', input.notice);
  row('救济途径', input.appeal);

  // ---- photos, three to a row ----
  const cellW = (CONTENT_W - 2 * GAP) / 3;
  if (input.photos.length) {
    const imgs: { img: PDFImage; caption: string }[] = [];
    for (const ph of input.photos)
      imgs.push({ img: ph.type === 'image/png' ? await doc.embedPng(ph.bytes) : await doc.embedJpg(ph.bytes), caption: ph.caption });
    const maxH = 150;
    heading(input.method === 'onsite' ? '现场照片' : '证据照片', maxH);
    for (let i = 0; i < imgs.length; i += 3) {
      const group = imgs.slice(i, i + 3).map(({ img, caption }) => {
        const k = Math.min(cellW / img.width, maxH / img.height);
        return { img, w: img.width * k, h: img.height * k, cap: wrap(caption, 9, cellW).slice(0, 3) };
      });
      const imgH = Math.max(...group.map((g) => g.h));
      const capH = Math.max(...group.map((g) => g.cap.length)) * lineH(9);
      ensure(imgH + capH + 8);
      group.forEach((g, j) => {
        const x = MARGIN_X + j * (cellW + GAP);
        page.drawImage(g.img, { x: x + (cellW - g.w) / 2, y: y - imgH + (imgH - g.h) / 2, width: g.w, height: g.h });
        g.cap.forEach((c, k) => {
          draw(c, x + Math.max(0, (cellW - width(c, 9)) / 2), y - imgH - 4 - 9 - k * lineH(9), 9, GREY);
        });
      });
      y -= imgH + capH + 12;
    }
  }

  // ---- signatures ----
  const sigs = input.signatures;
  const dateOf = (s: DocSignature) => s.date ?? input.signedAt ?? input.endedAt ?? input.startedAt;
  const boxH = 56;
  heading('签名', boxH + 40);
  for (let i = 0; i < sigs.length; i += 3) {
    const group = sigs.slice(i, i + 3);
    ensure(boxH + 40);
    for (let j = 0; j < group.length; j++) {
      const s = group[j];
      const x = MARGIN_X + j * (cellW + GAP);
      const img = await doc.embedPng(s.png);
      const k = Math.min((cellW - 8) / img.width, boxH / img.height);
      page.drawImage(img, { x: x + 4, y: y - boxH + (boxH - img.height * k) / 2, width: img.width * k, height: img.height * k });
      page.drawLine({ start: { x, y: y - boxH - 3 }, end: { x: x + cellW, y: y - boxH - 3 }, thickness: 0.5, color: GREY });
      const who = `${s.role === 'inspector' ? '执法人员' : '企业负责人'}：${s.name}`;
      draw(wrap(who, 9.5, cellW)[0], x, y - boxH - 16, 9.5);
      draw(`日期：${dateOf(s)}`, x, y - boxH - 30, 9, GREY);
    }
    y -= boxH + 44;
  }
  if (input.enterpriseDeclined) {
    ensure(lineH(BODY) + 8);
    draw('企业负责人拒绝签名', MARGIN_X, y - BODY, BODY);
    y -= lineH(BODY) + 8;
  }

  // ---- page numbers and footer ----
  const pages = doc.getPages();
  const footer = wrap(input.footer, 8, CONTENT_W)[0] ?? '';
  pages.forEach((p, i) => {
    page = p;
    const num = `第 ${i + 1} 页 共 ${pages.length} 页`;
    draw(num, (PAGE_W - width(num, 9)) / 2, 40, 9, GREY);
    draw(footer, (PAGE_W - width(footer, 8)) / 2, 26, 8, GREY);
  });

  const pdf = await doc.save({ useObjectStreams: true });
  performance.measure('document:pdf', { start: t0, end: performance.now() });
  return pdf;
}
