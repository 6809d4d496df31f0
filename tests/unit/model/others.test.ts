import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ZodError } from 'zod';
import {
  addJointComment,
  putDraw,
  assignTask,
  certificateValidOn,
  createJointItem,
  createTask,
  jointRoots,
  putCertificate,
  putFlex,
  putHandbook,
  putItem,
  putStaff,
  readAgency,
  readCertificates,
  readDraws,
  readJoint,
  readPolicy,
  readSupervision,
  readTasks,
  revokeCertificate,
  setAgencyProfile,
  setHandling,
  setJointMeta,
  setPolicy,
  setPolicyField,
  setTaskStatus,
  tasksRoot,
  toPlain,
  putWarning,
  updateJointItemField,
} from '../../../src/model';
import { pair, sync, U1 } from './helpers';

const task = (id: string, from: string) => ({
  id,
  agencyId: 'city-market',
  year: 2026,
  uscc: U1,
  enterpriseName: '某餐饮',
  itemIds: ['i1'],
  window: { from, to: from },
  inspectorIds: ['insp-1'],
  kind: { type: 'planned' as const, planned: 'routine' as const },
  status: 'assigned' as const,
  createdAt: '2026-11-01T09:00:00+08:00',
});

describe('model: tasks, agency, registry, joint, supervision, draws, config', () => {
  it('tasks: create, concurrent status and assignment edits both survive', () => {
    const [a, b] = pair();
    createTask(a, task('t2', '2026-11-26'));
    createTask(a, task('t1', '2026-11-25'));
    sync(a, b);
    setTaskStatus(a, 't1', 'in_progress');
    assignTask(b, 't1', ['insp-1', 'insp-2']);
    sync(a, b);
    const r = readTasks(b);
    expect(r.items.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(r.items[0]).toMatchObject({ status: 'in_progress', inspectorIds: ['insp-1', 'insp-2'], method: 'onsite' });
    expect(() => setTaskStatus(a, 't1', 'lost' as never)).toThrow(ZodError);
    (tasksRoot(a).get('t2') as Y.Map<unknown>).set('uscc', 'nope');
    expect(readTasks(a).invalid.map((x) => x.key)).toEqual(['t2']);
  });

  it('agency doc round trip', () => {
    const doc = new Y.Doc();
    setAgencyProfile(doc, {
      id: 'city-market',
      name: '阳泉市市场监督管理局',
      nameEn: 'x',
      level: 'city',
      division: '140300',
      sector: 'market',
      kind: 'enforcement',
      filingOfficeId: 'city-justice',
    });
    putItem(doc, {
      id: 'i1',
      agencyId: 'city-market',
      code: 'SC-01',
      name: '食品经营许可',
      nameEn: 'x',
      legalBasis: '《中华人民共和国食品安全法》第八十七条',
      level: 'any',
      industries: ['catering'],
      defaultMethod: 'onsite',
    });
    putFlex(doc, { id: 'f1', agencyId: 'city-market', list: 'first_offence_exempt', violationCode: 'V1', description: 'd', legalBasis: 'b' });
    putHandbook(doc, { industry: 'catering', title: '餐饮业', risks: [{ title: 't', basis: 'b', advice: 'a' }] });
    putStaff(doc, { id: 'insp-1', name: '张三', agencyId: 'city-market' });
    const v = readAgency(doc);
    expect(v.invalid).toEqual([]);
    expect(v.profile?.id).toBe('city-market');
    expect(v.items[0].published).toBe(true);
    expect(v.staff[0].active).toBe(true);
    expect([v.flex.length, v.handbooks.length]).toEqual([1, 1]);
    doc.getMap('items').set('i2', { id: 'i2' });
    expect(readAgency(doc).invalid.map((x) => x.key)).toEqual(['items/i2']);
  });

  it('registry: put, revoke, validity is inclusive of the expiry day', () => {
    const doc = new Y.Doc();
    const c = putCertificate(doc, {
      number: 'SX-140300-0001',
      inspectorId: 'insp-1',
      agencyId: 'city-market',
      holderName: '张三',
      issuedOn: '2024-01-01',
      expiresOn: '2026-11-25',
      status: 'valid',
    });
    expect(certificateValidOn(c, '2026-11-25')).toBe(true);
    expect(certificateValidOn(c, '2026-11-26')).toBe(false);
    const r = revokeCertificate(doc, 'SX-140300-0001', '2026-11-01', '调离执法岗位');
    expect(r.status).toBe('revoked');
    expect(readCertificates(doc).items[0].revokedReason).toBe('调离执法岗位');
    expect(() => revokeCertificate(doc, 'nope', '2026-11-01', 'x')).toThrow(/does not exist/);
  });

  it('joint: meta, items field edits merge, comments', () => {
    const [a, b] = pair();
    setJointMeta(a, { id: 'j1', title: '联合检查', leadAgencyId: 'city-market', year: 2027, status: 'draft' });
    createJointItem(a, { id: 'ji1', agencyId: 'city-market', itemId: 'i1', targets: { industries: ['catering'], divisions: [], riskLevels: [] }, months: [5] });
    sync(a, b);
    updateJointItemField(a, 'ji1', 'months', [6]);
    updateJointItemField(b, 'ji1', 'who', '市抽县查');
    addJointComment(b, { id: 'c1', by: 'u', agencyId: 'city-health', at: '2026-11-25T09:00:00+08:00', text: '同意' });
    sync(a, b);
    const v = readJoint(a);
    expect(v.invalid).toEqual([]);
    expect(v.items[0]).toMatchObject({ months: [6], who: '市抽县查' });
    expect(v.comments).toHaveLength(1);
    jointRoots(a).comments.push([{ id: 'bad' }]);
    expect(readJoint(a).invalid.map((x) => x.key)).toEqual(['comments/1']);
  });

  it('supervision, draws (rewritten by the server at each step), config', () => {
    const doc = new Y.Doc();
    putWarning(doc, { id: 'w1', kind: 'over_cap', severity: 'warn', at: '2026-11-25T09:00:00+08:00', message: { zh: '超频次', en: 'over cap' } });
    setHandling(doc, { warningId: 'w1', status: 'acknowledged', by: 'sup', at: '2026-11-25T10:00:00+08:00' });
    const s = readSupervision(doc);
    expect(s.warnings).toHaveLength(1);
    expect(s.handling.get('w1')?.note).toBe('');
    const d = {
      id: 'd1',
      year: 2026,
      kind: 'agency' as const,
      organiserId: 'city-market',
      teamAgencyIds: ['city-market'],
      title: 't',
      window: { from: '2026-12-01', to: '2026-12-31' },
      status: 'committing' as const,
      paramsHash: 'p',
      populationHash: 'h',
      populationSize: 10,
      ratios: { A: 300, B: 500, C: 1000, D: 2000 },
      parties: [{ party: 'agency:city-market' }, { party: 'justice:city-justice' }],
      createdBy: 'u1',
      createdAt: '2026-11-25T09:00:00+08:00',
      updatedAt: '2026-11-25T09:00:00+08:00',
    };
    putDraw(doc, d);
    putDraw(doc, { ...d, status: 'revealing' });
    expect(() => putDraw(doc, { ...d, parties: [] })).toThrow(ZodError);
    expect(readDraws(doc).items[0].status).toBe('revealing');
    expect(readDraws(doc).items).toHaveLength(1);
    const policy = {
      exemptTriggers: ['complaint' as const],
      quietPeriod: { enabled: true, daysPerMonth: 20, quietDays: [1, 2], exceptionKinds: ['hazard' as const] },
      announceWorkingDaysAhead: null,
      conductRules: [],
      draw: { minRatio: 0.05, minInspectors: 2, recuseLastInspector: true },
    };
    setPolicy(doc, policy);
    expect(readPolicy(doc).policy?.capPerEnterpriseDefault).toBe(2);
    setPolicyField(doc, 'capPerEnterpriseDefault', 3);
    expect(readPolicy(doc).policy?.capPerEnterpriseDefault).toBe(3);
    expect(() => setPolicyField(doc, 'capPerEnterpriseDefault', 0)).toThrow(ZodError);
    expect(toPlain(doc.getMap('policy'))).toMatchObject({ hotline: '12345' });
    expect(toPlain(5)).toBe(5);
  });
});
