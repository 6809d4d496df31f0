/**
 * The certificate importer (kind `certificates`, supervisors): a file of certificates (CSV or XLSX) with the
 * columns 证号, 姓名, 执法人员编号, 发证日期, 有效期至 and optionally 状态, matched by number against the registry.
 * Each row is checked: the number's format and that it appears once in the file; the inspector exists and the
 * name matches the record; the dates are real and ordered; the number is not another inspector's; a revoked
 * certificate is not brought back. Applied as one change of the registry doc (stored, then relayed to every
 * phone), then the holders' inspector records take the numbers of their valid certificates; the machinery's
 * audit entry (`import.certificates`, counts, file name and hash) is recorded once the doc change is stored.
 */
import * as Y from 'yjs';
import { Certificate, CertificateNumber, type Inspector, type Principal } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { putCertificate, readCertificates } from '../../src/model/registry';
import type { Bilingual } from '../http/errors';
import type { AuditLog } from '../audit/store';
import type { Clock } from '../clock';
import type { RoomPort } from '../sync/port';
import type { InspectorRecords } from '../directory/inspectors';
import type { FieldRow, ImportPlan, Importer, PlannedRow, RowIssue } from '../imports/types';
import { RowError, rowFailures } from '../imports/row-error';

export const CERTIFICATE_HEADERS: Record<string, string> = {
  证号: 'number',
  证件号: 'number',
  证件编号: 'number',
  执法证号: 'number',
  执法证件号: 'number',
  number: 'number',
  姓名: 'holderName',
  持证人: 'holderName',
  name: 'holderName',
  holdername: 'holderName',
  执法人员编号: 'inspectorId',
  人员编号: 'inspectorId',
  inspectorid: 'inspectorId',
  inspector: 'inspectorId',
  发证日期: 'issuedOn',
  issuedon: 'issuedOn',
  有效期至: 'expiresOn',
  有效期: 'expiresOn',
  到期日期: 'expiresOn',
  expireson: 'expiresOn',
  状态: 'status',
  证件状态: 'status',
  status: 'status',
};

const STATUS: Record<string, Certificate['status']> = {
  有效: 'valid',
  正常: 'valid',
  valid: 'valid',
  暂停: 'suspended',
  暂扣: 'suspended',
  暂停使用: 'suspended',
  suspended: 'suspended',
  注销: 'revoked',
  已注销: 'revoked',
  吊销: 'revoked',
  revoked: 'revoked',
};

const LABEL: Record<string, Bilingual> = {
  number: { zh: '证号', en: 'number' },
  holderName: { zh: '姓名', en: 'name' },
  inspectorId: { zh: '执法人员编号', en: 'inspector id' },
  issuedOn: { zh: '发证日期', en: 'issued on' },
  expiresOn: { zh: '有效期至', en: 'expires on' },
  status: { zh: '状态', en: 'status' },
};

const { fail } = rowFailures(LABEL);

/** 2026-11-25, 2026/11/25, 2026.11.25, 2026年11月25日 (one-digit months and days too) → YYYY-MM-DD, or null */
export function normalDate(s: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** key order fixed and undefined left out, so that equal certificates give the same JSON */
const certJson = (c: Certificate) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(c)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );

export interface CertificateImporterDeps {
  rooms: RoomPort;
  inspectors: Pick<InspectorRecords, 'get' | 'update'>;
  audit: Pick<AuditLog, 'record'>;
  clock: Pick<Clock, 'today'>;
}

