/**
 * 一企一档: one enterprise's whole file for supervisors (see service.ts; routes.ts lets supervisors only).
 * Every agency's inspections of it from its ledger room (entries, results, acknowledgements, disputes), its
 * ratings and complaints from its feedback room (supervisors may know who rated and who complained), and the
 * warnings about it from the projection's table with their handling; each event tied to the inspection it
 * belongs to (`entryId`), newest first.
 *
 * Titles are bilingual (Text); what varies by language (kind, method, outcome, status) goes in the title or a
 * detail's label, so a detail's value is a name, a date, a number or the author's own words.
 */
import type { EntryRecord, FeedbackRecord, LedgerRecord, ResultRecord, Text } from '../../src/domain/schemas';
import type { EnterpriseFile, FileEvent } from '../../src/protocol/stats';
import { rooms } from '../../src/domain/rooms';
import { readFeedback, readHandling, readLedger } from '../../src/model';
import { exemptionLabel } from '../../src/domain/policy-defaults';
import { shanghaiDate } from '../../src/domain/time';
import type { StatsDeps } from './service';

type Detail = FileEvent['details'][number];
const L = (zh: string, en: string): Text => ({ zh, en });
const MAX_DETAILS = 30;
const clip = (s: string, n = 4000) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const detail = (label: Text, value: string | undefined | null): Detail[] => (value ? [{ label, value: clip(value) }] : []);

const METHOD: Record<string, Text> = {
  onsite: L('现场检查', 'on-site inspection'),
  offsite: L('非现场检查', 'off-site inspection'),
  written: L('书面核查', 'written check'),
};
const PLANNED: Record<string, Text> = { special: L('专项', 'special'), routine: L('日常', 'routine'), other: L('其他计划', 'other planned') };
const SOURCE: Record<string, Text> = {
  documents: L('调阅资料', 'documents requested'),
  remote_video: L('远程视频', 'remote video'),
  other_system: L('其他系统数据', 'data from other systems'),
  other: L('其他', 'other'),
};
const OUTCOME: Record<string, Text> = {
  no_problem: L('未发现问题', 'no problem found'),
  rectify: L('责令整改', 'rectification ordered'),
  case_filed: L('立案查处', 'case filed'),
};
const SUGGESTION: Record<string, Text> = {
  lighter: L('从轻处罚', 'lighter penalty'),
  mitigated: L('减轻处罚', 'mitigated penalty'),
  first_offence_exempt: L('首违不罚', 'first offence exempt'),
};
const HANDLING: Record<string, Text> = {
  open: L('待处理', 'open'),
  acknowledged: L('已知悉', 'acknowledged'),
  resolved: L('已解决', 'resolved'),
  dismissed: L('已驳回', 'dismissed'),
};

interface EnterpriseRow {
  uscc: string;
  name: string;
  division: string;
  industry: string;
  risk_level: string;
  credit_level: string;
  quiet_zone: number;
  deregistered: number;
}

