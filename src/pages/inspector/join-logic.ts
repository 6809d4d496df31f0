/**
 * The second inspector's own signature of an entry (cosign, measure 2), without the DOM: the join code the
 * first inspector's screen shows, the checks the second phone makes before signing (offline: the code carries
 * all it needs), the signed cosign record, and how many inspectors have signed an entry.
 */
import type * as Y from 'yjs';
import type { Msg } from '../../domain/codes';
import { encodeJoinCode, recordHash, type JoinCode } from '../../domain/evidence';
import type { DeviceKey } from '../../domain/record-signing';
import type { CosignRecord, EntryRecord, LedgerRecord } from '../../domain/schemas';
import { now } from '../../domain/time';
import { newId } from '../stores/ids';
import { appendSigned } from '../stores/sign-append';

/** The join code of an entry (as stored in the ledger): its hash binds the cosign to the entry exactly as signed. */
export async function joinCodeOf(entry: EntryRecord, name: string, authorInspectorId: string): Promise<JoinCode> {
  const ids = entry.team.map((m) => m.inspectorId);
  const team = [authorInspectorId, ...ids.filter((x) => x !== authorInspectorId)];
  return {
    v: 1,
    uscc: entry.uscc,
    entryId: entry.id,
    entryHash: await recordHash(entry),
    agencyId: entry.agencyId,
    ...(entry.taskId ? { taskId: entry.taskId } : {}),
    name: name.slice(0, 200),
    team,
    at: entry.at,
  };
}

export async function joinCodeText(entry: EntryRecord, name: string, authorInspectorId: string): Promise<string> {
  return encodeJoinCode(await joinCodeOf(entry, name, authorInspectorId));
}

export const JOIN_MSG = {
  notJoin: {
    zh: '这不是入企检查的会签码：请扫描第一名执法人员手机上显示的会签码',
    en: 'This is not a join code: scan the code shown on the first inspector’s phone',
  },
  otherAgency: { zh: '这是其他执法部门的检查，不能会签', en: 'This inspection belongs to another agency: you cannot sign it' },
  notOnTeam: { zh: '您不在这次检查的检查组中，不能会签', en: 'You are not on the team of this inspection: you cannot sign it' },
  author: { zh: '这是您本人记录的入企检查，需要检查组的另一名执法人员会签', en: 'You recorded this entry yourself: the other inspector of the team signs it' },
  already: { zh: '您已会签过这次检查', en: 'You have already signed this inspection' },
  noEntry: {
    zh: '本机还没有这家企业中您所在检查组的入企记录（联网同步后再试，或扫描第一名执法人员手机上的会签码）',
    en: 'No entry of your team at this enterprise on this phone yet (try again once synced, or scan the code on the first inspector’s phone)',
  },
} satisfies Record<string, Msg>;

export interface Me {
  userId: string;
  agencyId: string | null;
  inspectorId: string | null;
}

/** Why this inspector may not sign the entry of a join code, or null when they may. */
export function joinProblem(code: Pick<JoinCode, 'agencyId' | 'team'>, me: Me): Msg | null {
  if (!me.agencyId || code.agencyId !== me.agencyId) return JOIN_MSG.otherAgency;
  if (!me.inspectorId || !code.team.includes(me.inspectorId)) return JOIN_MSG.notOnTeam;
  if (code.team[0] === me.inspectorId) return JOIN_MSG.author;
  return null;
}

/** The cosigns of an entry written by someone other than its author. */
export function cosignsOf(records: readonly LedgerRecord[], entry: Pick<EntryRecord, 'id' | 'by'>): CosignRecord[] {
  return records.filter((r): r is CosignRecord => r.type === 'cosign' && r.entryId === entry.id && r.by !== entry.by);
}

/** How many inspectors signed an entry with their own device: its author, plus a second one when cosigned. */
export function signedCount(records: readonly LedgerRecord[], entry: Pick<EntryRecord, 'id' | 'by'>): 1 | 2 {
  return cosignsOf(records, entry).length ? 2 : 1;
}

/**
 * Joined with the enterprise's code instead of the screen: the newest entry of my agency at that enterprise
 * whose team includes me, that I did not write and have not signed yet.
 */
export function entryForEnterpriseCode(records: readonly LedgerRecord[], me: Me): EntryRecord | null {
  const mine = records.filter(
    (r): r is EntryRecord =>
      r.type === 'entry' &&
      r.agencyId === me.agencyId &&
      r.by !== me.userId &&
      !!me.inspectorId &&
      r.team.some((m) => m.inspectorId === me.inspectorId) &&
      !records.some((c) => c.type === 'cosign' && c.entryId === r.id && c.by === me.userId),
  );
  return mine.reduce<EntryRecord | null>((a, b) => (!a || b.at >= a.at ? b : a), null);
}

export interface CosignInput {
  uscc: string;
  entryId: string;
  entryHash: string;
  agencyId: string;
  by: string;
  via: CosignRecord['via'];
  /** the enterprise code scanned (via enterprise_code) */
  code?: string;
  key: DeviceKey;
  at?: Date;
}

/** The cosign record, signed by this phone's device key and appended to ledger/<uscc> (IndexedDB first: offline too). */
export async function appendCosign(ledger: Y.Doc, i: CosignInput): Promise<CosignRecord> {
  const rec: CosignRecord = {
    id: newId('cosign'),
    uscc: i.uscc,
    at: (i.at ?? now()).toISOString(),
    by: i.by,
    type: 'cosign',
    entryId: i.entryId,
    agencyId: i.agencyId,
    entryHash: i.entryHash,
    via: i.via,
    ...(i.code ? { code: i.code } : {}),
  };
  return appendSigned(ledger, rec, i.key);
}
