import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createJointItem, jointTaskMembers, putJointMember, readJoint, setJointMeta, setJointTarget, setJointTeam, setJointWindow } from '../../../src/model';
import { pair, sync } from './helpers';

const meta = { id: 'j1', title: '联合检查', leadAgencyId: 'mkt', year: 2027, status: 'draft' as const };

describe('model: joint plan (shared targets and window, who goes)', () => {
  it('concurrent edits of the two ends of the window and of different target fields all survive', () => {
    const [a, b] = pair();
    // as the server creates it: window and targets present (nested maps)
    setJointMeta(a, { ...meta, window: { from: '2027-05-01', to: '2027-06-30' }, targets: { industries: [], divisions: [], riskLevels: [] } });
    sync(a, b);
    setJointWindow(a, 'from', '2027-05-10');
    setJointWindow(b, 'to', '2027-06-20');
    setJointTarget(a, 'industries', ['catering']);
    setJointTarget(b, 'riskLevels', ['high']);
    sync(a, b);
    for (const d of [a, b]) {
      const v = readJoint(d);
      expect(v.invalid).toEqual([]);
      expect(v.meta?.window).toEqual({ from: '2027-05-10', to: '2027-06-20' });
      expect(v.meta?.targets).toEqual({ industries: ['catering'], divisions: [], riskLevels: ['high'] });
    }
  });

  it('validates: a bad date, a start after the end, an unknown risk level', () => {
    const d = new Y.Doc();
    setJointMeta(d, meta);
    expect(() => setJointWindow(d, 'from', '2027-13-01x')).toThrow();
    setJointWindow(d, 'to', '2027-06-01');
    expect(() => setJointWindow(d, 'from', '2027-06-02')).toThrow(/start must not be after/);
    expect(() => setJointTarget(d, 'riskLevels', ['extreme'] as never)).toThrow();
    expect(readJoint(d).meta?.window).toEqual({ from: '2027-06-01', to: '2027-06-01' });
  });

  it('each member sets who goes; jointTaskMembers joins items and teams per member', () => {
    const [a, b] = pair();
    setJointMeta(a, meta);
    putJointMember(a, { agencyId: 'mkt', name: '市场' });
    putJointMember(a, { agencyId: 'health', name: '卫健' });
    putJointMember(a, { agencyId: 'late', name: '后加入' });
    sync(a, b);
    setJointTeam(a, 'mkt', ['m1', 'm2', 'm1']);
    setJointTeam(b, 'health', ['h1', 'h2']);
    createJointItem(a, { id: 'x1', agencyId: 'mkt', itemId: 'SJ-01', targets: { industries: [], divisions: [], riskLevels: [] }, months: [5] });
    createJointItem(b, { id: 'x2', agencyId: 'health', itemId: 'WJ-06', targets: { industries: [], divisions: [], riskLevels: [] }, months: [5] });
    createJointItem(b, { id: 'x3', agencyId: 'health', itemId: 'WJ-07', targets: { industries: [], divisions: [], riskLevels: [] }, months: [6] });
    sync(a, b);
    const v = readJoint(a);
    expect(v.team).toEqual([
      { agencyId: 'health', inspectorIds: ['h1', 'h2'] },
      { agencyId: 'mkt', inspectorIds: ['m1', 'm2'] },
    ]);
    expect(jointTaskMembers(v)).toEqual([
      { agencyId: 'health', itemIds: ['WJ-06', 'WJ-07'], inspectorIds: ['h1', 'h2'] },
      { agencyId: 'late', itemIds: [], inspectorIds: [] },
      { agencyId: 'mkt', itemIds: ['SJ-01'], inspectorIds: ['m1', 'm2'] },
    ]);
    expect(() =>
      setJointTeam(
        a,
        'mkt',
        Array.from({ length: 11 }, (_, i) => `i${i}`),
      ),
    ).toThrow();
  });
});
