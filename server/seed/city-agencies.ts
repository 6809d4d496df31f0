/**
 * Every agency of a real Yangquan installation: the city's enforcement departments, their counterparts
 * in the five districts and counties, the high-tech zone's, one comprehensive-enforcement body per
 * township or sub-district (乡镇、街道综合行政执法), and the justice bureaus plans are filed with
 * (measure 6). Pure data: no I/O.
 *
 * The 17 agencies of agencies.ts keep their ids, names, levels, divisions, sectors and filing offices.
 */
import type { Agency, Sector } from '../../src/domain/schemas';
import { CHENGQU, CITY, HITECH, JIAOQU, KUANGQU, PINGDING, YUXIAN } from './divisions';
import { COUNTY_CODES, TOWNSHIPS, townshipKind, type CountyCode } from './city-divisions';

type EnforcementSector = Exclude<Sector, 'justice' | 'comprehensive'>;

/** The short name used in agency ids, per sector (`city-<short>`, `<county prefix>-<short>`). */
export const SECTOR_SHORT: Record<EnforcementSector, string> = {
  market: 'market',
  emergency: 'emergency',
  ecology: 'ecology',
  housing: 'housing',
  transport: 'transport',
  culture: 'culture',
  health: 'health',
  natural_resources: 'natres',
  agriculture: 'agri',
  fire: 'fire',
};

/** The id prefix of each district and county. */
export const COUNTY_PREFIX: Record<CountyCode, string> = {
  [CHENGQU]: 'cq',
  [KUANGQU]: 'kq',
  [JIAOQU]: 'jq',
  [PINGDING]: 'pd',
  [YUXIAN]: 'yx',
};
/** The id prefix of the high-tech zone's agencies. */
export const ZONE_PREFIX = 'gx';

export const cityAgencyId = (s: EnforcementSector) => `city-${SECTOR_SHORT[s]}`;
export const countyAgencyId = (county: CountyCode, s: EnforcementSector) => `${COUNTY_PREFIX[county]}-${SECTOR_SHORT[s]}`;
export const justiceId = (county: CountyCode) => `${COUNTY_PREFIX[county]}-justice`;
/** The comprehensive-enforcement agency of a township or sub-district, by its 9-digit code. */
export const townshipAgencyId = (code: string) => `twp-${code}`;

// ---------- city ----------
const CITY_DEPTS: [EnforcementSector, string, string][] = [
  ['market', '阳泉市市场监督管理局', 'Yangquan Administration for Market Regulation'],
  ['emergency', '阳泉市应急管理局', 'Yangquan Emergency Management Bureau'],
  ['ecology', '阳泉市生态环境局', 'Yangquan Ecology and Environment Bureau'],
  ['housing', '阳泉市住房和城乡建设局', 'Yangquan Housing and Urban-Rural Development Bureau'],
  ['transport', '阳泉市交通运输局', 'Yangquan Transport Bureau'],
  ['culture', '阳泉市文化和旅游局', 'Yangquan Culture and Tourism Bureau'],
  ['health', '阳泉市卫生健康委员会', 'Yangquan Health Commission'],
  ['natural_resources', '阳泉市自然资源和规划局', 'Yangquan Natural Resources and Planning Bureau'],
  ['agriculture', '阳泉市农业农村局', 'Yangquan Agriculture and Rural Affairs Bureau'],
  ['fire', '阳泉市消防救援支队', 'Yangquan Fire and Rescue Detachment'],
];

export const CITY_LEVEL_AGENCIES: Agency[] = CITY_DEPTS.map(([sector, name, nameEn]) => ({
  id: cityAgencyId(sector),
  name,
  nameEn,
  level: 'city',
  division: CITY,
  sector,
  kind: 'enforcement',
  filingOfficeId: 'city-justice',
}));

// ---------- districts and counties ----------
/** Chinese and English forms of each county-level division, as agency names use them. */
const C: Record<CountyCode, { zh: string; short: string; en: string; branchEn: string }> = {
  // districts are written with the city's name (阳泉市城区…), counties on their own (平定县…);
  // `short`/`branchEn` name a branch of a city bureau (阳泉市生态环境局平定分局, Pingding Branch, …)
  [CHENGQU]: { zh: '阳泉市城区', short: '城区', en: 'Chengqu District', branchEn: 'Chengqu' },
  [KUANGQU]: { zh: '阳泉市矿区', short: '矿区', en: 'Kuangqu District', branchEn: 'Kuangqu' },
  [JIAOQU]: { zh: '阳泉市郊区', short: '郊区', en: 'Jiaoqu District', branchEn: 'Jiaoqu' },
  [PINGDING]: { zh: '平定县', short: '平定', en: 'Pingding County', branchEn: 'Pingding' },
  [YUXIAN]: { zh: '盂县', short: '盂县', en: 'Yu County', branchEn: 'Yu County' },
};

