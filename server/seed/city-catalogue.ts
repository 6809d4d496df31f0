/**
 * Inspection-item templates (检查事项, with legal bases and flexible-enforcement violations) for the
 * sectors catalogue.ts has none for: agriculture (农业农村), fire (消防救援) and the townships' and
 * sub-districts' comprehensive enforcement (乡镇、街道综合行政执法, powers delegated under
 * 《中华人民共和国行政处罚法》第二十四条). Same shape as catalogue.ts's templates. Pure data.
 */
import type { FlexEntry, Method } from '../../src/domain/schemas';
import type { IndustryCode } from '../../src/domain/industries';

/** One catalogue item, before it is given to an agency (the shape of catalogue.ts's private ItemTemplate). */
export interface ItemTemplate {
  code: string;
  name: string;
  nameEn: string;
  legalBasis: string;
  level: 'city' | 'county' | 'any';
  industries: IndustryCode[];
  method: Method;
  /** violation codes a finding on this item may carry, with the flexible-enforcement list they fall in */
  violations: { code: string; list: FlexEntry['list']; description: string }[];
}

export type MoreSector = 'agriculture' | 'fire' | 'comprehensive';

export const MORE_TEMPLATES: Record<MoreSector, ItemTemplate[]> = {
  agriculture: [
    {
      code: 'NY-01',
      name: '农作物种子生产经营行为检查',
      nameEn: 'Crop seeds: production and sale',
      legalBasis: '《中华人民共和国种子法》第三十六条、第四十一条',
      level: 'county',
      industries: ['retail'],
      method: 'onsite',
      violations: [
        { code: 'NY-01-V1', list: 'first_offence_exempt', description: '种子经营档案记录不完整，首次发现且及时补正' },
        { code: 'NY-01-V2', list: 'lighter', description: '种子标签标注内容不全，未造成损失' },
      ],
    },
    {
      code: 'NY-02',
      name: '农药经营许可及购销台账检查',
      nameEn: 'Pesticides: dealer licence and purchase/sales ledgers',
      legalBasis: '《农药管理条例》第二十四条、第二十五条',
      level: 'county',
      industries: ['retail', 'hazardous_chemicals'],
      method: 'onsite',
      violations: [
        { code: 'NY-02-V1', list: 'first_offence_exempt', description: '未按规定建立农药采购或销售台账，首次发现且当场改正' },
        { code: 'NY-02-V2', list: 'mitigated', description: '限制使用农药未专柜经营，主动改正且未造成危害后果' },
      ],
    },
    {
      code: 'NY-03',
      name: '肥料登记及经营质量检查',
      nameEn: 'Fertilisers: registration and quality on sale',
      legalBasis: '《中华人民共和国农业法》第二十五条、《肥料登记管理办法》第五条',
      level: 'any',
      industries: ['retail', 'manufacturing'],
      method: 'onsite',
      violations: [{ code: 'NY-03-V1', list: 'lighter', description: '肥料标签登记证号标注不规范' }],
    },
    {
      code: 'NY-04',
      name: '兽药经营质量管理检查',
      nameEn: 'Veterinary drugs: dealer practice',
      legalBasis: '《兽药管理条例》第二十五条、第二十六条',
      level: 'county',
      industries: ['retail'],
      method: 'onsite',
      violations: [
        { code: 'NY-04-V1', list: 'lighter', description: '兽药购销记录不完整，能够追溯来源' },
        { code: 'NY-04-V2', list: 'first_offence_exempt', description: '兽用处方药未设置专区陈列或标识，首次发现且当场改正' },
      ],
    },
    {
      code: 'NY-05',
      name: '农产品生产经营主体质量安全检查',
      nameEn: 'Farm produce quality and safety (producers)',
      legalBasis: '《中华人民共和国农产品质量安全法》第二十七条、第三十九条',
      level: 'any',
      industries: ['food_production'],
      method: 'onsite',
      violations: [
        { code: 'NY-05-V1', list: 'first_offence_exempt', description: '未按规定建立或保存农产品生产记录，首次发现且限期内改正' },
        { code: 'NY-05-V2', list: 'lighter', description: '未按规定开具承诺达标合格证，产品经检测合格' },
      ],
    },
    {
      code: 'NY-06',
      name: '生猪定点屠宰厂（场）质量安全管理检查',
      nameEn: 'Designated pig slaughterhouses',
      legalBasis: '《生猪屠宰管理条例》第十五条、第十八条',
      level: 'any',
      industries: ['food_production'],
      method: 'onsite',
      violations: [{ code: 'NY-06-V1', list: 'mitigated', description: '生猪进厂查验登记不完整，未造成不合格产品出厂' }],
    },
    {
      code: 'NY-07',
      name: '农资经营主体信息书面核查',
      nameEn: 'Farm-input dealers (written review)',
      legalBasis: '《中华人民共和国农业法》第二十五条',
      level: 'county',
      industries: ['retail'],
      method: 'written',
      violations: [],
    },
  ],
  fire: [
    {
      code: 'XF-01',
      name: '公众聚集场所投入使用、营业前消防安全检查',
      nameEn: 'Public venues: fire check before opening',
      legalBasis: '《中华人民共和国消防法》第十五条',
      level: 'county',
      industries: ['entertainment', 'lodging', 'catering', 'retail'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'XF-02',
      name: '单位消防安全职责落实情况监督抽查',
      nameEn: 'Employers\u2019 fire safety duties (random check)',
      legalBasis: '《中华人民共和国消防法》第十六条、《消防监督检查规定》第十条',
      level: 'any',
      industries: ['manufacturing', 'retail', 'lodging', 'catering', 'entertainment', 'medical'],
      method: 'onsite',
      violations: [
        { code: 'XF-02-V1', list: 'first_offence_exempt', description: '消防设施维护保养检测记录不全，首次发现且及时改正' },
        { code: 'XF-02-V2', list: 'lighter', description: '灭火器压力不足或过期，当场更换' },
      ],
    },
    {
      code: 'XF-03',
      name: '消防安全重点单位消防安全管理检查',
      nameEn: 'Key fire safety units',
      legalBasis: '《中华人民共和国消防法》第十七条',
      level: 'city',
      industries: ['hazardous_chemicals', 'medical', 'entertainment', 'lodging', 'manufacturing'],
      method: 'onsite',
      violations: [{ code: 'XF-03-V1', list: 'lighter', description: '每日防火巡查记录不完整' }],
    },
    {
      code: 'XF-04',
      name: '人员密集场所疏散通道、安全出口检查',
      nameEn: 'Crowded venues: escape routes and exits',
      legalBasis: '《中华人民共和国消防法》第二十八条',
      level: 'county',
      industries: ['catering', 'entertainment', 'lodging', 'retail', 'medical'],
      method: 'onsite',
      violations: [
        { code: 'XF-04-V1', list: 'first_offence_exempt', description: '疏散指示标志、应急照明损坏，首次发现且当场修复' },
        { code: 'XF-04-V2', list: 'mitigated', description: '疏散通道堆放杂物，检查时当场清理' },
      ],
    },
    {
      code: 'XF-05',
      name: '室内装修装饰材料防火性能检查',
      nameEn: 'Fire performance of interior finishes',
      legalBasis: '《中华人民共和国消防法》第二十六条',
      level: 'any',
      industries: ['entertainment', 'lodging', 'catering', 'construction'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'XF-06',
      name: '易燃易爆危险品场所消防安全检查',
      nameEn: 'Flammable and explosive goods premises',
      legalBasis: '《中华人民共和国消防法》第十九条、第二十三条',
      level: 'city',
      industries: ['hazardous_chemicals'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'XF-07',
      name: '单位防火检查及消防安全培训记录书面核查',
      nameEn: 'Fire inspections and training records (written review)',
      legalBasis: '《机关、团体、企业、事业单位消防安全管理规定》第二十六条、第三十六条',
      level: 'any',
      industries: ['manufacturing', 'retail', 'lodging', 'catering', 'entertainment', 'medical'],
      method: 'written',
      violations: [{ code: 'XF-07-V1', list: 'first_offence_exempt', description: '消防安全培训记录不全，首次发现且及时补正' }],
    },
  ],
  comprehensive: [
    {
      code: 'ZH-01',
      name: '餐饮等经营场所燃气使用安全检查',
      nameEn: 'Gas use safety in restaurants and shops',
      legalBasis: '《城镇燃气管理条例》第二十八条',
      level: 'any',
      industries: ['catering', 'lodging', 'retail'],
      method: 'onsite',
      violations: [
        { code: 'ZH-01-V1', list: 'first_offence_exempt', description: '燃气连接软管超期使用，首次发现且当场更换' },
        { code: 'ZH-01-V2', list: 'mitigated', description: '擅自改装户内燃气设施，主动恢复且未造成事故' },
      ],
    },
    {
      code: 'ZH-02',
      name: '沿街商户门前三包及占道经营检查',
      nameEn: 'Shop-front responsibility zones and street trading',
      legalBasis: '《城市市容和环境卫生管理条例》第十条、第十四条',
      level: 'any',
      industries: ['retail', 'catering'],
      method: 'onsite',
      violations: [
        { code: 'ZH-02-V1', list: 'first_offence_exempt', description: '店外临时堆放物品，首次发现且当场清理' },
        { code: 'ZH-02-V2', list: 'lighter', description: '超出门窗经营，经劝导后及时改正' },
      ],
    },
    {
      code: 'ZH-03',
      name: '违法建设巡查',
      nameEn: 'Unauthorised construction patrol',
      legalBasis: '《中华人民共和国城乡规划法》第四十一条、第六十五条',
      level: 'any',
      industries: ['construction', 'manufacturing'],
      method: 'onsite',
      violations: [],
    },
    {
      code: 'ZH-04',
      name: '小餐饮、食品小作坊食品安全检查（赋权事项）',
      nameEn: 'Small eateries and food workshops (delegated)',
      legalBasis: '《中华人民共和国食品安全法》第三十六条、《中华人民共和国行政处罚法》第二十四条',
      level: 'any',
      industries: ['catering', 'food_production'],
      method: 'onsite',
      violations: [
        { code: 'ZH-04-V1', list: 'first_offence_exempt', description: '从业人员健康证明未公示，首次发现且当场改正' },
        { code: 'ZH-04-V2', list: 'lighter', description: '加工场所卫生状况不符合要求，未造成危害后果' },
      ],
    },
    {
      code: 'ZH-05',
      name: '餐饮油烟排放及露天烧烤检查',
      nameEn: 'Catering fumes and open-air barbecue',
      legalBasis: '《中华人民共和国大气污染防治法》第八十一条',
      level: 'any',
      industries: ['catering'],
      method: 'onsite',
      violations: [{ code: 'ZH-05-V1', list: 'first_offence_exempt', description: '油烟净化设施未定期清洗，首次发现且及时改正' }],
    },
    {
      code: 'ZH-06',
      name: '户外广告及门头招牌设置检查',
      nameEn: 'Outdoor advertising and shop signs',
      legalBasis: '《城市市容和环境卫生管理条例》第十一条',
      level: 'any',
      industries: ['retail', 'catering', 'lodging', 'entertainment'],
      method: 'onsite',
      violations: [{ code: 'ZH-06-V1', list: 'first_offence_exempt', description: '门头招牌破损、缺字未及时维修，首次发现且限期修复' }],
    },
    {
      code: 'ZH-07',
      name: '生活垃圾分类投放检查',
      nameEn: 'Household waste sorting',
      legalBasis: '《中华人民共和国固体废物污染环境防治法》第四十九条',
      level: 'county',
      industries: ['catering', 'retail', 'lodging'],
      method: 'onsite',
      violations: [{ code: 'ZH-07-V1', list: 'first_offence_exempt', description: '未按规定分类投放生活垃圾，首次发现且当场改正' }],
    },
  ],
};
