/** Yangquan's administrative divisions (阳泉市, its districts and counties, and the high-tech zone). */
import type { Division } from '../../src/domain/schemas';

export const CITY = '140300';
export const CHENGQU = '140302';
export const KUANGQU = '140303';
export const JIAOQU = '140311';
export const PINGDING = '140321';
export const YUXIAN = '140322';
/** 阳泉高新技术产业开发区: the quiet-period (企业安静期) pilot zone, measure 10 */
export const HITECH = '140371';

export const DIVISIONS: Division[] = [
  { code: CITY, name: '阳泉市', nameEn: 'Yangquan City', level: 'city' },
  { code: CHENGQU, name: '城区', nameEn: 'Chengqu District', level: 'county', parent: CITY },
  { code: KUANGQU, name: '矿区', nameEn: 'Kuangqu District', level: 'county', parent: CITY },
  { code: JIAOQU, name: '郊区', nameEn: 'Jiaoqu District', level: 'county', parent: CITY },
  { code: PINGDING, name: '平定县', nameEn: 'Pingding County', level: 'county', parent: CITY },
  { code: YUXIAN, name: '盂县', nameEn: 'Yu County', level: 'county', parent: CITY },
  { code: HITECH, name: '阳泉高新技术产业开发区', nameEn: 'Yangquan High-tech Industrial Development Zone', level: 'zone', parent: CITY },
];

/** Divisions where enterprises are located, with the share of enterprises in each. */
export const ENTERPRISE_SPREAD: [string, number][] = [
  [CHENGQU, 30],
  [KUANGQU, 17],
  [JIAOQU, 15],
  [PINGDING, 15],
  [YUXIAN, 15],
  [HITECH, 8],
];

/** Street names per division, for addresses. */
export const STREETS: Record<string, string[]> = {
  [CHENGQU]: ['德胜街', '南大街', '北大街', '桃北东街', '桃北中街', '义井街', '下站街', '上站街', '北大西街', '南庄街'],
  [KUANGQU]: ['桃北西街', '赛鱼路', '沙坪街', '平潭街', '蒙村路', '贵石沟街', '四矿街', '桥头街'],
  [JIAOQU]: ['荫营镇府前街', '河底镇中心街', '义井镇大阳泉路', '平坦镇府前路', '李家庄乡新村路', '旧街乡大路'],
  [PINGDING]: ['冠山镇平定路', '冠山镇东关街', '娘子关镇新村街', '张庄镇府前街', '锁簧镇北大街', '冶西镇中心街'],
  [YUXIAN]: ['秀水镇秀水东街', '秀水镇滨河路', '秀水镇府前街', '孙家庄镇中心街', '路家村镇大路', '西烟镇新街'],
  [HITECH]: ['大连东路', '阳煤大道', '科创路', '智谷路', '高新一路', '振兴路'],
};

export const DIVISION_NAME: Record<string, string> = Object.fromEntries(DIVISIONS.map((d) => [d.code, d.name]));
