/** Triggered inspections and late records (src/pages/inspector/checkin-logic.ts), with the precheck they feed. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ZodError } from 'zod';
import { generateDeviceKey, verifySignedRecord } from '../../../src/domain/record-signing';
import { usccCheckChar } from '../../../src/domain/uscc';
import { precheck } from '../../../src/domain/rules';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import { createTask, readLedger, readTask } from '../../../src/model';
import type { InspectionItem, LedgerRecord } from '../../../src/domain/schemas';
import { appendEntry, itemsFor, LATE_REASON_MIN, triggeredTask } from '../../../src/pages/inspector/checkin-logic';

const U17 = '91140371MA0K8QW3P';
const USCC = U17 + usccCheckChar(U17);
const team = [
  { inspectorId: 'i-1', name: '阎晨刚', certificateNumber: 'SX-1', certificateValid: true },
  { inspectorId: 'i-2', name: '程燕丹', certificateNumber: 'SX-2', certificateValid: true },
];
const item = (id: string, industries: string[], published = true): InspectionItem => ({
  id,
  agencyId: 'city-market',
  code: id,
  name: id,
  nameEn: id,
  legalBasis: '',
  level: 'any',
  industries,
  defaultMethod: 'onsite',
  published,
});

describe('triggeredTask', () => {
  const base = {
    agencyId: 'city-market',
    inspectorId: 'i-1',
    enterprise: { uscc: USCC, name: '康源食品' },
    itemIds: ['city-market.SJ-02'],
    today: '2026-11-25',
    at: new Date('2026-11-25T02:00:00Z'),
  };

  it('makes a task for today with the trigger and its reference, valid for the task doc', () => {
    const t = triggeredTask({ ...base, trigger: { kind: 'complaint', ref: ' 12345-2026-1125 ' } });
    expect(t).toMatchObject({
      agencyId: 'city-market',
      year: 2026,
      uscc: USCC,
      window: { from: '2026-11-25', to: '2026-11-25' },
      inspectorIds: ['i-1'],
      kind: { type: 'triggered', trigger: { kind: 'complaint', ref: '12345-2026-1125' } },
      status: 'assigned',
      method: 'onsite',
    });
    const doc = new Y.Doc();
    createTask(doc, t);
    expect(readTask(doc, t.id)).toEqual(t);
    expect(triggeredTask({ ...base, trigger: { kind: 'complaint', ref: 'x' } }).id).not.toBe(t.id);
  });

  it('refuses a missing reference or an unknown trigger kind', () => {
    expect(() => triggeredTask({ ...base, trigger: { kind: 'complaint', ref: '  ' } })).toThrow(ZodError);
    expect(() => triggeredTask({ ...base, trigger: { kind: 'gossip', ref: 'x' } })).toThrow(ZodError);
    // no item: the task doc refuses it
    expect(() => createTask(new Y.Doc(), triggeredTask({ ...base, itemIds: [], trigger: { kind: 'referral', ref: 'x' } }))).toThrow(ZodError);
  });

  it('the precheck exempts it from the annual cap by its trigger (a planned one would be blocked)', () => {
    const policy = defaultPolicy();
    const prior: LedgerRecord[] = ['2026-03-02', '2026-06-24'].map((d, i) => ({
      id: `e${i}`,
      uscc: USCC,
      at: `${d}T02:00:00Z`,
      by: 'u-x',
      type: 'entry',
      agencyId: 'city-market',
      kind: { type: 'planned', planned: 'routine' },
      team,
      itemIds: ['city-market.SJ-02'],
      via: 'scan',
      exemptions: [],
      device: 'd',
      conductAcknowledged: true,
    }));
    const certificate = (n: string, id: string) => ({
      number: n,
      inspectorId: id,
      agencyId: 'city-market',
      holderName: id,
      issuedOn: '2020-01-01',
      expiresOn: '2030-01-01',
      status: 'valid' as const,
    });
    const ctx = (kind: Parameters<typeof precheck>[0]['kind']) =>
      precheck({
        policy,
        at: new Date('2026-11-25T02:00:00Z'),
        agency: { id: 'city-market', level: 'city' },
        enterprise: { uscc: USCC, quietZone: false, riskLevel: 'medium', industry: 'food_production', division: '140371' },
        kind,
        itemIds: ['city-market.SJ-02'],
        ledger: prior,
        team: [
          { inspectorId: 'i-1', certificate: certificate('SX-1', 'i-1') },
          { inspectorId: 'i-2', certificate: certificate('SX-2', 'i-2') },
        ],
        plan: { meta: { year: 2026, status: 'published', filedHash: 'h', capPerEnterprise: 2 } },
      });
    const t = triggeredTask({ ...base, trigger: { kind: 'complaint', ref: '12345-1' } });
    expect(ctx(t.kind).blocked).toBe(false);
    expect(ctx({ type: 'planned', planned: 'routine' }).blocked).toBe(true);
  });
});

describe('itemsFor', () => {
  it("offers the published items of the enterprise's industry and those for every industry", () => {
    const items = [item('a', ['catering']), item('b', ['food_production']), item('c', []), item('d', ['food_production'], false)];
    expect(itemsFor(items, 'food_production').map((x) => x.id)).toEqual(['b', 'c']);
    expect(itemsFor(items, undefined).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('late records (补录)', () => {
  const task = triggeredTask({
    agencyId: 'city-market',
    inspectorId: 'i-1',
    trigger: { kind: 'enterprise_request', ref: 'QY-1' },
    enterprise: { uscc: USCC, name: '康源' },
    itemIds: ['city-market.SJ-02'],
    today: '2026-11-25',
  });

  it('needs a reason; the entry is marked late, carries the reason and no code, and is signed', async () => {
    const doc = new Y.Doc();
    const key = await generateDeviceKey();
    const input = { task, by: 'u-inspector1', team, exemptions: [], key, device: 'test' };
    await expect(appendEntry(doc, input)).rejects.toThrow(/reason/);
    await expect(appendEntry(doc, { ...input, lateReason: ' '.repeat(10) + 'abc' })).rejects.toThrow(/reason/);
    expect(readLedger(doc).items).toHaveLength(0);
    const reason = '二维码被遮挡无法识别';
    expect(reason.length).toBeGreaterThanOrEqual(LATE_REASON_MIN);
    const e = await appendEntry(doc, { ...input, lateReason: reason });
    expect(e).toMatchObject({ via: 'late', lateReason: reason, kind: task.kind });
    expect(e.code).toBeUndefined();
    const [stored] = readLedger(doc).items;
    expect(await verifySignedRecord(stored, key.publicJwk)).toBe(true);
  });

  it('a scan never produces a late record', async () => {
    const doc = new Y.Doc();
    const key = await generateDeviceKey();
    const e = await appendEntry(doc, { task, by: 'u', team, exemptions: [], token: 'a.b.c', lateReason: 'ignored reason', key, device: 'd' });
    expect(e).toMatchObject({ via: 'scan', code: 'a.b.c' });
    expect(e.lateReason).toBeUndefined();
  });
});
