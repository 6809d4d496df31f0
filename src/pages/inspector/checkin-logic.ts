/**
 * Check-in logic without the DOM (DESIGN §6): verify a scanned code for a task, build and sign
 * the entry and result records, generate the result notice. The page (CheckinPage.tsx) only wires these.
 */
import type * as Y from 'yjs';
import { verifyCode, type Jwks, type Msg } from '../../domain/codes';
import { signRecord, type DeviceKey } from '../../domain/record-signing';
import {
  Trigger,
  type DataSource,
  type EntryRecord,
  type EvidenceRef,
  type Exemption,
  type Finding,
  type InspectionItem,
  type ResultRecord,
  type Task,
  type TeamMember,
} from '../../domain/schemas';
import { appendRecord } from '../../model';
import { now } from '../../domain/time';
import { newId } from '../stores/ids';

export type ScanCheck = { ok: true; token: string; name: string } | { ok: false; message: Msg };

const WRONG_ENTERPRISE = (name: string): Msg => ({
  zh: `这是“${name}”的二维码，不是本次任务的检查对象，不能入企`,
  en: `This is the code of “${name}”, not the enterprise of this task: check-in refused`,
});
const NOT_ENT: Msg = {
  zh: '这是检查码，不是企业专属二维码，请扫描企业张贴的二维码',
  en: 'This is a check code, not an enterprise code: scan the code the enterprise displays',
};

/** Offline verification of a scanned text for a task: signature, key, then the enterprise. */
export async function checkScan(text: string, jwks: Jwks, task: Pick<Task, 'uscc'>): Promise<ScanCheck> {
  const v = await verifyCode(text, jwks);
  if (!v.ok) return { ok: false, message: v.message };
  if (v.kind !== 'ent') return { ok: false, message: NOT_ENT };
  if (v.payload.uscc !== task.uscc) return { ok: false, message: WRONG_ENTERPRISE(v.payload.name) };
  return { ok: true, token: v.token, name: v.payload.name };
}

export interface EntryInput {
  task: Task;
  by: string;
  team: TeamMember[];
  exemptions: Exemption[];
  /** the scanned enterprise code; absent only for a late record (补录), which needs `lateReason`, or an off-site one */
  token?: string;
  lateReason?: string;
  /** an off-site or written inspection (task.method ≠ onsite): what was checked instead of entering (at least one) */
  sources?: DataSource[];
  key: DeviceKey;
  device: string;
  at?: Date;
}

/** the shortest reason accepted for a late record (补录): it is read by supervisors */
export const LATE_REASON_MIN = 5;

/**
 * Append the entry record. No scan, no entry: without a scanned code the only way in is a late record
 * (`via: 'late'`, 补录) with a reason, which the enterprise sees as such and supervisors are warned of.
 * An off-site or written task (measure 12) is recorded without entering: `via: 'offsite'` with the data
 * sources checked, and never with a scan.
 */
export async function appendEntry(ledger: Y.Doc, i: EntryInput): Promise<EntryRecord> {
  const offsite = i.task.method !== 'onsite';
  const late = !offsite && i.token === undefined;
  const reason = (i.lateReason ?? '').trim();
  if (late && reason.length < LATE_REASON_MIN) throw new Error(`a late record (补录) needs a reason of at least ${LATE_REASON_MIN} characters`);
  const sources = (i.sources ?? []).map((s) => ({ kind: s.kind, note: s.note.trim() }));
  if (offsite && !sources.length) throw new Error('an off-site or written inspection needs at least one data source');
  const rec: EntryRecord = {
    id: newId('entry'),
    uscc: i.task.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'entry',
    agencyId: i.task.agencyId,
    taskId: i.task.id,
    kind: i.task.kind,
    team: i.team,
    itemIds: i.task.itemIds,
    method: i.task.method,
    exemptions: i.exemptions,
    device: i.device,
    conductAcknowledged: true,
    ...(offsite ? { via: 'offsite' as const, sources } : late ? { via: 'late' as const, lateReason: reason } : { via: 'scan' as const, code: i.token }),
  };
  const signed = await signRecord(rec, i.key.privateKey, i.key.kid);
  appendRecord(ledger, signed);
  return signed.rec as EntryRecord;
}

export interface ResultInput {
  entry: EntryRecord;
  by: string;
  checklist: ResultRecord['checklist'];
  findings: Finding[];
  outcome: ResultRecord['outcome'];
  rectifyBy?: string;
  notice: string;
  /** photos and files taken during the inspection (kept on the phone, uploaded when online) */
  evidence?: EvidenceRef[];
  key: DeviceKey;
  at?: Date;
}

