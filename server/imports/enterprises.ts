/**
 * The enterprise importer: the market regulator's register export (CSV or XLSX), upserted by USCC into the
 * directory. Supervisors only. A row is checked for the USCC check digit (the reason names the wrong character
 * and the right one), a division of this city (a 6-digit county-level code, or a 9-digit township code: the
 * township and its county), an industry of the list, a risk level, lengths, and duplicates within the file
 * (both rows are refused, each naming the other). Deregistered (注销) enterprises are marked, never deleted;
 * an enterprise the file does not mention is left as it is. A column the file does not have keeps the stored
 * value (a new enterprise gets the default).
 */
import { Enterprise, LEN, type Principal } from '../../src/domain/schemas';
import { validateUscc } from '../../src/domain/uscc';
import { INDUSTRIES, INDUSTRY_CODES } from '../../src/domain/industries';
import type { DB } from '../store/db';
import type { Bilingual } from '../http/errors';
import type { AuditLog } from '../audit/store';
import type { Directory, EnterpriseWrite } from '../directory/store';
import type { FieldRow, ImportPlan, Importer, PlannedRow, RowIssue } from './types';
import { RowError, rowFailures } from './row-error';

export const ENTERPRISE_HEADERS: Record<string, string> = {
  统一社会信用代码: 'uscc',
  社会信用代码: 'uscc',
  信用代码: 'uscc',
  uscc: 'uscc',
  企业名称: 'name',
  名称: 'name',
  主体名称: 'name',
  name: 'name',
  主体类型: 'kind',
  市场主体类型: 'kind',
  kind: 'kind',
  所属区划: 'division',
  区划代码: 'division',
  行政区划: 'division',
  division: 'division',
  行业: 'industry',
  所属行业: 'industry',
  industry: 'industry',
  风险等级: 'risk',
  risk: 'risk',
  risklevel: 'risk',
  信用等级: 'credit',
  credit: 'credit',
  creditlevel: 'credit',
  地址: 'address',
  住所: 'address',
  经营场所: 'address',
  address: 'address',
  法定代表人: 'legalRep',
  负责人: 'legalRep',
  经营者: 'legalRep',
  legalrep: 'legalRep',
  安静期: 'quietZone',
  quietzone: 'quietZone',
  登记状态: 'status',
  经营状态: 'status',
  status: 'status',
};

