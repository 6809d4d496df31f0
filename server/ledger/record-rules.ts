/**
 * Who may write which ledger record (ledger/<uscc>), checked by the server on every new record after its
 * device signature (server/ledger/vet.ts `vetLedgerUpdate`). A record that fails is quarantined with the
 * reason (kept for supervisors, never applied) and the session stays open: an honest phone that was
 * offline for a week must not be locked out of the room by one record the server does not accept.
 *
 * - entries and results: an inspector of the record's agency (`principal.agencyId === rec.agencyId`);
 *   an entry names a task of that agency for this enterprise (`tasks/<agencyId>/<year>`, the year of its
 *   time or the one before), or is a triggered inspection with its author on the team (started on the
 *   phone: its task may reach the server after the entry); a result follows an entry of the same agency
 *   and enterprise in this ledger (or in the same update);
 * - acknowledgements and disputes: the ledger's own enterprise; a dispute names an entry or result here;
 * - `via: 'scan'`: the scanned enterprise code verifies with the platform's keys and names this enterprise;
 * - `at` is at most 5 minutes ahead of the server's clock; a record more than 24 hours old is stored
 *   (phones work offline) and reported as a late upload;
 * - a correction is allowed only as src/domain/corrections.ts says (the author's own record, same type).
 */
import type * as Y from 'yjs';
import { correctionAllowed, CORRECTION_FAILURE } from '../../src/domain/corrections';
import type { VerifyResult } from '../../src/domain/codes';
import { parseRoom, rooms } from '../../src/domain/rooms';
import { SignedRecord, type LedgerRecord, type Principal, type Task } from '../../src/domain/schemas';
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
}

const refuse = (reason: RecordRuleFailure, detail: string): RecordRuleVerdict => ({ ok: false, reason, detail });

/** A stored record of the doc's `records` map by id (parsed; undefined when absent or invalid). */
export function storedRecord(doc: Y.Doc, id: string): LedgerRecord | undefined {
  const v = doc.getMap('records').get(id);
  if (v === undefined) return undefined;
  const p = SignedRecord.safeParse(v);
  return p.success && p.data.rec.id === id ? p.data.rec : undefined;
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

/** The verdict on one new, validly signed ledger record written by `ctx.principal`. */
export async function checkRecordRules(rec: LedgerRecord, ctx: RecordContext, deps: RecordRuleDeps): Promise<RecordRuleVerdict> {
  const p = ctx.principal;
  const nowMs = deps.now();
  const atMs = instantMs(rec.at);
  if (atMs > nowMs + FUTURE_SLACK_MS) return refuse('future_time', `record time ${rec.at} is in the future`);

  if (rec.type === 'entry' || rec.type === 'result') {
    if (p.role !== 'inspector' || !p.agencyId || p.agencyId !== rec.agencyId) {
      return refuse('not_permitted', `only an inspector of ${rec.agencyId} writes its ${rec.type} records`);
    }
  } else if (p.role !== 'enterprise' || p.uscc !== ctx.uscc) {
    return refuse('not_permitted', `only the enterprise writes ${rec.type} records on its ledger`);
  }

  if (rec.corrects) {
    const v = correctionAllowed(rec, ctx.lookup(rec.corrects));
    if (!v.ok) return refuse('bad_correction', `correction of ${rec.corrects}: ${CORRECTION_FAILURE[v.why].en}`);
  }

  if (rec.type === 'entry') {
    const onTeam = rec.team.some((m) => m.inspectorId === p.inspectorId);
    const task = rec.taskId ? await taskOf(deps, rec.agencyId, rec.taskId, rec.at) : undefined;
    if (task) {
      if (task.uscc !== ctx.uscc || task.agencyId !== rec.agencyId) return refuse('unknown_task', `task ${rec.taskId} is not about this enterprise`);
    } else if (rec.kind.type !== 'triggered' || !onTeam) {
      // a triggered inspection is started on the phone: its task may reach the server after the entry
      return refuse('unknown_task', rec.taskId ? `no task ${rec.taskId} of ${rec.agencyId}` : 'a planned inspection needs its task');
    }
    if (rec.via === 'scan') {
      if (!rec.code) return refuse('bad_code', 'a scanned entry carries the scanned code');
      const v = await deps.verifyCode(rec.code);
      if (!v.ok) return refuse('bad_code', `the scanned code does not verify: ${v.code}`);
      if (v.kind !== 'ent' || v.payload.uscc !== ctx.uscc) return refuse('bad_code', "the scanned code is not this enterprise's code");
    }
  } else if (rec.type === 'result') {
    const entry = ctx.lookup(rec.entryId);
    if (!entry || entry.type !== 'entry' || entry.agencyId !== rec.agencyId)
      return refuse('unknown_ref', `no entry ${rec.entryId} of ${rec.agencyId} on this ledger`);
  } else if (rec.type === 'dispute') {
    const ref = ctx.lookup(rec.refId);
    if (!ref || (ref.type !== 'entry' && ref.type !== 'result')) return refuse('unknown_ref', `no inspection record ${rec.refId} on this ledger`);
  }
  return { ok: true, late: nowMs - atMs > LATE_UPLOAD_MS };
}
