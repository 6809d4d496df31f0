/**
 * Measure 13: flexible enforcement (柔性执法). A finding is matched against the agency's lists
 * (从轻 lighter, 减轻 mitigated, 首违不罚 first-offence exemption) and against the enterprise's own
 * history: "首违不罚" applies only when the enterprise has no earlier finding with the same
 * violation code. The result is a suggestion to the inspector, never a decision.
 */
import type { Finding, FlexEntry, LedgerRecord, ResultRecord, Text } from './schemas';
import { instantMs, type DateLike } from './time';
import { corrections } from './corrections';

export type FlexSuggestion = 'none' | 'lighter' | 'mitigated' | 'first_offence_exempt';

export interface FlexMatch {
  suggestion: FlexSuggestion;
  /** no earlier finding with the same violation code in the enterprise's ledger */
  firstViolation: boolean;
  /** earlier result records with a finding of the same violation code */
  priorCount: number;
  /** the list entries that match the finding's violation code (and item, where the entry names one) */
  matched: FlexEntry[];
  message: Text;
  /** ids of the earlier result records */
  priorResultIds: string[];
}

export interface FlexOptions {
  /** only history before this instant counts (default: all of it) */
  before?: DateLike;
  /** the result record being evaluated, when it is already in the ledger */
  excludeResultId?: string;
}

const LISTS: Record<FlexEntry['list'], Text> = {
  lighter: { zh: '从轻处罚', en: 'lighter penalty (从轻)' },
  mitigated: { zh: '减轻处罚', en: 'mitigated penalty (减轻)' },
  first_offence_exempt: { zh: '首次轻微违法免于处罚', en: 'no penalty for a first minor violation (首违不罚)' },
};

/** Earlier result records of the enterprise with a finding of `violationCode` (corrections respected). */
export function priorViolations(violationCode: string, history: readonly LedgerRecord[], opts: FlexOptions = {}): ResultRecord[] {
  // only an allowed correction (its author's own, same type) hides an earlier finding: 首违不罚 is not offered again by erasing one
  const { superseded, allowed } = corrections(history);
  const beforeMs = opts.before !== undefined ? instantMs(opts.before) : Infinity;
  return history.filter(
    (r): r is ResultRecord =>
      r.type === 'result' &&
      !superseded.has(r.id) &&
      (!opts.excludeResultId || (r.id !== opts.excludeResultId && !(allowed.has(r.id) && r.corrects === opts.excludeResultId))) &&
      instantMs(r.at) < beforeMs &&
      r.findings.some((f) => f.violationCode === violationCode),
  );
}

export function matchFlexible(
  finding: Pick<Finding, 'itemId' | 'violationCode'>,
  flexEntries: readonly FlexEntry[],
  history: readonly LedgerRecord[],
  opts: FlexOptions = {},
): FlexMatch {
  const code = finding.violationCode;
  if (!code) {
    return {
      suggestion: 'none',
      firstViolation: true,
      priorCount: 0,
      matched: [],
      priorResultIds: [],
      message: { zh: '未填写违法行为代码，无法匹配柔性执法清单', en: 'No violation code: the flexible-enforcement lists cannot be matched' },
    };
  }
  const matched = flexEntries.filter((e) => e.violationCode === code && (!e.itemId || e.itemId === finding.itemId));
  const prior = priorViolations(code, history, opts);
  const priorCount = prior.length;
  const firstViolation = priorCount === 0;
  const has = (l: FlexEntry['list']) => matched.some((e) => e.list === l);
  const suggestion: FlexSuggestion =
    firstViolation && has('first_offence_exempt') ? 'first_offence_exempt' : has('mitigated') ? 'mitigated' : has('lighter') ? 'lighter' : 'none';
  const hist = firstViolation
    ? { zh: '该企业此前无同类违法记录', en: 'the enterprise has no earlier finding of this kind' }
    : { zh: `该企业此前已有${priorCount}次同类违法记录`, en: `the enterprise has ${priorCount} earlier finding(s) of this kind` };
  let message: Text;
  if (suggestion === 'none') {
    const onlyFirst = has('first_offence_exempt') && !firstViolation;
    message = onlyFirst
      ? { zh: `属首违不罚清单事项，但${hist.zh}，不适用首违不罚`, en: `Listed for first-offence exemption, but ${hist.en}: it does not apply` }
      : { zh: `未匹配柔性执法清单；${hist.zh}`, en: `No flexible-enforcement list matches; ${hist.en}` };
  } else {
    const basis = matched.find((e) => e.list === suggestion)!;
    message = {
      zh: `建议适用“${LISTS[suggestion].zh}”（${basis.legalBasis}）；${hist.zh}`,
      en: `Suggested: ${LISTS[suggestion].en} (${basis.legalBasis}); ${hist.en}`,
    };
  }
  return { suggestion, firstViolation, priorCount, matched, message, priorResultIds: prior.map((r) => r.id) };
}
