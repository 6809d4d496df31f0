import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  annualCap,
  certificateValidity,
  defaultPolicy,
  effectiveCap,
  exemptionLifts,
  isQuietDay,
  levelSuggestion,
  mergeCandidate,
  offsiteThenOnsite,
  planFiled,
  precheck,
  quietPeriod,
  sameWindowOtherAgencies,
  teamRule,
  warningKindOf,
  type Certificate,
  type Exemption,
  type InspectionKind,
  type LedgerRecord,
  type PrecheckContext,
  Verdict,
} from '../../../src/domain';
import { U1, U2, cert, enterprise, entry, planItem, planned, result, task, trig } from './fixtures';

const P = DEFAULT_POLICY;
const codeOf = (v: { verdict: string; code: string }) => `${v.verdict}:${v.code}`;

describe('certificateValidity', () => {
  const c = cert({ issuedOn: '2024-01-01', expiresOn: '2026-03-31' });
  it.each<[string, Certificate | undefined, string, string]>([
    ['valid in the middle', c, '2025-06-01', 'ok:cert.ok'],
    ['valid on the day it expires (Shanghai)', c, '2026-03-31', 'ok:cert.ok'],
    ['valid at 23:59 Shanghai on that day', c, '2026-03-31T15:59:00Z', 'ok:cert.ok'],
    ['invalid the next day', c, '2026-04-01', 'block:cert.expired'],
    ['invalid at 00:30 Shanghai the next day, still March 31 in UTC', c, '2026-03-31T16:30:00Z', 'block:cert.expired'],
    ['valid on its issue day', c, '2024-01-01', 'ok:cert.ok'],
    ['not yet valid before issue', c, '2023-12-31T15:00:00Z', 'block:cert.not_yet_valid'],
    ['missing', undefined, '2025-06-01', 'block:cert.missing'],
    ['revoked without a date', cert({ status: 'revoked' }), '2025-06-01', 'block:cert.revoked'],
    ['revoked on the day', cert({ status: 'revoked', revokedOn: '2025-06-01', revokedReason: '调离执法岗位' }), '2025-06-01', 'block:cert.revoked'],
    ['revoked later: still valid on an earlier day', cert({ status: 'revoked', revokedOn: '2025-06-02' }), '2025-06-01', 'ok:cert.ok'],
  ])('%s', (_n, certificate, on, expected) => {
    const v = certificateValidity(certificate, on);
    expect(Verdict.parse(v)).toEqual(v);
    expect(codeOf(v)).toBe(expected);
  });

  it('explains a revocation', () => {
    const v = certificateValidity(cert({ status: 'revoked', revokedOn: '2025-06-01', revokedReason: '调离执法岗位' }), '2025-07-01');
    expect(v.message.zh).toContain('调离执法岗位');
    expect(v.message.en).toContain('revoked on 2025-06-01');
  });
});

describe('teamRule (≥ 2 certified inspectors, Art. 42)', () => {
  const a = { inspectorId: 'insp1', name: '张三', certificate: cert({ number: 'SX-1', inspectorId: 'insp1' }) };
  const b = { inspectorId: 'insp2', name: '李四', certificate: cert({ number: 'SX-2', inspectorId: 'insp2' }) };
  const expired = { inspectorId: 'insp3', name: '王五', certificate: cert({ number: 'SX-3', inspectorId: 'insp3', expiresOn: '2025-12-31' }) };
  const revoked = { inspectorId: 'insp4', name: '赵六', certificate: cert({ number: 'SX-4', inspectorId: 'insp4', status: 'revoked' }) };
  const noCert = { inspectorId: 'insp5', name: '钱七' };
  const borrowed = { inspectorId: 'insp6', name: '孙八', certificate: a.certificate };
  it.each([
    ['two valid', [a, b], 'ok:team.ok', []],
    ['one valid', [a], 'block:team.too_few', []],
    ['none', [], 'block:team.too_few', []],
    ['same inspector twice', [a, a], 'block:team.too_few', ['insp1']],
    ['valid + expired', [a, expired], 'block:team.too_few', ['insp3']],
    ['valid + revoked', [a, revoked], 'block:team.too_few', ['insp4']],
    ['valid + no certificate', [a, noCert], 'block:team.too_few', ['insp5']],
    ["valid + someone else's certificate", [a, borrowed], 'block:team.too_few', ['insp6']],
    ['two valid + one expired', [a, b, expired], 'ok:team.ok', []],
  ])('%s', (_n, team, expected, failing) => {
    const v = teamRule(team, '2026-01-01');
    expect(codeOf(v)).toBe(expected);
    expect(v.refs ?? []).toEqual(failing);
  });

  it('names who fails and why', () => {
    const v = teamRule([a, expired, revoked], '2026-01-01');
    expect(v.message.zh).toContain('王五');
    expect(v.message.zh).toContain('已于2025-12-31到期');
    expect(v.message.en).toContain('赵六: Certificate SX-4 was revoked');
    expect(v.members.map((m) => m.verdict.code)).toEqual(['cert.ok', 'cert.expired', 'cert.revoked']);
  });

  it('the expiring day counts, the next day does not', () => {
    const c = { ...b, certificate: cert({ number: 'SX-2', inspectorId: 'insp2', expiresOn: '2026-01-01' }) };
    expect(teamRule([a, c], '2026-01-01T15:59:59Z').verdict).toBe('ok');
    expect(teamRule([a, c], '2026-01-01T16:00:00Z').verdict).toBe('block');
  });
});

