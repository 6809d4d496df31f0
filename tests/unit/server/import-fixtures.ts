/**
 * Test files for the imports: valid USCCs, CSV text, and GBK bytes. The GBK encoder is the decoder run
 * backwards: every two-byte GBK code is decoded once with Node's TextDecoder('gbk') (ICU) into a table, so the
 * tests write the very bytes Excel on a Chinese Windows writes, with no encoding library.
 */
import { usccCheckChar } from '../../../src/domain/uscc';

let table: Map<string, number[]> | null = null;
function gbkTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const dec = new TextDecoder('gbk');
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [a, b]);
    }
  return table;
}

/** the GBK bytes of a text (ASCII as is) */
export function gbk(text: string): Buffer {
  const t = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const bytes = t.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** a valid USCC: 9114 + the division + a 7-character serial (digits), with its check character */
export function uscc(serial: number, division = '140302'): string {
  const first17 = `9114${division.slice(2)}MA${String(serial).padStart(5, '0')}`.slice(0, 17);
  const s = first17.padEnd(17, '0');
  return s + usccCheckChar(s);
}

/** the same USCC with a wrong check character, and the right one */
export function badCheck(u: string): { bad: string; right: string } {
  const right = u[17];
  const wrong = right === '0' ? '1' : '0';
  return { bad: u.slice(0, 17) + wrong, right };
}

export const HEADER = ['统一社会信用代码', '企业名称', '主体类型', '所属区划', '行业', '风险等级', '信用等级', '地址', '法定代表人', '安静期', '登记状态'];

/** CSV text (CRLF, as Excel writes it) of a header and rows */
export function csv(rows: readonly (readonly string[])[], header: readonly string[] = HEADER): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** one register row */
export function row(
  u: string,
  name: string,
  o: Partial<Record<'kind' | 'division' | 'industry' | 'risk' | 'credit' | 'address' | 'legalRep' | 'quiet' | 'status', string>> = {},
): string[] {
  return [
    u,
    name,
    o.kind ?? '法人',
    o.division ?? '140302',
    o.industry ?? '餐饮',
    o.risk ?? '低',
    o.credit ?? 'B',
    o.address ?? '阳泉市城区南大街1号',
    o.legalRep ?? '张三',
    o.quiet ?? '否',
    o.status ?? '存续',
  ];
}
