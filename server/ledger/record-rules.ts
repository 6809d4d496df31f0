/**
 * Who may write which ledger record (ledger/<uscc>), checked by the server on every new record after its
 * device signature (server/ledger/vet.ts `vetLedgerUpdate`). A record that fails is quarantined with the
 * reason (kept for supervisors, never applied) and the session stays open: an honest phone that was
 * offline for a week must not be locked out of the room by one record the server does not accept.
 *
 * - entries, results, cosigns and documents: an inspector of the record's agency (`principal.agencyId ===
 *   rec.agencyId`); an entry names a task of that agency for this enterprise (`tasks/<agencyId>/<year>`, the
 *   year of its time or the one before), or is a triggered inspection with its author on the team (started on
 *   the phone: its task may reach the server after the entry); a result follows an entry of the same agency
 *   and enterprise in this ledger (or in the same update);
 * - acknowledgements, disputes and rectification reports: the ledger's own enterprise; a dispute names an
 *   entry or result here; a rectification report names a result here with outcome `rectify`;
 * - reviews of a rectification report: an inspector or an agency admin of the record's agency; the report is
 *   on this ledger, about the same result, and that result is the agency's. Agency admins append to ledgers
 *   (src/domain/rights.ts) for reviews only: every other record by them is refused here;
 * - `via: 'scan'` (and a cosign `via: 'enterprise_code'`): the scanned enterprise code verifies with the
 *   platform's keys and names this enterprise;
 * - `via: 'offsite'` (measure 12): an off-site or written inspection (`method` offsite|written, the same as
 *   its task's), with at least one data source and no scanned code. An off-site task done on site by scanning
 *   is allowed (an inspector who went anyway);
 * - a cosign: at most one per author and entry; when its entry is known, the entry is the agency's, the
 *   author is on its team and is not its author, and `entryHash` is the `recordHash` of the entry as stored.
 *   A cosign whose entry is not here yet (the second phone came online first) is accepted: the projection
 *   checks it when the entry arrives (a mismatching one counts for nothing: single_signature);
 * - a document: its entry is the agency's and here, its result (when named) is a result of that entry; the
 *   PDF is a `document` of type application/pdf, each signature image a `signature` PNG;
 * - `at` is at most 5 minutes ahead of the server's clock; a record more than 24 hours old is stored
 *   (phones work offline) and reported as a late upload;
 * - a correction is allowed only as src/domain/corrections.ts says (the author's own record, same type).
 */
import type * as Y from 'yjs';
import { correctionAllowed, CORRECTION_FAILURE } from '../../src/domain/corrections';
import type { VerifyResult } from '../../src/domain/codes';
import { parseRoom, rooms } from '../../src/domain/rooms';
import {
  SignedRecord,
  type CosignRecord,
  type DocumentRecord,
  type EntryRecord,
  type LedgerRecord,
  type Principal,
  type RectificationRecord,
  type ReviewRecord,
  type Task,
} from '../../src/domain/schemas';
import { recordHash } from '../../src/domain/evidence';
import { instantMs, shanghaiYear } from '../../src/domain/time';
import { readTask } from '../../src/model/tasks';

/** How far ahead of the server's clock a record's time may be (phone clocks drift). */
export const FUTURE_SLACK_MS = 5 * 60 * 1000;
/** A record older than this when it reaches the server is a late upload (stored, and reported). */
export const LATE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export type RecordRuleFailure = 'not_permitted' | 'unknown_task' | 'bad_code' | 'future_time' | 'bad_correction' | 'unknown_ref';

export type RecordRuleVerdict = { ok: true; late: boolean } | { ok: false; reason: RecordRuleFailure; detail: string };

export interface RecordRuleDeps {
  /** read another room through the relay (tasks/<agencyId>/<year>) */
  read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** verify a scanned code with the platform's keys (server/codes/keys.ts KeyStore.verify) */
  verifyCode(text: string): Promise<VerifyResult>;
  /** the server's clock, ms */
  now(): number;
}

export interface RecordContext {
  principal: Principal;
  /** the ledger's enterprise */
  uscc: string;
  /** a record of this ledger by id: in the doc, or new in the same update */
  lookup(id: string): LedgerRecord | undefined;
  /** a record's `rec` exactly as stored or sent (unparsed: what a cosign's entryHash is taken of) */
  raw?(id: string): unknown;
  /** the ledger's other records: those stored, and those before this one in the same update */
  others?(): Iterable<LedgerRecord>;
}

const refuse = (reason: RecordRuleFailure, detail: string): RecordRuleVerdict => ({ ok: false, reason, detail });

/** A stored record of the doc's `records` map by id (parsed; undefined when absent or invalid). */
export function storedRecord(doc: Y.Doc, id: string): LedgerRecord | undefined {
  const v = doc.getMap('records').get(id);
  if (v === undefined) return undefined;
  const p = SignedRecord.safeParse(v);
  return p.success && p.data.rec.id === id ? p.data.rec : undefined;
}

