/**
 * Measures 4 and 6: a planned inspection needs an annual plan that is filed (备案), and a plan edited
 * after filing must be re-filed.
 *
 * Decisions: 备案 is a record, not an approval, so a plan submitted to the justice office and still
 * awaiting its decision gives a warning (`plan.pending`), while a plan that was never submitted,
 * was returned, or is for another year blocks (`plan.unfiled`). Triggered inspections need no plan.
 */
import type { InspectionKind, PlanItem, PlanMeta, Verdict } from '../schemas';
import { shanghaiYear, type DateLike } from '../time';
import { block, ok, warn, zhList, enList } from './verdict';

export interface PlanFiledInput {
  kind: InspectionKind;
  planMeta?: Pick<PlanMeta, 'year' | 'status' | 'filedHash'> | null;
  /** hash of the plan as it is now (canonical.ts `planHash`) */
  currentHash?: string;
  /** hash recorded at filing; defaults to `planMeta.filedHash` */
  filedHash?: string;
  /** when given, the plan must be for the Shanghai year of `at` */
  at?: DateLike;
  /** when given with `planItems`, each inspected item should be in the plan */
  itemIds?: readonly string[];
  planItems?: readonly Pick<PlanItem, 'itemId'>[];
}

/**
 * Codes: plan.not_required (ok, triggered) · plan.unfiled (block) · plan.pending (warn) ·
 * plan.changed (warn, measure 6) · plan.item_not_in_plan (warn) · plan.ok.
 */
export function planFiled(i: PlanFiledInput): Verdict {
  if (i.kind.type === 'triggered') {
    return ok('plan.not_required', '触发式检查无需年度计划', 'A triggered inspection needs no annual plan');
  }
  const m = i.planMeta;
  if (m && i.at !== undefined && m.year !== shanghaiYear(i.at)) {
    const y = shanghaiYear(i.at);
    return block('plan.unfiled', `没有${y}年度检查计划（现有计划为${m.year}年）`, `There is no inspection plan for ${y} (the plan is for ${m.year})`);
  }
  const filedHash = i.filedHash ?? m?.filedHash;
  if (!m || !filedHash || m.status === 'draft' || m.status === 'returned') {
    const why = !m
      ? { zh: '本部门没有年度检查计划', en: 'This agency has no annual inspection plan' }
      : m.status === 'returned'
        ? { zh: '年度检查计划备案被退回', en: "The plan's filing was returned" }
        : { zh: '年度检查计划尚未备案', en: 'The annual inspection plan has not been filed' };
    return block('plan.unfiled', `${why.zh}，不能实施有计划检查`, `${why.en}: no planned inspection can take place`);
  }
  if (i.currentHash !== undefined && i.currentHash !== filedHash) {
    return warn('plan.changed', '年度检查计划备案后已调整，应当重新备案（第六条）', 'The plan changed after it was filed and must be re-filed (measure 6)');
  }
  if (m.status === 'submitted') {
    return warn('plan.pending', '年度检查计划已报送备案，待司法行政部门确认', 'The plan has been submitted for filing and awaits the justice office');
  }
  if (i.itemIds && i.planItems) {
    const planned = new Set(i.planItems.map((p) => p.itemId));
    const missing = i.itemIds.filter((x) => !planned.has(x));
    if (missing.length) {
      return warn('plan.item_not_in_plan', `检查事项${zhList(missing)}不在已备案的年度计划中`, `Items ${enList(missing)} are not in the filed annual plan`, {
        refs: missing,
      });
    }
  }
  return ok('plan.ok', '年度检查计划已备案', 'The annual plan is filed');
}
