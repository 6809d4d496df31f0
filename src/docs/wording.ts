/**
 * The fixed wording of the inspection documents (现场检查笔录, 检查结果告知书): titles, the method and outcome
 * names as printed, and the rights to appeal (救济途径). Pure: the PDF module and the pages both use it.
 */
import type { Text } from '../domain/schemas';

export type DocKind = 'onsite_record' | 'result_notice';

export const DOC_TITLES: Record<DocKind, Text> = {
  onsite_record: { zh: '现场检查笔录', en: 'On-site inspection record' },
  result_notice: { zh: '检查结果告知书', en: 'Inspection result notice' },
};

export const METHOD_NAMES: Record<'onsite' | 'offsite' | 'written', Text> = {
  onsite: { zh: '现场检查', en: 'On-site' },
  offsite: { zh: '非现场检查', en: 'Off-site' },
  written: { zh: '书面检查', en: 'Written' },
};

export const OUTCOME_NAMES: Record<'no_problem' | 'rectify' | 'case_filed', Text> = {
  no_problem: { zh: '未发现问题', en: 'No problem found' },
  rectify: { zh: '责令限期整改', en: 'Rectification ordered' },
  case_filed: { zh: '立案查处', en: 'Case filed' },
};

/**
 * 救济途径: administrative reconsideration within 60 days of receiving the document, an administrative lawsuit
 * within six months, and the supervision hotline for the inspectors' conduct.
 */
export function appealText(hotline: string, lang: 'zh' | 'en' = 'zh'): string {
  return lang === 'zh'
    ? `如对本次检查结果不服，可以自收到本文书之日起六十日内依法申请行政复议，或者自知道或者应当知道该行政行为之日起六个月内依法提起行政诉讼。对执法人员的检查行为有意见或者投诉，可以拨打监督电话 ${hotline}。`
    : `If you disagree with the result of this inspection, you may apply for administrative reconsideration within 60 days of receiving this document, or bring an administrative lawsuit within six months of knowing of the administrative act. To comment on or complain about the inspectors' conduct, call the supervision hotline ${hotline}.`;
}