/** A stored record's `rec` as it is in the doc's `records` map (unparsed), or undefined. */
export function storedRaw(doc: Y.Doc, id: string): unknown {
  const v = doc.getMap('records').get(id) as { rec?: unknown } | undefined;
  return v && typeof v === 'object' ? v.rec : undefined;
}

async function taskOf(deps: RecordRuleDeps, agencyId: string, taskId: string, at: string): Promise<Task | undefined> {
  const y = shanghaiYear(at);
  // a task of last year's plan done in the first days of January counts too
  for (const year of [y, y - 1]) {
    const room = rooms.tasks(agencyId, year);
    if (!parseRoom(room)) continue;
    const t = await deps.read(room, (d) => readTask(d, taskId));
    if (t) return t;
  }
  return undefined;
}

/** who may write a record of this type, by role (the ledger's rules below check the rest) */
function authorRefusal(rec: LedgerRecord, p: Principal, uscc: string): RecordRuleVerdict | null {
  switch (rec.type) {
    case 'entry':
    case 'result':
    case 'cosign':
    case 'document':
      if (p.role !== 'inspector' || !p.agencyId || p.agencyId !== rec.agencyId)
        return refuse('not_permitted', `only an inspector of ${rec.agencyId} writes its ${rec.type} records`);
      return null;
    case 'review':
      if ((p.role !== 'inspector' && p.role !== 'agency') || !p.agencyId || p.agencyId !== rec.agencyId)
        return refuse('not_permitted', `only the staff of ${rec.agencyId} review its rectification reports`);
      return null;
    case 'ack':
    case 'dispute':
    case 'rectification':
      if (p.role !== 'enterprise' || p.uscc !== uscc) return refuse('not_permitted', `only the enterprise writes ${rec.type} records on its ledger`);
      return null;
  }
}

async function scannedCodeRefusal(deps: RecordRuleDeps, code: string | undefined, uscc: string): Promise<RecordRuleVerdict | null> {
  if (!code) return refuse('bad_code', 'a scanned record carries the scanned code');
  const v = await deps.verifyCode(code);
  if (!v.ok) return refuse('bad_code', `the scanned code does not verify: ${v.code}`);
  if (v.kind !== 'ent' || v.payload.uscc !== uscc) return refuse('bad_code', "the scanned code is not this enterprise's code");
  return null;
}

async function entryRefusal(rec: EntryRecord, ctx: RecordContext, deps: RecordRuleDeps): Promise<RecordRuleVerdict | null> {
  const onTeam = rec.team.some((m) => m.inspectorId === ctx.principal.inspectorId);
  const task = rec.taskId ? await taskOf(deps, rec.agencyId, rec.taskId, rec.at) : undefined;
  if (task) {
    if (task.uscc !== ctx.uscc || task.agencyId !== rec.agencyId) return refuse('unknown_task', `task ${rec.taskId} is not about this enterprise`);
  } else if (rec.kind.type !== 'triggered' || !onTeam) {
    // a triggered inspection is started on the phone: its task may reach the server after the entry
    return refuse('unknown_task', rec.taskId ? `no task ${rec.taskId} of ${rec.agencyId}` : 'a planned inspection needs its task');
  }
  if (rec.via === 'scan') return scannedCodeRefusal(deps, rec.code, ctx.uscc);
  if (rec.via === 'offsite') {
    if (rec.method !== 'offsite' && rec.method !== 'written')
      return refuse('not_permitted', 'an entry recorded without a scan is an off-site or written inspection');
    if (task && task.method !== rec.method) return refuse('unknown_task', `task ${task.id} is a ${task.method} inspection, not ${rec.method}`);
    if (!rec.sources?.length) return refuse('not_permitted', 'an off-site inspection says what was checked (at least one data source)');
    if (rec.code) return refuse('not_permitted', 'an off-site inspection carries no scanned code');
  }
  return null;
}

async function cosignRefusal(rec: CosignRecord, ctx: RecordContext, deps: RecordRuleDeps): Promise<RecordRuleVerdict | null> {
  for (const o of ctx.others?.() ?? [])
    if (o.type === 'cosign' && o.id !== rec.id && o.entryId === rec.entryId && o.by === rec.by)
      return refuse('not_permitted', `${rec.by} has already cosigned entry ${rec.entryId} (${o.id})`);
  const entry = ctx.lookup(rec.entryId);
  // not here yet (the second phone came online first): the projection checks it when the entry arrives
  if (entry) {
    if (entry.type !== 'entry' || entry.agencyId !== rec.agencyId) return refuse('unknown_ref', `no entry ${rec.entryId} of ${rec.agencyId} on this ledger`);
    if (entry.by === rec.by) return refuse('not_permitted', 'the author of an entry cannot cosign it');
    if (!entry.team.some((m) => m.inspectorId === ctx.principal.inspectorId))
      return refuse('not_permitted', `${ctx.principal.inspectorId ?? rec.by} is not on the team of entry ${entry.id}`);
    const raw = ctx.raw?.(rec.entryId) ?? entry;
    if ((await recordHash(raw)) !== rec.entryHash) return refuse('unknown_ref', `the cosign's entryHash does not match entry ${entry.id} as stored`);
  }
  if (rec.via === 'enterprise_code') return scannedCodeRefusal(deps, rec.code, ctx.uscc);
  return null;
}