describe('annualCap', () => {
  const base = { agencyId: 'mkt-city', uscc: U1, cap: 2, policy: P };
  const e2026a = entry({ at: '2026-02-01T02:00:00Z' });
  const e2026b = entry({ at: '2026-06-01T02:00:00Z' });
  const eLastYear = entry({ at: '2025-12-31T15:30:00Z' }); // 2025-12-31 23:30 Shanghai
  const eOtherAgency = entry({ at: '2026-03-01T02:00:00Z', agencyId: 'eco-city' });
  const eOffsite = entry({ at: '2026-03-02T02:00:00Z', method: 'offsite' });
  const eOtherUscc = entry({ at: '2026-03-03T02:00:00Z', uscc: U2 });
  const sameTask = [entry({ at: '2026-02-01T02:00:00Z', taskId: 'T9' }), entry({ at: '2026-02-02T02:00:00Z', taskId: 'T9' })];
  const corrected = entry({ at: '2026-04-01T02:00:00Z' });
  const correction = entry({ at: '2026-04-01T03:00:00Z', corrects: corrected.id });

  it.each<[string, LedgerRecord[], string, InspectionKind, string]>([
    ['first planned inspection', [], '2026-07-01T02:00:00Z', planned, 'ok:cap.ok'],
    ['second planned inspection', [e2026a], '2026-07-01T02:00:00Z', planned, 'ok:cap.ok'],
    ['third planned inspection is blocked', [e2026a, e2026b], '2026-07-01T02:00:00Z', planned, 'block:cap.reached'],
    ['complaint lifts the cap', [e2026a, e2026b], '2026-07-01T02:00:00Z', trig('complaint'), 'warn:cap.exempt'],
    ['enterprise request lifts the cap', [e2026a, e2026b], '2026-07-01T02:00:00Z', trig('enterprise_request'), 'warn:cap.exempt'],
    ['triggered under the cap is plain ok', [e2026a], '2026-07-01T02:00:00Z', trig('referral'), 'ok:cap.ok'],
    ['year boundary: Dec 31 23:30 Shanghai belongs to last year', [eLastYear, e2026a], '2026-01-01T00:30:00+08:00', planned, 'ok:cap.ok'],
    ['year boundary: in 2025 it does count', [eLastYear, entry({ at: '2025-06-01T02:00:00Z' })], '2025-12-31T15:45:00Z', planned, 'block:cap.reached'],
    [
      'other agencies, off-site checks and other enterprises do not count',
      [e2026a, eOtherAgency, eOffsite, eOtherUscc],
      '2026-07-01T02:00:00Z',
      planned,
      'ok:cap.ok',
    ],
    ['two visits of one task count once', [...sameTask], '2026-07-01T02:00:00Z', planned, 'ok:cap.ok'],
    ['a corrected entry counts once', [corrected, correction], '2026-07-01T02:00:00Z', planned, 'ok:cap.ok'],
    ['later entries do not count (server re-run)', [e2026a, e2026b], '2026-03-01T02:00:00Z', planned, 'ok:cap.ok'],
    [
      'triggered entries count towards the cap',
      [entry({ at: '2026-02-01T02:00:00Z', kind: trig('complaint') }), e2026b],
      '2026-07-01T02:00:00Z',
      planned,
      'block:cap.reached',
    ],
  ])('%s', (_n, prior, at, kind, expected) => {
    const v = annualCap({ ...base, at, kind, priorEntries: prior });
    expect(codeOf(v)).toBe(expected);
    if (v.verdict !== 'ok') expect(v.exemptBy).toEqual(P.exemptTriggers);
  });

  it('a trigger the city no longer exempts is capped like a planned inspection', () => {
    const policy = { ...defaultPolicy(), exemptTriggers: ['complaint' as const] };
    const v = annualCap({ ...base, policy, at: '2026-07-01T02:00:00Z', kind: trig('data_monitoring'), priorEntries: [e2026a, e2026b] });
    expect(codeOf(v)).toBe('block:cap.reached');
  });

  it('excludes the entry being re-checked and reports the counted entries', () => {
    const v = annualCap({ ...base, at: e2026b.at, kind: planned, priorEntries: [e2026a, e2026b], excludeEntryId: e2026b.id });
    expect(codeOf(v)).toBe('ok:cap.ok');
    const w = annualCap({ ...base, cap: 1, at: '2026-07-01T02:00:00Z', kind: planned, priorEntries: [e2026a] });
    expect(w.refs).toEqual([e2026a.id]);
  });

  it('effectiveCap: plan cap, else city default', () => {
    expect(effectiveCap({ capPerEnterprise: 3 }, P)).toBe(3);
    expect(effectiveCap(undefined, P)).toBe(2);
  });
});

