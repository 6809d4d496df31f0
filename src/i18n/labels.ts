/**
 * Labels of codes that the data carries (industries). The codes are the seed's (server/seed/
 * enterprises.ts INDUSTRY_CODES); an unknown code is shown as it is.
 */
import { lang } from './index';

export const INDUSTRIES: Record<string, { zh: string; en: string }> = {
  catering: { zh: '餐饮', en: 'Catering' },
  food_production: { zh: '食品生产', en: 'Food production' },
  retail: { zh: '零售', en: 'Retail' },
  hazardous_chemicals: { zh: '危险化学品', en: 'Hazardous chemicals' },
  coal_mining: { zh: '煤矿', en: 'Coal mining' },
  construction: { zh: '建筑施工', en: 'Construction' },
  road_transport: { zh: '道路运输', en: 'Road transport' },
  entertainment: { zh: '娱乐场所', en: 'Entertainment venues' },
  medical: { zh: '医疗机构', en: 'Medical institutions' },
  manufacturing: { zh: '制造业', en: 'Manufacturing' },
  lodging: { zh: '住宿', en: 'Lodging' },
  pharmacy: { zh: '药品零售', en: 'Pharmacy (retail)' },
};

export function industryName(code: string): string {
  const l = INDUSTRIES[code];
  return l ? (lang() === 'en' ? l.en : l.zh) : code;
}
