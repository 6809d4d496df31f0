/**
 * The enterprise importer's checks, row by row, against a real platform database holding the city's divisions
 * (down to townships): the USCC check digit (naming the wrong character and the right one), divisions of this
 * city, industries, risk levels, duplicates within the file (both lines), lengths; new / changed / unchanged;
 * an absent column keeps the stored value; apply writes everything and one audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPlatformDb } from '../../../server/database';
import { Directory } from '../../../server/directory/store';
import { AuditLog } from '../../../server/audit/store';
import { enterpriseImporter } from '../../../server/imports/enterprises';
import { headerKey } from '../../../server/imports/service';
import type { FieldRow, ImportPlan } from '../../../server/imports/types';
import { CITY_DIVISIONS } from '../../../server/seed/city-divisions';
import { Enterprise } from '../../../src/domain/schemas';
import type { DB } from '../../../server/store/db';
import { badCheck, uscc } from './import-fixtures';

let dir: string;
let db: DB;
let importer: ReturnType<typeof enterpriseImporter>;
let audit: AuditLog;
const township = CITY_DIVISIONS.find((d) => d.code.length === 9)!;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-ent-'));
  db = openPlatformDb(dir);
  const ins = db.prepare('INSERT INTO divisions(code, name, name_en, level, parent, json) VALUES (?,?,?,?,?,?)');
  for (const d of CITY_DIVISIONS) ins.run(d.code, d.name, d.nameEn, d.level, d.parent ?? null, JSON.stringify(d));
  audit = new AuditLog(db, () => Date.parse('2026-06-15T02:00:00Z'));
  importer = enterpriseImporter({ db, dir: new Directory(db), audit });
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FIELDS = ['uscc', 'name', 'kind', 'division', 'industry', 'risk', 'credit', 'address', 'legalRep', 'quietZone', 'status'];
const base = (u: string, o: Record<string, string> = {}): Record<string, string> => ({
  uscc: u,
  name: '阳泉市测试有限公司',
  kind: '法人',
  division: '140302',
  industry: '餐饮',
  risk: '低',
  credit: 'B',
  address: '南大街1号',
  legalRep: '张三',
  quietZone: '否',
  status: '存续',
  ...o,
});
const plan = (rows: Record<string, string>[], present: string[] = FIELDS): Promise<ImportPlan<Enterprise>> =>
  importer.plan(
    rows.map((fields, i): FieldRow => ({ line: i + 2, fields })),
    new Set(present),
    () => {},
  );
const apply = (p: ImportPlan<Enterprise>) =>
  importer.apply(p, {
    principal: { userId: 'u-s', name: '监督', role: 'supervisor' } as never,
    progress: () => {},
    audit: { actor: { userId: 'u-s', name: '监督', role: 'supervisor' }, action: 'import.enterprises', target: 'import:t', after: { n: p.rows.length } },
  });
const reasonOf = async (fields: Record<string, string>) => {
  const p = await plan([fields]);
  expect(p.rows).toHaveLength(0);
  expect(p.invalid).toHaveLength(1);
  return p.invalid[0];
};

describe('each reason a row is refused', () => {
  it('a wrong USCC check character: the reason names it and the right one', async () => {
    const { bad, right } = badCheck(uscc(11));
    const r = await reasonOf(base(bad));
    expect(r).toMatchObject({ line: 2, column: 'uscc' });
    expect(r.reason.zh).toContain(`第18位校验码“${bad[17]}”错误`);
    expect(r.reason.zh).toContain(`应为“${right}”`);
    expect(r.reason.en).toContain(`"${right}"`);
  });

  it('a USCC with a letter it may not hold, or of the wrong length, or none', async () => {
    const r = await reasonOf(base('91140302MA0O00110X'));
    expect(r.reason.zh).toContain('第12位字符“O”');
    expect((await reasonOf(base('9114030'))).reason.zh).toContain('应为18位');
    expect((await reasonOf(base(''))).reason.zh).toContain('不能为空');
  });

  it('a division not of this city, or the city itself', async () => {
    expect((await reasonOf(base(uscc(12), { division: '110101' }))).reason.zh).toContain('不是本市的县级区划或乡镇（街道）代码');
    expect((await reasonOf(base(uscc(12), { division: '140300' }))).column).toBe('division');
    expect((await reasonOf(base(uscc(12), { division: '1403' }))).reason.en).toContain('6- or 9-digit');
  });

  it('an industry not on the list; a risk level that is not one', async () => {
    const i = await reasonOf(base(uscc(13), { industry: '航天' }));
    expect([i.column, i.reason.zh]).toEqual(['industry', '行业：“航天”不在行业目录中']);
    const r = await reasonOf(base(uscc(13), { risk: '极高' }));
    expect(r.column).toBe('risk');
    expect(r.reason.en).toContain('low, medium, high or major');
  });

  it('kind, credit, quiet zone and status that are not known values', async () => {
    expect((await reasonOf(base(uscc(14), { kind: '合伙' }))).column).toBe('kind');
    expect((await reasonOf(base(uscc(14), { credit: 'E' }))).column).toBe('credit');
    expect((await reasonOf(base(uscc(14), { quietZone: '也许' }))).column).toBe('quietZone');
    expect((await reasonOf(base(uscc(14), { status: '休眠' }))).column).toBe('status');
  });

  it('a name, address or legal representative too long; a new enterprise without a name or risk level', async () => {
    expect((await reasonOf(base(uscc(15), { name: '名'.repeat(201) }))).reason.zh).toContain('最多 200 个字符');
    expect((await reasonOf(base(uscc(15), { address: '址'.repeat(201) }))).column).toBe('address');
    expect((await reasonOf(base(uscc(15), { legalRep: '人'.repeat(51) }))).column).toBe('legalRep');
    expect((await reasonOf(base(uscc(15), { name: '' }))).reason.zh).toBe('企业名称：不能为空');
    expect((await reasonOf(base(uscc(15), { risk: '' }))).column).toBe('risk');
  });

  it('a USCC twice in the file: both rows are refused, each naming the other', async () => {
    const p = await plan([base(uscc(16)), base(uscc(17)), base(uscc(16), { name: '另一家' })]);
    expect(p.rows.map((r) => r.key)).toEqual([uscc(17)]);
    expect(p.invalid.map((r) => r.line)).toEqual([2, 4]);
    expect(p.invalid[0].reason.zh).toContain('第 2 行与第 4 行');
    expect(p.invalid[1].reason.zh).toContain('第 4 行与第 2 行');
  });
});

describe('values read', () => {
  it('Chinese and English values, a township code (its county becomes the division), 注销', async () => {
    const p = await plan([
      base(uscc(21), { kind: '个体工商户', industry: 'Retail', risk: '重大', credit: 'a', quietZone: '是', division: township.code }),
      base(uscc(22), { kind: 'unincorporated', industry: 'hazardous_chemicals', risk: 'high', status: '注销' }),
    ]);
    expect(p.invalid).toEqual([]);
    expect(p.rows[0].value).toMatchObject({ kind: 'individual', industry: 'retail', riskLevel: 'major', creditLevel: 'A', quietZone: true });
    expect(p.rows[0].value.division).toBe(township.parent);
    expect(p.rows[0].value.township).toBe(township.code);
    expect(p.rows[1].value).toMatchObject({ kind: 'unincorporated', riskLevel: 'high', status: 'deregistered' });
    for (const r of p.rows) expect(Enterprise.parse(r.value)).toEqual(r.value);
  });

  it('header names match in any case, without spaces, marks or notes', () => {
    expect(importer.headers[Object.keys(importer.headers).find((h) => headerKey(h) === headerKey(' USCC '))!]).toBe('uscc');
    expect(headerKey('统一社会信用代码（必填）*')).toBe(headerKey('统一社会信用代码'));
    expect(headerKey('Legal Rep')).toBe('legalrep');
  });
});

describe('new, changed, unchanged; apply', () => {
  it('plans, applies in one go with its audit entry, then sees the same file as unchanged', async () => {
    const rows = [base(uscc(31)), base(uscc(32), { status: '注销' })];
    const first = await plan(rows);
    expect(first.rows.map((r) => r.status)).toEqual(['new', 'new']);
    const before = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    await apply(first);
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(before + 1);
    expect(db.prepare('SELECT deregistered FROM enterprises WHERE uscc = ?').get(uscc(32))).toEqual({ deregistered: 1 });
    const again = await plan(rows);
    expect(again.rows.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    const changed = await plan([base(uscc(31), { risk: '高' }), rows[1]]);
    expect(changed.rows.map((r) => r.status)).toEqual(['changed', 'unchanged']);
  });

  it('a column the file does not have keeps the stored value', async () => {
    const p = await plan([{ uscc: uscc(31), risk: '中' }], ['uscc', 'risk']);
    expect(p.invalid).toEqual([]);
    expect(p.rows[0]).toMatchObject({ status: 'changed', value: { name: '阳泉市测试有限公司', riskLevel: 'medium', address: '南大街1号', legalRep: '张三' } });
    // a new enterprise needs what the stored one would give
    const n = await plan([{ uscc: uscc(33), risk: '中' }], ['uscc', 'risk']);
    expect(n.invalid[0].column).toBe('name');
  });
});
