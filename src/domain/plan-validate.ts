/**
 * Can this plan be filed? (measures 1, 3, 4, 6). The server runs this on the live document before it
 * stores a filing snapshot; the editor may run it too for instant feedback. Errors block the filing,
 * warnings are shown and filed with it.
 *
 *  - every item has a method, targets (some criterion or a sampling ratio) and a cap; the schema already
 *    guarantees method, months and cap, so only empty targets remain to catch here;
 *  - every item comes from the agency's own published catalogue (no unlisted inspection items);
 *  - an item cap above the agency-wide cap per enterprise is a warning (the lower one applies);
 *  - the level rule of measure 1 (rules/level.ts) flags items that belong at the other level: a warning,
 *    since a higher authority's rule may assign them (the catalogue's `level` records that).
 */
import type { Agency, InspectionItem, JointContentItem, PlanItem, PlanMeta, Targets } from './schemas';
import type { FilingProblem } from './filing';
import { levelSuggestion } from './rules/level';

export interface InvalidEntry {
  key: string;
  error: string;
}

export interface PlanValidationInput {
  /** the room the plan lives in */
  room: { agencyId: string; year: number };
  meta: PlanMeta | null;
  items: readonly PlanItem[];
  /** records of the doc that failed to parse (model `readPlan().invalid`) */
  invalid?: readonly InvalidEntry[];
  /** the agency's catalogue (room `agency/<id>`) */
  catalogue: readonly InspectionItem[];
  agency: Pick<Agency, 'level'> | null;
}

const err = (code: string, zh: string, en: string, itemId?: string): FilingProblem => ({
  code,
  severity: 'error',
  message: { zh, en },
  ...(itemId ? { itemId } : {}),
});
const warning = (code: string, zh: string, en: string, itemId?: string): FilingProblem => ({
  code,
  severity: 'warning',
  message: { zh, en },
  ...(itemId ? { itemId } : {}),
});

export function hasTargets(t: Targets): boolean {
  return t.industries.length > 0 || t.divisions.length > 0 || t.riskLevels.length > 0 || (t.samplingRatio ?? 0) > 0;
}

const label = (c: InspectionItem | undefined, itemId: string, n: number) =>
  c ? { zh: `第${n}项「${c.code} ${c.name}」`, en: `Item ${n} (${c.code} ${c.nameEn})` } : { zh: `第${n}项（${itemId}）`, en: `Item ${n} (${itemId})` };

