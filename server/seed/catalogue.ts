/**
 * Each enforcement agency's inspection-item catalogue (检查事项清单, with legal bases), its flexible-
 * enforcement lists (从轻 / 减轻 / 首违不罚, measure 13) and the industry handbooks (一业一册, measure 9).
 */
import type { Agency, FlexEntry, HandbookChapter, InspectionItem } from '../../src/domain/schemas';
import type { IndustryCode } from './enterprises';
import { MORE_TEMPLATES, type ItemTemplate } from './city-catalogue';

const FIRST = '《中华人民共和国行政处罚法》第三十三条第一款';
const LIGHTER = '《中华人民共和国行政处罚法》第三十二条';

const BASE: Record<string, ItemTemplate[]> = {
  market: [
    {
      code: 'SJ-01',
      name: '食品经营者食品安全管理制度及经营条件检查',
      nameEn: 'Food business: safety management and operating conditions',
      legalBasis: '《中华人民共和国食品安全法》第一百一十条',
      level: 'county',
      industries: ['catering', 'retail'],
      method: 'onsite',
      violations: [
        { code: 'SJ-01-V1', list: 'first_offence_exempt', description: '从业人员健康证明未在经营场所公示或过期不超过30日' },
        { code: 'SJ-01-V2', list: 'lighter', description: '未按规定记录进货查验信息，但能提供供货者资质证明' },
      ],
    },
    {
      code: 'SJ-02',
      name: '食品生产企业生产过程控制检查',
      nameEn: 'Food production: process control',
      legalBasis: '《中华人民共和国食品安全法》第四十六条、《食品生产经营监督检查管理办法》第十二条',
      level: 'any',
      industries: ['food_production'],
      method: 'onsite',
      violations: [{ code: 'SJ-02-V1', list: 'mitigated', description: '生产记录不完整，未造成不合格食品出厂' }],
    },
    {
      code: 'SJ-03',
      name: '食品安全监督抽检',
      nameEn: 'Food safety sampling inspection',
      legalBasis: '《中华人民共和国食品安全法》第八十七条',
      level: 'any',
      industries: ['food_production', 'catering', 'retail'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'SJ-04',
      name: '药品零售企业经营质量管理规范执行情况检查',
      nameEn: 'Pharmacy: good supply practice',
      legalBasis: '《中华人民共和国药品管理法》第九十九条',
      level: 'county',
      industries: ['pharmacy'],
      method: 'onsite',
      violations: [{ code: 'SJ-04-V1', list: 'first_offence_exempt', description: '执业药师不在岗未挂牌告知，首次发现且当场改正' }],
    },
    {
      code: 'SJ-05',
      name: '特种设备使用单位安全管理检查',
      nameEn: 'Special equipment: user safety management',
      legalBasis: '《中华人民共和国特种设备安全法》第五十七条',
      level: 'any',
      industries: ['manufacturing', 'lodging', 'entertainment', 'hazardous_chemicals'],
      method: 'onsite',
      violations: [{ code: 'SJ-05-V1', list: 'lighter', description: '特种设备定期检验合格标志未置于显著位置' }],
    },
    {
      code: 'SJ-06',
      name: '明码标价及价格行为检查',
      nameEn: 'Price marking and pricing conduct',
      legalBasis: '《中华人民共和国价格法》第三十四条、《明码标价和禁止价格欺诈规定》第二十一条',
      level: 'county',
      industries: ['retail', 'catering', 'lodging', 'pharmacy'],
      method: 'offsite',
      violations: [{ code: 'SJ-06-V1', list: 'first_offence_exempt', description: '标价签要素不全，首次发现且及时改正' }],
    },
    {
      code: 'SJ-07',
      name: '企业年度报告公示信息抽查',
      nameEn: 'Annual report disclosure check',
      legalBasis: '《企业信息公示暂行条例》第十四条',
      level: 'county',
      industries: [],
      method: 'written',
      violations: [],
    },
    {
      code: 'SJ-08',
      name: '工业产品质量监督抽查',
      nameEn: 'Industrial product quality sampling',
      legalBasis: '《中华人民共和国产品质量法》第十五条',
      level: 'city',
      industries: ['manufacturing'],
      method: 'onsite',
      violations: [],
    },
  ],
  emergency: [
    {
      code: 'YJ-01',
      name: '危险化学品企业安全生产条件检查',
      nameEn: 'Hazardous chemicals: safe production conditions',
      legalBasis: '《危险化学品安全管理条例》第六条、《中华人民共和国安全生产法》第六十五条',
      level: 'city',
      industries: ['hazardous_chemicals'],
      method: 'onsite',
      violations: [{ code: 'YJ-01-V1', list: 'mitigated', description: '重大危险源安全警示标志缺失，未造成后果并当场整改' }],
    },
    {
      code: 'YJ-02',
      name: '煤矿安全生产标准化管理体系检查',
      nameEn: 'Coal mine: safety standardisation',
      legalBasis: '《中华人民共和国安全生产法》第六十五条、《煤矿安全生产条例》第四十条',
      level: 'city',
      industries: ['coal_mining'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'YJ-03',
      name: '工贸企业有限空间作业安全检查',
      nameEn: 'Confined-space work safety',
      legalBasis: '《工贸企业有限空间作业安全规定》第二十条',
      level: 'county',
      industries: ['manufacturing', 'food_production'],
      method: 'onsite',
      violations: [{ code: 'YJ-03-V1', list: 'first_offence_exempt', description: '有限空间作业场所未设置明显安全警示标志，首次发现且及时改正' }],
    },
    {
      code: 'YJ-04',
      name: '安全生产教育和培训落实情况检查',
      nameEn: 'Safety training records',
      legalBasis: '《中华人民共和国安全生产法》第二十八条',
      level: 'any',
      industries: ['manufacturing', 'hazardous_chemicals', 'coal_mining', 'construction'],
      method: 'written',
      violations: [{ code: 'YJ-04-V1', list: 'lighter', description: '安全生产教育培训档案记录不完整' }],
    },
    {
      code: 'YJ-05',
      name: '生产安全事故应急预案管理检查',
      nameEn: 'Emergency plan management',
      legalBasis: '《生产安全事故应急预案管理办法》第三十三条',
      level: 'any',
      industries: ['hazardous_chemicals', 'coal_mining', 'manufacturing'],
      method: 'offsite',
      violations: [],
    },
    {
      code: 'YJ-07',
      name: '商贸服务业企业安全生产检查',
      nameEn: 'Retail and services: workplace safety',
      legalBasis: '《中华人民共和国安全生产法》第六十五条',
      level: 'county',
      industries: ['retail', 'lodging', 'catering', 'entertainment'],
      method: 'onsite',
      violations: [{ code: 'YJ-07-V1', list: 'first_offence_exempt', description: '安全出口指示标志损坏未及时更换，首次发现且当场改正' }],
    },
    {
      code: 'YJ-06',
      name: '粉尘涉爆企业安全检查',
      nameEn: 'Combustible dust safety',
      legalBasis: '《工贸企业粉尘防爆安全规定》第二十五条',
      level: 'county',
      industries: ['manufacturing'],
      method: 'onsite',
      violations: [],
    },
  ],
  ecology: [
    {
      code: 'ST-01',
      name: '排污许可证执行情况检查',
      nameEn: 'Pollutant discharge permit compliance',
      legalBasis: '《排污许可管理条例》第二十六条',
      level: 'any',
      industries: ['manufacturing', 'coal_mining', 'hazardous_chemicals', 'food_production'],
      method: 'offsite',
      violations: [{ code: 'ST-01-V1', list: 'first_offence_exempt', description: '排污许可执行报告逾期提交不超过15日，首次发现且及时补报' }],
    },
    {
      code: 'ST-02',
      name: '建设项目环境影响评价及“三同时”制度执行检查',
      nameEn: 'EIA and "three simultaneities"',
      legalBasis: '《中华人民共和国环境影响评价法》第二十七条、《建设项目环境保护管理条例》第十五条',
      level: 'city',
      industries: ['construction', 'manufacturing'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ST-03',
      name: '危险废物规范化环境管理检查',
      nameEn: 'Hazardous waste management',
      legalBasis: '《中华人民共和国固体废物污染环境防治法》第七十七条',
      level: 'any',
      industries: ['hazardous_chemicals', 'medical', 'manufacturing'],
      method: 'onsite',
      violations: [{ code: 'ST-03-V1', list: 'lighter', description: '危险废物贮存场所识别标志不规范' }],
    },
    {
      code: 'ST-04',
      name: '餐饮服务单位油烟污染防治检查',
      nameEn: 'Catering fume control',
      legalBasis: '《中华人民共和国大气污染防治法》第八十一条',
      level: 'county',
      industries: ['catering'],
      method: 'onsite',
      violations: [{ code: 'ST-04-V1', list: 'first_offence_exempt', description: '油烟净化设施未定期清洗维护，首次发现且及时改正' }],
    },
    {
      code: 'ST-05',
      name: '施工工地扬尘污染防治检查',
      nameEn: 'Construction dust control',
      legalBasis: '《中华人民共和国大气污染防治法》第六十九条',
      level: 'county',
      industries: ['construction'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ST-06',
      name: '自动监控设施运行情况非现场检查',
      nameEn: 'Automatic monitoring (off-site)',
      legalBasis: '《污染源自动监控管理办法》第十八条',
      level: 'any',
      industries: ['manufacturing', 'coal_mining'],
      method: 'offsite',
      violations: [],
    },
  ],
  housing: [
    {
      code: 'ZJ-01',
      name: '建筑施工安全生产检查',
      nameEn: 'Construction site safety',
      legalBasis: '《建设工程安全生产管理条例》第四十条',
      level: 'county',
      industries: ['construction'],
      method: 'onsite',
      violations: [{ code: 'ZJ-01-V1', list: 'lighter', description: '施工现场安全警示标志设置不全' }],
    },
    {
      code: 'ZJ-02',
      name: '建设工程质量监督检查',
      nameEn: 'Construction quality',
      legalBasis: '《建设工程质量管理条例》第四十七条',
      level: 'any',
      industries: ['construction'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ZJ-03',
      name: '建筑业企业资质动态核查',
      nameEn: 'Contractor qualification review',
      legalBasis: '《建筑业企业资质管理规定》第二十五条',
      level: 'city',
      industries: ['construction'],
      method: 'written',
      violations: [],
    },
    {
      code: 'ZJ-04',
      name: '农民工工资支付情况检查',
      nameEn: 'Migrant workers\u2019 wage payment',
      legalBasis: '《保障农民工工资支付条例》第四十三条',
      level: 'county',
      industries: ['construction'],
      method: 'onsite',
      violations: [{ code: 'ZJ-04-V1', list: 'first_offence_exempt', description: '维权信息告示牌内容不全，首次发现且当场改正' }],
    },
    {
      code: 'ZJ-05',
      name: '预拌混凝土质量检查',
      nameEn: 'Ready-mixed concrete quality',
      legalBasis: '《建设工程质量管理条例》第四十七条',
      level: 'any',
      industries: ['manufacturing'],
      method: 'onsite',
      violations: [],
    },
  ],
  transport: [
    {
      code: 'JT-01',
      name: '道路运输企业安全生产主体责任落实检查',
      nameEn: 'Road transport operator safety',
      legalBasis: '《中华人民共和国道路运输条例》第六十条',
      level: 'county',
      industries: ['road_transport'],
      method: 'onsite',
      violations: [{ code: 'JT-01-V1', list: 'lighter', description: '驾驶员安全教育记录不完整' }],
    },
    {
      code: 'JT-02',
      name: '危险货物道路运输安全检查',
      nameEn: 'Dangerous goods by road',
      legalBasis: '《危险货物道路运输安全管理办法》第五十七条',
      level: 'city',
      industries: ['road_transport', 'hazardous_chemicals'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'JT-03',
      name: '机动车维修经营行为检查',
      nameEn: 'Vehicle repair business',
      legalBasis: '《机动车维修管理规定》第四十七条',
      level: 'county',
      industries: ['road_transport'],
      method: 'onsite',
      violations: [{ code: 'JT-03-V1', list: 'first_offence_exempt', description: '未公示维修工时定额和收费标准，首次发现且及时改正' }],
    },
    {
      code: 'JT-04',
      name: '重点营运车辆动态监控情况非现场检查',
      nameEn: 'Vehicle tracking (off-site)',
      legalBasis: '《道路运输车辆动态监督管理办法》第三十条',
      level: 'any',
      industries: ['road_transport'],
      method: 'offsite',
      violations: [],
    },
    {
      code: 'JT-05',
      name: '超限超载源头管理检查',
      nameEn: 'Overloading at source',
      legalBasis: '《公路安全保护条例》第四十条',
      level: 'county',
      industries: ['coal_mining', 'manufacturing', 'road_transport'],
      method: 'onsite',
      violations: [],
    },
  ],
  culture: [
    {
      code: 'WL-01',
      name: '娱乐场所经营活动检查',
      nameEn: 'Entertainment venues',
      legalBasis: '《娱乐场所管理条例》第三十四条',
      level: 'county',
      industries: ['entertainment'],
      method: 'onsite',
      violations: [{ code: 'WL-01-V1', list: 'first_offence_exempt', description: '未在显著位置悬挂娱乐经营许可证，首次发现且当场改正' }],
    },
    {
      code: 'WL-02',
      name: '互联网上网服务营业场所检查',
      nameEn: 'Internet cafés',
      legalBasis: '《互联网上网服务营业场所管理条例》第二十三条',
      level: 'county',
      industries: ['entertainment'],
      method: 'onsite',
      violations: [{ code: 'WL-02-V1', list: 'lighter', description: '上网消费者登记信息留存不全' }],
    },
    {
      code: 'WL-03',
      name: '营业性演出活动检查',
      nameEn: 'Commercial performances',
      legalBasis: '《营业性演出管理条例》第三十五条',
      level: 'any',
      industries: ['entertainment'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'WL-04',
      name: '旅游住宿服务质量检查',
      nameEn: 'Tourist lodging service quality',
      legalBasis: '《中华人民共和国旅游法》第八十三条',
      level: 'any',
      industries: ['lodging'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'WL-05',
      name: '文化市场经营主体信息书面核查',
      nameEn: 'Cultural market operators (written review)',
      legalBasis: '《文化市场综合行政执法管理办法》第二十条',
      level: 'county',
      industries: ['entertainment'],
      method: 'written',
      violations: [],
    },
  ],
  health: [
    {
      code: 'WJ-01',
      name: '医疗机构依法执业检查',
      nameEn: 'Medical institutions: lawful practice',
      legalBasis: '《医疗机构管理条例》第四十条',
      level: 'any',
      industries: ['medical'],
      method: 'onsite',
      violations: [{ code: 'WJ-01-V1', list: 'first_offence_exempt', description: '未在显著位置公示诊疗科目和收费标准，首次发现且及时改正' }],
    },
    {
      code: 'WJ-02',
      name: '公共场所卫生检查',
      nameEn: 'Public venues hygiene',
      legalBasis: '《公共场所卫生管理条例》第十条',
      level: 'county',
      industries: ['lodging', 'entertainment'],
      method: 'onsite',
      violations: [{ code: 'WJ-02-V1', list: 'lighter', description: '公共用品用具清洗消毒记录不全' }],
    },
    {
      code: 'WJ-03',
      name: '用人单位职业病防治检查',
      nameEn: 'Occupational disease prevention',
      legalBasis: '《中华人民共和国职业病防治法》第六十二条',
      level: 'city',
      industries: ['manufacturing', 'coal_mining', 'hazardous_chemicals'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'WJ-04',
      name: '医疗废物管理检查',
      nameEn: 'Medical waste handling',
      legalBasis: '《医疗废物管理条例》第三十九条',
      level: 'county',
      industries: ['medical'],
      method: 'onsite',
      violations: [{ code: 'WJ-04-V1', list: 'mitigated', description: '医疗废物交接登记不完整，未造成流失' }],
    },
    {
      code: 'WJ-05',
      name: '放射诊疗许可及防护检查',
      nameEn: 'Radiological practice',
      legalBasis: '《放射诊疗管理规定》第三十五条',
      level: 'city',
      industries: ['medical'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'WJ-06',
      name: '集中式供水及餐饮具集中消毒单位卫生检查',
      nameEn: 'Water supply and tableware disinfection',
      legalBasis: '《中华人民共和国传染病防治法》第五十三条',
      level: 'any',
      industries: ['food_production', 'catering'],
      method: 'onsite',
      violations: [],
    },
  ],
  natural_resources: [
    {
      code: 'ZR-01',
      name: '矿产资源开发利用及开采秩序检查',
      nameEn: 'Mineral resource exploitation',
      legalBasis: '《中华人民共和国矿产资源法》第六十条',
      level: 'city',
      industries: ['coal_mining'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ZR-02',
      name: '建设用地批后监管检查',
      nameEn: 'Land use after approval',
      legalBasis: '《中华人民共和国土地管理法》第六十七条',
      level: 'any',
      industries: ['construction', 'manufacturing'],
      method: 'offsite',
      violations: [{ code: 'ZR-02-V1', list: 'lighter', description: '未按时报送项目开竣工信息' }],
    },
    {
      code: 'ZR-03',
      name: '矿山地质环境保护与恢复治理检查',
      nameEn: 'Mine geological environment restoration',
      legalBasis: '《矿山地质环境保护规定》第二十七条',
      level: 'city',
      industries: ['coal_mining'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ZR-04',
      name: '地质灾害防治责任落实检查',
      nameEn: 'Geological hazard prevention',
      legalBasis: '《地质灾害防治条例》第十七条',
      level: 'any',
      industries: ['coal_mining', 'construction'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ZR-05',
      name: '矿业权人勘查开采信息公示抽查',
      nameEn: 'Mining right holders\u2019 disclosure',
      legalBasis: '《矿业权人勘查开采信息公示办法》第十四条',
      level: 'city',
      industries: ['coal_mining'],
      method: 'written',
      violations: [],
    },
  ],
};

/** every sector's templates (agriculture, fire and townships' comprehensive enforcement from city-catalogue.ts) */
const T: Record<string, ItemTemplate[]> = { ...BASE, ...MORE_TEMPLATES };

/** Which templates a county agency keeps (it inspects the county-level and shared items). */
const keep = (a: Agency, t: ItemTemplate) => a.level === 'city' || t.level !== 'city';

const pad = (n: number) => String(n).padStart(2, '0');
export const itemId = (agencyId: string, code: string) => `${agencyId}.${code}`;

export function buildCatalogue(agencies: readonly Agency[]): { items: InspectionItem[]; flex: FlexEntry[] } {
  const items: InspectionItem[] = [];
  const flex: FlexEntry[] = [];
  for (const a of agencies) {
    if (a.kind !== 'enforcement') continue;
    const ts = (T[a.sector] ?? []).filter((t) => keep(a, t));
    let f = 1;
    for (const t of ts) {
      const id = itemId(a.id, t.code);
      items.push({
        id,
        agencyId: a.id,
        code: t.code,
        name: t.name,
        nameEn: t.nameEn,
        legalBasis: t.legalBasis,
        level: t.level,
        industries: [...t.industries],
        defaultMethod: t.method,
        published: true,
      });
      for (const v of t.violations) {
        flex.push({
          id: `${a.id}.flex-${pad(f++)}`,
          agencyId: a.id,
          list: v.list,
          violationCode: v.code,
          itemId: id,
          description: v.description,
          legalBasis:
            v.list === 'first_offence_exempt'
              ? `${FIRST}；${t.legalBasis}`
              : v.list === 'lighter'
                ? `${LIGHTER}；${t.legalBasis}`
                : `${LIGHTER}、第三十三条；${t.legalBasis}`,
        });
      }
    }
    // every agency has all three lists: add a general 首违不罚 entry (材料、标识类轻微违法) and a 减轻 entry
    flex.push({
      id: `${a.id}.flex-${pad(f++)}`,
      agencyId: a.id,
      list: 'first_offence_exempt',
      violationCode: `${a.sector.toUpperCase()}-G01`,
      description: '公示、标识、档案类初次轻微违法，危害后果轻微并及时改正',
      legalBasis: FIRST,
    });
    flex.push({
      id: `${a.id}.flex-${pad(f++)}`,
      agencyId: a.id,
      list: 'mitigated',
      violationCode: `${a.sector.toUpperCase()}-G02`,
      description: '主动消除或者减轻违法行为危害后果的',
      legalBasis: `${LIGHTER}第一项`,
    });
  }
  return { items, flex };
}

/** Violation codes usable in findings for an item (from its template). */
export function violationsOf(item: InspectionItem): string[] {
  return TEMPLATE_BY_CODE.get(item.code)?.violations.map((v) => v.code) ?? [];
}
/** item codes are unique across sectors (SJ-, YJ-, ST- …) */
const TEMPLATE_BY_CODE = new Map(
  Object.values(T)
    .flat()
    .map((t) => [t.code, t]),
);

/** 一业一册: one chapter per industry, kept by the city agency that leads that industry. */
export const HANDBOOK_OWNER: Record<IndustryCode, string> = {
  catering: 'city-market',
  food_production: 'city-market',
  retail: 'city-market',
  pharmacy: 'city-market',
  hazardous_chemicals: 'city-emergency',
  coal_mining: 'city-emergency',
  manufacturing: 'city-emergency',
  construction: 'city-housing',
  road_transport: 'city-transport',
  entertainment: 'city-culture',
  lodging: 'city-culture',
  medical: 'city-health',
};

export const HANDBOOKS: HandbookChapter[] = [
  {
    industry: 'catering',
    title: '餐饮服务行业法律风险防控手册',
    risks: [
      {
        title: '无证或超范围经营',
        basis: '《中华人民共和国食品安全法》第三十五条、第一百二十二条',
        advice: '取得食品经营许可证后方可经营，经营项目变更及时办理许可变更。',
      },
      {
        title: '从业人员健康管理',
        basis: '《中华人民共和国食品安全法》第四十五条',
        advice: '从事接触直接入口食品工作的人员每年进行健康检查，取得健康证明后方可上岗。',
      },
      {
        title: '进货查验记录',
        basis: '《中华人民共和国食品安全法》第五十三条、第五十五条',
        advice: '建立食品原料进货查验记录制度，如实记录并保存凭证不少于六个月。',
      },
    ],
  },
  {
    industry: 'food_production',
    title: '食品生产行业法律风险防控手册',
    risks: [
      { title: '生产过程控制', basis: '《中华人民共和国食品安全法》第四十六条', advice: '对原料采购、生产关键环节、检验、运输等实施控制，保存记录。' },
      { title: '出厂检验', basis: '《中华人民共和国食品安全法》第五十一条', advice: '建立出厂检验记录制度，查验出厂食品的检验合格证和安全状况。' },
    ],
  },
  {
    industry: 'retail',
    title: '零售行业法律风险防控手册',
    risks: [
      { title: '明码标价', basis: '《中华人民共和国价格法》第十三条', advice: '商品标价签应载明品名、价格、计价单位等要素，做到价签一致。' },
      { title: '过期食品处置', basis: '《中华人民共和国食品安全法》第五十四条', advice: '定期检查库存食品，及时清理变质或超过保质期的食品。' },
    ],
  },
  {
    industry: 'pharmacy',
    title: '药品零售行业法律风险防控手册',
    risks: [
      { title: '处方药销售', basis: '《药品经营和使用质量监督管理办法》第四十二条', advice: '处方药凭处方销售，处方经执业药师审核后方可调配。' },
      { title: '药学技术人员在岗', basis: '《中华人民共和国药品管理法》第五十二条', advice: '依法配备执业药师，营业时间内在岗并挂牌。' },
    ],
  },
  {
    industry: 'hazardous_chemicals',
    title: '危险化学品行业法律风险防控手册',
    risks: [
      { title: '重大危险源管理', basis: '《中华人民共和国安全生产法》第四十条', advice: '对重大危险源登记建档，定期检测、评估、监控，并制定应急预案。' },
      { title: '安全评价', basis: '《危险化学品安全管理条例》第二十二条', advice: '按规定每三年进行一次安全评价，并将整改方案报备。' },
    ],
  },
  {
    industry: 'coal_mining',
    title: '煤矿行业法律风险防控手册',
    risks: [
      { title: '安全生产标准化', basis: '《煤矿安全生产条例》第二十条', advice: '建立健全安全生产标准化管理体系并持续改进。' },
      { title: '矿山地质环境治理', basis: '《矿山地质环境保护规定》第十六条', advice: '按方案履行矿山地质环境保护与土地复垦义务。' },
    ],
  },
  {
    industry: 'manufacturing',
    title: '制造业法律风险防控手册',
    risks: [
      { title: '有限空间作业', basis: '《工贸企业有限空间作业安全规定》第十一条', advice: '有限空间作业先通风、再检测、后作业，设置明显警示标志。' },
      { title: '排污许可', basis: '《排污许可管理条例》第二条', advice: '依法申领排污许可证，按证排污并按时提交执行报告。' },
    ],
  },
  {
    industry: 'construction',
    title: '建筑施工行业法律风险防控手册',
    risks: [
      { title: '施工现场安全管理', basis: '《建设工程安全生产管理条例》第二十一条', advice: '落实项目负责人安全责任，危大工程编制专项施工方案。' },
      { title: '农民工工资支付', basis: '《保障农民工工资支付条例》第二十六条', advice: '开设农民工工资专用账户，按月足额支付工资。' },
    ],
  },
  {
    industry: 'road_transport',
    title: '道路运输行业法律风险防控手册',
    risks: [
      { title: '动态监控', basis: '《道路运输车辆动态监督管理办法》第二十三条', advice: '配备专职监控人员，及时纠正超速、疲劳驾驶等违法行为。' },
      { title: '驾驶员管理', basis: '《中华人民共和国道路运输条例》第九条', advice: '聘用具备从业资格的驾驶员，定期开展安全教育。' },
    ],
  },
  {
    industry: 'entertainment',
    title: '娱乐场所行业法律风险防控手册',
    risks: [
      { title: '接纳未成年人', basis: '《娱乐场所管理条例》第二十三条', advice: '歌舞娱乐场所不得接纳未成年人，在显著位置设置标志。' },
      { title: '消防安全', basis: '《中华人民共和国消防法》第十六条', advice: '保持疏散通道、安全出口畅通，定期开展消防演练。' },
    ],
  },
  {
    industry: 'lodging',
    title: '住宿行业法律风险防控手册',
    risks: [
      { title: '公共用品消毒', basis: '《公共场所卫生管理条例实施细则》第十四条', advice: '公共用品用具一客一换一消毒，做好清洗消毒记录。' },
      { title: '旅客信息登记', basis: '《旅馆业治安管理办法》第六条', advice: '如实登记旅客身份信息。' },
    ],
  },
  {
    industry: 'medical',
    title: '医疗机构法律风险防控手册',
    risks: [
      { title: '超范围执业', basis: '《医疗机构管理条例》第二十六条', advice: '按照核准登记的诊疗科目开展诊疗活动。' },
      { title: '医疗废物处置', basis: '《医疗废物管理条例》第十四条', advice: '分类收集医疗废物，交由有资质单位集中处置并登记。' },
    ],
  },
];
