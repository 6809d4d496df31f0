/**
 * What integration tests that write ledger records over real sockets share: the demo pair of city-market as
 * an entry's team, today's planned task of city-market at enterprise1 (the seed's), a scanned on-site entry
 * on a task, and a writer that sends one signed record from a fresh session and waits until it is stored
 * (an observer has it) or quarantined (GET /api/quarantine lists it with its reason, the session open).
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { connectProvider, destroyAll, waitFor, waitSynced, type LoginResult, type TestProvider } from './spawn-server';
import { sign } from './devices';
import { readTasks } from '../../src/model';
import type { DeviceKey } from '../../src/domain/record-signing';
import type { EntryRecord, LedgerRecord, ResultRecord, SignedRecord, Task, TeamMember } from '../../src/domain/schemas';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';

/** insp-city-market-1 and -2 (inspector1, inspector2) as a team, their names and certificates from GET /api/inspectors */
export async function demoPairTeam(url: string, token: string): Promise<TeamMember[]> {
  const r = await fetch(`${url}/api/inspectors?agencyId=city-market`, { headers: { authorization: `Bearer ${token}` } });
  const staff = ((await r.json()) as { items: { id: string; name: string; certificateNumber: string }[] }).items;
  return ['insp-city-market-1', 'insp-city-market-2'].map((i) => {
    const s = staff.find((x) => x.id === i)!;
    return { inspectorId: i, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
}

/** the seed's planned task of city-market at enterprise1 on `date` (tasks/city-market/<year>), read by `token`'s user */
export async function enterprise1TaskOn(wsUrl: string, token: string, date: string): Promise<Task> {
  const p = connectProvider(wsUrl, `tasks/city-market/${date.slice(0, 4)}`, token);
  try {
    await waitSynced(p);
    const t = readTasks(p.doc).items.find((x) => x.uscc === ENTERPRISE1_USCC && x.kind.type === 'planned' && x.window.from === date);
    expect(t, `the seeded task at enterprise1 on ${date}`).toBeTruthy();
    return t!;
  } finally {
    destroyAll(p);
  }
}

/** a scanned on-site entry on `task` at enterprise1 by `by` */
export function scannedEntry(
  o: { id: string; by: string; at: string; task: Task; team: TeamMember[]; code: string },
  over: Partial<EntryRecord> = {},
): EntryRecord {
  return {
    id: o.id,
    uscc: o.task.uscc,
    at: o.at,
    by: o.by,
    type: 'entry',
    agencyId: o.task.agencyId,
    taskId: o.task.id,
    kind: o.task.kind,
    team: o.team,
    itemIds: o.task.itemIds,
    method: 'onsite',
    via: 'scan',
    code: o.code,
    exemptions: [],
    device: 'test',
    conductAcknowledged: true,
    ...over,
  };
}

/** a result of `entry` (no problem unless `over` says otherwise), checked out at its own time */
export function resultOf(
  o: { id: string; by: string; at: string; entry: Pick<EntryRecord, 'id' | 'uscc' | 'agencyId'> },
  over: Partial<ResultRecord> = {},
): ResultRecord {
  return {
    id: o.id,
    uscc: o.entry.uscc,
    at: o.at,
    by: o.by,
    type: 'result',
    entryId: o.entry.id,
    agencyId: o.entry.agencyId,
    checklist: [],
    findings: [],
    outcome: 'no_problem',
    notice: '未发现问题',
    checkedOutAt: o.at,
    ...over,
  };
}

export interface LedgerWriterOptions {
  wsUrl: string;
  httpUrl: string;
  room: string;
  /** a supervisor: observes the room and reads the quarantine */
  supervisor: () => LoginResult;
  keyOf: (userId: string) => DeviceKey;
}

/** send signed records to one ledger room as their authors, and wait for the server's verdict */
export function ledgerWriter(o: LedgerWriterOptions) {
  const uscc = o.room.slice('ledger/'.length);
  const quarantined = async (): Promise<{ recordId: string; reason: string; userId: string }[]> => {
    const r = await fetch(`${o.httpUrl}/api/quarantine?uscc=${uscc}&limit=500`, { headers: { authorization: `Bearer ${o.supervisor().token}` } });
    return ((await r.json()) as { items: { recordId: string; reason: string; userId: string }[] }).items;
  };
  const send = async (l: LoginResult, rec: z.input<typeof LedgerRecord>, until: (signed: SignedRecord, observer: TestProvider) => Promise<void>) => {
    const signed = await sign(rec, o.keyOf(l.userId));
    const session = connectProvider(o.wsUrl, o.room, l.token);
    const observer = connectProvider(o.wsUrl, o.room, o.supervisor().token);
    try {
      await Promise.all([waitSynced(session), waitSynced(observer)]);
      session.doc.getMap('records').set(signed.rec.id, signed);
      await until(signed, observer);
      expect(session.closes).toEqual([]);
    } finally {
      destroyAll(session, observer);
    }
    return signed;
  };
  return {
    quarantined,
    /** stored and relayed to the observer */
    stored: (l: LoginResult, rec: z.input<typeof LedgerRecord>) =>
      send(l, rec, (s, obs) => waitFor(() => obs.doc.getMap('records').has(s.rec.id), 10_000, `${s.rec.id} stored and relayed`)),
    /** quarantined with `reason`, never relayed, the sender's session left open */
    refused: (l: LoginResult, rec: z.input<typeof LedgerRecord>, reason: string) =>
      send(l, rec, async (s, obs) => {
        await waitFor(async () => (await quarantined()).some((q) => q.recordId === s.rec.id), 10_000, `${s.rec.id} quarantined`);
        expect((await quarantined()).find((q) => q.recordId === s.rec.id)).toMatchObject({ reason, userId: l.userId });
        expect(obs.doc.getMap('records').has(s.rec.id)).toBe(false);
      }),
  };
}