export async function enterpriseFile(d: StatsDeps, uscc: string): Promise<EnterpriseFile | null> {
  const e = d.db
    .prepare('SELECT uscc, name, division, industry, risk_level, credit_level, quiet_zone, deregistered FROM enterprises WHERE uscc = ?')
    .get(uscc) as EnterpriseRow | undefined;
  if (!e) return null;

  const ledger = await d.rooms.read(rooms.ledger(uscc), (doc) => readLedger(doc, { uscc }).items.map((s) => s.rec));
  const feedback = await d.rooms.read(rooms.feedback(uscc), (doc) => readFeedback(doc, { uscc }).items);
  const warnings = (
    d.db.prepare('SELECT id, year, json FROM warnings WHERE uscc = ? ORDER BY at DESC').all(uscc) as { id: string; year: number; json: string }[]
  ).map((r) => ({ year: r.year, w: JSON.parse(r.json) as WarningRow }));
  const handling = new Map<string, { status: string; at: string; note: string }>();
  for (const year of new Set(warnings.map((x) => x.year))) {
    for (const h of await d.rooms.read(rooms.supervision(year), (doc) => readHandling(doc).items)) handling.set(h.warningId, h);
  }

  const agencies = new Map<string, { name: string; nameEn: string } | null>();
  const agencyOf = (id: string | undefined | null) => {
    if (!id) return { agencyId: null, agencyName: null, agencyNameEn: null };
    if (!agencies.has(id)) agencies.set(id, d.dir.agency(id) ?? null);
    const a = agencies.get(id);
    return { agencyId: id, agencyName: a?.name ?? id, agencyNameEn: a?.nameEn ?? id };
  };
  const itemNames = itemNamesOf(d, [...new Set(ledger.flatMap((r) => (r.type === 'entry' ? [r.agencyId] : [])))]);

  const byId = new Map<string, LedgerRecord>(ledger.map((r) => [r.id, r]));
  /** the entry a ledger record belongs to */
  const entryOf = (id: string | undefined): string | null => {
    const r = id ? byId.get(id) : undefined;
    if (!r) return null;
    if (r.type === 'entry') return r.id;
    if (r.type === 'result' || r.type === 'cosign' || r.type === 'document') return r.entryId;
    if (r.type === 'rectification' || r.type === 'review') return entryOf(r.resultId);
    return entryOf(r.refId);
  };
  const entries = new Map(ledger.filter((r): r is EntryRecord => r.type === 'entry').map((r) => [r.id, r]));
  const agencyOfEntry = (entryId: string | null) => (entryId ? entries.get(entryId)?.agencyId : undefined);
  const fb = new Map(feedback.map((r) => [r.id, r]));

  const events: FileEvent[] = [];
  for (const r of ledger) events.push(ledgerEvent(r, { entryOf, agencyOf, agencyOfEntry, itemNames, byId }));
  for (const r of feedback) events.push(feedbackEvent(r, agencyOf(agencyOfEntry(r.entryId ?? null) ?? null)));
  for (const { w } of warnings) {
    const ref = w.refId ?? '';
    const entryId = entryOf(ref) ?? fb.get(ref)?.entryId ?? null;
    const h = handling.get(w.id);
    events.push({
      id: w.id,
      type: 'warning',
      at: w.at,
      ...agencyOf(w.agencyId ?? agencyOfEntry(entryId)),
      entryId,
      title: w.message,
      details: [
        { label: L('预警类型', 'Kind'), value: w.kind },
        ...(h
          ? [
              {
                label: L(`处理：${HANDLING[h.status]?.zh ?? h.status}`, `Handling: ${HANDLING[h.status]?.en ?? h.status}`),
                value: clip(`${shanghaiDate(h.at)} ${h.note}`.trim()),
              },
            ]
          : [{ label: L('处理', 'Handling'), value: '—' }]),
      ],
      severity: w.severity,
    });
  }
  events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));

  const inspections = [...entries.values()].filter((x) => !x.corrects);
  return {
    enterprise: {
      uscc: e.uscc,
      name: e.name,
      division: e.division,
      industry: e.industry,
      riskLevel: e.risk_level,
      creditLevel: e.credit_level,
      quietZone: e.quiet_zone === 1,
      deregistered: e.deregistered === 1,
    },
    events,
    counts: {
      inspections: inspections.length,
      agencies: new Set(inspections.map((x) => x.agencyId)).size,
      results: ledger.filter((r) => r.type === 'result').length,
      ratings: feedback.filter((r) => r.type === 'rating').length,
      complaints: feedback.filter((r) => r.type === 'complaint').length,
      warnings: warnings.length,
    },
  };
}

interface WarningRow {
  id: string;
  kind: string;
  severity: 'info' | 'warn' | 'block';
  agencyId?: string;
  refId?: string;
  at: string;
  message: Text;
}

/** item id → its name in the agencies' latest published catalogues (the file names the items, not their ids) */
function itemNamesOf(d: StatsDeps, agencyIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const q = d.db.prepare('SELECT content FROM catalogue_versions WHERE agency_id = ? ORDER BY version DESC LIMIT 1');
  for (const a of agencyIds) {
    try {
      const row = q.get(a) as { content: string } | undefined;
      const items = row ? ((JSON.parse(row.content) as { items?: { id: string; name: string }[] }).items ?? []) : [];
      for (const it of items) out.set(it.id, it.name);
    } catch {
      // no catalogue table or an unreadable version: the ids stand
    }
  }
  return out;
}

