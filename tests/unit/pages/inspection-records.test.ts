/**
 * The inspection's second half without the DOM: the off-site entry, evidence on the result, the join code and
 * its checks (src/pages/inspector/join-logic.ts), the follow-up status (src/ui/followup.ts), the documents'
 * input (src/pages/inspector/docs-logic.ts) and the enterprise's rectification report.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDeviceKey } from '../../../src/domain/record-signing';
import { parseJoinCode, recordHash } from '../../../src/domain/evidence';
import { usccCheckChar } from '../../../src/domain/uscc';
import { ledgerRecords, readLedger } from '../../../src/model';
import type { EntryRecord, EvidenceRef, LedgerRecord, ResultRecord, Task } from '../../../src/domain/schemas';
import { appendEntry, appendResult } from '../../../src/pages/inspector/checkin-logic';
import { appendCosign, entryForEnterpriseCode, joinCodeOf, joinCodeText, joinProblem, signedCount, JOIN_MSG } from '../../../src/pages/inspector/join-logic';
import { appendDocument, docFileName, docInput, docTime } from '../../../src/pages/inspector/docs-logic';
import { appendReview, followUpOf } from '../../../src/ui/followup';
import { appendRectification } from '../../../src/pages/enterprise/enterprise-logic';

const U17 = '91140302MA0K1A2B3';
const USCC = U17 + usccCheckChar(U17);
const task: Task = {
  id: 'city-market.t2026-009',
  agencyId: 'city-market',
  year: 2026,
  uscc: USCC,
  enterpriseName: '晋味轩',
  itemIds: ['city-market.SJ-01'],
  window: { from: '2026-11-25', to: '2026-11-25' },
  inspectorIds: ['i-1', 'i-2'],
  kind: { type: 'planned', planned: 'special' },
  method: 'offsite',
  status: 'assigned',
  createdAt: '2026-11-01T09:00:00+08:00',
};
const team = [
  { inspectorId: 'i-1', name: '阎晨刚', certificateNumber: 'SX-1', certificateValid: true },
  { inspectorId: 'i-2', name: '程燕丹', certificateNumber: 'SX-2', certificateValid: true },
];
const AT = new Date('2026-11-25T02:00:00Z');
const photo: EvidenceRef = { sha256: 'a'.repeat(64), kind: 'photo', type: 'image/jpeg', size: 1000, name: '10:05', thumb: 'b'.repeat(64) };
const me1 = { userId: 'u-insp1', agencyId: 'city-market', inspectorId: 'i-1' };
const me2 = { userId: 'u-insp2', agencyId: 'city-market', inspectorId: 'i-2' };

async function offsiteEntry(doc: Y.Doc): Promise<EntryRecord> {
  const key = await generateDeviceKey();
  return appendEntry(doc, {
    task,
    by: me1.userId,
    team,
    exemptions: [],
    sources: [{ kind: 'documents', note: ' 调阅了进货台账 ' }],
    key,
    device: 'test',
    at: AT,
  });
}
const stored = (doc: Y.Doc) => ledgerRecords(doc).items;

describe('off-site entry and evidence on the result', () => {
  it('records an off-site task via offsite with its sources and no scan, and refuses one without sources', async () => {
    const doc = new Y.Doc();
    const en = await offsiteEntry(doc);
    expect(en).toMatchObject({ via: 'offsite', method: 'offsite', sources: [{ kind: 'documents', note: '调阅了进货台账' }] });
    expect(en.code).toBeUndefined();
    expect(en.lateReason).toBeUndefined();
    expect(readLedger(doc).items[0].rec).toEqual(en);
    const key = await generateDeviceKey();
    await expect(appendEntry(new Y.Doc(), { task, by: 'u', team, exemptions: [], key, device: 'x' })).rejects.toThrow(/data source/);
    // an off-site task never takes a scan, even when a token is passed
    const scanned = await appendEntry(new Y.Doc(), {
      task,
      by: 'u',
      team,
      exemptions: [],
      token: 'x.y.z',
      sources: [{ kind: 'remote_video', note: '视频连线' }],
      key,
      device: 'x',
    });
    expect(scanned.via).toBe('offsite');
  });

  it('puts the photos into the result record, and leaves evidence out when there is none', async () => {
    const doc = new Y.Doc();
    const en = await offsiteEntry(doc);
    const key = await generateDeviceKey();
    const base = { entry: en, by: me1.userId, key, findings: [], outcome: 'no_problem' as const, notice: '告知', checklist: [] };
    const r1 = await appendResult(doc, { ...base, evidence: [photo] });
    expect(r1.evidence).toEqual([photo]);
    const r2 = await appendResult(doc, { ...base, evidence: [] });
    expect('evidence' in r2).toBe(false);
  });
});

describe('join code and cosign', () => {
  it('binds the join code to the entry as stored, with the author first, and round-trips', async () => {
    const doc = new Y.Doc();
    await offsiteEntry(doc);
    const en = stored(doc)[0] as EntryRecord;
    const code = await joinCodeOf(en, '晋味轩', 'i-2');
    expect(code.team).toEqual(['i-2', 'i-1']);
    expect(code.entryHash).toBe(await recordHash(en));
    const text = await joinCodeText(en, '晋味轩', 'i-1');
    expect(text.startsWith('EICP-JOIN:')).toBe(true);
    expect(parseJoinCode(text)).toMatchObject({ uscc: USCC, entryId: en.id, agencyId: 'city-market', team: ['i-1', 'i-2'], name: '晋味轩' });
  });

  it('refuses another agency, someone not on the team and the entry’s author; accepts the second inspector', () => {
    const code = { agencyId: 'city-market', team: ['i-1', 'i-2'] };
    expect(joinProblem(code, me2)).toBeNull();
    expect(joinProblem(code, me1)).toBe(JOIN_MSG.author);
    expect(joinProblem(code, { ...me2, inspectorId: 'i-3' })).toBe(JOIN_MSG.notOnTeam);
    expect(joinProblem(code, { ...me2, agencyId: 'pd-market' })).toBe(JOIN_MSG.otherAgency);
    expect(joinProblem(code, { ...me2, agencyId: null })).toBe(JOIN_MSG.otherAgency);
    expect(joinProblem(code, { ...me2, inspectorId: null })).toBe(JOIN_MSG.notOnTeam);
  });

  it('counts 2 signatures once the second inspector cosigns, never for the author’s own cosign', async () => {
    const doc = new Y.Doc();
    await offsiteEntry(doc);
    const en = stored(doc)[0] as EntryRecord;
    expect(signedCount(stored(doc), en)).toBe(1);
    const base = { uscc: USCC, entryId: en.id, entryHash: await recordHash(en), agencyId: 'city-market', via: 'screen' as const };
    await appendCosign(doc, { ...base, by: me1.userId, key: await generateDeviceKey() });
    expect(signedCount(stored(doc), en)).toBe(1);
    const c = await appendCosign(doc, { ...base, by: me2.userId, key: await generateDeviceKey() });
    expect(c).toMatchObject({ type: 'cosign', entryId: en.id, via: 'screen' });
    expect('code' in c).toBe(false);
    expect(signedCount(stored(doc), en)).toBe(2);
  });

  it('finds, for the enterprise’s code, the newest entry of my team that I did not write nor sign', async () => {
    const mk = (id: string, at: string, o: Partial<EntryRecord> = {}) =>
      ({
        id,
        uscc: USCC,
        at,
        by: me1.userId,
        type: 'entry',
        agencyId: 'city-market',
        kind: task.kind,
        team,
        itemIds: [],
        via: 'scan',
        exemptions: [],
        device: 'd',
        conductAcknowledged: true,
        ...o,
      }) as EntryRecord;
    const recs: LedgerRecord[] = [
      mk('e-old', '2026-11-24T02:00:00.000Z'),
      mk('e-new', '2026-11-25T02:00:00.000Z'),
      mk('e-mine', '2026-11-25T03:00:00.000Z', { by: me2.userId }),
      mk('e-other', '2026-11-25T04:00:00.000Z', { agencyId: 'pd-market' }),
      mk('e-notme', '2026-11-25T05:00:00.000Z', { team: [team[0]] }),
    ];
    expect(entryForEnterpriseCode(recs, me2)?.id).toBe('e-new');
    const signed = [
      ...recs,
      {
        id: 'c1',
        uscc: USCC,
        at: '2026-11-25T03:30:00.000Z',
        by: me2.userId,
        type: 'cosign',
        entryId: 'e-new',
        agencyId: 'city-market',
        entryHash: 'c'.repeat(64),
        via: 'screen',
      } as LedgerRecord,
    ];
    expect(entryForEnterpriseCode(signed, me2)?.id).toBe('e-old');
    expect(entryForEnterpriseCode(recs, { ...me2, inspectorId: null })).toBeNull();
  });
});

describe('follow-up status', () => {
  const result = {
    id: 'r-1',
    uscc: USCC,
    at: '2026-11-25T02:00:00.000Z',
    by: me1.userId,
    type: 'result',
    entryId: 'e-1',
    agencyId: 'city-market',
    checklist: [],
    findings: [],
    outcome: 'rectify',
    rectifyBy: '2026-12-05',
    notice: 'n',
    checkedOutAt: '2026-11-25T02:00:00.000Z',
  } as ResultRecord;
  const report = (id: string, at: string) =>
    ({ id, uscc: USCC, at, by: 'u-ent', type: 'rectification', resultId: 'r-1', text: '已整改完毕', evidence: [] }) as LedgerRecord;
  const review = (id: string, reportId: string, accepted: boolean) =>
    ({
      id,
      uscc: USCC,
      at: '2026-12-03T02:00:00.000Z',
      by: me1.userId,
      type: 'review',
      reportId,
      resultId: 'r-1',
      agencyId: 'city-market',
      accepted,
      note: '',
    }) as LedgerRecord;

  it('goes open → reported → rejected → reported → accepted, overdue past the deadline unless accepted', () => {
    const s = (recs: LedgerRecord[], today = '2026-12-01') => followUpOf([result, ...recs], 'r-1', today).status;
    expect(s([])).toBe('open');
    expect(s([], '2026-12-06')).toBe('overdue');
    expect(s([], '2026-12-05')).toBe('open');
    const p1 = report('p-1', '2026-11-30T02:00:00.000Z');
    expect(s([p1])).toBe('reported');
    expect(s([p1, review('v-1', 'p-1', false)])).toBe('rejected');
    const p2 = report('p-2', '2026-12-02T02:00:00.000Z');
    expect(s([p1, review('v-1', 'p-1', false), p2])).toBe('reported');
    expect(s([p1, review('v-1', 'p-1', false), p2], '2026-12-09')).toBe('overdue');
    expect(s([p1, review('v-1', 'p-1', false), p2, review('v-2', 'p-2', true)], '2026-12-09')).toBe('accepted');
    // a review of a report that is not there accepts nothing
    expect(s([review('v-x', 'p-none', true)])).toBe('open');
    const fu = followUpOf([result, p1, p2], 'r-1', '2026-12-01');
    expect(fu.latest?.id).toBe('p-2');
    expect(fu.reports.map((r) => r.id)).toEqual(['p-1', 'p-2']);
  });

  it('writes signed rectification and review records', async () => {
    const doc = new Y.Doc();
    const rep = await appendRectification(doc, {
      uscc: USCC,
      by: 'u-ent',
      resultId: 'r-1',
      text: '  已更换过期原料  ',
      evidence: [photo],
      key: await generateDeviceKey(),
    });
    expect(rep).toMatchObject({ type: 'rectification', text: '已更换过期原料', evidence: [photo] });
    await expect(
      appendRectification(doc, { uscc: USCC, by: 'u-ent', resultId: 'r-1', text: '好', evidence: [], key: await generateDeviceKey() }),
    ).rejects.toThrow();
    const rv = await appendReview(doc, {
      uscc: USCC,
      by: me1.userId,
      agencyId: 'city-market',
      resultId: 'r-1',
      reportId: rep.id,
      accepted: true,
      note: ' 复查合格 ',
      key: await generateDeviceKey(),
    });
    expect(rv).toMatchObject({ type: 'review', reportId: rep.id, accepted: true, note: '复查合格' });
    expect(followUpOf([result, ...stored(doc)], 'r-1', '2026-12-09').status).toBe('accepted');
  });
});

describe('documents', () => {
  it('gathers the PDF input from the entry, result, catalogue and profile', async () => {
    const doc = new Y.Doc();
    const en = await offsiteEntry(doc);
    const res = await appendResult(doc, {
      entry: en,
      by: me1.userId,
      key: await generateDeviceKey(),
      findings: [{ itemId: 'city-market.SJ-01', description: '台账缺页', violationCode: 'V1', suggestion: 'first_offence_exempt' }],
      outcome: 'rectify',
      rectifyBy: '2026-12-05',
      notice: '检查结果告知书……',
      checklist: [{ itemId: 'city-market.SJ-01', ok: false, note: '' }],
      at: new Date('2026-11-25T03:30:00Z'),
    });
    const src = {
      entry: en,
      result: res,
      agencyName: '市市场监管局',
      catalogue: [{ id: 'city-market.SJ-01', name: '食品经营许可', legalBasis: '《食品安全法》第三十五条' }],
      enterprise: { name: '晋味轩', uscc: USCC, address: '迎泽大街 1 号' },
      appeal: '可申请行政复议',
      photos: [{ bytes: new Uint8Array([1]), type: 'image/jpeg' as const, caption: '10:05' }],
      signatures: [{ role: 'inspector' as const, name: '阎晨刚', png: new Uint8Array([2]) }],
      enterpriseDeclined: true,
      madeAt: '2026-11-25T03:40:00.000Z',
    };
    const rec = docInput('onsite_record', src);
    expect(rec).toMatchObject({
      kind: 'onsite_record',
      number: `XCBL-${en.id}`,
      agency: { name: '市市场监管局' },
      startedAt: '2026-11-25 10:00',
      endedAt: '2026-11-25 11:30',
      method: 'offsite',
      kindText: '专项检查',
      team: [
        { name: '阎晨刚', certificateNumber: 'SX-1' },
        { name: '程燕丹', certificateNumber: 'SX-2' },
      ],
      items: [{ name: '食品经营许可', legalBasis: '《食品安全法》第三十五条' }],
      sources: ['调阅资料：调阅了进货台账'],
      checklist: [{ item: '食品经营许可', ok: false }],
      findings: [{ item: '食品经营许可', description: '台账缺页', violationCode: 'V1', suggestion: '首违不罚' }],
      outcome: 'rectify',
      rectifyBy: '2026-12-05',
      enterpriseDeclined: true,
    });
    expect(rec.photos).toHaveLength(1);
    expect(rec.notice).toBeUndefined();
    const notice = docInput('result_notice', src);
    expect(notice.notice).toBe('检查结果告知书……');
    expect(notice.photos).toEqual([]);
    expect(docTime('2026-11-25T16:30:00.000Z')).toBe('2026-11-26 00:30');
    expect(docFileName('result_notice', 'e1')).toBe('检查结果告知书-e1.pdf');

    const pdf: EvidenceRef = { sha256: 'd'.repeat(64), kind: 'document', type: 'application/pdf', size: 9000, name: docFileName('onsite_record', en.id) };
    const sig: EvidenceRef = { sha256: 'e'.repeat(64), kind: 'signature', type: 'image/png', size: 900, name: '签名-阎晨刚.png' };
    const d = await appendDocument(doc, {
      entry: en,
      resultId: res.id,
      docKind: 'onsite_record',
      by: me1.userId,
      pdf,
      signatures: [{ party: 'inspector', name: '阎晨刚', inspectorId: 'i-1', image: sig }],
      enterpriseDeclined: true,
      key: await generateDeviceKey(),
    });
    expect(d).toMatchObject({
      type: 'document',
      docKind: 'onsite_record',
      entryId: en.id,
      resultId: res.id,
      agencyId: 'city-market',
      pdf,
      enterpriseDeclined: true,
    });
    expect(stored(doc).filter((r) => r.type === 'document')).toHaveLength(1);
  });
});
