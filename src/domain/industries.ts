/** Industry codes that enterprises and catalogue items carry, with their labels (zh first). */
export const INDUSTRY_CODES = [
  'catering',
  'food_production',
  'retail',
  'hazardous_chemicals',
  'coal_mining',
  'construction',
  'road_transport',
  'entertainment',
  'medical',
  'manufacturing',
  'lodging',
  'pharmacy',
] as const;
export type IndustryCode = (typeof INDUSTRY_CODES)[number];

/** Industry codes and their labels (zh first). */
export const INDUSTRIES: Record<IndustryCode, { zh: string; en: string }> = {
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