describe('quietPeriod (days 1–20 quiet by default)', () => {
  const inZone = { quietZone: true };
  const ex = (kind: Exemption['kind'], reason = '上级专项部署') => ({ kind, reason });
  it.each<[string, { quietZone: boolean }, string, InspectionKind, ReturnType<typeof ex> | undefined, string]>([
    ['quiet day, planned → blocked', inZone, '2026-05-10T02:00:00Z', planned, undefined, 'block:quiet.blocked'],
    ['quiet day with a listed exception → warn', inZone, '2026-05-10T02:00:00Z', planned, ex('higher_level_campaign'), 'warn:quiet.exception'],
    ['quiet day with "other" and a reason', inZone, '2026-05-10T02:00:00Z', planned, ex('other', '重大活动保障'), 'warn:quiet.exception'],
    ['an exception without a reason does not count', inZone, '2026-05-10T02:00:00Z', planned, ex('hazard', ' '), 'block:quiet.blocked'],
    ['a trigger kind is not a quiet exception', inZone, '2026-05-10T02:00:00Z', planned, ex('complaint'), 'block:quiet.blocked'],
    ['day 21 is not quiet', inZone, '2026-05-21T02:00:00Z', planned, undefined, 'ok:quiet.ok'],
    ['Shanghai midnight: 2026-03-31T16:30Z is April 1st, a quiet day', inZone, '2026-03-31T16:30:00Z', planned, undefined, 'block:quiet.blocked'],
    ['…while 2026-03-31T15:30Z is still March 31st', inZone, '2026-03-31T15:30:00Z', planned, undefined, 'ok:quiet.ok'],
    ['outside the zone', { quietZone: false }, '2026-05-10T02:00:00Z', planned, undefined, 'ok:quiet.ok'],
    ['complaint-triggered → allowed, recorded', inZone, '2026-05-10T02:00:00Z', trig('complaint'), undefined, 'warn:quiet.triggered'],
    ['enterprise request → ok', inZone, '2026-05-10T02:00:00Z', trig('enterprise_request'), undefined, 'ok:quiet.ok'],
  ])('%s', (_n, e, at, kind, exception, expected) => {
    const v = quietPeriod({ enterprise: e, at, kind, exception }, P);
    expect(codeOf(v)).toBe(expected);
    if (v.code === 'quiet.blocked') expect(v.exemptBy).toHaveLength(6);
  });

  it('off-site checks and a disabled quiet period are never blocked', () => {
    expect(quietPeriod({ enterprise: inZone, at: '2026-05-10', kind: planned, method: 'offsite' }, P).verdict).toBe('ok');
    const off = defaultPolicy();
    off.quietPeriod.enabled = false;
    expect(quietPeriod({ enterprise: inZone, at: '2026-05-10', kind: planned }, off).verdict).toBe('ok');
    expect(isQuietDay('2026-05-10', off)).toBe(false);
  });

  it('uses the configured days', () => {
    const p = defaultPolicy();
    p.quietPeriod.quietDays = [25];
    expect(quietPeriod({ enterprise: inZone, at: '2026-05-25', kind: planned }, p).verdict).toBe('block');
    expect(quietPeriod({ enterprise: inZone, at: '2026-05-10', kind: planned }, p).verdict).toBe('ok');
  });
});

