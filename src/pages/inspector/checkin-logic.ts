/**
 * Check-in logic without the DOM (issue 4, DESIGN §6): verify a scanned code for a task, build and sign
 * the entry and result records, generate the result notice. The page (CheckinPage.tsx) only wires these.
 */
import type * as Y from 'yjs';
import { verifyCode, type Jwks, type Msg } from '../../domain/codes';
import { signRecord, type DeviceKey } from '../../domain/record-signing';
import type { EntryRecord, Exemption, Finding, ResultRecord, Task, TeamMember } from '../../domain/schemas';
import { appendRecord } from '../../model';

export type ScanCheck =
  | { ok: true; token: string; name: string }
  | { ok: false; message: Msg };

const WRONG_ENTERPRISE = (name: string): Msg => ({
  zh: `这是“${name}”的二维码，不是本次任务的检查对象，不能入企`,
  en: `This is the code of “${name}”, not the enterprise of this task: check-in refused`,
});
const NOT_ENT: Msg = { zh: '这是检查码，不是企业专属二维码，请扫描企业张贴的二维码', en: 'This is a check code, not an enterprise code: scan the code the enterprise displays' };

/** Offline verification of a scanned text for a task: signature, key, then the enterprise. */
export async function checkScan(text: string, jwks: Jwks, task: Pick<Task, 'uscc'>): Promise<ScanCheck> {
  const v = await verifyCode(text, jwks);
  if (!v.ok) return { ok: false, message: v.message };
  if (v.kind !== 'ent') return { ok: false, message: NOT_ENT };
  if (v.payload.uscc !== task.uscc) return { ok: false, message: WRONG_ENTERPRISE(v.payload.name) };
  return { ok: true, token: v.token, name: v.payload.name };
}

export function newId(prefix: string): string {
  const r = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${r}`;
}

export interface EntryInput {
  task: Task;
  by: string;
  team: TeamMember[];
  exemptions: Exemption[];
  token: string;
  key: DeviceKey;
  device: string;
  at?: Date;
}

export async function appendEntry(ledger: Y.Doc, i: EntryInput): Promise<EntryRecord> {
  const rec: EntryRecord = {
    id: newId('entry'), uscc: i.task.uscc, at: (i.at ?? new Date()).toISOString(), by: i.by,
    type: 'entry', agencyId: i.task.agencyId, taskId: i.task.id, kind: i.task.kind, team: i.team,
    itemIds: i.task.itemIds, method: i.task.method, via: 'scan', exemptions: i.exemptions, device: i.device,
    code: i.token, conductAcknowledged: true,
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
  key: DeviceKey;
  at?: Date;
}

export async function appendResult(ledger: Y.Doc, i: ResultInput): Promise<ResultRecord> {
  const at = (i.at ?? new Date()).toISOString();
  const rec: ResultRecord = {
    id: newId('result'), uscc: i.entry.uscc, at, by: i.by, type: 'result', entryId: i.entry.id,
    agencyId: i.entry.agencyId, checklist: i.checklist, findings: i.findings, outcome: i.outcome,
    ...(i.outcome === 'rectify' && i.rectifyBy ? { rectifyBy: i.rectifyBy } : {}),
    notice: i.notice, checkedOutAt: at,
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
    const o = n.outcome === 'no_problem' ? 'No further action is required.'
      : n.outcome === 'rectify' ? `Please rectify the problems above by ${n.rectifyBy ?? '(date)'} and report the rectification.`
      : 'A case has been filed; you will be informed of the procedure and your rights separately.';
    return `Inspection result notice\n${n.enterpriseName}:\nOn ${n.date}, ${n.agencyName} (inspectors ${team}) inspected: ${n.items.join(', ')}.\nFindings:\n${f}\n${o}\nYou may raise objections, or report misconduct to the 12345 hotline (${n.hotline}).`;
  }
  const f = n.findings.length ? n.findings.map((x, i) => `${i + 1}. ${x.item}：${x.description}`).join('\n') : '未发现问题。';
  const o = n.outcome === 'no_problem' ? '无需采取进一步措施。'
    : n.outcome === 'rectify' ? `请于${n.rectifyBy ?? '（日期）'}前完成上述问题的整改并报告整改情况。`
    : '已依法立案查处，相关程序和权利另行告知。';
  return `检查结果告知书\n${n.enterpriseName}：\n${n.date}，${n.agencyName}执法人员${team}对你单位进行了检查，检查事项：${n.items.join('、')}。\n检查发现：\n${f}\n${o}\n如对检查有异议，或发现执法人员违反廉洁纪律，可拨打${n.hotline}热线反映。`;
}
