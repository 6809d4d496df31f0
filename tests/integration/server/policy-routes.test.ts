/**
 * The city policy over the real server: everyone signed in reads the policy in force today and the changes
 * to come; only supervisors schedule a whole policy from a date (today or later, never the past) and
 * withdraw a change not yet in force; bad values get per-field bilingual errors and change nothing; every
 * change is audited with the policy in force on that date before and after; a phone holding the config doc
 * sees a change live and picks the policy of its day. `policyAt`/`policyOn` at their boundaries, on fixed dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { errorOf, json } from '../../helpers/api';
import { PolicyState } from '../../../src/protocol/policy';
import { AuditPage } from '../../../src/protocol/audit';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import type { PolicyConfig } from '../../../src/domain/schemas';
import { policyAt, policyOn, readPolicySchedule, schedulePolicy, setPolicy } from '../../../src/model';
import { vetGuardedRoom } from '../../../server/sync/guards/rooms';

let srv: SpawnedServer;
let sup: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
const TODAY = '2026-11-25'; // E2E_NOW, the spawned server's clock

beforeAll(async () => {
  srv = await spawnServer();
  [sup, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

const auth = (who: LoginResult | null): Record<string, string> => (who ? { authorization: `Bearer ${who.token}` } : {});
const get = (p: string, who: LoginResult | null) => fetch(`${srv.url}${p}`, { headers: auth(who) });
const post = (p: string, who: LoginResult | null, body: unknown) =>
  fetch(`${srv.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(who) }, body: JSON.stringify(body) });
const state = async (who: LoginResult = sup) => json(await get('/api/policy', who), PolicyState);
const withRules = (p: PolicyConfig, zh: string): PolicyConfig => ({
  ...p,
  conductRules: p.conductRules.map((r, i) => (i === 0 ? { ...r, text: { zh, en: `${zh} (en)` } } : r)),
});

describe('policyAt and policyOn (pure, fixed dates)', () => {
  const base = defaultPolicy();
  const dec = { ...defaultPolicy(), capPerEnterpriseDefault: 3 };
  const jan = { ...defaultPolicy(), capPerEnterpriseDefault: 4 };
  const schedule = [
    { effectiveFrom: '2027-01-01', policy: jan },
    { effectiveFrom: '2026-12-01', policy: dec },
  ];

  it('the base before the first change; each change from its day (inclusive) until the next', () => {
    expect(policyAt(base, schedule, '2026-11-30')?.capPerEnterpriseDefault).toBe(2);
    expect(policyAt(base, schedule, '2026-12-01')?.capPerEnterpriseDefault).toBe(3);
    expect(policyAt(base, schedule, '2026-12-31')?.capPerEnterpriseDefault).toBe(3);
    expect(policyAt(base, schedule, '2027-01-01')?.capPerEnterpriseDefault).toBe(4);
    expect(policyAt(base, schedule, '2099-01-01')?.capPerEnterpriseDefault).toBe(4);
    expect(policyAt(null, schedule, '2026-11-30')).toBeNull();
    expect(policyAt(null, [], '2026-11-30')).toBeNull();
  });

  it('a doc with only the old `policy` root reads the same on every day; a broken scheduled entry is skipped', () => {
    const d = new Y.Doc();
    setPolicy(d, base);
    expect(policyOn(d, '2020-01-01')).toEqual(base);
    expect(policyOn(d, '2099-12-31')).toEqual(base);
    schedulePolicy(d, '2026-12-01', dec);
    d.getMap('schedule').set('2026-12-15', { capPerEnterpriseDefault: 'lots' });
    d.getMap('schedule').set('someday', { ...jan });
    expect(policyOn(d, '2026-12-20')?.capPerEnterpriseDefault).toBe(3);
    expect(
      readPolicySchedule(d)
        .invalid.map((x) => x.key)
        .sort(),
    ).toEqual(['schedule.2026-12-15', 'schedule.someday']);
  });
});

describe('the room guard', () => {
  it('refuses any update to config/city or registry/certificates that reaches it, whoever sends it', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    setPolicy(other, { ...defaultPolicy(), capPerEnterpriseDefault: 3 });
    const update = Y.encodeStateAsUpdate(other);
    for (const ref of [{ kind: 'config' }, { kind: 'registry' }] as const) {
      const v = vetGuardedRoom({ ref, doc, update, principal: { role: 'supervisor', userId: 'u-supervisor1' } });
      expect(v).toMatchObject({ ok: false, action: 'refuse', reason: 'server_only' });
    }
  });
});

describe('who may read and change the policy', () => {
  it('everyone signed in reads the policy in force today; no token: 401', async () => {
    for (const who of [sup, agency1, inspector1, enterprise1]) {
      const s = await state(who);
      expect(s.today).toBe(TODAY);
      expect(s.current.capPerEnterpriseDefault).toBe(2);
    }
    expect((await get('/api/policy', null)).status).toBe(401);
  });

  it('agency admins, inspectors, enterprises and strangers neither schedule nor withdraw', async () => {
    const body = { effectiveFrom: '2026-12-01', policy: { ...defaultPolicy(), capPerEnterpriseDefault: 9 } };
    for (const who of [agency1, inspector1, enterprise1]) {
      expect((await post('/api/policy', who, body)).status).toBe(403);
      expect((await post('/api/policy/withdraw', who, { effectiveFrom: '2026-12-01' })).status).toBe(403);
    }
    expect((await post('/api/policy', null, body)).status).toBe(401);
    expect((await state()).scheduled).toEqual([]);
  });
});

describe('scheduling', () => {
  it('refuses a date in the past, with a bilingual error, and changes nothing', async () => {
    const r = await post('/api/policy', sup, { effectiveFrom: '2026-11-24', policy: defaultPolicy() });
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.code).toBe('policy_past_date');
    expect(e.message.zh).toContain('2026-11-24');
    expect(e.message.en).toContain('past');
    expect((await state()).scheduled).toEqual([]);
  });

  it('refuses bad values field by field (cap, quiet days, rules, hotline, due date, draw, zones, unknown fields)', async () => {
    const p = defaultPolicy();
    const bad: [string, unknown][] = [
      ['capPerEnterpriseDefault', { ...p, capPerEnterpriseDefault: 0 }],
      ['capPerEnterpriseDefault', { ...p, capPerEnterpriseDefault: 2.5 }],
      ['quietPeriod.quietDays', { ...p, quietPeriod: { ...p.quietPeriod, quietDays: [1, 1, 2] } }],
      ['quietPeriod.quietDays', { ...p, quietPeriod: { ...p.quietPeriod, quietDays: [32] } }],
      ['quietPeriod.zones', { ...p, quietPeriod: { ...p.quietPeriod, zones: ['14-03'] } }],
      ['conductRules', { ...p, conductRules: [...p.conductRules, p.conductRules[0]] }],
      ['conductRules', { ...p, conductRules: [{ ...p.conductRules[0], text: { zh: ' ', en: 'x' } }] }],
      ['hotline', { ...p, hotline: '' }],
      ['planDue', { ...p, planDue: '02-30x' }],
      ['planDue', { ...p, planDue: '13-01' }],
      ['draw', { ...p, draw: { ...p.draw, minRatio: 5 } }],
      ['announceWorkingDaysAhead', { ...p, announceWorkingDaysAhead: -1 }],
      ['exemptTriggers', { ...p, exemptTriggers: ['bribe'] }],
    ];
    for (const [field, policy] of bad) {
      const r = await post('/api/policy', sup, { effectiveFrom: '2026-12-01', policy });
      expect(r.status, field).toBe(400);
      const e = await errorOf(r);
      expect((e.details as { path: string }[]).map((d) => d.path).join(' '), field).toContain(field.split('.')[0]);
      expect(e.message.zh.length).toBeGreaterThan(0);
    }
    expect((await post('/api/policy', sup, { effectiveFrom: '2026-12-01', policy: p, extra: 1 })).status).toBe(400);
    expect((await post('/api/policy', sup, { effectiveFrom: 'tomorrow', policy: p })).status).toBe(400);
    expect((await state()).scheduled).toEqual([]);
  });

  it('schedules a change from a later date: today stays, the change is listed, audited with the policy it replaces on that day', async () => {
    const next = withRules({ ...defaultPolicy(), capPerEnterpriseDefault: 3, hotline: '0353-12345' }, '严禁未经扫码实施现场检查（新）');
    const s = await json(await post('/api/policy', sup, { effectiveFrom: '2026-12-01', policy: next }), PolicyState);
    expect(s.current.capPerEnterpriseDefault).toBe(2);
    expect(s.currentFrom).toBeNull();
    expect(s.scheduled.map((x) => [x.effectiveFrom, x.policy.capPerEnterpriseDefault, x.policy.hotline])).toEqual([['2026-12-01', 3, '0353-12345']]);
    const [a] = (await json(await get('/api/audit?action=policy.schedule', sup), AuditPage)).items;
    expect(a).toMatchObject({
      target: 'policy:2026-12-01',
      before: { capPerEnterpriseDefault: 2 },
      after: { capPerEnterpriseDefault: 3, hotline: '0353-12345' },
    });
    // city-wide: an agency admin does not see it in their agency's trail
    expect((await json(await get('/api/audit?action=policy', agency1), AuditPage)).items).toEqual([]);
  });

  it('a change from today is in force at once, and a phone holding the doc sees it live with the new wording', async () => {
    const phone = connectProvider(srv.wsUrl, 'config/city', inspector1.token);
    try {
      await waitSynced(phone);
      expect(policyOn(phone.doc, TODAY)?.conductRules[0].text.zh).not.toContain('今日起');
      const now = withRules({ ...defaultPolicy(), capPerEnterpriseDefault: 5 }, '严禁未经扫码入企实施现场检查（今日起）');
      const s = await json(await post('/api/policy', sup, { effectiveFrom: TODAY, policy: now }), PolicyState);
      expect(s.current.capPerEnterpriseDefault).toBe(5);
      expect(s.currentFrom).toBe(TODAY);
      await waitFor(() => policyOn(phone.doc, TODAY)?.capPerEnterpriseDefault === 5, 10_000, 'the change reaches the phone');
      expect(policyOn(phone.doc, TODAY)?.conductRules[0].text.zh).toBe('严禁未经扫码入企实施现场检查（今日起）');
      // yesterday's inspections keep yesterday's policy; December's get December's
      expect(policyOn(phone.doc, '2026-11-24')?.capPerEnterpriseDefault).toBe(2);
      expect(policyOn(phone.doc, '2026-12-01')?.capPerEnterpriseDefault).toBe(3);
    } finally {
      destroyAll(phone);
    }
  });

  it('withdraws a future change (audited), but not one already in force nor one that does not exist', async () => {
    expect(await errorOf(await post('/api/policy/withdraw', sup, { effectiveFrom: TODAY }))).toMatchObject({ code: 'policy_in_force' });
    expect(await errorOf(await post('/api/policy/withdraw', sup, { effectiveFrom: '2027-03-01' }))).toMatchObject({ code: 'not_found' });
    const s = await json(await post('/api/policy/withdraw', sup, { effectiveFrom: '2026-12-01' }), PolicyState);
    expect(s.scheduled).toEqual([]);
    expect(s.current.capPerEnterpriseDefault).toBe(5);
    const [a] = (await json(await get('/api/audit?action=policy.withdraw', sup), AuditPage)).items;
    expect(a).toMatchObject({ target: 'policy:2026-12-01', before: { capPerEnterpriseDefault: 3 }, after: { capPerEnterpriseDefault: 5 } });
  });
});