function documentRefusal(rec: DocumentRecord, ctx: RecordContext): RecordRuleVerdict | null {
  const entry = ctx.lookup(rec.entryId);
  if (!entry || entry.type !== 'entry' || entry.agencyId !== rec.agencyId)
    return refuse('unknown_ref', `no entry ${rec.entryId} of ${rec.agencyId} on this ledger`);
  if (rec.resultId) {
    const result = ctx.lookup(rec.resultId);
    if (!result || result.type !== 'result' || result.entryId !== rec.entryId)
      return refuse('unknown_ref', `no result ${rec.resultId} of entry ${rec.entryId}`);
  }
  if (rec.pdf.kind !== 'document' || rec.pdf.type !== 'application/pdf') return refuse('not_permitted', "a document's file is a PDF of kind 'document'");
  if (rec.signatures.some((s) => s.image.kind !== 'signature' || s.image.type !== 'image/png'))
    return refuse('not_permitted', "each signature of a document is a PNG image of kind 'signature'");
  return null;
}

function rectificationRefusal(rec: RectificationRecord, ctx: RecordContext): RecordRuleVerdict | null {
  const result = ctx.lookup(rec.resultId);
  if (!result || result.type !== 'result') return refuse('unknown_ref', `no result ${rec.resultId} on this ledger`);
  if (result.outcome !== 'rectify') return refuse('unknown_ref', `result ${rec.resultId} orders no rectification (${result.outcome})`);
  return null;
}

function reviewRefusal(rec: ReviewRecord, ctx: RecordContext): RecordRuleVerdict | null {
  const report = ctx.lookup(rec.reportId);
  if (!report || report.type !== 'rectification' || report.resultId !== rec.resultId)
    return refuse('unknown_ref', `no rectification report ${rec.reportId} about result ${rec.resultId} on this ledger`);
  const result = ctx.lookup(rec.resultId);
  if (!result || result.type !== 'result' || result.agencyId !== rec.agencyId)
    return refuse('unknown_ref', `result ${rec.resultId} is not a result of ${rec.agencyId}`);
  return null;
}

/** The verdict on one new, validly signed ledger record written by `ctx.principal`. */
export async function checkRecordRules(rec: LedgerRecord, ctx: RecordContext, deps: RecordRuleDeps): Promise<RecordRuleVerdict> {
  const p = ctx.principal;
  const nowMs = deps.now();
  const atMs = instantMs(rec.at);
  if (atMs > nowMs + FUTURE_SLACK_MS) return refuse('future_time', `record time ${rec.at} is in the future`);

  const who = authorRefusal(rec, p, ctx.uscc);
  if (who) return who;

  if (rec.corrects) {
    const v = correctionAllowed(rec, ctx.lookup(rec.corrects));
    if (!v.ok) return refuse('bad_correction', `correction of ${rec.corrects}: ${CORRECTION_FAILURE[v.why].en}`);
  }

  let refusal: RecordRuleVerdict | null = null;
  switch (rec.type) {
    case 'entry':
      refusal = await entryRefusal(rec, ctx, deps);
      break;
    case 'result': {
      const entry = ctx.lookup(rec.entryId);
      if (!entry || entry.type !== 'entry' || entry.agencyId !== rec.agencyId)
        refusal = refuse('unknown_ref', `no entry ${rec.entryId} of ${rec.agencyId} on this ledger`);
      break;
    }
    case 'dispute': {
      const ref = ctx.lookup(rec.refId);
      if (!ref || (ref.type !== 'entry' && ref.type !== 'result')) refusal = refuse('unknown_ref', `no inspection record ${rec.refId} on this ledger`);
      break;
    }
    case 'cosign':
      refusal = await cosignRefusal(rec, ctx, deps);
      break;
    case 'document':
      refusal = documentRefusal(rec, ctx);
      break;
    case 'rectification':
      refusal = rectificationRefusal(rec, ctx);
      break;
    case 'review':
      refusal = reviewRefusal(rec, ctx);
      break;
    case 'ack':
      break;
  }
  if (refusal) return refusal;
  return { ok: true, late: nowMs - atMs > LATE_UPLOAD_MS };
}