describe('planFiled', () => {
  const filed = { year: 2026, status: 'filed' as const, filedHash: 'h1' };
  it.each<[string, Parameters<typeof planFiled>[0], string]>([
    ['triggered needs no plan', { kind: trig('complaint') }, 'ok:plan.not_required'],
    ['no plan', { kind: planned }, 'block:plan.unfiled'],
    ['draft', { kind: planned, planMeta: { year: 2026, status: 'draft' } }, 'block:plan.unfiled'],
    ['returned', { kind: planned, planMeta: { year: 2026, status: 'returned', filedHash: 'h0' } }, 'block:plan.unfiled'],
    [
      'submitted, awaiting the office',
      { kind: planned, planMeta: { year: 2026, status: 'submitted', filedHash: 'h1' }, currentHash: 'h1' },
      'warn:plan.pending',
    ],
    ['filed and unchanged', { kind: planned, planMeta: filed, currentHash: 'h1' }, 'ok:plan.ok'],
    ['published and unchanged', { kind: planned, planMeta: { ...filed, status: 'published' }, currentHash: 'h1' }, 'ok:plan.ok'],
    ['changed since filing', { kind: planned, planMeta: filed, currentHash: 'h2' }, 'warn:plan.changed'],
    ['explicit filedHash wins', { kind: planned, planMeta: filed, filedHash: 'h2', currentHash: 'h2' }, 'ok:plan.ok'],
    ['plan of another year (Jan 1 Shanghai)', { kind: planned, planMeta: { ...filed, year: 2025 }, at: '2025-12-31T16:00:00Z' }, 'block:plan.unfiled'],
    ['plan of the year (Dec 31 23:30 Shanghai)', { kind: planned, planMeta: { ...filed, year: 2025 }, at: '2025-12-31T15:30:00Z' }, 'ok:plan.ok'],
    ['item not in plan', { kind: planned, planMeta: filed, itemIds: ['item-z'], planItems: [{ itemId: 'item-a' }] }, 'warn:plan.item_not_in_plan'],
  ])('%s', (_n, input, expected) => expect(codeOf(planFiled(input))).toBe(expected));
});

describe('mergeCandidate (measure 4)', () => {
  const at = '2026-05-10T02:00:00Z';
  const open = task({ id: 'T-open', window: { from: '2026-05-20', to: '2026-05-31' } });
  const far = task({ id: 'T-far', window: { from: '2026-09-01', to: '2026-09-30' } });
  const done = task({ id: 'T-done', status: 'done' });
  const other = task({ id: 'T-other', agencyId: 'eco-city' });
  const otherU = task({ id: 'T-u2', uscc: U2 });
  it.each([
    ['a triggered inspection near a planned task', trig('complaint'), [open, far, done, other, otherU], 'warn:merge.candidate', ['T-open']],
    ['nothing nearby', trig('complaint'), [far, done, other, otherU], 'ok:merge.none', []],
    ['planned inspections are not merged', planned, [open], 'ok:merge.none', []],
  ])('%s', (_n, kind, tasks, expected, refs) => {
    const v = mergeCandidate({ kind, agencyId: 'mkt-city', uscc: U1, at, tasks });
    expect(codeOf(v)).toBe(expected);
    expect(v.refs ?? []).toEqual(refs);
    if (refs.length) expect(v.message.zh).toContain('T-open');
  });

  it('also offers plan items that target the enterprise by list in the month', () => {
    const e = enterprise({ industry: 'food' });
    const byList = planItem({ id: 'PI-food', months: [5], targets: { industries: ['food'], divisions: [], riskLevels: [] } });
    const sampled = planItem({ id: 'PI-sampled', months: [5], targets: { industries: [], divisions: [], riskLevels: [], samplingRatio: 0.05 } });
    const otherMonth = planItem({ id: 'PI-dec', months: [12] });
    const otherIndustry = planItem({ id: 'PI-chem', targets: { industries: ['chem'], divisions: [], riskLevels: [] } });
    const v = mergeCandidate({
      kind: trig('complaint'),
      agencyId: 'mkt-city',
      uscc: U1,
      at,
      tasks: [],
      enterprise: e,
      planItems: [byList, sampled, otherMonth, otherIndustry],
    });
    expect(codeOf(v)).toBe('warn:merge.candidate');
    expect(v.refs).toEqual(['PI-food']);
  });
});