/** Problems of an annual plan (`plan/<agencyId>/<year>`); codes `filing.*`. */
export function validatePlanForFiling(i: PlanValidationInput): FilingProblem[] {
  const out: FilingProblem[] = [];
  const m = i.meta;
  if (!m) return [err('filing.no_plan', '计划不存在或基本信息无法读取', 'The plan does not exist or its header cannot be read')];
  if (m.agencyId !== i.room.agencyId || m.year !== i.room.year) {
    out.push(err('filing.meta_mismatch', '计划的部门或年度与所在文档不一致', "The plan's agency or year does not match its document"));
  }
  for (const x of i.invalid ?? []) {
    out.push(err('filing.unreadable', `有记录无法读取（${x.key}）：${x.error}`, `A record cannot be read (${x.key}): ${x.error}`));
  }
  if (i.items.length === 0) out.push(err('filing.empty', '计划中没有检查事项', 'The plan has no inspection items'));
  const cat = new Map(i.catalogue.map((c) => [c.id, c]));
  const seen = new Map<string, number>();
  i.items.forEach((it, k) => {
    const n = k + 1;
    const c = cat.get(it.itemId);
    const l = label(c, it.itemId, n);
    if (!c || c.agencyId !== i.room.agencyId) {
      out.push(err('filing.not_in_catalogue', `${l.zh}不在本部门检查事项清单中`, `${l.en} is not in the agency's inspection-item catalogue`, it.id));
    } else if (c.published === false) {
      out.push(err('filing.unpublished_item', `${l.zh}在检查事项清单中尚未公布`, `${l.en} is not published in the catalogue`, it.id));
    }
    if (!hasTargets(it.targets)) {
      out.push(
        err(
          'filing.no_targets',
          `${l.zh}未确定检查对象（行业、区域、风险等级或抽查比例）`,
          `${l.en} has no targets (industries, divisions, risk levels or a sampling ratio)`,
          it.id,
        ),
      );
    }
    if (it.cap > m.capPerEnterprise) {
      out.push(
        warning(
          'filing.cap_over',
          `${l.zh}的年度频次上限（${it.cap}）高于本部门对同一企业的上限（${m.capPerEnterprise}），以较低者为准`,
          `${l.en}: its cap (${it.cap}) is above the agency's cap per enterprise (${m.capPerEnterprise}); the lower one applies`,
          it.id,
        ),
      );
    }
    const prev = seen.get(it.itemId);
    if (prev !== undefined) {
      out.push(warning('filing.duplicate_item', `${l.zh}与第${prev}项是同一检查事项`, `${l.en} is the same inspection item as item ${prev}`, it.id));
    } else seen.set(it.itemId, n);
    if (c && i.agency) {
      const v = levelSuggestion({ itemLevel: c.level, riskLevel: it.targets.riskLevels.includes('major') ? 'major' : 'low', agencyLevel: i.agency.level });
      if (v.verdict === 'warn') out.push(warning('filing.level', `${l.zh}：${v.message.zh}`, `${l.en}: ${v.message.en}`, it.id));
    }
  });
  return out;
}

export interface JointValidationInput {
  meta: { id: string; leadAgencyId: string; year: number; title: string } | null;
  /** member agency ids as the server keeps them (joint_members) */
  members: readonly string[];
  items: readonly JointContentItem[];
  invalid?: readonly InvalidEntry[];
  /** catalogue of each member agency */
  catalogues: ReadonlyMap<string, readonly InspectionItem[]>;
}

/** Problems of a joint plan (`joint/<id>`) filed by its lead agency; codes `filing.*`. */
export function validateJointForFiling(i: JointValidationInput): FilingProblem[] {
  const out: FilingProblem[] = [];
  if (!i.meta) return [err('filing.no_plan', '联合检查计划不存在或基本信息无法读取', 'The joint plan does not exist or its header cannot be read')];
  if (!i.meta.title.trim()) out.push(err('filing.no_title', '联合检查计划没有标题', 'The joint plan has no title'));
  for (const x of i.invalid ?? []) {
    out.push(err('filing.unreadable', `有记录无法读取（${x.key}）：${x.error}`, `A record cannot be read (${x.key}): ${x.error}`));
  }
  if (i.items.length === 0) out.push(err('filing.empty', '联合检查计划中没有检查事项', 'The joint plan has no inspection items'));
  i.items.forEach((it, k) => {
    const n = k + 1;
    const c = i.catalogues.get(it.agencyId)?.find((x) => x.id === it.itemId);
    const l = label(c, it.itemId, n);
    if (!i.members.includes(it.agencyId)) {
      out.push(err('filing.not_member', `${l.zh}所属部门不是联合检查的成员单位`, `${l.en} belongs to an agency that is not a member`, it.id));
    } else if (!c || c.agencyId !== it.agencyId) {
      out.push(err('filing.not_in_catalogue', `${l.zh}不在该部门的检查事项清单中`, `${l.en} is not in that agency's inspection-item catalogue`, it.id));
    } else if (c.published === false) {
      out.push(err('filing.unpublished_item', `${l.zh}在检查事项清单中尚未公布`, `${l.en} is not published in the catalogue`, it.id));
    }
    if (!hasTargets(it.targets)) {
      out.push(err('filing.no_targets', `${l.zh}未确定检查对象`, `${l.en} has no targets`, it.id));
    }
  });
  return out;
}
