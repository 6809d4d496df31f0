/**
 * The formal documents of an inspection (现场检查笔录, 检查结果告知书), without the DOM: the PDF maker's input
 * gathered from the entry, its result, the agency's catalogue and the enterprise's profile, and the signed
 * document record that holds the PDF's and the signatures' digests. Documents are in Chinese (official forms).
 */
import type * as Y from 'yjs';
import type { DocInput, DocSignature } from '../../docs/pdf';
import type { DeviceKey } from '../../domain/record-signing';
import type { DataSourceKind, DocumentRecord, DocumentSignature, EntryRecord, EvidenceRef, InspectionItem, ResultRecord } from '../../domain/schemas';
import { now } from '../../domain/time';
import { newId } from '../stores/ids';
import { appendSigned } from '../stores/sign-append';
import { DOC_TITLES } from '../../docs/wording';

export type DocKind = DocumentRecord['docKind'];
export const DOC_KINDS: readonly DocKind[] = ['onsite_record', 'result_notice'];
/** the documents' titles (the file names too) */
export const DOC_TITLE: Record<DocKind, string> = { onsite_record: DOC_TITLES.onsite_record.zh, result_notice: DOC_TITLES.result_notice.zh };

const SOURCE_LABEL: Record<DataSourceKind, string> = {
  documents: '调阅资料',
  remote_video: '远程视频',
  other_system: '其他系统数据',
  other: '其他',
};
const PLANNED: Record<string, string> = { special: '专项检查', routine: '日常检查', other: '其他有计划检查' };
const TRIGGER: Record<string, string> = { complaint: '投诉举报', referral: '转办交办', data_monitoring: '数据监测', enterprise_request: '企业申请' };
const SUGGESTION: Record<string, string> = { none: '', lighter: '从轻处罚', mitigated: '减轻处罚', first_offence_exempt: '首违不罚' };

/** A time as the documents print it: 2026-11-25 10:00 (Asia/Shanghai). */
export function docTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export interface DocSources {
  entry: EntryRecord;
  result: ResultRecord;
  agencyName: string;
  /** the agency's catalogue: item names and legal bases */
  catalogue: readonly Pick<InspectionItem, 'id' | 'name' | 'legalBasis'>[];
  enterprise: { name: string; uscc: string; address?: string; legalRep?: string };
  appeal: string;
  photos: DocInput['photos'];
  signatures: DocSignature[];
  enterpriseDeclined: boolean;
  /** when the documents are made (footer) */
  madeAt: string;
}

/** The PDF maker's input for one document kind. */
export function docInput(kind: DocKind, s: DocSources): DocInput {
  const item = (id: string) => s.catalogue.find((x) => x.id === id);
  const itemName = (id: string) => item(id)?.name ?? id;
  const k = s.entry.kind;
  return {
    kind,
    number: `${kind === 'onsite_record' ? 'XCBL' : 'JGGZ'}-${s.entry.id}`,
    agency: { name: s.agencyName },
    enterprise: s.enterprise,
    startedAt: docTime(s.entry.at),
    endedAt: docTime(s.result.checkedOutAt),
    method: s.entry.method ?? 'onsite',
    kindText: k.type === 'planned' ? (PLANNED[k.planned] ?? '有计划检查') : `${TRIGGER[k.trigger.kind] ?? '触发式检查'}（${k.trigger.ref}）`,
    team: s.entry.team.map((m) => ({ name: m.name, certificateNumber: m.certificateNumber })),
    items: s.entry.itemIds.map((id) => ({ name: itemName(id), legalBasis: item(id)?.legalBasis ?? '' })),
    ...(s.entry.sources?.length ? { sources: s.entry.sources.map((x) => `${SOURCE_LABEL[x.kind]}：${x.note}`) } : {}),
    checklist: s.result.checklist.map((c) => ({ item: itemName(c.itemId), ok: c.ok, ...(c.note ? { note: c.note } : {}) })),
    findings: s.result.findings.map((f) => ({
      item: itemName(f.itemId),
      description: f.description,
      ...(f.violationCode ? { violationCode: f.violationCode } : {}),
      ...(SUGGESTION[f.suggestion] ? { suggestion: SUGGESTION[f.suggestion] } : {}),
    })),
    outcome: s.result.outcome,
    ...(s.result.rectifyBy ? { rectifyBy: s.result.rectifyBy } : {}),
    ...(kind === 'result_notice' ? { notice: s.result.notice } : {}),
    appeal: s.appeal,
    photos: kind === 'onsite_record' ? s.photos : [],
    signatures: s.signatures,
    ...(s.enterpriseDeclined ? { enterpriseDeclined: true } : {}),
    footer: `涉企检查协同平台 · ${docTime(s.madeAt)} 生成`,
  };
}

/** The file name a document is kept and saved under. */
export const docFileName = (kind: DocKind, entryId: string) => `${DOC_TITLE[kind]}-${entryId}.pdf`;

export interface DocumentInput {
  entry: EntryRecord;
  resultId: string;
  docKind: DocKind;
  by: string;
  pdf: EvidenceRef;
  signatures: DocumentSignature[];
  enterpriseDeclined: boolean;
  key: DeviceKey;
  at?: Date;
}

/** The document record (the PDF's and the signatures' digests), signed by the device key, appended to ledger/<uscc>. */
export async function appendDocument(ledger: Y.Doc, i: DocumentInput): Promise<DocumentRecord> {
  const rec: DocumentRecord = {
    id: newId('doc'),
    uscc: i.entry.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'document',
    docKind: i.docKind,
    entryId: i.entry.id,
    resultId: i.resultId,
    agencyId: i.entry.agencyId,
    pdf: i.pdf,
    signatures: i.signatures,
    ...(i.enterpriseDeclined ? { enterpriseDeclined: true } : {}),
  };
  return appendSigned(ledger, rec, i.key);
}