const KINDS: Record<string, Enterprise['kind']> = {
  法人: 'legal_person',
  企业法人: 'legal_person',
  法人企业: 'legal_person',
  legal_person: 'legal_person',
  非法人组织: 'unincorporated',
  非法人: 'unincorporated',
  unincorporated: 'unincorporated',
  个体工商户: 'individual',
  个体: 'individual',
  individual: 'individual',
};
const RISKS: Record<string, Enterprise['riskLevel']> = {
  低: 'low',
  低风险: 'low',
  low: 'low',
  中: 'medium',
  中风险: 'medium',
  medium: 'medium',
  高: 'high',
  高风险: 'high',
  high: 'high',
  重大: 'major',
  重大风险: 'major',
  major: 'major',
};
const YES = new Set(['是', '有', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0']);
/** 存续/在业/开业… are active; 注销 and 吊销 (no longer trading) are deregistered */
const STATUS: Record<string, 'active' | 'deregistered'> = {
  存续: 'active',
  在业: 'active',
  开业: 'active',
  在营: 'active',
  正常: 'active',
  迁入: 'active',
  active: 'active',
  注销: 'deregistered',
  已注销: 'deregistered',
  吊销: 'deregistered',
  已吊销: 'deregistered',
  吊销未注销: 'deregistered',
  deregistered: 'deregistered',
};

const INDUSTRY_BY_NAME = new Map<string, string>();
for (const code of INDUSTRY_CODES) {
  INDUSTRY_BY_NAME.set(code, code);
  INDUSTRY_BY_NAME.set(INDUSTRIES[code].zh, code);
  INDUSTRY_BY_NAME.set(INDUSTRIES[code].en.toLowerCase(), code);
}

/** the field → header name shown in reasons */
const LABEL: Record<string, Bilingual> = {
  uscc: { zh: '统一社会信用代码', en: 'USCC' },
  name: { zh: '企业名称', en: 'name' },
  kind: { zh: '主体类型', en: 'kind' },
  division: { zh: '所属区划', en: 'division' },
  industry: { zh: '行业', en: 'industry' },
  risk: { zh: '风险等级', en: 'risk level' },
  credit: { zh: '信用等级', en: 'credit level' },
  address: { zh: '地址', en: 'address' },
  legalRep: { zh: '法定代表人', en: 'legal representative' },
  quietZone: { zh: '安静期', en: 'quiet zone' },
  status: { zh: '登记状态', en: 'status' },
};

const { fail, missing } = rowFailures(LABEL);
const tooLong = (column: string, max: number, v: string) => {
  if (v.length > max) fail(column, `最多 ${max} 个字符（现为 ${v.length} 个）`, `at most ${max} characters (${v.length} given)`);
  return v;
};

/** key order fixed and undefined left out, so that two equal enterprises give the same JSON */
export function enterpriseJson(e: Enterprise): string {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(e).sort()) if ((e as Record<string, unknown>)[k] !== undefined) o[k] = (e as Record<string, unknown>)[k];
  return JSON.stringify(o);
}

export interface EnterpriseImporterDeps {
  db: DB;
  dir: Directory;
  audit: AuditLog;
}

export function enterpriseImporter(d: EnterpriseImporterDeps): Importer<Enterprise> {
  const divisions = new Map<string, { code: string; level: string; parent: string | null }>();
  const divisionOf = (code: string) => {
    let v = divisions.get(code);
    if (!v) {
      v = d.dir.division(code);
      if (v) divisions.set(code, v);
    }
    return v;
  };

  /** one row → the enterprise it stands for (merged with the stored one), or a RowError */
  function rowToEnterprise(f: Record<string, string>, present: ReadonlySet<string>, stored: Enterprise | undefined): Enterprise {
    const has = (k: string) => present.has(k) && f[k] !== undefined && f[k] !== '';
    const raw = (f.uscc ?? '').replace(/\s+/g, '').toUpperCase();
    if (!raw) missing('uscc');
    const u = validateUscc(raw);
    if (!u.ok) fail('uscc', u.message.zh, u.message.en);

    const name = has('name') ? tooLong('name', LEN.name, f.name) : (stored?.name ?? missing('name'));

    let kind = stored?.kind ?? 'legal_person';
    if (has('kind')) {
      kind = KINDS[f.kind.toLowerCase()] ?? fail('kind', `“${f.kind}”不是法人、非法人组织或个体工商户`, `"${f.kind}" is not 法人, 非法人组织 or 个体工商户`);
    }

    let division = stored?.division;
    let township = stored?.township;
    if (has('division')) {
      const code = f.division.replace(/\s+/g, '');
      if (!/^\d{6}(\d{3})?$/.test(code)) fail('division', `“${code}”不是6位或9位区划代码`, `"${code}" is not a 6- or 9-digit division code`);
      const div = divisionOf(code);
      if (!div || div.level === 'city')
        fail('division', `“${code}”不是本市的县级区划或乡镇（街道）代码`, `"${code}" is not a county-level or township code of this city`);
      if (code.length === 9) {
        division = div!.parent ?? fail('division', `乡镇代码“${code}”没有所属县区`, `township "${code}" has no county`);
        township = code;
      } else {
        if (division !== code) township = undefined;
        division = code;
      }
    }
    if (!division) missing('division');

    let industry = stored?.industry;
    if (has('industry')) {
      industry =
        INDUSTRY_BY_NAME.get(f.industry) ??
        INDUSTRY_BY_NAME.get(f.industry.toLowerCase()) ??
        fail('industry', `“${f.industry}”不在行业目录中`, `"${f.industry}" is not in the list of industries`);
    }
    if (!industry) missing('industry');

    let riskLevel = stored?.riskLevel;
    if (has('risk')) {
      riskLevel =
        RISKS[f.risk.toLowerCase()] ?? fail('risk', `“${f.risk}”应为低、中、高或重大`, `"${f.risk}" should be low, medium, high or major (低/中/高/重大)`);
    }
    if (!riskLevel) missing('risk');

    let creditLevel = stored?.creditLevel ?? 'B';
    if (has('credit')) {
      const c = f.credit.toUpperCase().replace(/级$/, '');
      if (c !== 'A' && c !== 'B' && c !== 'C' && c !== 'D') fail('credit', `“${f.credit}”应为 A、B、C 或 D`, `"${f.credit}" should be A, B, C or D`);
      creditLevel = c as Enterprise['creditLevel'];
    }

    const address = present.has('address') ? tooLong('address', LEN.ref, f.address ?? '') : (stored?.address ?? '');
    const legalRep = present.has('legalRep') ? tooLong('legalRep', LEN.person, f.legalRep ?? '') : (stored?.legalRep ?? '');

    let quietZone = stored?.quietZone ?? false;
    if (present.has('quietZone')) {
      const q = (f.quietZone ?? '').toLowerCase();
      if (!q || NO.has(q)) quietZone = false;
      else if (YES.has(q)) quietZone = true;
      else fail('quietZone', `“${f.quietZone}”应为“是”或“否”`, `"${f.quietZone}" should be yes or no (是/否)`);
    }

    let status = stored?.status;
    if (has('status')) {
      const s = STATUS[f.status.toLowerCase()] ?? (f.status.includes('注销') ? 'deregistered' : undefined);
      status = s ?? fail('status', `“${f.status}”不是可识别的登记状态（存续、在业、注销……）`, `"${f.status}" is not a known status (存续, 在业, 注销 …)`);
    }

    return {
      uscc: raw,
      name,
      kind,
      division: division!,
      industry: industry!,
      riskLevel: riskLevel!,
      creditLevel,
      address,
      legalRep,
      quietZone,
      ...(township ? { township } : {}),
      ...(status === 'deregistered' ? { status } : {}),
    };
  }

  const storedOf = (uscc: string): { json: string; value: Enterprise | undefined } | undefined => {
    const json = d.dir.enterpriseJson(uscc);
    if (json === undefined) return undefined;
    const p = Enterprise.safeParse(JSON.parse(json));
    return { json, value: p.success ? p.data : undefined };
  };

  return {
    kind: 'enterprises',
    mayRun: (p: Principal) => p.role === 'supervisor',
    headers: ENTERPRISE_HEADERS,
    required: ['uscc'],
    keyField: 'uscc',

    async plan(rows: FieldRow[], present, progress): Promise<ImportPlan<Enterprise>> {
      const planned: PlannedRow<Enterprise>[] = [];
      const invalid: RowIssue[] = [];
      // duplicates first: every line of a USCC that appears twice is refused, each naming the others
      const lines = new Map<string, number[]>();
      for (const r of rows) {
        const u = (r.fields.uscc ?? '').replace(/\s+/g, '').toUpperCase();
        if (u) lines.set(u, [...(lines.get(u) ?? []), r.line]);
      }
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (i % 2000 === 0) {
          progress(i, rows.length);
          await new Promise<void>((res) => setImmediate(res));
        }
        const u = (r.fields.uscc ?? '').replace(/\s+/g, '').toUpperCase();
        const same = u ? (lines.get(u) ?? []) : [];
        if (same.length > 1) {
          const others = same.filter((l) => l !== r.line).join('、');
          const othersEn = same.filter((l) => l !== r.line).join(', ');
          invalid.push({
            line: r.line,
            column: 'uscc',
            reason: {
              zh: `统一社会信用代码 ${u} 在文件中重复：第 ${r.line} 行与第 ${others} 行`,
              en: `USCC ${u} appears more than once in the file: row ${r.line} and row ${othersEn}`,
            },
          });
          continue;
        }
        try {
          const stored = u ? storedOf(u) : undefined;
          const value = rowToEnterprise(r.fields, present, stored?.value);
          const parsed = Enterprise.safeParse(value);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new RowError(String(issue?.path[0] ?? 'name'), { zh: `数据无效：${issue?.message}`, en: `invalid: ${issue?.message}` });
          }
          const status = !stored ? 'new' : stored.value && enterpriseJson(stored.value) === enterpriseJson(value) ? 'unchanged' : 'changed';
          planned.push({ line: r.line, status, key: value.uscc, value });
        } catch (e) {
          if (!(e instanceof RowError)) throw e;
          invalid.push({ line: r.line, column: e.column, reason: e.reason });
        }
      }
      progress(rows.length, rows.length);
      return { rows: planned, invalid };
    },

    apply(plan, ctx): void {
      const writes = plan.rows.filter((r) => r.status !== 'unchanged');
      let done = 0;
      const rowsOf = function* (): Generator<EnterpriseWrite> {
        for (const { value: e } of writes)
          yield {
            uscc: e.uscc,
            name: e.name,
            kind: e.kind,
            division: e.division,
            industry: e.industry,
            riskLevel: e.riskLevel,
            creditLevel: e.creditLevel,
            quietZone: e.quietZone,
            deregistered: e.status === 'deregistered',
            json: enterpriseJson(e),
          };
      };
      d.db.transaction(() => {
        d.dir.upsertEnterprises(rowsOf(), () => {
          if (++done % 5000 === 0) ctx.progress(done, writes.length);
        });
        d.audit.record(ctx.audit);
      })();
      ctx.progress(writes.length, writes.length);
    },
  };
}
