import { describe, expect, it } from 'vitest';
import { defaultPolicy, type Certificate } from '../../../src/domain';
import {
  checkTask,
  enterprisesForTargets,
  generateJointTasks,
  generatePlanTasks,
  jointPlanMeta,
  quietDaysIn,
  taskIdFor,
  windowOfMonths,
  type TaskCheckInput,
} from '../../../src/domain/task-plan';
import { cert, enterprise, entry, planItem, task, U1, U2, uscc } from './fixtures';

const policy = defaultPolicy(); // quiet days 1–20, cap default 2
const certs: Certificate[] = [cert({ number: 'C1', inspectorId: 'i1' }), cert({ number: 'C2', inspectorId: 'i2' })];
const team = certs.map((c) => ({ inspectorId: c.inspectorId, certificate: c }));
const filed = { meta: { year: 2026, status: 'filed' as const, filedHash: 'h' } };

function input(over: Partial<TaskCheckInput> = {}): TaskCheckInput {
  return {
    policy,
    agencyId: 'mkt-city',
    task: {
      id: 'new',
      uscc: U1,
      window: { from: '2026-05-21', to: '2026-05-25' },
      kind: { type: 'planned', planned: 'special' },
      method: 'onsite',
      planItemId: 'pi-x',
    },
    enterprise: { uscc: U1, quietZone: false },
    plan: filed,
    months: [5],
    team,
    ledger: [],
    tasks: [],
    cap: 2,
    ...over,
  };
}
const codes = (i: TaskCheckInput) =>
  checkTask(i)
    .verdicts.filter((v) => v.verdict !== 'ok')
    .map((v) => `${v.verdict}:${v.code}`);