/** A county department's name: its own bureau, or a branch (分局/大队) of the city's. */
const COUNTY_DEPT: Record<EnforcementSector, (c: (typeof C)[CountyCode]) => [string, string]> = {
  market: (c) => [`${c.zh}市场监督管理局`, `${c.en} Administration for Market Regulation`],
  emergency: (c) => [`${c.zh}应急管理局`, `${c.en} Emergency Management Bureau`],
  ecology: (c) => [`阳泉市生态环境局${c.short}分局`, `${c.branchEn} Branch, Yangquan Ecology and Environment Bureau`],
  housing: (c) => [`${c.zh}住房和城乡建设局`, `${c.en} Housing and Urban-Rural Development Bureau`],
  transport: (c) => [`${c.zh}交通运输局`, `${c.en} Transport Bureau`],
  culture: (c) => [`${c.zh}文化和旅游局`, `${c.en} Culture and Tourism Bureau`],
  health: (c) => [`${c.zh}卫生健康局`, `${c.en} Health Bureau`],
  natural_resources: (c) => [`阳泉市自然资源和规划局${c.short}分局`, `${c.branchEn} Branch, Yangquan Natural Resources and Planning Bureau`],
  agriculture: (c) => [`${c.zh}农业农村局`, `${c.en} Agriculture and Rural Affairs Bureau`],
  fire: (c) => [`${c.zh}消防救援大队`, `${c.en} Fire and Rescue Brigade`],
};

export const COUNTY_LEVEL_AGENCIES: Agency[] = COUNTY_CODES.flatMap((county) =>
  CITY_DEPTS.map(([sector]): Agency => {
    const [name, nameEn] = COUNTY_DEPT[sector](C[county]);
    return {
      id: countyAgencyId(county, sector),
      name,
      nameEn,
      level: 'county',
      division: county,
      sector,
      kind: 'enforcement',
      cityCounterpartId: cityAgencyId(sector),
      filingOfficeId: justiceId(county),
    };
  }),
);

// ---------- the high-tech zone ----------
export const ZONE_AGENCIES: Agency[] = [
  {
    id: `${ZONE_PREFIX}-market`,
    name: '阳泉市市场监督管理局高新技术产业开发区分局',
    nameEn: 'High-tech Zone Branch, Yangquan Administration for Market Regulation',
    level: 'zone',
    division: HITECH,
    sector: 'market',
    kind: 'enforcement',
    cityCounterpartId: 'city-market',
    filingOfficeId: 'city-justice',
  },
  {
    id: `${ZONE_PREFIX}-emergency`,
    name: '阳泉高新技术产业开发区应急管理局',
    nameEn: 'Yangquan High-tech Zone Emergency Management Bureau',
    level: 'zone',
    division: HITECH,
    sector: 'emergency',
    kind: 'enforcement',
    cityCounterpartId: 'city-emergency',
    filingOfficeId: 'city-justice',
  },
];

// ---------- townships and sub-districts ----------
/** One comprehensive-enforcement agency per township or sub-district: the 街道办事处 or 镇/乡人民政府. */
export const TOWNSHIP_AGENCIES: Agency[] = TOWNSHIPS.map((t): Agency => {
  const county = t.parent as CountyCode;
  const street = townshipKind(t.name) === 'subdistrict';
  return {
    id: townshipAgencyId(t.code),
    name: `${C[county].zh}${t.name}${street ? '办事处' : '人民政府'}`,
    nameEn: `${t.nameEn} ${street ? 'Office' : 'Government'}, ${C[county].en} (comprehensive enforcement)`,
    level: 'township',
    division: t.code,
    sector: 'comprehensive',
    kind: 'enforcement',
    filingOfficeId: justiceId(county),
  };
});

// ---------- justice bureaus ----------
export const CITY_JUSTICE_BUREAUS: Agency[] = [
  { id: 'city-justice', name: '阳泉市司法局', nameEn: 'Yangquan Justice Bureau', level: 'city', division: CITY, sector: 'justice', kind: 'justice' },
  ...COUNTY_CODES.map(
    (county): Agency => ({
      id: justiceId(county),
      name: `${C[county].zh}司法局`,
      nameEn: `${C[county].en} Justice Bureau`,
      level: 'county',
      division: county,
      sector: 'justice',
      kind: 'justice',
    }),
  ),
];

export const CITY_ENFORCEMENT_AGENCIES: Agency[] = [...CITY_LEVEL_AGENCIES, ...COUNTY_LEVEL_AGENCIES, ...ZONE_AGENCIES, ...TOWNSHIP_AGENCIES];

/** Every agency of the city: enforcement (city, county, zone, township), then the justice bureaus. */
export const CITY_AGENCIES: Agency[] = [...CITY_ENFORCEMENT_AGENCIES, ...CITY_JUSTICE_BUREAUS];

export const CITY_AGENCY_BY_ID = new Map(CITY_AGENCIES.map((a) => [a.id, a]));
