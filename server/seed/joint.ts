/** One joint plan (跨部门联合检查, measures 4 and 8): city-market leads, city-health joins, 2027. */
import type { InspectionItem } from '../../src/domain/schemas';
import type { JointComment, JointItem, JointMember, JointMeta } from '../../src/model/joint';
import type { SeedJoint } from './types';
import { AGENCY_BY_ID } from './agencies';

export const JOINT_ID = 'joint-2027-catering';

export interface SeedJointDoc {
  joint: SeedJoint;
  meta: JointMeta;
  members: JointMember[];
  items: JointItem[];
  comments: JointComment[];
}

export function buildJoint(items: InspectionItem[]): SeedJointDoc {
  const title = '2027年度餐饮服务单位食品安全与卫生跨部门联合检查计划';
  const joint: SeedJoint = { id: JOINT_ID, title, year: 2027, leadAgencyId: 'city-market', memberAgencyIds: ['city-market', 'city-health'] };
  const has = (id: string) => items.some((i) => i.id === id);
  const all: JointItem[] = [
    { id: 'ji-01', agencyId: 'city-market', itemId: 'city-market.SJ-01', targets: { industries: ['catering'], divisions: [], riskLevels: ['medium', 'high'] }, months: [5, 6], who: '市抽县查：各县（区）市场监管局实施' },
    { id: 'ji-02', agencyId: 'city-health', itemId: 'city-health.WJ-06', targets: { industries: ['catering'], divisions: [], riskLevels: ['medium', 'high'] }, months: [5, 6], who: '市卫健委卫生监督所' },
  ];
  const jItems = all.filter((i) => has(i.itemId));
  return {
    joint,
    meta: { id: JOINT_ID, title, leadAgencyId: 'city-market', year: 2027, status: 'draft', window: { from: '2027-05-01', to: '2027-06-30' } },
    members: joint.memberAgencyIds.map((id) => ({ agencyId: id, name: AGENCY_BY_ID.get(id)!.name })),
    items: jItems,
    comments: [
      { id: 'jc-01', by: 'u-agency1', agencyId: 'city-market', at: '2026-11-20T10:15:00+08:00', text: '建议与卫健委同日进场，“进一次门、查多项事”，请卫健委确认检查事项。' },
    ],
  };
}