describe('task generation', () => {
  const pi = planItem({
    id: 'pi-x',
    itemId: 'SJ-01',
    method: 'onsite',
    targets: { industries: ['food'], divisions: ['140300'], riskLevels: [] },
    months: [5, 6],
  });

  it('picks the enterprises an item targets and the window of its months', () => {
    const es = [
      enterprise({ uscc: U1, industry: 'food', division: '140302' }),
      enterprise({ uscc: U2, industry: 'chem' }),
      enterprise({ uscc: uscc('91140400MA0000009'), industry: 'food', division: '140402' }),
    ];
    expect(enterprisesForTargets(pi.targets, es).map((e) => e.uscc)).toEqual([U1]);
    expect(windowOfMonths(2026, [6, 5])).toEqual({ from: '2026-05-01', to: '2026-06-30' });
    expect(windowOfMonths(2028, [2])).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('one task per enterprise with the plan item, window and inspectors; ids are stable', () => {
    const w = { from: '2026-05-21', to: '2026-05-25' };
    const ts = generatePlanTasks({
      agencyId: 'mkt-city',
      year: 2026,
      planItem: pi,
      enterprises: [
        { uscc: U1, name: '甲' },
        { uscc: U2, name: '乙' },
      ],
      window: w,
      inspectorIds: ['i1', 'i2'],
      createdAt: '2026-05-01T00:00:00Z',
    });
    expect(ts).toHaveLength(2);
    expect(ts[0]).toMatchObject({
      agencyId: 'mkt-city',
      year: 2026,
      uscc: U1,
      enterpriseName: '甲',
      itemIds: ['SJ-01'],
      window: w,
      inspectorIds: ['i1', 'i2'],
      planItemId: 'pi-x',
      status: 'assigned',
      method: 'onsite',
      kind: { type: 'planned', planned: 'special' },
    });
    expect(ts[0].id).toBe(taskIdFor('mkt-city', 2026, { planItemId: 'pi-x' }, U1, w.from));
    expect(ts[0].id).not.toBe(ts[1].id);
    expect(ts[0].id).not.toBe(taskIdFor('mkt-city', 2026, { planItemId: 'pi-x' }, U1, '2026-05-22'));
    expect(ts[0].id).toMatch(/^mkt-city\.t2026-[0-9a-z]{7}$/);
    const sampled = generatePlanTasks({
      agencyId: 'a',
      year: 2026,
      planItem: { ...pi, targets: { ...pi.targets, samplingRatio: 0.05 } },
      enterprises: [{ uscc: U1, name: '甲' }],
      window: w,
      inspectorIds: [],
      createdAt: 'x',
    });
    expect(sampled[0].kind).toEqual({ type: 'planned', planned: 'routine' });
  });

  it("joint tasks: one per member with items and enterprise, each carrying every member's items and inspectors", () => {
    const ts = generateJointTasks({
      jointId: 'j1',
      year: 2026,
      window: { from: '2026-06-01', to: '2026-06-05' },
      createdAt: 'now',
      enterprises: [
        { uscc: U1, name: '甲' },
        { uscc: U2, name: '乙' },
      ],
      members: [
        { agencyId: 'mkt', itemIds: ['SJ-01', 'SJ-03'], inspectorIds: ['m1', 'm2'] },
        { agencyId: 'health', itemIds: ['WJ-06'], inspectorIds: ['h1', 'h2'] },
        { agencyId: 'silent', itemIds: [], inspectorIds: ['s1'] },
      ],
    });
    expect(ts.map((t) => `${t.agencyId}:${t.uscc}`)).toEqual([`mkt:${U1}`, `health:${U1}`, `mkt:${U2}`, `health:${U2}`]);
    for (const t of ts) {
      expect(t.itemIds).toEqual(['SJ-01', 'SJ-03', 'WJ-06']);
      expect(t.inspectorIds).toEqual(['m1', 'm2', 'h1', 'h2']);
      expect(t.jointId).toBe('j1');
    }
    // the part after the agency id matches across members for the same enterprise
    expect(ts[0].id.split('.')[1]).toBe(ts[1].id.split('.')[1]);
    expect(ts[0].id.split('.')[1]).not.toBe(ts[2].id.split('.')[1]);
  });
});

describe('checkTask: why a task would break a rule', () => {
  it('a good task passes', () => {
    const r = checkTask(input());
    expect(r.level).toBe('ok');
    expect(r.blocking).toEqual([]);
    expect(r.toConfirm).toEqual([]);
  });

  it('an unfiled, returned or other-year plan blocks; a submitted one warns; a changed one warns', () => {
    expect(codes(input({ plan: null }))).toContain('block:plan.unfiled');
    expect(codes(input({ plan: { meta: { year: 2026, status: 'draft' } } }))).toContain('block:plan.unfiled');
    expect(codes(input({ plan: { meta: { year: 2026, status: 'returned', filedHash: 'h' } } }))).toContain('block:plan.unfiled');
    expect(codes(input({ plan: { meta: { year: 2026, status: 'submitted', filedHash: 'h' } } }))).toEqual(['warn:plan.pending']);
    expect(codes(input({ plan: { ...filed, currentHash: 'other' } }))).toEqual(['warn:plan.changed']);
    expect(codes(input({ plan: { meta: { year: 2025, status: 'filed', filedHash: 'h' } } }))).toContain('block:task.window');
    // a joint plan is filed by its lead: its status is what counts
    expect(jointPlanMeta({ year: 2026, status: 'draft' }).filedHash).toBeUndefined();
    expect(codes(input({ plan: { meta: jointPlanMeta({ year: 2026, status: 'filed' }), joint: true } }))).toEqual([]);
    const draft = checkTask(input({ plan: { meta: jointPlanMeta({ year: 2026, status: 'draft' }), joint: true } }));
    expect(draft.blocking.map((v) => v.code)).toEqual(['plan.unfiled']);
    expect(draft.blocking[0].message.zh).toMatch(/联合检查计划尚未由牵头部门备案/);
  });

  it('two certified inspectors for the whole window', () => {
    expect(codes(input({ team: team.slice(0, 1) }))).toEqual(['block:team.too_few']);
    const expiring = [team[0], { inspectorId: 'i2', certificate: cert({ number: 'C2', inspectorId: 'i2', expiresOn: '2026-05-23' }) }];
    expect(codes(input({ team: expiring }))).toEqual(['block:team.too_few']);
    expect(checkTask(input({ team: expiring })).blocking[0].message.zh).toMatch(/至少需要2名/);
  });

  it('the annual cap counts entries of the year and open tasks without an entry', () => {
    const e1 = entry({ agencyId: 'mkt-city', uscc: U1, at: '2026-03-10T02:00:00Z', taskId: 'old' });
    const done = task({ id: 'old', agencyId: 'mkt-city', uscc: U1, status: 'done', window: { from: '2026-03-10', to: '2026-03-10' } });
    const openTask = task({ id: 'open', agencyId: 'mkt-city', uscc: U1, status: 'assigned', window: { from: '2026-09-01', to: '2026-09-05' } });
    expect(codes(input({ ledger: [e1], tasks: [done] }))).toEqual([]);
    const r = checkTask(input({ ledger: [e1], tasks: [done, openTask] }));
    expect(r.blocking.map((v) => v.code)).toEqual(['cap.reached']);
    expect(r.blocking[0].message.zh).toMatch(/已检查1次、已安排1项任务.*上限2次/);
    expect(r.blocking[0].refs).toEqual([e1.id, 'open']);
    // last year's entries, other agencies, off-site tasks and a higher cap do not block
    expect(
      codes(
        input({
          ledger: [entry({ uscc: U1, at: '2025-03-10T02:00:00Z' }), entry({ uscc: U1, agencyId: 'other', at: '2026-03-10T02:00:00Z' })],
          tasks: [openTask],
        }),
      ),
    ).toEqual([]);
    expect(codes(input({ ledger: [e1], tasks: [done, openTask], cap: 3 }))).toEqual([]);
    expect(codes(input({ ledger: [e1], tasks: [done, openTask], task: { ...input().task, method: 'offsite' } }))).toEqual([]);
  });

  it('quiet period: a window of quiet days only blocks (a listed circumstance with a reason lifts it); some quiet days warn', () => {
    const quiet = { uscc: U1, quietZone: true };
    const allQuiet = { ...input().task, window: { from: '2026-05-05', to: '2026-05-08' } };
    expect(quietDaysIn(allQuiet.window, policy)).toHaveLength(4);
    const r = checkTask(input({ enterprise: quiet, task: allQuiet }));
    expect(r.blocking.map((v) => v.code)).toEqual(['quiet.blocked']);
    expect(r.blocking[0].exemptBy).toContain('hazard');
    const lifted = checkTask(input({ enterprise: quiet, task: allQuiet, exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '群众举报后厨燃气泄漏隐患' }] }));
    expect(lifted.blocking).toEqual([]);
    expect(lifted.toConfirm.map((v) => v.code)).toEqual(['quiet.blocked']);
    expect(lifted.level).toBe('warn');
    // a trigger kind is not a quiet-period circumstance
    expect(checkTask(input({ enterprise: quiet, task: allQuiet, exemptions: [{ rule: 'quiet', kind: 'complaint', reason: '投诉' }] })).blocking).toHaveLength(
      1,
    );
    const some = checkTask(input({ enterprise: quiet, task: { ...allQuiet, window: { from: '2026-05-19', to: '2026-05-23' } } }));
    expect(some.verdicts.find((v) => v.code === 'quiet.partial')?.message.zh).toMatch(/2026-05-21、2026-05-22、2026-05-23/);
    expect(some.blocking).toEqual([]);
    // not covered, or off-site: nothing
    expect(codes(input({ task: allQuiet }))).toEqual([]);
    expect(codes(input({ enterprise: quiet, task: { ...allQuiet, method: 'written' } }))).toEqual([]);
  });

  it('quiet zones of the policy: an enterprise not marked itself is covered when its division or township is listed', () => {
    const allQuiet = { ...input().task, window: { from: '2026-05-05', to: '2026-05-08' } };
    const zoned = { ...policy, quietPeriod: { ...policy.quietPeriod, zones: ['140302', '140303001'] } };
    const blocked = (enterprise: { uscc: string; quietZone: boolean; division?: string; township?: string }) =>
      checkTask(input({ policy: zoned, enterprise, task: allQuiet })).blocking.map((v) => v.code);
    expect(blocked({ uscc: U1, quietZone: false, division: '140302' })).toEqual(['quiet.blocked']);
    expect(blocked({ uscc: U1, quietZone: false, division: '140303', township: '140303001' })).toEqual(['quiet.blocked']);
    expect(blocked({ uscc: U1, quietZone: false, division: '140311' })).toEqual([]);
  });

  it('an existing task blocks, an open one from the same source warns, a window outside the months warns', () => {
    const id = 'same-id';
    expect(codes(input({ task: { ...input().task, id }, tasks: [task({ id, uscc: U1 })] }))).toContain('block:task.exists');
    expect(codes(input({ tasks: [task({ uscc: U1, planItemId: 'pi-x' })] }))).toEqual(['warn:task.duplicate']);
    expect(codes(input({ tasks: [task({ uscc: U1, planItemId: 'pi-x', status: 'done' })] }))).toEqual([]);
    expect(codes(input({ months: [9] }))).toEqual(['warn:task.outside_months']);
    expect(codes(input({ task: { ...input().task, window: { from: '2026-05-25', to: '2026-05-21' } } }))).toContain('block:task.window');
  });
});
