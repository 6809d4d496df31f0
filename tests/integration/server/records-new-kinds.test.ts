/**
 * The ledger rules of the record kinds for off-site inspections, second signatures, documents and
 * rectification follow-ups (server/ledger/record-rules.ts), over real sockets on a real server with signed
 * records: each kind is stored from its rightful author and quarantined, with its reason, from everyone else
 * (the session stays open). Agency admins may append to a ledger now, but only reviews.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { z } from 'zod';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice } from '../../helpers/devices';
import { demoPairTeam, enterprise1TaskOn, ledgerWriter, resultOf, scannedEntry } from '../../helpers/ledger-fixtures';
import { createTask } from '../../../src/model';
import { recordHash } from '../../../src/domain/evidence';
import type { DeviceKey } from '../../../src/domain/record-signing';
import type { EntryRecord, EvidenceRef, LedgerRecord, ResultRecord, SignedRecord, Task, TeamMember } from '../../../src/domain/schemas';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { E2E_NOW } from '../../helpers/moments';
import { apiJson } from '../../helpers/api';

let srv: SpawnedServer;
let insp1: LoginResult;
let insp2: LoginResult;
let insp3: LoginResult;
let ent1: LoginResult;
let agency1: LoginResult;
let agency2: LoginResult;
let sup: LoginResult;
const keys = new Map<string, DeviceKey>();
let team: TeamMember[];
let task: Task;
let offsiteTask: Task;
let code1: string;

const ROOM = `ledger/${ENTERPRISE1_USCC}`;
const NOW_MS = Date.parse(E2E_NOW);
const at = (offsetMs = -60_000) => new Date(NOW_MS + offsetMs).toISOString();
let seq = 0;
const id = (p: string) => `${p}-${process.pid}-${++seq}`;
const digest = (n: number) => n.toString(16).padStart(64, 'a');
const ref = (kind: EvidenceRef['kind'], type: EvidenceRef['type'], n: number): EvidenceRef => ({
  sha256: digest(n),
  kind,
  type,
  size: 1000 + n,
  name: `f${n}`,
});

const get = (path: string, token: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

const writer = ledgerWriter({
  get wsUrl() {
    return srv.wsUrl;
  },
  get httpUrl() {
    return srv.url;
  },
  room: ROOM,
  supervisor: () => sup,
  keyOf: (u) => keys.get(u)!,
});
const expectStored = writer.stored;
const expectQuarantined = async (l: LoginResult, rec: z.input<typeof LedgerRecord>, reason: string): Promise<void> => {
  await writer.refused(l, rec, reason);
};

const entryBy = (l: LoginResult, over: Partial<EntryRecord> = {}): EntryRecord =>
  scannedEntry({ id: id('entry'), by: l.userId, at: at(), task, team, code: code1 }, over);
const offsiteBy = (l: LoginResult, over: Partial<EntryRecord> = {}): EntryRecord =>
  entryBy(l, {
    taskId: offsiteTask.id,
    kind: offsiteTask.kind,
    itemIds: offsiteTask.itemIds,
    method: 'offsite',
    via: 'offsite',
    code: undefined,
    sources: [{ kind: 'documents', note: '台账与进货查验记录' }],
    ...over,
  });
const resultBy = (l: LoginResult, entryId: string, over: Partial<ResultRecord> = {}): ResultRecord =>
  resultOf({ id: id('result'), by: l.userId, at: at(), entry: { id: entryId, uscc: ENTERPRISE1_USCC, agencyId: 'city-market' } }, over);
const cosignBy = (l: LoginResult, entry: EntryRecord | { id: string }, entryHash: string, over: Record<string, unknown> = {}) => ({
  id: id('cosign'),
  uscc: ENTERPRISE1_USCC,
  at: at(),
  by: l.userId,
  type: 'cosign' as const,
  entryId: entry.id,
  agencyId: 'city-market',
  entryHash,
  via: 'screen' as const,
  ...over,
});

/** an on-site entry by inspector1 (scanned) with a result ordering rectification, both stored */
async function inspection(outcome: ResultRecord['outcome'] = 'rectify'): Promise<{ entry: SignedRecord; result: SignedRecord }> {
  const entry = await expectStored(insp1, entryBy(insp1));
  const result = await expectStored(
    insp1,
    resultBy(insp1, entry.rec.id, outcome === 'rectify' ? { outcome, rectifyBy: '2026-12-20', notice: '限期整改' } : { outcome }),
  );
  return { entry, result };
}

