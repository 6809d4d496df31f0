/** Enforcement agencies (city and county) and the justice bureaus they file plans with. */
import type { Agency } from '../../src/domain/schemas';
import { CHENGQU, CITY, JIAOQU, PINGDING, YUXIAN } from './divisions';

const city = (id: string, name: string, nameEn: string, sector: Agency['sector']): Agency => ({
  id,
  name,
  nameEn,
  level: 'city',
  division: CITY,
  sector,
  kind: 'enforcement',
  filingOfficeId: 'city-justice',
});
const county = (
  id: string,
  name: string,
  nameEn: string,
  division: string,
  sector: Agency['sector'],
  cityCounterpartId: string,
  filingOfficeId: string,
): Agency => ({
  id,
  name,
  nameEn,
  level: 'county',
  division,
  sector,
  kind: 'enforcement',
  cityCounterpartId,
  filingOfficeId,
});
const justice = (id: string, name: string, nameEn: string, level: Agency['level'], division: string): Agency => ({
  id,
  name,
  nameEn,
  level,
  division,
  sector: 'justice',
  kind: 'justice',
});

export const ENFORCEMENT_AGENCIES: Agency[] = [
  city('city-market', '阳泉市市场监督管理局', 'Yangquan Administration for Market Regulation', 'market'),
  city('city-emergency', '阳泉市应急管理局', 'Yangquan Emergency Management Bureau', 'emergency'),
  city('city-ecology', '阳泉市生态环境局', 'Yangquan Ecology and Environment Bureau', 'ecology'),
  city('city-housing', '阳泉市住房和城乡建设局', 'Yangquan Housing and Urban-Rural Development Bureau', 'housing'),
  city('city-transport', '阳泉市交通运输局', 'Yangquan Transport Bureau', 'transport'),
  city('city-culture', '阳泉市文化和旅游局', 'Yangquan Culture and Tourism Bureau', 'culture'),
  city('city-health', '阳泉市卫生健康委员会', 'Yangquan Health Commission', 'health'),
  city('city-natres', '阳泉市自然资源和规划局', 'Yangquan Natural Resources and Planning Bureau', 'natural_resources'),
  county('pd-market', '平定县市场监督管理局', 'Pingding County Administration for Market Regulation', PINGDING, 'market', 'city-market', 'pd-justice'),
  county('yx-market', '盂县市场监督管理局', 'Yu County Administration for Market Regulation', YUXIAN, 'market', 'city-market', 'yx-justice'),
  county('cq-emergency', '阳泉市城区应急管理局', 'Chengqu District Emergency Management Bureau', CHENGQU, 'emergency', 'city-emergency', 'cq-justice'),
  county('jq-ecology', '阳泉市生态环境局郊区分局', 'Jiaoqu Branch, Yangquan Ecology and Environment Bureau', JIAOQU, 'ecology', 'city-ecology', 'jq-justice'),
];

export const JUSTICE_BUREAUS: Agency[] = [
  justice('city-justice', '阳泉市司法局', 'Yangquan Justice Bureau', 'city', CITY),
  justice('pd-justice', '平定县司法局', 'Pingding County Justice Bureau', 'county', PINGDING),
  justice('yx-justice', '盂县司法局', 'Yu County Justice Bureau', 'county', YUXIAN),
  justice('cq-justice', '阳泉市城区司法局', 'Chengqu District Justice Bureau', 'county', CHENGQU),
  justice('jq-justice', '阳泉市郊区司法局', 'Jiaoqu District Justice Bureau', 'county', JIAOQU),
];

export const AGENCIES: Agency[] = [...ENFORCEMENT_AGENCIES, ...JUSTICE_BUREAUS];
export const AGENCY_BY_ID = new Map(AGENCIES.map((a) => [a.id, a]));
