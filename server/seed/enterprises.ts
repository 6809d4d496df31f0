/** 2,000 enterprises with valid USCCs (GB 32100-2015), spread over divisions, industries, kinds, risk and credit. */
import type { Enterprise } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { USCC_CHARS, usccCheckChar } from '../../src/domain/uscc';
import { CHENGQU, DIVISION_NAME, ENTERPRISE_SPREAD, HITECH, STREETS } from './divisions';
import { chineseName } from './people';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from './constants';

export { INDUSTRY_CODES, INDUSTRIES, type IndustryCode } from '../../src/domain/industries';
import { INDUSTRY_CODES, type IndustryCode } from '../../src/domain/industries';

/** the demo city's number of enterprises (SEED_SCALE=demo) */
export const ENTERPRISE_COUNT = 2000;

interface IndustryProfile {
  weight: number;
  /** share of 个体工商户 / 非法人组织 */
  individual: number;
  unincorporated: number;
  risk: [number, number, number, number]; // low, medium, high, major
  /** name pieces: company suffixes (法人/非法人) and shop suffixes (个体) */
  company: string[];
  shop: string[];
}

const P: Record<IndustryCode, IndustryProfile> = {
  catering: {
    weight: 20,
    individual: 0.55,
    unincorporated: 0.08,
    risk: [35, 45, 18, 2],
    company: ['餐饮有限公司', '餐饮管理有限公司', '酒店管理有限公司'],
    shop: ['面馆', '饭店', '小吃店', '火锅店', '烧烤店', '快餐店'],
  },
  food_production: {
    weight: 6,
    individual: 0.1,
    unincorporated: 0.05,
    risk: [15, 45, 35, 5],
    company: ['食品有限公司', '食品科技有限公司', '乳业有限公司', '饮品有限公司'],
    shop: ['豆腐坊', '糕点坊', '面食加工坊'],
  },
  retail: {
    weight: 20,
    individual: 0.6,
    unincorporated: 0.1,
    risk: [60, 35, 5, 0],
    company: ['商贸有限公司', '超市有限公司', '百货有限公司'],
    shop: ['便利店', '超市', '日杂店', '五金店', '烟酒店'],
  },
  hazardous_chemicals: {
    weight: 3,
    individual: 0,
    unincorporated: 0.1,
    risk: [0, 15, 55, 30],
    company: ['化工有限公司', '气体有限公司', '危险化学品经营有限公司', '燃气有限公司'],
    shop: [],
  },
  coal_mining: {
    weight: 2,
    individual: 0,
    unincorporated: 0.15,
    risk: [0, 5, 45, 50],
    company: ['煤业有限公司', '煤矿有限责任公司', '矿业有限公司'],
    shop: [],
  },
  construction: {
    weight: 8,
    individual: 0,
    unincorporated: 0.15,
    risk: [5, 40, 45, 10],
    company: ['建筑工程有限公司', '建设集团有限公司', '建筑安装有限公司', '路桥工程有限公司'],
    shop: [],
  },
  road_transport: {
    weight: 6,
    individual: 0.3,
    unincorporated: 0.05,
    risk: [15, 45, 35, 5],
    company: ['运输有限公司', '物流有限公司', '客运有限公司', '汽车运输有限公司'],
    shop: ['货运部', '汽车修理部'],
  },
  entertainment: {
    weight: 4,
    individual: 0.35,
    unincorporated: 0.05,
    risk: [20, 50, 28, 2],
    company: ['娱乐有限公司', '文化传媒有限公司', '影城有限公司'],
    shop: ['KTV', '网吧', '台球厅'],
  },
  medical: {
    weight: 5,
    individual: 0.35,
    unincorporated: 0.1,
    risk: [10, 50, 35, 5],
    company: ['医院有限公司', '口腔医院有限公司', '门诊部有限公司'],
    shop: ['诊所', '口腔诊所', '中医诊所'],
  },
  manufacturing: {
    weight: 11,
    individual: 0.1,
    unincorporated: 0.1,
    risk: [20, 45, 30, 5],
    company: ['机械制造有限公司', '耐火材料有限公司', '铸造有限公司', '新材料科技有限公司', '铝业有限公司', '陶瓷有限公司'],
    shop: ['加工厂', '铁艺加工部'],
  },
  lodging: {
    weight: 7,
    individual: 0.45,
    unincorporated: 0.1,
    risk: [40, 45, 14, 1],
    company: ['酒店有限公司', '宾馆有限公司', '大酒店有限公司'],
    shop: ['旅馆', '宾馆', '招待所'],
  },
  pharmacy: {
    weight: 8,
    individual: 0.35,
    unincorporated: 0.2,
    risk: [25, 55, 20, 0],
    company: ['医药连锁有限公司', '大药房有限公司', '药业有限公司'],
    shop: ['药店', '大药房'],
  },
};

const BRANDS = [
  '鑫源',
  '晋阳',
  '娘子关',
  '狮脑山',
  '桃河',
  '冠山',
  '藏山',
  '平泉',
  '华宇',
  '恒泰',
  '宏达',
  '盛源',
  '兴旺',
  '金鼎',
  '瑞丰',
  '泰和',
  '长城',
  '嘉禾',
  '东升',
  '永盛',
  '汇通',
  '德顺',
  '晋盛',
  '阳光',
  '天利',
  '华泰',
  '国强',
  '益民',
  '百川',
  '众成',
  '新华',
  '裕丰',
  '福源',
  '隆盛',
  '昌达',
  '荣达',
  '锦程',
  '通达',
  '聚源',
  '祥和',
  '康泰',
  '佳美',
  '润泽',
  '宏远',
  '振兴',
  '腾飞',
  '安泰',
  '顺达',
];

