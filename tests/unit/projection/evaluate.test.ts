/**
 * The projection's rule evaluation (server/projection/evaluate.ts) on constructed records: each
 * warning kind, and the non-warnings at the edges (exempt trigger, certificate expiring on the day,
 * quiet-period exception, off-site checks, a filed unchanged plan).
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateEntry,
  lateUploadWarning,
  planChangedWarning,
  recordWarnings,
  unfiledPlanWarnings,
  warningId,
  yearOfWarning,
  type WarningT,
} from '../../../server/projection/evaluate';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import { Id, Warning, type Certificate, type EntryRecord, type LedgerRecord, type PlanMeta } from '../../../src/domain/schemas';
import { U1, cert, enterprise, entry, result, trig } from '../domain/fixtures';

const policy = defaultPolicy();
const TEAM = [
  { inspectorId: 'insp1', name: '张三', certificateNumber: 'SX-0001', certificateValid: true },
  { inspectorId: 'insp2', name: '李四', certificateNumber: 'SX-0002', certificateValid: true },
];
const CERTS: Certificate[] = [cert(), cert({ number: 'SX-0002', inspectorId: 'insp2', holderName: '李四' })];
const PLAN: { meta: Pick<PlanMeta, 'year' | 'status' | 'filedHash' | 'capPerEnterprise'>; currentHash?: string } = {
  meta: { year: 2026, status: 'published', filedHash: 'h1', capPerEnterprise: 2 },
  currentHash: 'h1',
};
const AGENCY = { id: 'mkt-city', level: 'city' as const, name: '市市场监管局', nameEn: 'City Market Supervision' };

/** a planned on-site entry by mkt-city at U1 on a non-quiet day (25th), two certified inspectors */
const visit = (over: Partial<EntryRecord> = {}): EntryRecord => entry({ at: '2026-05-25T02:00:00Z', team: TEAM, ...over });

function run(e: EntryRecord, o: { ledger?: LedgerRecord[]; certificates?: Certificate[]; plan?: typeof PLAN | null; quiet?: boolean } = {}): WarningT[] {
  return evaluateEntry({
    entry: e,
    ledger: [...(o.ledger ?? []), e],
    policy,
    certificates: o.certificates ?? CERTS,
    enterprise: enterprise({ quietZone: o.quiet ?? false }),
    agency: AGENCY,
    plan: o.plan === undefined ? PLAN : o.plan,
  });
}
const kinds = (ws: WarningT[]) => ws.map((w) => w.kind).sort();