export async function appendResult(ledger: Y.Doc, i: ResultInput): Promise<ResultRecord> {
  const at = (i.at ?? now()).toISOString();
  const rec: ResultRecord = {
    id: newId('result'),
    uscc: i.entry.uscc,
    at,
    by: i.by,
    type: 'result',
    entryId: i.entry.id,
    agencyId: i.entry.agencyId,
    checklist: i.checklist,
    findings: i.findings,
    outcome: i.outcome,
    ...(i.outcome === 'rectify' && i.rectifyBy ? { rectifyBy: i.rectifyBy } : {}),
    notice: i.notice,
    checkedOutAt: at,
    ...(i.evidence?.length ? { evidence: i.evidence } : {}),
  };
  const signed = await signRecord(rec, i.key.privateKey, i.key.kid);
  appendRecord(ledger, signed);
  return signed.rec as ResultRecord;
}

export interface NoticeInput {
  agencyName: string;
  enterpriseName: string;
  date: string;
  team: TeamMember[];
  items: string[];
  findings: { item: string; description: string }[];
  outcome: ResultRecord['outcome'];
  rectifyBy?: string;
  hotline: string;
}

/** 检查结果告知书: the generated text (the inspector may edit it before check-out). */
export function noticeText(n: NoticeInput, lang: 'zh' | 'en'): string {
  const team = n.team.map((m) => `${m.name}（${m.certificateNumber}）`).join('、');
  if (lang === 'en') {
    const f = n.findings.length ? n.findings.map((x, i) => `${i + 1}. ${x.item}: ${x.description}`).join('\n') : 'No problem was found.';
    const o =
      n.outcome === 'no_problem'
        ? 'No further action is required.'
        : n.outcome === 'rectify'
          ? `Please rectify the problems above by ${n.rectifyBy ?? '(date)'} and report the rectification.`
          : 'A case has been filed; you will be informed of the procedure and your rights separately.';
    return `Inspection result notice\n${n.enterpriseName}:\nOn ${n.date}, ${n.agencyName} (inspectors ${team}) inspected: ${n.items.join(', ')}.\nFindings:\n${f}\n${o}\nYou may raise objections, or report misconduct to the 12345 hotline (${n.hotline}).`;
  }
  const f = n.findings.length ? n.findings.map((x, i) => `${i + 1}. ${x.item}：${x.description}`).join('\n') : '未发现问题。';
  const o =
    n.outcome === 'no_problem'
      ? '无需采取进一步措施。'
      : n.outcome === 'rectify'
        ? `请于${n.rectifyBy ?? '（日期）'}前完成上述问题的整改并报告整改情况。`
        : '已依法立案查处，相关程序和权利另行告知。';
  return `检查结果告知书\n${n.enterpriseName}：\n${n.date}，${n.agencyName}执法人员${team}对你单位进行了检查，检查事项：${n.items.join('、')}。\n检查发现：\n${f}\n${o}\n如对检查有异议，或发现执法人员违反廉洁纪律，可拨打${n.hotline}热线反映。`;
}

export interface TriggeredInput {
  agencyId: string;
  inspectorId: string;
  trigger: { kind: string; ref: string };
  enterprise: { uscc: string; name: string };
  itemIds: string[];
  /** Shanghai date of today */
  today: string;
  at?: Date;
}

/**
 * A triggered inspection started by the inspector (measure 3): a task of its own in the agency's task
 * doc, for today, with the trigger and its reference (the cap's exemption by trigger follows from it).
 * Throws a ZodError when the trigger, the enterprise or the items are missing.
 */
export function triggeredTask(i: TriggeredInput): Task {
  const trigger = Trigger.parse({ kind: i.trigger.kind, ref: i.trigger.ref.trim() });
  const year = Number(i.today.slice(0, 4));
  const rnd = newId('')
    .slice(1, 9)
    .replace(/[^A-Za-z0-9]/g, '');
  return {
    id: `${i.agencyId}.t${year}-trg-${(i.at ?? now()).getTime().toString(36)}${rnd}`,
    agencyId: i.agencyId,
    year,
    uscc: i.enterprise.uscc,
    enterpriseName: i.enterprise.name,
    itemIds: i.itemIds,
    window: { from: i.today, to: i.today },
    inspectorIds: [i.inspectorId],
    kind: { type: 'triggered', trigger },
    method: 'onsite',
    status: 'assigned',
    createdAt: (i.at ?? now()).toISOString(),
  };
}

/** Catalogue items that fit an enterprise's industry (items without industries fit every enterprise). */
export function itemsFor(items: readonly InspectionItem[], industry: string | undefined): InspectionItem[] {
  return items.filter((it) => it.published !== false && (!industry || it.industries.length === 0 || it.industries.includes(industry)));
}