interface Ctx {
  entryOf: (id: string | undefined) => string | null;
  agencyOf: (id: string | undefined | null) => Pick<FileEvent, 'agencyId' | 'agencyName' | 'agencyNameEn'>;
  agencyOfEntry: (entryId: string | null) => string | undefined;
  itemNames: Map<string, string>;
  byId: Map<string, LedgerRecord>;
}

function ledgerEvent(r: LedgerRecord, c: Ctx): FileEvent {
  const base = { id: r.id, at: r.at };
  const corrects = detail(L('更正记录', 'Corrects'), r.corrects);
  switch (r.type) {
    case 'entry': {
      const m = METHOD[r.method ?? 'onsite'];
      const kind =
        r.kind.type === 'planned'
          ? L(`计划检查（${PLANNED[r.kind.planned].zh}）`, `planned (${PLANNED[r.kind.planned].en})`)
          : L(`${exemptionLabel(r.kind.trigger.kind).zh}触发`, `triggered by ${exemptionLabel(r.kind.trigger.kind).en}`);
      const late = r.via === 'late' ? L('，补录', ', recorded late') : L('', '');
      return {
        ...base,
        type: 'entry',
        ...c.agencyOf(r.agencyId),
        entryId: r.id,
        title: L(`${m.zh} · ${kind.zh}${late.zh}`, `${m.en[0].toUpperCase()}${m.en.slice(1)} · ${kind.en}${late.en}`),
        details: [
          ...detail(L('检查人员', 'Inspectors'), r.team.map((t) => `${t.name}（${t.certificateNumber}）`).join('、')),
          ...detail(L('检查事项', 'Items'), r.itemIds.map((id) => c.itemNames.get(id) ?? id).join('、')),
          ...(r.kind.type === 'triggered' ? detail(L('触发依据', 'Trigger reference'), r.kind.trigger.ref) : []),
          ...(r.via === 'offsite'
            ? (r.sources ?? []).map((x) => ({ label: L(`核查资料：${SOURCE[x.kind].zh}`, `Checked: ${SOURCE[x.kind].en}`), value: clip(x.note) }))
            : detail(
                r.via === 'scan' ? L('扫码进入', 'Entered by scanning the code') : L('补录原因', 'Why recorded late'),
                r.via === 'scan' ? '✓' : (r.lateReason ?? '—'),
              )),
          ...r.exemptions.map((x) => ({
            label: L(`例外：${exemptionLabel(x.kind).zh}（${x.rule}）`, `Exemption: ${exemptionLabel(x.kind).en} (${x.rule})`),
            value: clip(x.reason),
          })),
          ...corrects,
        ].slice(0, MAX_DETAILS),
      };
    }
    case 'result': {
      const o = OUTCOME[r.outcome];
      return {
        ...base,
        type: 'result',
        ...c.agencyOf(r.agencyId),
        entryId: r.entryId,
        title: L(
          `检查结果：${o.zh}${r.findings.length ? `，发现问题 ${r.findings.length} 项` : ''}`,
          `Result: ${o.en}${r.findings.length ? `, ${r.findings.length} finding(s)` : ''}`,
        ),
        details: [
          ...r.findings.map((f, i) => {
            const s = f.suggestion !== 'none' ? SUGGESTION[f.suggestion] : undefined;
            return {
              label: L(`问题 ${i + 1}${s ? `（${s.zh}）` : ''}`, `Finding ${i + 1}${s ? ` (${s.en})` : ''}`),
              value: clip(`${f.violationCode ? `[${f.violationCode}] ` : ''}${f.description}`),
            };
          }),
          ...detail(L('整改期限', 'Rectify by'), r.rectifyBy),
          ...detail(L('检查结果告知书', 'Notice'), r.notice),
          ...corrects,
        ].slice(0, MAX_DETAILS),
      };
    }
    case 'ack': {
      const ref = c.byId.get(r.refId);
      const res: ResultRecord | undefined = ref?.type === 'result' ? ref : undefined;
      const entryId = c.entryOf(r.refId);
      return {
        ...base,
        type: 'ack',
        ...c.agencyOf(res?.agencyId ?? c.agencyOfEntry(entryId)),
        entryId,
        title: L('企业签收检查结果', 'The enterprise acknowledged the result'),
        details: res
          ? [
              {
                label: L(`签收的结果：${OUTCOME[res.outcome].zh}`, `Result acknowledged: ${OUTCOME[res.outcome].en}`),
                value: `${shanghaiDate(res.at)} · ${r.refId}`,
              },
            ]
          : detail(L('签收的结果', 'Result acknowledged'), r.refId),
      };
    }
    case 'cosign':
      return {
        ...base,
        type: 'cosign',
        ...c.agencyOf(r.agencyId),
        entryId: r.entryId,
        title: L('第二名执法人员在本人手机上签名确认', 'The second inspector signed on their own phone'),
        details: detail(L('签名人', 'Signed by'), r.by),
      };
    case 'document':
      return {
        ...base,
        type: 'document',
        ...c.agencyOf(r.agencyId),
        entryId: r.entryId,
        title: r.docKind === 'onsite_record' ? L('现场检查笔录（已签名）', 'On-site record (signed)') : L('检查结果告知书（已签名）', 'Result notice (signed)'),
        details: [
          ...detail(L('签名', 'Signatures'), r.signatures.map((x) => x.name).join('、')),
          ...detail(L('文件摘要（SHA-256）', 'File digest (SHA-256)'), r.pdf.sha256),
        ],
      };
    case 'rectification':
      return {
        ...base,
        type: 'rectification',
        ...c.agencyOf(c.agencyOfEntry(c.entryOf(r.resultId))),
        entryId: c.entryOf(r.resultId),
        title: L('企业报告整改情况', 'The enterprise reported its rectification'),
        details: [...detail(L('整改情况', 'What was done'), r.text), ...detail(L('证据', 'Evidence'), `${r.evidence.length}`)],
      };
    case 'review':
      return {
        ...base,
        type: 'review',
        ...c.agencyOf(r.agencyId),
        entryId: c.entryOf(r.resultId),
        title: r.accepted ? L('整改已验收', 'Rectification accepted') : L('整改未通过验收', 'Rectification not accepted'),
        details: detail(L('意见', 'Note'), r.note),
        ...(r.accepted ? {} : { severity: 'warn' as const }),
      };
    case 'dispute': {
      const ref = c.byId.get(r.refId);
      const entryId = c.entryOf(r.refId);
      const what = ref?.type === 'result' ? L('检查结果', 'the result') : L('检查记录', 'the inspection record');
      return {
        ...base,
        type: 'dispute',
        ...c.agencyOf(c.agencyOfEntry(entryId)),
        entryId,
        title: L(`企业对${what.zh}提出异议`, `The enterprise disputes ${what.en}`),
        details: [...detail(L('异议内容', 'Dispute'), r.text), ...detail(L('所指记录', 'Record disputed'), r.refId)],
        severity: 'warn',
      };
    }
  }
}

function feedbackEvent(r: FeedbackRecord, agency: Pick<FileEvent, 'agencyId' | 'agencyName' | 'agencyNameEn'>): FileEvent {
  if (r.type === 'rating') {
    return {
      id: r.id,
      type: 'rating',
      at: r.at,
      ...agency,
      entryId: r.entryId,
      title: L(`企业评价：${r.score} 分（满分 5 分）`, `Rating: ${r.score} of 5`),
      details: [...detail(L('评价分数', 'Score'), `${'★'.repeat(r.score)}${'☆'.repeat(5 - r.score)} ${r.score}/5`), ...detail(L('评语', 'Comment'), r.comment)],
    };
  }
  return {
    id: r.id,
    type: 'complaint',
    at: r.at,
    ...agency,
    entryId: r.entryId ?? null,
    title: r.refused ? L('企业拒绝检查并投诉', 'The enterprise refused an inspection and complained') : L('企业投诉', 'Complaint'),
    details: [...detail(L('投诉内容', 'Complaint'), r.text), ...detail(L('涉及纪律条款', 'Conduct rule'), r.ruleCode)],
    severity: 'warn',
  };
}