beforeAll(async () => {
  srv = await spawnServer();
  [insp1, insp2, insp3, ent1, agency1, agency2, sup] = await Promise.all(
    ['inspector1', 'inspector2', 'inspector3', 'enterprise1', 'agency1', 'agency2', 'supervisor1'].map((u) => login(srv.url, u)),
  );
  for (const l of [insp1, insp2, insp3, ent1, agency1, agency2]) keys.set(l.userId, await registeredDevice(srv.url, l.token));
  team = await demoPairTeam(srv.url, insp1.token);
  task = await enterprise1TaskOn(srv.wsUrl, agency1.token, '2026-11-25');
  const tp = connectProvider(srv.wsUrl, 'tasks/city-market/2026', agency1.token);
  await waitSynced(tp);
  const { planItemId: _p, checkCode: _c, ...rest } = task;
  offsiteTask = createTask(tp.doc, { ...rest, id: `offsite-${process.pid}`, method: 'offsite', createdAt: at(-3600_000) });
  await waitFor(
    async () => {
      const c = connectProvider(srv.wsUrl, 'tasks/city-market/2026', insp1.token);
      await waitSynced(c);
      const has = c.doc.getMap('tasks').has(offsiteTask.id);
      destroyAll(c);
      return has;
    },
    10_000,
    'off-site task stored',
  );
  destroyAll(tp);
  code1 = ((await apiJson(await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`, insp1.token))) as { token: string }).token;
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

describe('off-site entries (via offsite)', () => {
  it('an off-site task is recorded without a scan, with what was checked', async () => {
    await expectStored(insp1, offsiteBy(insp1));
    // an inspector who went anyway: an off-site task done on site with a scan
    await expectStored(insp1, entryBy(insp1, { taskId: offsiteTask.id, method: 'offsite', via: 'scan' }));
  });

  it('refused: an on-site task, an on-site method, no data source, a code, or an enterprise or agency admin writing it', async () => {
    await expectQuarantined(insp1, offsiteBy(insp1, { taskId: task.id }), 'unknown_task');
    await expectQuarantined(insp1, offsiteBy(insp1, { method: 'onsite' }), 'not_permitted');
    await expectQuarantined(insp1, offsiteBy(insp1, { method: undefined }), 'not_permitted');
    await expectQuarantined(insp1, offsiteBy(insp1, { sources: [] }), 'not_permitted');
    await expectQuarantined(insp1, offsiteBy(insp1, { sources: undefined }), 'not_permitted');
    await expectQuarantined(insp1, offsiteBy(insp1, { code: code1 }), 'not_permitted');
    await expectQuarantined(ent1, offsiteBy(ent1), 'not_permitted');
    await expectQuarantined(agency1, entryBy(agency1), 'not_permitted');
    await expectQuarantined(agency1, offsiteBy(agency1), 'not_permitted');
  });
});

describe('cosigns (the second inspector on their own phone)', () => {
  it("the teammate cosigns an entry with its hash; nobody else, never twice, never with another entry's hash", async () => {
    const entry = await expectStored(insp1, entryBy(insp1));
    const h = await recordHash(entry.rec);
    const other = await expectStored(insp1, entryBy(insp1));
    // refused before the rightful one is stored, too
    await expectQuarantined(insp2, cosignBy(insp2, entry.rec, await recordHash(other.rec)), 'unknown_ref');
    await expectQuarantined(insp1, cosignBy(insp1, entry.rec, h), 'not_permitted');
    await expectQuarantined(insp3, cosignBy(insp3, entry.rec, h), 'not_permitted');
    await expectQuarantined(insp3, cosignBy(insp3, entry.rec, h, { agencyId: 'pd-market' }), 'unknown_ref');
    await expectQuarantined(ent1, cosignBy(ent1, entry.rec, h), 'not_permitted');
    await expectQuarantined(agency1, cosignBy(agency1, entry.rec, h), 'not_permitted');
    await expectQuarantined(insp2, cosignBy(insp2, entry.rec, h, { via: 'enterprise_code' }), 'bad_code');
    await expectStored(insp2, cosignBy(insp2, entry.rec, h));
    await expectQuarantined(insp2, cosignBy(insp2, entry.rec, h), 'not_permitted');
    // joined through the enterprise's code instead of the screen
    const third = await expectStored(insp1, entryBy(insp1));
    await expectStored(insp2, cosignBy(insp2, third.rec, await recordHash(third.rec), { via: 'enterprise_code', code: code1 }));
  });

  it('an inspector not on the team of the entry cannot cosign it', async () => {
    const alone = team.filter((m) => m.inspectorId === insp1.inspectorId);
    const entry = await expectStored(insp1, entryBy(insp1, { team: alone }));
    await expectQuarantined(insp2, cosignBy(insp2, entry.rec, await recordHash(entry.rec)), 'not_permitted');
  });

  it('a cosign that reaches the server before its entry (second phone online first) is stored', async () => {
    await expectStored(insp2, cosignBy(insp2, { id: id('entry-not-yet') }, digest(7)));
  });
});

describe('documents', () => {
  it('an inspector of the agency stores the PDF and signatures of an entry (and its result); others are refused', async () => {
    const { entry, result } = await inspection('no_problem');
    const doc = (l: LoginResult, over: Record<string, unknown> = {}) => ({
      id: id('doc'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: l.userId,
      type: 'document' as const,
      docKind: 'result_notice' as const,
      entryId: entry.rec.id,
      resultId: result.rec.id,
      agencyId: 'city-market',
      pdf: ref('document', 'application/pdf', 1),
      signatures: [{ party: 'inspector' as const, name: team[0].name, inspectorId: team[0].inspectorId, image: ref('signature', 'image/png', 2) }],
      ...over,
    });
    await expectStored(insp1, doc(insp1));
    await expectStored(insp2, doc(insp2, { docKind: 'onsite_record', resultId: undefined }));
    await expectQuarantined(ent1, doc(ent1), 'not_permitted');
    await expectQuarantined(agency1, doc(agency1), 'not_permitted');
    await expectQuarantined(insp3, doc(insp3), 'not_permitted');
    await expectQuarantined(insp1, doc(insp1, { entryId: id('no-entry') }), 'unknown_ref');
    const other = await inspection('no_problem');
    await expectQuarantined(insp1, doc(insp1, { resultId: other.result.rec.id }), 'unknown_ref');
    await expectQuarantined(insp1, doc(insp1, { pdf: ref('photo', 'image/jpeg', 3) }), 'not_permitted');
    await expectQuarantined(insp1, doc(insp1, { signatures: [{ party: 'enterprise', name: '张三', image: ref('photo', 'image/png', 4) }] }), 'not_permitted');
  });
});

describe('rectification reports and reviews', () => {
  it('the enterprise reports on a result ordering rectification; the agency (admin or inspector) reviews it; nobody else', async () => {
    const { entry, result } = await inspection('rectify');
    const report = (l: LoginResult, resultId: string) => ({
      id: id('report'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: l.userId,
      type: 'rectification' as const,
      resultId,
      text: '已按要求完成整改，附照片',
      evidence: [ref('photo', 'image/jpeg', 5)],
    });
    await expectQuarantined(insp1, report(insp1, result.rec.id), 'not_permitted');
    await expectQuarantined(agency1, report(agency1, result.rec.id), 'not_permitted');
    await expectQuarantined(ent1, report(ent1, entry.rec.id), 'unknown_ref');
    const fine = await inspection('no_problem');
    await expectQuarantined(ent1, report(ent1, fine.result.rec.id), 'unknown_ref');
    const rep = await expectStored(ent1, report(ent1, result.rec.id));

    const review = (l: LoginResult, over: Record<string, unknown> = {}) => ({
      id: id('review'),
      uscc: ENTERPRISE1_USCC,
      at: at(),
      by: l.userId,
      type: 'review' as const,
      reportId: rep.rec.id,
      resultId: result.rec.id,
      agencyId: 'city-market',
      accepted: true,
      note: '',
      ...over,
    });
    await expectQuarantined(ent1, review(ent1), 'not_permitted');
    await expectQuarantined(agency2, review(agency2), 'not_permitted');
    await expectQuarantined(agency2, review(agency2, { agencyId: agency2.agencyId }), 'unknown_ref');
    await expectQuarantined(insp3, review(insp3), 'not_permitted');
    await expectQuarantined(agency1, review(agency1, { reportId: result.rec.id }), 'unknown_ref');
    await expectQuarantined(agency1, review(agency1, { resultId: fine.result.rec.id }), 'unknown_ref');
    await expectStored(insp2, review(insp2, { accepted: false, note: '照片不清楚' }));
    await expectStored(agency1, review(agency1));
    // an agency admin appends reviews only: no result, acknowledgement or dispute in anyone's name
    await expectQuarantined(agency1, resultBy(agency1, entry.rec.id), 'not_permitted');
    await expectQuarantined(
      agency1,
      { id: id('ack'), uscc: ENTERPRISE1_USCC, at: at(), by: agency1.userId, type: 'ack', refId: result.rec.id },
      'not_permitted',
    );
    await expectQuarantined(
      agency1,
      { id: id('dispute'), uscc: ENTERPRISE1_USCC, at: at(), by: agency1.userId, type: 'dispute', refId: result.rec.id, text: '记录与事实不符' },
      'not_permitted',
    );
  });
});
