/**
 * The supervisors' warnings (DESIGN §2 measures 2, 4, 6, 8, 10, 11, 12; §6 step 6) decided by the same
 * pure rules the inspector's phone runs at check-in (src/domain/rules), re-run here on the full
 * picture the server has: the enterprise's whole ledger, the certificate registry, the city policy and
 * the agency's plan. Pure: no I/O, no clock; the projection (projection.ts) feeds it.
 *
 * Decisions:
 * - A breach raises its own kind. A lawful exception raises `exemption` instead, so that no exemption
 *   is silent: every exemption the inspector declared (with its rule, kind, reason and whether it lifted
 *   a block), and going over the cap on an exempt trigger (`cap.exempt`) or visiting in the quiet period
 *   on a trigger (`quiet.triggered`), with the trigger's reference.
 * - Corrections count only when allowed (src/domain/corrections.ts); every correction is shown to
 *   supervisors (`correction`: info when allowed, block when it is not and is ignored), and so is every
 *   dispute an enterprise files against an inspector's record (`dispute`).
 * - Severity: `block` for what the check-in would have refused (cap, certificates, quiet period, no filed
 *   plan); `warn` for irregularities the rules only flag (plan changed since filing, duplicate, on-site
 *   after a clean off-site check, late record); `info` for another agency at the same enterprise the
 *   same day on other items (a missed joint inspection, measure 8) and a filed plan edited since.
 * - One warning per kind per inspection: its id is `kind.entryId` (the corrected entry's id for a
 *   correction), so re-running on a replayed or grown ledger never duplicates it.
 */
import { precheck, planFiled, warningKindOf, type TeamCert } from '../../src/domain/rules';
import {
  Warning,
  type Agency,
  type Certificate,
  type Enterprise,
  type EntryRecord,
  type LedgerRecord,
  type PlanItem,
  type PlanMeta,
  type PolicyConfig,
  type Text,
  type Verdict,
} from '../../src/domain/schemas';
import { addDays, shanghaiDate, shanghaiYear } from '../../src/domain/time';
import { CORRECTION_FAILURE, correctedId, corrections } from '../../src/domain/corrections';
import { exemptionLabel } from '../../src/domain/policy-defaults';
import type { z } from 'zod';

export type WarningT = z.infer<typeof Warning>;
export type WarningKindT = WarningT['kind'];
export type Severity = WarningT['severity'];

const ID_MAX = 80;