describe('sameWindowOtherAgencies (measure 8)', () => {
  const at = '2026-05-10T02:00:00Z';
  it("suggests a joint inspection for other agencies' open tasks in the window", () => {
    const vs = sameWindowOtherAgencies({
      agencyId: 'mkt-city',
      uscc: U1,
      at,
      tasks: [
        task({ id: 'T-eco', agencyId: 'eco-city', window: { from: '2026-05-12', to: '2026-05-20' } }),
        task({ id: 'T-eco-late', agencyId: 'eco-city', window: { from: '2026-07-01', to: '2026-07-20' } }),
        task({ id: 'T-own', agencyId: 'mkt-city' }),
        task({ id: 'T-eco-u2', agencyId: 'eco-city', uscc: U2 }),
      ],
    });
    expect(vs.map(codeOf)).toEqual(['warn:joint.candidate']);
    expect(vs[0].refs).toEqual(['T-eco']);
  });

  it('flags a duplicate: same items by another agency within N days, and a same-day visit', () => {
    const itemKey = (id: string) => ({ 'eco-fire-1': 'FIRE', 'mkt-fire-1': 'FIRE' })[id] ?? id;
    const sameDay = entry({ id: 'E-sd', agencyId: 'eco-city', at: '2026-05-10T00:30:00Z', itemIds: ['eco-air'] });
    const dup = entry({ id: 'E-dup', agencyId: 'eco-city', at: '2026-04-20T02:00:00Z', itemIds: ['eco-fire-1'] });
    const old = entry({ id: 'E-old', agencyId: 'eco-city', at: '2026-03-01T02:00:00Z', itemIds: ['eco-fire-1'] });
    const vs = sameWindowOtherAgencies({
      agencyId: 'mkt-city',
      uscc: U1,
      at,
      itemIds: ['mkt-fire-1'],
      entries: [sameDay, dup, old],
      itemKey,
    });
    expect(vs.map(codeOf)).toEqual(['warn:joint.same_day', 'warn:duplicate']);
    expect(vs[1].refs).toEqual(['E-dup']);
    const narrower = sameWindowOtherAgencies({
      agencyId: 'mkt-city',
      uscc: U1,
      at,
      itemIds: ['mkt-fire-1'],
      entries: [dup],
      itemKey,
      duplicateDays: 10,
    });
    expect(narrower.map(codeOf)).toEqual(['ok:joint.none']);
  });

  it("the same task's earlier visit is not a duplicate; an earlier visit of the same agency on the same items is", () => {
    const prev = entry({ id: 'E-prev', agencyId: 'mkt-city', at: '2026-05-01T02:00:00Z', itemIds: ['item-a'], taskId: 'T1' });
    expect(sameWindowOtherAgencies({ agencyId: 'mkt-city', uscc: U1, at, itemIds: ['item-a'], entries: [prev], taskId: 'T1' }).map(codeOf)).toEqual([
      'ok:joint.none',
    ]);
    expect(sameWindowOtherAgencies({ agencyId: 'mkt-city', uscc: U1, at, itemIds: ['item-a'], entries: [prev] }).map(codeOf)).toEqual(['warn:duplicate']);
  });
});

describe('levelSuggestion (measure 1)', () => {
  it.each<[Parameters<typeof levelSuggestion>[0], string]>([
    [{ itemLevel: 'any', riskLevel: 'medium', agencyLevel: 'county' }, 'ok:level.county'],
    [{ itemLevel: 'any', riskLevel: 'medium', agencyLevel: 'city' }, 'warn:level.county'],
    [{ itemLevel: 'any', riskLevel: 'major', agencyLevel: 'city' }, 'ok:level.city'],
    [{ itemLevel: 'any', riskLevel: 'major', agencyLevel: 'county' }, 'warn:level.city'],
    [{ itemLevel: 'county', riskLevel: 'low', crossDistrict: true, agencyLevel: 'county' }, 'warn:level.city'],
    [{ itemLevel: 'city', riskLevel: 'low', agencyLevel: 'city' }, 'ok:level.city'],
    [{ itemLevel: 'county', riskLevel: 'high', agencyLevel: 'township' }, 'ok:level.county'],
    [{ itemLevel: 'any', riskLevel: 'high', agencyLevel: 'zone' }, 'ok:level.county'],
  ])('%j → %s', (input, expected) => expect(codeOf(levelSuggestion(input))).toBe(expected));
});

