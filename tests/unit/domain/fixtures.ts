/** Builders for domain records used by the domain unit tests. */
import {
  usccCheckChar,
  type Certificate,
  type Enterprise,
  type EntryRecord,
  type InspectionKind,
  type PlanItem,
  type ResultRecord,
  type Task,
} from '../../../src/domain';

/** A valid USCC from a 17-character body (check character computed). */
export const uscc = (body: string) => body + usccCheckChar(body);
export const U1 = uscc('91140300MA0000001');
export const U2 = uscc('91140302MA0000002');
export const U3 = uscc('92140311MA0000003');

export const planned: InspectionKind = { type: 'planned', planned: 'routine' };
export const trig = (kind: 'complaint' | 'referral' | 'data_monitoring' | 'enterprise_request', ref = 'REF-1'): InspectionKind => ({
  type: 'triggered',
  trigger: { kind, ref },
});

export function cert(over: Partial<Certificate> = {}): Certificate {
  return {
    number: 'SX-0001',
    inspectorId: 'insp1',
    agencyId: 'mkt-city',
    holderName: '张三',
    issuedOn: '2024-01-01',
    expiresOn: '2026-12-31',
    status: 'valid',
    ...over,
  };
}

let n = 0;
export function entry(over: Partial<EntryRecord> = {}): EntryRecord {
  n++;
  return {
    id: `e${n}`,
    uscc: U1,
    at: '2026-05-10T02:00:00Z',
    by: 'u-insp1',
    type: 'entry',
    agencyId: 'mkt-city',
    kind: planned,
    team: [{ inspectorId: 'insp1', name: '张三', certificateNumber: 'SX-0001', certificateValid: true }],
    itemIds: ['item-a'],
    via: 'scan',
    exemptions: [],
    device: 'dev1',
    conductAcknowledged: true,
    ...over,
  };
}

export function result(over: Partial<ResultRecord> & { entryId: string }): ResultRecord {
  n++;
  return {
    id: `r${n}`,
    uscc: U1,
    at: '2026-05-10T04:00:00Z',
    by: 'u-insp1',
    type: 'result',
    agencyId: 'mkt-city',
    checklist: [],
    findings: [],
    outcome: 'no_problem',
    notice: '未发现问题',
    checkedOutAt: '2026-05-10T04:00:00Z',
    ...over,
  };
}

export function task(over: Partial<Task> = {}): Task {
  n++;
  return {
    id: `t${n}`,
    agencyId: 'mkt-city',
    year: 2026,
    uscc: U1,
    enterpriseName: '测试企业',
    itemIds: ['item-a'],
    window: { from: '2026-05-01', to: '2026-05-31' },
    inspectorIds: ['insp1', 'insp2'],
    kind: planned,
    method: 'onsite',
    status: 'assigned',
    createdAt: '2026-01-10T00:00:00Z',
    ...over,
  };
}

export function enterprise(over: Partial<Enterprise> = {}): Enterprise {
  return {
    uscc: U1,
    name: '测试企业',
    kind: 'legal_person',
    division: '140302',
    industry: 'food',
    riskLevel: 'medium',
    creditLevel: 'A',
    address: '阳泉市城区',
    legalRep: '李四',
    quietZone: false,
    ...over,
  };
}

export function planItem(over: Partial<PlanItem> = {}): PlanItem {
  n++;
  return {
    id: `pi${n}`,
    itemId: 'item-a',
    method: 'onsite',
    targets: { industries: [], divisions: [], riskLevels: [] },
    months: [5],
    cap: 2,
    jointPartners: [],
    notes: '',
    ...over,
  };
}
