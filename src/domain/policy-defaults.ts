/**
 * The city's policy parameters as first seeded (DESIGN "Policy parameters are data"). These are the
 * defaults only: the live values are kept in `config/city` and edited by supervisors, and every rule
 * takes a `PolicyConfig` argument instead of reading a constant.
 *
 * Quiet period (企业安静期, measure 10; Shanxi pilot): 20 quiet days a month. Which days is the city's
 * decision; the seed uses the 1st to the 20th of every month, leaving the 21st to the month's end as
 * the inspection window. Edit `quietPeriod.quietDays` in the city configuration to change it.
 *
 * The wording of the conduct rules (五个严禁, 八个不得, measure 14) is the city's to enter; the seed
 * text below follows the spirit of the national rules on 涉企行政检查 and is meant to be replaced by
 * the official wording. Codes (F1–F5, E1–E8) are stable: complaints cite them.
 */
import { PolicyConfig, type ConductRule, type QuietExceptionKind, type Text, type TriggerKind } from './schemas';

const FIVE: [string, string, string][] = [
  ['F1', '严禁未经扫码入企实施现场检查', "No on-site inspection without first scanning the enterprise's code (扫码入企)"],
  ['F2', '严禁未取得有效行政执法证件的人员实施行政检查', 'No inspection by anyone who does not hold a valid law-enforcement certificate'],
  [
    'F3',
    '严禁超出年度频次上限检查或重复检查、多头检查',
    'No inspection beyond the annual frequency cap, and no repeated or duplicate inspections by several bodies',
  ],
  ['F4', '严禁借检查之名谋取私利、吃拿卡要', 'Never use an inspection for personal gain or to demand favours, gifts or payments'],
  ['F5', '严禁干扰企业正常生产经营活动', "Never disrupt the enterprise's normal production and business"],
];

const EIGHT: [string, string, string][] = [
  ['E1', '不得超越法定职权实施检查', "Do not inspect beyond the agency's statutory powers"],
  ['E2', '不得随意扩大检查范围、增加检查事项', 'Do not widen the scope of an inspection or add items at will'],
  [
    'E3',
    '不得要求企业人员全程陪同或提供与检查无关的材料',
    'Do not require staff to accompany you throughout or to provide material unrelated to the inspection',
  ],
  ['E4', '不得接受检查对象宴请、礼品礼金或参加其安排的娱乐活动', 'Do not accept meals, gifts or money from the enterprise, or entertainment it arranges'],
  ['E5', '不得指定或变相指定中介服务、推销商品', 'Do not designate, openly or in disguise, intermediary services or sell products'],
  ['E6', '不得向企业收取或变相收取任何费用', 'Do not charge the enterprise any fee, openly or in disguise'],
  ['E7', '不得泄露检查中知悉的商业秘密和个人信息', 'Do not disclose trade secrets or personal data learned during the inspection'],
  ['E8', '不得以检查代替处罚或以罚代管', 'Do not use inspections as a substitute for due penalty procedure, nor fines as a substitute for guidance'],
];

export const DEFAULT_CONDUCT_RULES: ConductRule[] = [
  ...FIVE.map(([code, zh, en]): ConductRule => ({ code, group: 'five_prohibitions', text: { zh, en } })),
  ...EIGHT.map(([code, zh, en]): ConductRule => ({ code, group: 'eight_musts_not', text: { zh, en } })),
];

export const ALL_TRIGGER_KINDS: TriggerKind[] = ['complaint', 'referral', 'data_monitoring', 'enterprise_request'];
export const ALL_QUIET_EXCEPTION_KINDS: QuietExceptionKind[] = [
  'higher_level_campaign',
  'hazard',
  'complaint_case_media',
  'statutory_deadline',
  'tax_evasion',
  'other',
];

/** Days 1..20 of each month are quiet (the seed's choice; the city may change it). */
export const DEFAULT_QUIET_DAYS: number[] = Array.from({ length: 20 }, (_, i) => i + 1);

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The seed defaults, deeply frozen (use `defaultPolicy()` for a mutable copy). */
export const DEFAULT_POLICY: PolicyConfig = deepFreeze(
  PolicyConfig.parse({
    timezone: 'Asia/Shanghai',
    capPerEnterpriseDefault: 2,
    exemptTriggers: ALL_TRIGGER_KINDS,
    quietPeriod: {
      enabled: true,
      daysPerMonth: 20,
      quietDays: DEFAULT_QUIET_DAYS,
      exceptionKinds: ALL_QUIET_EXCEPTION_KINDS,
    },
    announceWorkingDaysAhead: null,
    conductRules: DEFAULT_CONDUCT_RULES,
    draw: { minRatio: 0.05, minInspectors: 2, recuseLastInspector: true, classRatios: { A: 300, B: 500, C: 1000, D: 2000 }, revealWorkingDays: 2 },
    hotline: '12345',
    planDue: '01-31',
  }),
);

/** A fresh, independent copy of the defaults (safe to mutate, e.g. in tests or the seed). */
export function defaultPolicy(): PolicyConfig {
  return PolicyConfig.parse(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
}

export const TRIGGER_LABELS: Record<TriggerKind, Text> = {
  complaint: { zh: '投诉举报', en: 'complaint or report' },
  referral: { zh: '转办交办', en: 'referral (转办交办)' },
  data_monitoring: { zh: '数据监测', en: 'data monitoring' },
  enterprise_request: { zh: '企业申请', en: 'enterprise request' },
};

export const QUIET_EXCEPTION_LABELS: Record<QuietExceptionKind, Text> = {
  higher_level_campaign: { zh: '上级部署的专项检查', en: 'campaign ordered by a higher level' },
  hazard: { zh: '安全生产、公共卫生、生态环境、食品药品等重大隐患', en: 'safety, health, environment, food or drug hazard' },
  complaint_case_media: { zh: '投诉举报、案件办理、媒体曝光', en: 'complaint, case handling or media exposure' },
  statutory_deadline: { zh: '法定时限要求', en: 'statutory deadline' },
  tax_evasion: { zh: '涉嫌偷逃税款核查', en: 'suspected tax evasion check' },
  other: { zh: '其他特殊情形（须说明理由）', en: 'other special circumstance (reason required)' },
};

/** Label of an exemption kind (a trigger kind or a quiet-period exception kind); the raw kind if unknown. */
export function exemptionLabel(kind: string): Text {
  return (TRIGGER_LABELS as Record<string, Text>)[kind] ?? (QUIET_EXCEPTION_LABELS as Record<string, Text>)[kind] ?? { zh: kind, en: kind };
}

/** A conduct rule by code from the given policy. */
export function conductRule(policy: PolicyConfig, code: string): ConductRule | undefined {
  return policy.conductRules.find((r) => r.code === code);
}
