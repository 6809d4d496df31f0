/**
 * Yangquan's real administrative structure for the city-sized seed (SEED_SCALE=city) and production:
 * the city, its five county-level divisions, the high-tech zone, and every township (镇 / 乡) and
 * sub-district (街道). Pure data: no I/O.
 *
 * Township codes are the 9-digit 统计用区划代码 (National Bureau of Statistics, 2022 edition; gaps in
 * a county's numbering, e.g. 140303002 or 140322202, are codes retired by earlier mergers). The
 * statistics list also has a township-level 开发区 under 郊区 (140311400); it is left out here because
 * the platform models the development zone as its own county-level division (140371, no townships).
 */
import type { Division } from '../../src/domain/schemas';
import { CHENGQU, DIVISIONS, HITECH, JIAOQU, KUANGQU, PINGDING, YUXIAN } from './divisions';

/** The county-level divisions of the city, in code order (the five districts/counties and the zone). */
export const COUNTY_LEVEL_CODES = [CHENGQU, KUANGQU, JIAOQU, PINGDING, YUXIAN, HITECH] as const;
/** The five districts and counties (with their own departments and justice bureau). */
export const COUNTY_CODES = [CHENGQU, KUANGQU, JIAOQU, PINGDING, YUXIAN] as const;
export type CountyCode = (typeof COUNTY_CODES)[number];
export type CountyLevelCode = (typeof COUNTY_LEVEL_CODES)[number];

/** the city, its districts and counties, and the zone: the demo's divisions (divisions.ts) */
const CITY_AND_COUNTIES: Division[] = DIVISIONS;

/** [3-digit suffix, Chinese name, pinyin stem]; the kind (街道/镇/乡) is read from the name's last character(s). */
type Row = [string, string, string];

const ROWS: Record<CountyCode, Row[]> = {
  [CHENGQU]: [
    ['001', '上站街道', 'Shangzhan'],
    ['002', '下站街道', 'Xiazhan'],
    ['003', '北大街街道', 'Beidajie'],
    ['004', '南山路街道', 'Nanshanlu'],
    ['005', '义井街道', 'Yijing'],
    ['100', '义井镇', 'Yijing'],
  ],
  [KUANGQU]: [
    ['001', '平潭街街道', 'Pingtanjie'],
    ['003', '蔡洼街道', 'Caiwa'],
    ['004', '赛鱼街道', 'Saiyu'],
    ['005', '沙坪街道', 'Shaping'],
    ['006', '贵石沟街道', 'Guishigou'],
    ['007', '桥头街道', 'Qiaotou'],
  ],
  [JIAOQU]: [
    ['100', '荫营镇', 'Yinying'],
    ['101', '河底镇', 'Hedi'],
    ['103', '平坦镇', 'Pingtan'],
    ['200', '西南舁乡', 'Xinanyu'],
    ['201', '杨家庄乡', 'Yangjiazhuang'],
    ['202', '李家庄乡', 'Lijiazhuang'],
    ['203', '旧街乡', 'Jiujie'],
  ],
  [PINGDING]: [
    ['100', '冠山镇', 'Guanshan'],
    ['101', '冶西镇', 'Yexi'],
    ['102', '锁簧镇', 'Suohuang'],
    ['103', '张庄镇', 'Zhangzhuang'],
    ['104', '东回镇', 'Donghui'],
    ['105', '柏井镇', 'Baijing'],
    ['106', '娘子关镇', 'Niangziguan'],
    ['107', '巨城镇', 'Jucheng'],
    ['200', '石门口乡', 'Shimenkou'],
    ['201', '岔口乡', 'Chakou'],
  ],
  [YUXIAN]: [
    ['100', '秀水镇', 'Xiushui'],
    ['101', '孙家庄镇', 'Sunjiazhuang'],
    ['102', '路家村镇', 'Lujiacun'],
    ['103', '南娄镇', 'Nanlou'],
    ['104', '牛村镇', 'Niucun'],
    ['105', '苌池镇', 'Changchi'],
    ['106', '上社镇', 'Shangshe'],
    ['107', '西烟镇', 'Xiyan'],
    ['200', '仙人乡', 'Xianren'],
    ['201', '北下庄乡', 'Beixiazhuang'],
    ['203', '梁家寨乡', 'Liangjiazhai'],
    ['204', '西潘乡', 'Xipan'],
    ['205', '东梁乡', 'Dongliang'],
  ],
};

export type TownshipKind = 'subdistrict' | 'town' | 'township';
export const townshipKind = (name: string): TownshipKind => (name.endsWith('街道') ? 'subdistrict' : name.endsWith('镇') ? 'town' : 'township');
const KIND_EN: Record<TownshipKind, string> = { subdistrict: 'Subdistrict', town: 'Town', township: 'Township' };

/** Every township and sub-district of the city (level `township`, parent = its county-level division). */
export const TOWNSHIPS: Division[] = COUNTY_CODES.flatMap((county) =>
  ROWS[county].map(
    ([suffix, name, stem]): Division => ({
      code: county + suffix,
      name,
      nameEn: `${stem} ${KIND_EN[townshipKind(name)]}`,
      level: 'township',
      parent: county,
    }),
  ),
);

/** The city, its county-level divisions and zone, then every township and sub-district. */
export const CITY_DIVISIONS: Division[] = [...CITY_AND_COUNTIES, ...TOWNSHIPS];