describe('evaluateEntry', () => {
  it('a regular planned inspection raises nothing', () => {
    expect(run(visit())).toEqual([]);
  });

  it('over_cap: the third on-site inspection by one agency at one enterprise in a year (cap 2)', () => {
    const a = visit({ at: '2026-03-25T02:00:00Z', itemIds: ['item-x'] });
    const b = visit({ at: '2026-04-25T02:00:00Z', itemIds: ['item-y'] });
    const c = visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'] });
    expect(run(b, { ledger: [a] })).toEqual([]);
    const ws = run(c, { ledger: [a, b] });
    expect(kinds(ws)).toEqual(['over_cap']);
    const w = ws[0];
    expect(w).toMatchObject({ severity: 'block', agencyId: 'mkt-city', uscc: U1, refId: c.id, at: c.at, id: `over_cap.${c.id}` });
    expect(w.message.zh).toContain('市市场监管局');
    expect(w.message.zh).toContain('上限2次');
    expect(w.message.en).toContain('cap of 2');
    expect(Warning.safeParse(w).success).toBe(true);
  });

  it('no over_cap on an exempt trigger, for another agency, for off-site checks, or in another year', () => {
    const a = visit({ at: '2026-03-25T02:00:00Z', itemIds: ['item-x'] });
    const b = visit({ at: '2026-04-25T02:00:00Z', itemIds: ['item-y'] });
    // going over the cap on an exempt trigger is lawful, and supervisors see it as an exemption, not a breach
    expect(kinds(run(visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'], kind: trig('complaint') }), { ledger: [a, b] }))).toEqual(['exemption']);
    expect(run(visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'], agencyId: 'eco-city' }), { ledger: [a, b] })).toEqual([]);
    expect(run(visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'], method: 'offsite' }), { ledger: [a, b] })).toEqual([]);
    const lastYear = visit({ at: '2025-12-25T02:00:00Z', itemIds: ['item-w'] });
    expect(run(visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'] }), { ledger: [lastYear, b] })).toEqual([]);
  });

  it('a second entry of the same task is the same inspection, not one over the cap', () => {
    const a = visit({ at: '2026-03-25T02:00:00Z', itemIds: ['item-x'] });
    const b = visit({ at: '2026-04-25T02:00:00Z', itemIds: ['item-y'], taskId: 't-9' });
    const again = visit({ at: '2026-04-25T06:00:00Z', itemIds: ['item-y'], taskId: 't-9' });
    expect(run(again, { ledger: [a, b] })).toEqual([]);
  });

  it('uncertified: fewer than two valid certificates on the day of entry', () => {
    const alone = run(visit({ team: [TEAM[0]] }));
    expect(kinds(alone)).toEqual(['uncertified']);
    expect(alone[0].severity).toBe('block');
    const expired = [cert(), cert({ number: 'SX-0002', inspectorId: 'insp2', holderName: '李四', expiresOn: '2026-05-24' })];
    const ws = run(visit(), { certificates: expired });
    expect(kinds(ws)).toEqual(['uncertified']);
    expect(ws[0].message.zh).toContain('李四');
    expect(ws[0].message.zh).toContain('SX-0002');
    const unknown = run(visit({ team: [TEAM[0], { ...TEAM[1], inspectorId: 'nobody', certificateNumber: 'SX-9999' }] }));
    expect(kinds(unknown)).toEqual(['uncertified']);
  });

  it('no uncertified warning for a certificate expiring on the day (Shanghai), or revoked only later', () => {
    // 2026-05-25T02:00Z is 10:00 on the 25th in Shanghai
    const lastDay = [cert(), cert({ number: 'SX-0002', inspectorId: 'insp2', holderName: '李四', expiresOn: '2026-05-25' })];
    expect(run(visit(), { certificates: lastDay })).toEqual([]);
    // 2026-05-24T20:00Z is already the 25th in Shanghai: still the last day
    expect(run(visit({ at: '2026-05-24T20:00:00Z' }), { certificates: lastDay })).toEqual([]);
    const revokedLater = [cert(), cert({ number: 'SX-0002', inspectorId: 'insp2', status: 'revoked', revokedOn: '2026-06-01' })];
    expect(run(visit(), { certificates: revokedLater })).toEqual([]);
    const revokedBefore = [cert(), cert({ number: 'SX-0002', inspectorId: 'insp2', status: 'revoked', revokedOn: '2026-05-01' })];
    expect(kinds(run(visit(), { certificates: revokedBefore }))).toEqual(['uncertified']);
  });

  it('quiet_period: a planned on-site entry on a quiet day in the quiet zone without an allowed exception', () => {
    const quietDay = '2026-05-10T02:00:00Z'; // the 10th: quiet days are the 1st–20th by default
    const ws = run(visit({ at: quietDay }), { quiet: true });
    expect(kinds(ws)).toEqual(['quiet_period']);
    expect(ws[0].severity).toBe('block');
    // an exception kind the city does not list, or without a reason, does not help
    expect(kinds(run(visit({ at: quietDay, exemptions: [{ rule: 'quiet', kind: 'complaint', reason: '有投诉' }] }), { quiet: true }))).toEqual([
      'exemption',
      'quiet_period',
    ]);
  });

  it("no quiet_period warning with a listed exception, outside the zone, on other days, off-site or at the enterprise's request", () => {
    const quietDay = '2026-05-10T02:00:00Z';
    expect(kinds(run(visit({ at: quietDay, exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '燃气泄漏隐患排查' }] }), { quiet: true }))).toEqual([
      'exemption',
    ]);
    expect(run(visit({ at: quietDay }), { quiet: false })).toEqual([]);
    expect(run(visit(), { quiet: true })).toEqual([]);
    expect(run(visit({ at: quietDay, method: 'offsite' }), { quiet: true })).toEqual([]);
    expect(run(visit({ at: quietDay, kind: trig('enterprise_request') }), { quiet: true })).toEqual([]);
  });

  it('exemption: every exemption used is a warning for supervisors with its rule, kind, reason and reference', () => {
    const quietDay = '2026-05-10T02:00:00Z';
    const lifted = run(visit({ at: quietDay, exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '燃气泄漏隐患排查' }] }), { quiet: true });
    expect(lifted).toHaveLength(1);
    expect(lifted[0]).toMatchObject({ kind: 'exemption', severity: 'warn', agencyId: 'mkt-city', uscc: U1 });
    expect(lifted[0].message.zh).toContain('燃气泄漏隐患排查');
    expect(lifted[0].message.en).toMatch(/rule quiet.*hazard.*燃气泄漏隐患排查.*reference/);
    expect(lifted[0].message.en).toContain('lifting quiet.blocked');
    // a cap lifted by a declared exemption
    const a = visit({ at: '2026-03-25T02:00:00Z', itemIds: ['item-x'] });
    const b = visit({ at: '2026-04-25T02:00:00Z', itemIds: ['item-y'] });
    const c = visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'], exemptions: [{ rule: 'cap', kind: 'referral', reason: '上级交办案件' }] });
    const ws = run(c, { ledger: [a, b] });
    const ex = ws.filter((w) => w.kind === 'exemption');
    expect(ex.length).toBeGreaterThanOrEqual(1);
    expect(ex.some((w) => w.message.en.includes('上级交办案件') && w.message.en.includes('lifting cap.reached'))).toBe(true);
    expect(new Set(ws.map((w) => w.id)).size).toBe(ws.length);
    // the same entry evaluated again raises the same ids (stored once)
    expect(run(c, { ledger: [a, b] }).map((w) => w.id)).toEqual(ws.map((w) => w.id));
    // over the cap on an exempt trigger: the trigger's reference is named
    const t = run(visit({ at: '2026-08-25T02:00:00Z', itemIds: ['item-z'], kind: trig('complaint', 'TS-2026-0815') }), { ledger: [a, b] });
    expect(kinds(t)).toEqual(['exemption']);
    expect(t[0]).toMatchObject({ severity: 'info' });
    expect(t[0].message.zh).toContain('TS-2026-0815');
    // no exemption: nothing
    expect(run(visit())).toEqual([]);
  });

  it('unfiled_plan: a planned inspection without a filed plan for its year; none for a triggered one', () => {
    expect(kinds(run(visit(), { plan: null }))).toEqual(['unfiled_plan']);
    expect(kinds(run(visit(), { plan: { meta: { ...PLAN.meta, status: 'draft', filedHash: undefined } } }))).toEqual(['unfiled_plan']);
    expect(kinds(run(visit(), { plan: { ...PLAN, meta: { ...PLAN.meta, status: 'returned' } } }))).toEqual(['unfiled_plan']);
    expect(run(visit({ kind: trig('referral') }), { plan: null })).toEqual([]);
  });

  it('changed_since_filing: a planned inspection under a plan edited after filing', () => {
    const ws = run(visit(), { plan: { ...PLAN, currentHash: 'h2' } });
    expect(kinds(ws)).toEqual(['changed_since_filing']);
    expect(ws[0].severity).toBe('warn');
  });

  it('duplicate: the same items within 30 days (another agency or a repeat), or another agency the same day', () => {
    const other = visit({ at: '2026-05-15T02:00:00Z', agencyId: 'eco-city' });
    const ws = run(visit(), { ledger: [other] });
    expect(kinds(ws)).toEqual(['duplicate']);
    expect(ws[0]).toMatchObject({ severity: 'warn' });
    expect(ws[0].message.zh).toContain('eco-city');
    const sameDayOtherItems = visit({ at: '2026-05-25T01:00:00Z', agencyId: 'eco-city', itemIds: ['eco-item'] });
    const info = run(visit(), { ledger: [sameDayOtherItems] });
    expect(kinds(info)).toEqual(['duplicate']);
    expect(info[0].severity).toBe('info');
    expect(run(visit(), { ledger: [visit({ at: '2026-04-10T02:00:00Z', agencyId: 'eco-city' })] })).toEqual([]);
  });

  it('offsite_then_onsite: a planned on-site visit after a clean off-site check of the same items', () => {
    const off = visit({ at: '2026-02-25T02:00:00Z', method: 'offsite' });
    const clean = result({ entryId: off.id, at: '2026-02-25T04:00:00Z' });
    const ws = run(visit(), { ledger: [off, clean] });
    expect(kinds(ws)).toEqual(['offsite_then_onsite']);
    const dirty = result({
      entryId: off.id,
      at: '2026-02-25T04:00:00Z',
      outcome: 'rectify',
      findings: [{ itemId: 'item-a', description: '台账缺失', suggestion: 'none' }],
    });
    expect(run(visit(), { ledger: [off, dirty] })).toEqual([]);
    expect(run(visit({ kind: trig('complaint') }), { ledger: [off, clean] })).toEqual([]);
  });

  it('late_record: an entry recorded late (补录), with its reason; handles no reason', () => {
    const ws = run(visit({ via: 'late', lateReason: '现场网络中断，扫码失败' }));
    expect(kinds(ws)).toEqual(['late_record']);
    expect(ws[0].message.zh).toContain('现场网络中断');
    expect(run(visit({ via: 'late' }))[0].message.en).toContain('no reason');
  });

  it("several kinds at once, ids stable across runs, a correction keeps the corrected entry's ids", () => {
    const e = visit({ team: [TEAM[0]], via: 'late', lateReason: '补录' });
    const a = run(e, { plan: null });
    expect(kinds(a)).toEqual(['late_record', 'uncertified', 'unfiled_plan']);
    expect(run(e, { plan: null }).map((w) => w.id)).toEqual(a.map((w) => w.id));
    const fix = visit({ team: [TEAM[0]], via: 'late', lateReason: '补录', corrects: e.id });
    expect(
      run(fix, { ledger: [e], plan: null })
        .map((w) => w.id)
        .sort(),
    ).toEqual(a.map((w) => w.id).sort());
  });
});

describe('plan warnings', () => {
  const agencies = [
    { id: 'a-filed', name: '甲局', nameEn: 'Bureau A' },
    { id: 'a-none', name: '乙局', nameEn: 'Bureau B' },
    { id: 'a-draft', name: '丙局', nameEn: 'Bureau C' },
    { id: 'a-submitted', name: '丁局', nameEn: 'Bureau D' },
  ];
  const plans = new Map<string, { year: number; status: 'draft' | 'submitted' | 'filed' | 'published'; filedHash?: string } | null>([
    ['a-filed', { year: 2026, status: 'filed', filedHash: 'h' }],
    ['a-none', null],
    ['a-draft', { year: 2026, status: 'draft' }],
    ['a-submitted', { year: 2026, status: 'submitted', filedHash: 'h' }],
  ]);

  it('unfiled_plan after the due date (31 January by default) for agencies with no filed or submitted plan', () => {
    expect(unfiledPlanWarnings({ today: '2026-01-31', policy, agencies, plans })).toEqual([]);
    const ws = unfiledPlanWarnings({ today: '2026-02-01', policy, agencies, plans });
    expect(ws.map((w) => w.agencyId).sort()).toEqual(['a-draft', 'a-none']);
    for (const w of ws) {
      expect(w).toMatchObject({ kind: 'unfiled_plan', severity: 'warn', at: '2026-02-01T00:00:00+08:00', id: `unfiled_plan.${w.agencyId}.2026` });
      expect(w.message.zh).toContain('2026-01-31');
    }
    // the city's due date is data
    expect(unfiledPlanWarnings({ today: '2026-02-01', policy: { planDue: '02-15' }, agencies, plans })).toEqual([]);
  });

  it('changed_since_filing for a filed plan whose content hash moved; one per filing', () => {
    const base = { room: 'plan/a/2026', agencyId: 'a', year: 2026, at: '2026-03-01T00:00:00Z', agency: { name: '甲局', nameEn: 'Bureau A' } };
    expect(planChangedWarning({ ...base, meta: { status: 'published', filedHash: 'abc' }, currentHash: 'abc' })).toBeNull();
    expect(planChangedWarning({ ...base, meta: { status: 'draft' }, currentHash: 'x' })).toBeNull();
    const w = planChangedWarning({ ...base, meta: { status: 'filed', filedHash: 'abcdef0123456789' }, currentHash: 'x' });
    expect(w).toMatchObject({ kind: 'changed_since_filing', severity: 'info', agencyId: 'a', refId: 'plan/a/2026' });
    expect(planChangedWarning({ ...base, at: '2026-04-01T00:00:00Z', meta: { status: 'filed', filedHash: 'abcdef0123456789' }, currentHash: 'y' })!.id).toBe(
      w!.id,
    );
    // a plan's warnings belong to the plan's year, whenever they are raised
    expect(yearOfWarning({ ...w!, at: '2027-01-05T00:00:00Z' })).toBe(2026);
    expect(yearOfWarning({ at: '2026-12-31T17:00:00Z' })).toBe(2027);
  });
});

describe('warningId', () => {
  it('is a valid, stable Id even for long or odd refs', () => {
    const long = 'x'.repeat(120);
    const id = warningId('duplicate', long, 'a/b c');
    expect(Id.safeParse(id).success).toBe(true);
    expect(id.length).toBeLessThanOrEqual(80);
    expect(warningId('duplicate', long, 'a/b c')).toBe(id);
    expect(warningId('duplicate', long, 'a/b d')).not.toBe(id);
    expect(warningId('over_cap', 'entry-1')).toBe('over_cap.entry-1');
  });
});

describe('recordWarnings: corrections and disputes reach supervisors', () => {
  const e = visit({ id: 'rw-e1' });
  const r = result({ id: 'rw-r1', entryId: 'rw-e1' });
  it('an allowed correction is info; one that is not allowed (another author, another type) is a block and says it is ignored', () => {
    const own = visit({ id: 'rw-fix', corrects: 'rw-e1' });
    const foreign = visit({ id: 'rw-x', corrects: 'rw-e1', by: 'u-insp3', agencyId: 'mkt-county' });
    const byEnterprise: LedgerRecord = { id: 'rw-ack', uscc: U1, at: '2026-05-26T02:00:00Z', by: 'u-ent1', type: 'ack', refId: 'rw-r1', corrects: 'rw-r1' };
    const all = [e, r, own, foreign, byEnterprise];
    const ws = recordWarnings([own, foreign, byEnterprise], all, { enterprise: { name: '测试企业' } });
    expect(ws.map((w) => [w.kind, w.severity, w.refId, w.agencyId])).toEqual([
      ['correction', 'info', 'rw-fix', 'mkt-city'],
      ['correction', 'block', 'rw-x', 'mkt-city'],
      ['correction', 'block', 'rw-ack', 'mkt-city'],
    ]);
    expect(ws[1].message.en).toContain('only the author of a record may correct it');
    expect(ws[2].message.zh).toContain('只能更正同类记录');
    for (const w of ws) expect(Warning.safeParse(w).success).toBe(true);
  });
  it("a dispute is a warning for the agency of the disputed record, with the enterprise's words", () => {
    const d: LedgerRecord = { id: 'rw-d', uscc: U1, at: '2026-05-26T02:00:00Z', by: 'u-ent1', type: 'dispute', refId: 'rw-r1', text: '检查结论与事实不符' };
    const [w] = recordWarnings([d], [e, r, d]);
    expect(w).toMatchObject({ kind: 'dispute', severity: 'warn', agencyId: 'mkt-city', refId: 'rw-d', uscc: U1 });
    expect(w.message.zh).toContain('检查结论与事实不符');
    expect(recordWarnings([e, r], [e, r])).toEqual([]);
  });
  it('a late upload names the user, the records and how late', () => {
    const w = lateUploadWarning({
      uscc: U1,
      userId: 'u-insp1',
      at: '2026-05-28T02:00:00Z',
      records: [{ recordId: 'e9', at: '2026-05-25T02:00:00Z', type: 'entry', agencyId: 'mkt-city' }],
    })!;
    expect(w).toMatchObject({ kind: 'late_upload', severity: 'warn', agencyId: 'mkt-city', refId: 'e9' });
    expect(w.message.en).toContain('72 h late');
    expect(lateUploadWarning({ uscc: U1, userId: 'u', at: '2026-05-28T02:00:00Z', records: [] })).toBeNull();
  });
});