/** FNV-1a 32-bit, twice with different seeds: a short stable digest for ids that would be too long. */
function digest(s: string): string {
  let a = 0x811c9dc5,
    b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a ^= c;
    a = Math.imul(a, 0x01000193);
    b ^= c;
    b = Math.imul(b, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The stable id of a warning: `kind.ref1.ref2…` (letters, digits, `_ . : -`), digested past 80 characters. */
export function warningId(kind: WarningKindT, ...refs: string[]): string {
  const clean = refs.map((r) => r.replace(/[^A-Za-z0-9_.:-]/g, '_'));
  const id = [kind, ...clean].join('.');
  return id.length <= ID_MAX ? id : `${kind}.h${digest(refs.join('\u0000'))}`;
}

/**
 * The year (the `supervision/<year>` room) a warning belongs to: a plan's year for warnings about a plan
 * (refId `plan/<agencyId>/<year>`), else the Shanghai year of its time.
 */
export function yearOfWarning(w: Pick<WarningT, 'at' | 'refId'>): number {
  const m = /^plan\/[^/]+\/(20\d\d)$/.exec(w.refId ?? '');
  return m ? +m[1] : shanghaiYear(w.at);
}

/** What the evaluation needs to name things in plain words. */
export interface Names {
  agency?: Pick<Agency, 'name' | 'nameEn'> | null;
  enterprise?: Pick<Enterprise, 'name'> | null;
}

function prefix(e: Pick<EntryRecord, 'at' | 'agencyId' | 'uscc'>, n: Names): Text {
  const day = shanghaiDate(e.at);
  const ag = { zh: n.agency?.name ?? e.agencyId, en: n.agency?.nameEn ?? n.agency?.name ?? e.agencyId };
  const ent = n.enterprise?.name ?? e.uscc;
  return { zh: `${ag.zh}于${day}对“${ent}”的检查：`, en: `${ag.en}, inspection of “${ent}” on ${day}: ` };
}

export interface PlanInput {
  meta: Pick<PlanMeta, 'year' | 'status' | 'filedHash' | 'capPerEnterprise'>;
  items?: readonly PlanItem[];
  /** hash of the plan as it is now (canonical.ts `planHash`) */
  currentHash?: string;
}

export interface EntryInput extends Names {
  entry: EntryRecord;
  /** the enterprise's ledger (any record types, the entry itself included or not) */
  ledger: readonly LedgerRecord[];
  policy: PolicyConfig;
  certificates: readonly Certificate[];
  enterprise?: Pick<Enterprise, 'uscc' | 'name' | 'quietZone' | 'riskLevel' | 'industry' | 'division'> | null;
  agency?: Pick<Agency, 'id' | 'level' | 'name' | 'nameEn'> | null;
  /** the agency's plan for the entry's Shanghai year; null when it has none */
  plan?: PlanInput | null;
}

/** The certificate of a team member: by the number recorded at check-in, else the inspector's own one valid that day. */
export function teamCertsOf(entry: Pick<EntryRecord, 'team' | 'at'>, certificates: readonly Certificate[]): TeamCert[] {
  const day = shanghaiDate(entry.at);
  const byNumber = new Map(certificates.map((c) => [c.number, c]));
  return entry.team.map((m) => {
    const mine = certificates.filter((c) => c.inspectorId === m.inspectorId);
    const cert = byNumber.get(m.certificateNumber) ?? mine.find((c) => c.status === 'valid' && c.issuedOn <= day && day <= c.expiresOn) ?? mine[0];
    return { inspectorId: m.inspectorId, name: m.name, certificate: cert ?? null };
  });
}

/** Warn-level verdicts that are irregular enough to reach supervisors (other warns are advice). */
const WARN_RAISES = new Set(['plan.changed', 'duplicate', 'offsite.clean_before']);

/** Every warning one entry raises, decided on the full picture. */
export function evaluateEntry(i: EntryInput): WarningT[] {
  const e = i.entry;
  // another entry of the same task is the same inspection (a second visit): leave it out of the picture
  const ledger = i.ledger.filter((r) => !(r.type === 'entry' && e.taskId && r.taskId === e.taskId && r.id !== e.id));
  const res = precheck({
    policy: i.policy,
    at: e.at,
    agency: { id: e.agencyId, level: i.agency?.level ?? 'city' },
    enterprise: i.enterprise ?? { uscc: e.uscc, quietZone: false, riskLevel: 'medium', industry: '', division: '' },
    kind: e.kind,
    method: e.method,
    itemIds: e.itemIds,
    team: teamCertsOf(e, i.certificates),
    ledger,
    plan: i.plan ?? null,
    taskId: e.taskId,
    exemptions: e.exemptions,
    entryId: e.id,
  });
  const pre = prefix(e, i);
  // a correction's warnings replace those of the record it corrects; one that is not allowed stands alone
  const ref = correctedId(e, i.ledger) ?? e.id;
  const out: WarningT[] = [];
  const seen = new Set<WarningKindT>();
  const raise = (kind: WarningKindT, severity: Severity, message: Text) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    out.push(
      Warning.parse({
        id: warningId(kind, ref),
        kind,
        severity,
        agencyId: e.agencyId,
        uscc: e.uscc,
        refId: e.id,
        at: e.at,
        message: { zh: pre.zh + message.zh, en: pre.en + message.en },
      }),
    );
  };
  const verdicts: Verdict[] = res.verdicts;
  const offsite = !!e.method && e.method !== 'onsite';
  for (const v of verdicts) {
    const kind = warningKindOf(v.code);
    if (!kind) continue;
    // an off-site or written check does not count towards the cap (cap.ts), so it cannot go over it
    if (kind === 'over_cap' && offsite) continue;
    if (v.verdict === 'block' && res.blocking.includes(v)) raise(kind, 'block', v.message);
    else if (v.verdict === 'warn' && WARN_RAISES.has(v.code)) raise(kind, 'warn', v.message);
  }
  const sameDay = verdicts.find((v) => v.code === 'joint.same_day');
  if (sameDay) {
    raise('duplicate', 'info', {
      zh: `${sameDay.message.zh}，未联合检查（进一次门、查多项事）`,
      en: `${sameDay.message.en}, not as a joint inspection`,
    });
  }
  out.push(
    ...exemptionWarnings(
      e,
      res.lifted.map((l) => l.verdict.code),
      verdicts,
      ref,
      pre,
    ),
  );
  if (e.via === 'late') {
    const why = e.lateReason?.trim();
    raise('late_record', 'warn', {
      zh: `补录的检查记录，未经扫码入企${why ? `（理由：${why}）` : '，未说明理由'}`,
      en: `a late record (补录) made without scanning the enterprise code${why ? ` (reason: ${why})` : ', with no reason given'}`,
    });
  }
  return out;
}

/** Every exemption an entry used, one warning each (a lifted block or a lawful exception is never silent). */
function exemptionWarnings(e: EntryRecord, liftedCodes: string[], verdicts: readonly Verdict[], ref: string, pre: Text): WarningT[] {
  const out: WarningT[] = [];
  const trig = e.kind.type === 'triggered' ? e.kind.trigger : null;
  const reference = trig ? trig.ref : (e.taskId ?? e.id);
  const push = (key: string, severity: Severity, message: Text) =>
    out.push(
      Warning.parse({
        id: warningId('exemption', ref, key),
        kind: 'exemption',
        severity,
        agencyId: e.agencyId,
        uscc: e.uscc,
        refId: e.id,
        at: e.at,
        message: { zh: pre.zh + message.zh, en: pre.en + message.en },
      }),
    );
  for (const x of e.exemptions) {
    const l = exemptionLabel(x.kind);
    const lifted =
      liftedCodes.find((c) => c === x.rule || c.startsWith(`${x.rule}.`)) ??
      // a listed quiet-period exception turns the block into `quiet.exception` (quiet.ts)
      (verdicts.some((v) => v.code === 'quiet.exception') && (x.rule === 'quiet' || x.rule.startsWith('quiet.')) ? 'quiet.blocked' : undefined);
    push(x.rule, 'warn', {
      zh: `声明豁免（规则 ${x.rule}，情形“${l.zh}”，理由：${x.reason.trim()}，依据 ${reference}）${lifted ? `，解除了 ${lifted} 的限制` : ''}`,
      en: `exemption declared (rule ${x.rule}, kind “${l.en}”, reason: ${x.reason.trim()}, reference ${reference})${lifted ? `, lifting ${lifted}` : ''}`,
    });
  }
  for (const v of verdicts) {
    if (!trig || (v.code !== 'cap.exempt' && v.code !== 'quiet.triggered')) continue;
    const l = exemptionLabel(trig.kind);
    push(v.code, 'info', {
      zh: `因“${l.zh}”（${trig.ref}）突破${v.code === 'cap.exempt' ? '年度频次上限' : '企业安静期'}：${v.message.zh}`,
      en: `the trigger “${l.en}” (${trig.ref}) went past the ${v.code === 'cap.exempt' ? 'annual cap' : 'quiet period'}: ${v.message.en}`,
    });
  }
  return out;
}

type Rec = LedgerRecord;
const what = (r: Rec | undefined): Text =>
  !r
    ? { zh: '记录', en: 'record' }
    : r.type === 'entry'
      ? { zh: '入企检查记录', en: 'entry record' }
      : r.type === 'result'
        ? { zh: '检查结果记录', en: 'result record' }
        : r.type === 'ack'
          ? { zh: '签收记录', en: 'acknowledgement' }
          : { zh: '异议记录', en: 'dispute' };
const agencyOf = (r: Rec | undefined): string | undefined => (r && 'agencyId' in r ? r.agencyId : undefined);

/**
 * Corrections and disputes among `fresh` records of a ledger (`all`: the whole ledger): every correction
 * is shown to supervisors (an ignored one as a block), every dispute too, with the agency of the record
 * concerned so that the agency sees it.
 */
export function recordWarnings(fresh: readonly Rec[], all: readonly Rec[], n: Names = {}): WarningT[] {
  const byId = new Map(all.map((r) => [r.id, r]));
  const { refused } = corrections(all);
  const ent = n.enterprise?.name;
  const out: WarningT[] = [];
  for (const r of fresh) {
    const base = (u: string) => ({ uscc: r.uscc, refId: r.id, at: r.at, ...(u ? { agencyId: u } : {}) });
    if (r.corrects) {
      const old = byId.get(r.corrects);
      const why = refused.get(r.id);
      const w = what(old);
      const ag = agencyOf(old) ?? agencyOf(r) ?? '';
      out.push(
        Warning.parse({
          id: warningId('correction', r.id),
          kind: 'correction',
          severity: why ? 'block' : 'info',
          ...base(ag),
          message: why
            ? {
                zh: `${r.by} 试图更正${ent ? `“${ent}”的` : ''}${w.zh} ${r.corrects}，不符合更正规则（${CORRECTION_FAILURE[why].zh}），已忽略`,
                en: `${r.by} tried to correct ${w.en} ${r.corrects}${ent ? ` of “${ent}”` : ''}, which is not allowed (${CORRECTION_FAILURE[why].en}); ignored`,
              }
            : {
                zh: `${r.by} 更正了${ent ? `“${ent}”的` : ''}${w.zh} ${r.corrects}（更正记录 ${r.id}）`,
                en: `${r.by} corrected ${w.en} ${r.corrects}${ent ? ` of “${ent}”` : ''} (correction ${r.id})`,
              },
        }),
      );
    }
    if (r.type === 'dispute') {
      const old = byId.get(r.refId);
      const w = what(old);
      out.push(
        Warning.parse({
          id: warningId('dispute', r.id),
          kind: 'dispute',
          severity: 'warn',
          ...base(agencyOf(old) ?? ''),
          message: {
            zh: `${ent ?? r.uscc}对${w.zh} ${r.refId}${old ? `（${shanghaiDate(old.at)}）` : ''}提出异议：${r.text}`,
            en: `${ent ?? r.uscc} disputes ${w.en} ${r.refId}${old ? ` (${shanghaiDate(old.at)})` : ''}: ${r.text}`,
          },
        }),
      );
    }
  }
  return out;
}

/** Records a user's phone uploaded more than 24 h after their time (one warning per upload). */
export function lateUploadWarning(i: {
  uscc: string;
  userId: string;
  at: string;
  records: readonly { recordId: string; at: string; type: LedgerRecord['type']; agencyId?: string }[];
}): WarningT | null {
  const first = i.records[0];
  if (!first) return null;
  const oldest = i.records.reduce((a, b) => (Date.parse(b.at) < Date.parse(a.at) ? b : a));
  const hours = Math.floor((Date.parse(i.at) - Date.parse(oldest.at)) / 3_600_000);
  const ids =
    i.records
      .slice(0, 5)
      .map((r) => r.recordId)
      .join(', ') + (i.records.length > 5 ? ` …(+${i.records.length - 5})` : '');
  return Warning.parse({
    id: warningId('late_upload', i.userId, first.recordId),
    kind: 'late_upload',
    severity: 'warn',
    ...(first.agencyId ? { agencyId: first.agencyId } : {}),
    uscc: i.uscc,
    refId: first.recordId,
    at: i.at,
    message: {
      zh: `${i.userId} 上传了 ${i.records.length} 条制作超过 24 小时的记录（最早 ${shanghaiDate(oldest.at)}，晚 ${hours} 小时）：${ids}`,
      en: `${i.userId} uploaded ${i.records.length} record(s) more than 24 hours after they were made (oldest ${shanghaiDate(oldest.at)}, ${hours} h late): ${ids}`,
    },
  });
}

/** Measure 6: a filed plan edited since filing must be re-filed (one warning per filing). */
export function planChangedWarning(p: {
  room: string;
  agencyId: string;
  year: number;
  meta: Pick<PlanMeta, 'status' | 'filedHash'> | null;
  currentHash: string;
  at: string;
  agency?: Pick<Agency, 'name' | 'nameEn'> | null;
}): WarningT | null {
  const m = p.meta;
  if (!m?.filedHash || (m.status !== 'filed' && m.status !== 'published')) return null;
  if (m.filedHash === p.currentHash) return null;
  const ag = { zh: p.agency?.name ?? p.agencyId, en: p.agency?.nameEn ?? p.agency?.name ?? p.agencyId };
  return Warning.parse({
    id: warningId('changed_since_filing', 'plan', p.agencyId, String(p.year), m.filedHash.slice(0, 12)),
    kind: 'changed_since_filing',
    severity: 'info',
    agencyId: p.agencyId,
    refId: p.room,
    at: p.at,
    message: {
      zh: `${ag.zh}${p.year}年度检查计划备案后已调整，应当重新备案（第六条）`,
      en: `${ag.en}: the ${p.year} inspection plan changed after it was filed and must be re-filed (measure 6)`,
    },
  });
}

/**
 * Measure 4: the agencies whose plan for the Shanghai year of `today` is not filed once its due date
 * (`policy.planDue`, 31 January by default) has passed. A plan submitted and awaiting the justice
 * office counts as filed on time. `plans` maps agency id → its plan meta for that year (absent = none).
 */
export function unfiledPlanWarnings(i: {
  today: string;
  policy: Pick<PolicyConfig, 'planDue'>;
  agencies: readonly Pick<Agency, 'id' | 'name' | 'nameEn'>[];
  plans: ReadonlyMap<string, Pick<PlanMeta, 'year' | 'status' | 'filedHash'> | null>;
}): WarningT[] {
  const day = shanghaiDate(i.today);
  const year = shanghaiYear(day);
  const due = `${year}-${i.policy.planDue}`;
  if (day <= due) return [];
  const out: WarningT[] = [];
  for (const a of i.agencies) {
    const meta = i.plans.get(a.id) ?? null;
    const v = planFiled({ kind: { type: 'planned', planned: 'routine' }, planMeta: meta, at: day });
    if (v.code !== 'plan.unfiled') continue;
    out.push(
      Warning.parse({
        id: warningId('unfiled_plan', a.id, String(year)),
        kind: 'unfiled_plan',
        severity: 'warn',
        agencyId: a.id,
        refId: `plan/${a.id}/${year}`,
        at: `${addDays(due, 1)}T00:00:00+08:00`,
        message: {
          zh: `${a.name}未在${due}前备案${year}年度行政检查计划（第四条、第六条）：${v.message.zh}`,
          en: `${a.nameEn || a.name} has not filed its ${year} inspection plan, due ${due} (measures 4 and 6): ${v.message.en}`,
        },
      }),
    );
  }
  return out;
}