describe('offsiteThenOnsite (measure 12)', () => {
  const off = entry({ id: 'E-off', method: 'offsite', at: '2026-03-01T02:00:00Z', itemIds: ['item-a'] });
  const clean = result({ entryId: 'E-off', outcome: 'no_problem' });
  const dirty = result({ entryId: 'E-off', outcome: 'rectify', findings: [{ itemId: 'item-a', description: '台账缺失', suggestion: 'none' }] });
  const at = '2026-05-10T02:00:00Z';
  it.each<[string, LedgerRecord[], InspectionKind, string[], string, string]>([
    ['on-site after a clean off-site check', [off, clean], planned, ['item-a'], at, 'warn:offsite.clean_before'],
    ['off-site check found problems', [off, dirty], planned, ['item-a'], at, 'ok:offsite.none'],
    ['different items', [off, clean], planned, ['item-b'], at, 'ok:offsite.none'],
    ['next year', [off, clean], planned, ['item-a'], '2027-01-05T02:00:00Z', 'ok:offsite.none'],
    ['triggered on-site is not flagged', [off, clean], trig('complaint'), ['item-a'], at, 'ok:offsite.none'],
    ['no result yet', [off], planned, ['item-a'], at, 'ok:offsite.none'],
  ])('%s', (_n, history, kind, itemIds, when, expected) => {
    expect(codeOf(offsiteThenOnsite({ kind, uscc: U1, at: when, itemIds, history }))).toBe(expected);
  });
});