function weighted<T>(r: Prng, xs: readonly (readonly [T, number])[]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs[xs.length - 1][0];
}

/** USCC: registration authority 9 (工商), type 1 (企业, incl. 非法人 enterprises) or 2 (个体工商户), division, 9-char org code, check. */
export function makeUscc(r: Prng, kind: Enterprise['kind'], division: string): string {
  const type = kind === 'individual' ? '2' : '1';
  let org = 'MA0';
  for (let i = 0; i < 6; i++) org += USCC_CHARS[r.int(0, USCC_CHARS.length - 1)];
  const first17 = `9${type}${division}${org}`;
  return first17 + usccCheckChar(first17);
}

const RISKS = ['low', 'medium', 'high', 'major'] as const;

/** Where enterprises are (city size: by township, with its streets) */
export interface Spread {
  /** county-level division code → share */
  divisions: [string, number][];
  /** a county-level division's townships and sub-districts with their streets (none: the county's own streets) */
  townships?: (division: string) => { code: string; name: string; streets: string[] }[];
}

/** extra characters so that 100,000 names stay mostly distinct */
const MIDDLE = ['', '', '', '鑫', '华', '新', '诚', '信', '德', '源', '达', '兴', '盛', '恒', '通', '联', '创', '科', '宏', '晟', '嘉'];

export function buildEnterprises(r: Prng, count: number = ENTERPRISE_COUNT, spread: Spread = { divisions: ENTERPRISE_SPREAD }): Enterprise[] {
  const out: Enterprise[] = [
    {
      uscc: ENTERPRISE1_USCC,
      name: '阳泉市城区晋味轩餐饮有限公司',
      kind: 'legal_person',
      division: CHENGQU,
      industry: 'catering',
      riskLevel: 'medium',
      creditLevel: 'A',
      address: '山西省阳泉市城区德胜街18号',
      legalRep: '王晓东',
      quietZone: false,
    },
    {
      uscc: ENTERPRISE2_USCC,
      name: '阳泉高新区康源食品有限公司',
      kind: 'legal_person',
      division: HITECH,
      industry: 'food_production',
      riskLevel: 'high',
      creditLevel: 'A',
      address: '山西省阳泉市阳泉高新技术产业开发区大连东路66号',
      legalRep: '李秀英',
      quietZone: true,
    },
  ];
  const usccs = new Set(out.map((e) => e.uscc));
  const names = new Set(out.map((e) => e.name));
  const industries = INDUSTRY_CODES.map((c) => [c, P[c].weight] as const);
  while (out.length < count) {
    const industry = weighted(r, industries);
    const p = P[industry];
    const division = weighted(r, spread.divisions);
    const towns = spread.townships?.(division) ?? [];
    const town = towns.length ? r.pick(towns) : undefined;
    const k = r.next();
    const kind: Enterprise['kind'] = k < p.individual && p.shop.length ? 'individual' : k < p.individual + p.unincorporated ? 'unincorporated' : 'legal_person';
    let uscc = makeUscc(r, kind, division);
    while (usccs.has(uscc)) uscc = makeUscc(r, kind, division);
    const legalRep = chineseName(r);
    const place = DIVISION_NAME[division].replace('阳泉高新技术产业开发区', '阳泉高新区');
    let name: string;
    for (let tries = 0; ; tries++) {
      const brand = r.pick(BRANDS);
      if (kind === 'individual') name = `${place}${legalRep.slice(0, 1)}记${brand}${r.pick(p.shop)}`;
      else if (kind === 'unincorporated')
        name = `阳泉${brand}${r.pick(p.company).replace('有限公司', '').replace('有限责任公司', '')}${r.pick(['分公司', '合伙企业（有限合伙）', '经营部'])}`;
      else name = `${r.chance(0.5) ? '阳泉市' : '阳泉'}${brand}${town && r.chance(0.3) ? town.name.slice(0, 2) : ''}${r.pick(MIDDLE)}${r.pick(p.company)}`;
      if (!names.has(name)) break;
      if (tries > 3) {
        name = `${name}（${out.length}）`;
        break;
      }
    }
    names.add(name);
    usccs.add(uscc);
    const street = town ? `${town.name}${r.pick(town.streets)}` : r.pick(STREETS[division]);
    const address = `山西省阳泉市${division === HITECH ? '阳泉高新技术产业开发区' : DIVISION_NAME[division]}${street}${r.int(1, 299)}号`;
    out.push({
      uscc,
      name,
      kind,
      division,
      industry,
      riskLevel: weighted(
        r,
        RISKS.map((x, i) => [x, p.risk[i]] as const),
      ),
      creditLevel: weighted(r, [
        ['A', 55],
        ['B', 35],
        ['C', 8],
        ['D', 2],
      ] as const),
      address,
      legalRep,
      quietZone: division === HITECH,
      ...(town ? { township: town.code } : {}),
    });
  }
  return out;
}