export function certificateImporter(d: CertificateImporterDeps): Importer<Certificate> {
  /** one row → the certificate it stands for, given the stored one under its number */
  function rowToCertificate(f: Record<string, string>, present: ReadonlySet<string>, stored: Certificate | undefined): Certificate {
    const n = CertificateNumber.safeParse((f.number ?? '').trim());
    if (!n.success)
      fail(
        'number',
        `“${(f.number ?? '').slice(0, 40)}”不是有效证号（字母、数字和短横线，4–40 位）`,
        `"${(f.number ?? '').slice(0, 40)}" is not a certificate number (letters, digits and dashes, 4–40)`,
      );
    const number = n.data!;
    const inspectorId = (f.inspectorId ?? '').trim();
    if (!inspectorId) fail('inspectorId', '不能为空', 'required');
    const holder: Inspector | undefined = d.inspectors.get(inspectorId);
    if (!holder) fail('inspectorId', `执法人员名录中没有“${inspectorId.slice(0, 60)}”`, `no inspector record "${inspectorId.slice(0, 60)}"`);
    const name = (f.holderName ?? '').trim();
    if (name !== holder!.name)
      fail(
        'holderName',
        `“${name.slice(0, 50)}”与名录中的姓名“${holder!.name}”不符`,
        `"${name.slice(0, 50)}" does not match the record's name "${holder!.name}"`,
      );
    if (stored && stored.inspectorId !== inspectorId)
      fail('number', `证号 ${number} 已属于执法人员 ${stored.inspectorId}`, `number ${number} already belongs to inspector ${stored.inspectorId}`);
    const issuedOn =
      normalDate(f.issuedOn ?? '') ??
      fail('issuedOn', `“${(f.issuedOn ?? '').slice(0, 20)}”不是有效日期`, `"${(f.issuedOn ?? '').slice(0, 20)}" is not a date`);
    const expiresOn =
      normalDate(f.expiresOn ?? '') ??
      fail('expiresOn', `“${(f.expiresOn ?? '').slice(0, 20)}”不是有效日期`, `"${(f.expiresOn ?? '').slice(0, 20)}" is not a date`);
    if (expiresOn < issuedOn) fail('expiresOn', `${expiresOn} 早于发证日期 ${issuedOn}`, `${expiresOn} is before the issue date ${issuedOn}`);
    let status: Certificate['status'] = stored?.status ?? 'valid';
    const rawStatus = (f.status ?? '').trim();
    if (present.has('status') && rawStatus) {
      status =
        STATUS[rawStatus.toLowerCase()] ??
        fail('status', `“${rawStatus.slice(0, 20)}”应为有效、暂停或注销`, `"${rawStatus.slice(0, 20)}" should be valid, suspended or revoked (有效/暂停/注销)`);
    }
    if (stored?.status === 'revoked' && status !== 'revoked')
      fail('status', `证件 ${number} 已注销，不能恢复`, `certificate ${number} is revoked and cannot be brought back`);
    const today = d.clock.today();
    const c: Certificate = { number, inspectorId, agencyId: holder!.agencyId, holderName: holder!.name, issuedOn, expiresOn, status };
    if (status === 'revoked') {
      c.revokedOn = stored?.status === 'revoked' ? stored.revokedOn : today;
      c.revokedReason = stored?.status === 'revoked' ? stored.revokedReason : '导入注销';
    }
    if (status === 'suspended') {
      c.suspendedOn = stored?.status === 'suspended' ? stored.suspendedOn : today;
      c.suspendedReason = stored?.status === 'suspended' ? stored.suspendedReason : '导入暂停';
    }
    return Certificate.parse(c);
  }

  return {
    kind: 'certificates',
    mayRun: (p: Principal) => p.role === 'supervisor',
    headers: CERTIFICATE_HEADERS,
    required: ['number', 'holderName', 'inspectorId', 'issuedOn', 'expiresOn'],
    keyField: 'number',
    async plan(rows: FieldRow[], present, progress): Promise<ImportPlan<Certificate>> {
      const stored = new Map((await d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items)).map((c) => [c.number, c]));
      const planned: PlannedRow<Certificate>[] = [];
      const invalid: RowIssue[] = [];
      const lines = new Map<string, number[]>();
      for (const r of rows) {
        const k = (r.fields.number ?? '').trim().toUpperCase();
        if (k) lines.set(k, [...(lines.get(k) ?? []), r.line]);
      }
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (i % 2000 === 0) {
          progress(i, rows.length);
          await new Promise<void>((res) => setImmediate(res));
        }
        const k = (r.fields.number ?? '').trim().toUpperCase();
        const same = k ? (lines.get(k) ?? []) : [];
        if (same.length > 1) {
          const others = same.filter((l) => l !== r.line);
          invalid.push({
            line: r.line,
            column: 'number',
            reason: {
              zh: `证号 ${k} 在文件中重复：第 ${r.line} 行与第 ${others.join('、')} 行`,
              en: `number ${k} appears more than once: row ${r.line} and row ${others.join(', ')}`,
            },
          });
          continue;
        }
        try {
          const old = stored.get((r.fields.number ?? '').trim());
          const value = rowToCertificate(r.fields, present, old);
          planned.push({ line: r.line, status: !old ? 'new' : certJson(old) === certJson(value) ? 'unchanged' : 'changed', key: value.number, value });
        } catch (e) {
          if (!(e instanceof RowError)) throw e;
          invalid.push({ line: r.line, column: e.column, reason: e.reason });
        }
      }
      progress(rows.length, rows.length);
      return { rows: planned, invalid };
    },

    async apply(plan, ctx): Promise<void> {
      const writes = plan.rows.filter((r) => r.status !== 'unchanged');
      // one change of the doc: every certificate or none (a row that no longer fits throws, nothing is stored)
      await d.rooms.change(rooms.registry(), (doc: Y.Doc) => {
        doc.transact(() => {
          for (const { value } of writes) {
            const cur = doc.getMap('certificates').get(value.number);
            const owner = cur instanceof Y.Map ? cur.get('inspectorId') : (cur as { inspectorId?: unknown } | undefined)?.inspectorId;
            if (owner !== undefined && owner !== value.inspectorId) throw new Error(`certificate ${value.number} changed hands since the check`);
            putCertificate(doc, value);
          }
        });
      });
      d.audit.record(ctx.audit);
      ctx.progress(writes.length, writes.length * 2);
      // the holders carry the numbers of their valid certificates (the check-in picks the certificate by it)
      let done = 0;
      for (const { value } of writes) {
        done++;
        if (value.status !== 'valid') continue;
        const rec = d.inspectors.get(value.inspectorId);
        if (rec && rec.certificateNumber !== value.number) await d.inspectors.update(rec.id, { certificateNumber: value.number });
        if (done % 200 === 0) ctx.progress(writes.length + done, writes.length * 2);
      }
      ctx.progress(writes.length * 2, writes.length * 2);
    },
  };
}