export const CITY_DIVISION_BY_CODE = new Map(CITY_DIVISIONS.map((d) => [d.code, d]));

/** county-level code → its townships and sub-districts (the zone has none). */
export const TOWNSHIPS_BY_COUNTY: Record<CountyLevelCode, Division[]> = Object.fromEntries(
  COUNTY_LEVEL_CODES.map((c) => [c, TOWNSHIPS.filter((t) => t.parent === c)]),
) as Record<CountyLevelCode, Division[]>;

/**
 * Share (percent) of Yangquan's roughly 100,000 market entities (市场主体) per county-level division.
 * Estimates, not statistics: 城区 is the commercial centre; 郊区 and the two counties carry most
 * industry and rural individual businesses; the zone is small but dense in enterprises.
 */
export const ENTERPRISE_SHARE: Record<CountyLevelCode, number> = {
  [CHENGQU]: 28,
  [KUANGQU]: 14,
  [JIAOQU]: 17,
  [PINGDING]: 16,
  [YUXIAN]: 17,
  [HITECH]: 8,
};

/**
 * Street and road names per township or sub-district, for generated addresses (see ZONE_STREETS for
 * the zone). Plausible local names, partly real (major streets of the urban districts and township
 * seats); not a gazetteer.
 */
export const STREETS_BY_TOWNSHIP: Record<string, string[]> = {
  // 城区
  '140302001': ['南大街', '德胜街', '桃南中路', '新华东街'],
  '140302002': ['下站街', '桃北中街', '泉中路', '站北路'],
  '140302003': ['北大街', '北大东街', '桃北东街', '福寿街'],
  '140302004': ['南山路', '南庄街', '桃南东路', '华盛街'],
  '140302005': ['义井街', '义白路', '桃北西街', '东环路'],
  '140302100': ['义井大街', '小河村路', '大阳泉路', '白羊墅路'],
  // 矿区
  '140303001': ['平潭街', '北大西街', '红岭路', '平坦路'],
  '140303003': ['蔡洼街', '东坪路', '矿务局路', '大连路'],
  '140303004': ['赛鱼路', '赛鱼西街', '燕龛路', '马家坪路'],
  '140303005': ['沙坪街', '沙坪东路', '小南坑路', '四矿街'],
  '140303006': ['贵石沟街', '蒙村路', '二矿路', '南庄路'],
  '140303007': ['桥头街', '桥头北路', '漾泉大道', '三矿路'],
  // 郊区
  '140311100': ['荫营府前街', '荫营中心街', '荫营东街', '三都路'],
  '140311101': ['河底中心街', '河底新街', '固庄路', '南沟路'],
  '140311103': ['平坦府前路', '平坦中心街', '桃林沟路', '东村路'],
  '140311200': ['西南舁大街', '乡府路', '东沟路', '前庄路'],
  '140311201': ['杨家庄中心街', '西峪路', '下章召路', '乡府路'],
  '140311202': ['李家庄新村路', '乡府路', '前庄路', '后庄路'],
  '140311203': ['旧街大路', '乡府街', '桃坡路', '西峪路'],
  // 平定县
  '140321100': ['平定路', '东关街', '西关街', '新华街', '冠山路'],
  '140321101': ['冶西中心街', '冶西新街', '马家庄路', '坡头路'],
  '140321102': ['锁簧北大街', '锁簧南街', '东锁簧路', '神峪路'],
  '140321103': ['张庄府前街', '张庄中心街', '宋家庄路', '瓦岭路'],
  '140321104': ['东回中心街', '东回新街', '七亘路', '石板片路'],
  '140321105': ['柏井中心街', '柏井新街', '将军峪路', '西峪路'],
  '140321106': ['娘子关新村街', '关城街', '河滩路', '磛石路'],
  '140321107': ['巨城中心街', '巨城新街', '南庄路', '阳胜路'],
  '140321200': ['石门口大街', '乡府路', '甘泉路', '西沟路'],
  '140321201': ['岔口中心街', '乡府路', '长岭路', '西岭路'],
  // 盂县
  '140322100': ['秀水东街', '滨河路', '府前街', '秀水西街', '迎宾路'],
  '140322101': ['孙家庄中心街', '孙家庄新街', '上庄路', '北村路'],
  '140322102': ['路家村大路', '路家村新街', '西小坪路', '坡头路'],
  '140322103': ['南娄中心街', '南娄新街', '东坪路', '北沟路'],
  '140322104': ['牛村中心街', '牛村新街', '西庄路', '河东路'],
  '140322105': ['苌池中心街', '苌池新街', '藏山路', '上庄路'],
  '140322106': ['上社中心街', '上社新街', '西峪路', '东村路'],
  '140322107': ['西烟新街', '西烟中心街', '北村路', '河西路'],
  '140322200': ['仙人中心街', '乡府路', '石家塔路', '西村路'],
  '140322201': ['北下庄中心街', '乡府路', '坡头路', '东沟路'],
  '140322203': ['梁家寨中心街', '乡府路', '温池路', '西庄路'],
  '140322204': ['西潘中心街', '乡府路', '南坪路', '北村路'],
  '140322205': ['东梁中心街', '乡府路', '下王路', '东庄路'],
};

/** Streets of the high-tech zone (no townships of its own). */
export const ZONE_STREETS: string[] = ['大连东路', '阳煤大道', '科创路', '智谷路', '高新一路', '振兴路'];
