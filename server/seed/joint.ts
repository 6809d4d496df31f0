/** One joint plan (跨部门联合检查, measures 4 and 8) for next year: city-market leads, city-health joins. */
import type { InspectionItem } from '../../src/domain/schemas';
import type { JointComment, JointItem, JointMember, JointMeta } from '../../src/model/joint';
import type { SeedJoint } from './types';
import { AGENCY_BY_ID } from './agencies';
import { jointId } from './constants';
import type { SeedCalendar } from './calendar';

export interface SeedJointDoc {
  joint: SeedJoint;
  meta: JointMeta;
  members: JointMember[];
  items: JointItem[];
  comments: JointComment[];
}

export function buildJoint(items: InspectionItem[], cal: SeedCalendar): SeedJointDoc {
  const year = cal.year + 1;
  const id = jointId(year);
  const title = `${year}年度餐饮服务单位食品安全与卫生跨部门联合检查计划`;
  const joint: SeedJoint = { id, title, year, leadAgencyId: 'city-market', memberAgencyIds: ['city-market', 'city-health'] };
  const has = (itemId: string) => items.some((i) => i.id === itemId);
  const all: JointItem[] = [
    {
      id: 'ji-01',
      agencyId: 'city-market',
      itemId: 'city-market.SJ-01',
      targets: { industries: ['catering'], divisions: [], riskLevels: ['medium', 'high'] },
      months: [5, 6],
      who: '市抽县查：各县（区）市场监管局实施',
    },
    {
      id: 'ji-02',
      agencyId: 'city-health',
      itemId: 'city-health.WJ-06',
      targets: { industries: ['catering'], divisions: [], riskLevels: ['medium', 'high'] },
      months: [5, 6],
      who: '市卫健委卫生监督所',
    },
  ];
  return {
    joint,
    meta: { id, title, leadAgencyId: 'city-market', year, status: 'draft', window: { from: `${year}-05-01`, to: `${year}-06-30` } },
    members: joint.memberAgencyIds.map((m) => ({ agencyId: m, name: AGENCY_BY_ID.get(m)!.name })),
    items: all.filter((i) => has(i.itemId)),
    comments: [
      {
        id: 'jc-01',
        by: 'u-agency1',
        agencyId: 'city-market',
        at: cal.instant(cal.addDays(cal.today, -5), 10, 15),
        text: '建议与卫健委同日进场，“进一次门、查多项事”，请卫健委确认检查事项。',
      },
    ],
  };
}