describe('precheck', () => {
  const team = [
    { inspectorId: 'insp1', name: '张三', certificate: cert({ number: 'SX-1', inspectorId: 'insp1' }) },
    { inspectorId: 'insp2', name: '李四', certificate: cert({ number: 'SX-2', inspectorId: 'insp2' }) },
  ];
  const ctx = (over: Partial<PrecheckContext> = {}): PrecheckContext => ({
    policy: P,
    at: '2026-05-25T02:00:00Z',
    agency: { id: 'mkt-city', level: 'city' },
    enterprise: enterprise({ quietZone: true }),
    kind: planned,
    itemIds: ['item-a'],
    team,
    ledger: [],
    plan: { meta: { year: 2026, status: 'filed', filedHash: 'h', capPerEnterprise: 2 }, currentHash: 'h' },
    ...over,
  });
  const twoThisYear = [entry({ at: '2026-02-01T02:00:00Z', itemIds: ['x'] }), entry({ at: '2026-03-01T02:00:00Z', itemIds: ['y'] })];

  it('a clean planned check-in passes', () => {
    const r = precheck(ctx());
    expect(r.blocked).toBe(false);
    expect(r.level).toBe('ok');
    expect(r.verdicts.map((v) => v.code)).toEqual(['team.ok', 'plan.ok', 'cap.ok', 'quiet.ok', 'merge.none', 'joint.none', 'offsite.none']);
    for (const v of r.verdicts) expect(Verdict.parse(v)).toBeTruthy();
  });

  it('uncertified team and unfiled plan block and cannot be exempted', () => {
    const r = precheck(
      ctx({
        team: team.slice(0, 1),
        plan: null,
        exemptions: [{ rule: 'team.too_few', kind: 'other', reason: '人手不足' }],
      }),
    );
    expect(r.blocked).toBe(true);
    expect(r.blocking.map((v) => v.code)).toEqual(['team.too_few', 'plan.unfiled']);
    expect(r.lifted).toEqual([]);
  });

  it('over the cap: blocked; an exemption with an exempt trigger kind lifts it; the wrong kind does not', () => {
    expect(precheck(ctx({ ledger: twoThisYear })).blocking.map((v) => v.code)).toEqual(['cap.reached']);
    const wrong = precheck(ctx({ ledger: twoThisYear, exemptions: [{ rule: 'cap.reached', kind: 'hazard', reason: '隐患' }] }));
    expect(wrong.blocked).toBe(true);
    const right = precheck(ctx({ ledger: twoThisYear, exemptions: [{ rule: 'cap', kind: 'referral', reason: '上级交办线索' }] }));
    expect(right.blocked).toBe(false);
    expect(right.lifted.map((l) => l.verdict.code)).toEqual(['cap.reached']);
    expect(right.level).toBe('warn');
  });

  it('a complaint-triggered inspection over the cap on a quiet day goes ahead with warnings', () => {
    const r = precheck(ctx({ ledger: twoThisYear, kind: trig('complaint'), at: '2026-05-10T02:00:00Z', plan: null }));
    expect(r.blocked).toBe(false);
    expect(r.verdicts.filter((v) => v.verdict !== 'ok').map((v) => v.code)).toEqual(['cap.exempt', 'quiet.triggered']);
  });

  it('quiet day: blocked without an exception, allowed with one', () => {
    const q = ctx({ at: '2026-03-31T16:30:00Z' }); // April 1st in Shanghai
    expect(precheck(q).blocking.map((v) => v.code)).toEqual(['quiet.blocked']);
    const r = precheck({ ...q, exemptions: [{ rule: 'quiet.blocked', kind: 'statutory_deadline', reason: '许可证到期前法定核查' }] });
    expect(r.blocked).toBe(false);
    expect(r.verdicts.find((v) => v.code.startsWith('quiet'))?.code).toBe('quiet.exception');
  });

  it('collects merge, joint, duplicate, off-site and level verdicts', () => {
    const off = entry({ id: 'E-off2', method: 'written', at: '2026-03-01T02:00:00Z', itemIds: ['item-a'] });
    const r = precheck(
      ctx({
        kind: trig('data_monitoring'),
        plan: null,
        tasks: [
          task({ id: 'T-mine', agencyId: 'mkt-county', window: { from: '2026-05-20', to: '2026-06-10' } }),
          task({ id: 'T-eco', agencyId: 'eco-city', window: { from: '2026-05-22', to: '2026-05-30' } }),
        ],
        ledger: [off, result({ entryId: 'E-off2' }), entry({ id: 'E-eco', agencyId: 'eco-city', at: '2026-05-20T02:00:00Z' })],
        items: [{ id: 'item-a', level: 'any' }],
        enterprise: enterprise({ riskLevel: 'major' }),
        agency: { id: 'mkt-county', level: 'county' },
      }),
    );
    expect(r.blocked).toBe(false);
    expect(
      r.verdicts
        .filter((v) => v.verdict !== 'ok')
        .map((v) => v.code)
        .sort(),
    ).toEqual(['duplicate', 'joint.candidate', 'level.city', 'merge.candidate'].sort());
    expect(r.verdicts.find((v) => v.code === 'merge.candidate')?.refs).toEqual(['T-mine']);
    expect(r.verdicts.find((v) => v.code === 'duplicate')?.refs).toEqual(['E-eco']);
  });

  it('exemptionLifts requires a matching rule, a listed kind and a reason', () => {
    const v = { verdict: 'block' as const, code: 'quiet.blocked', message: { zh: '', en: '' }, exemptBy: ['hazard'] };
    expect(exemptionLifts(v, { rule: 'quiet', kind: 'hazard', reason: '燃气泄漏' })).toBe(true);
    expect(exemptionLifts(v, { rule: 'cap', kind: 'hazard', reason: '燃气泄漏' })).toBe(false);
    expect(exemptionLifts(v, { rule: 'quiet', kind: 'other', reason: '燃气泄漏' })).toBe(false);
    expect(exemptionLifts(v, { rule: 'quiet', kind: 'hazard', reason: ' ' })).toBe(false);
  });
});

describe('warningKindOf', () => {
  it.each([
    ['cap.reached', 'over_cap'],
    ['cap.exempt', 'over_cap'],
    ['team.too_few', 'uncertified'],
    ['cert.revoked', 'uncertified'],
    ['quiet.blocked', 'quiet_period'],
    ['quiet.exception', 'quiet_period'],
    ['plan.unfiled', 'unfiled_plan'],
    ['plan.changed', 'changed_since_filing'],
    ['duplicate', 'duplicate'],
    ['offsite.clean_before', 'offsite_then_onsite'],
    ['merge.candidate', undefined],
    ['cert.ok', undefined],
    ['level.city', undefined],
  ])('%s → %s', (code, kind) => expect(warningKindOf(code)).toBe(kind));
});
