/**
 * Measure 1: which level should inspect. Where both city and county may, the county does; an
 * enterprise of major impact (risk level `major`) or a cross-district matter goes to the city; an
 * item whose catalogue entry names a level (a higher authority's rule) keeps it, except that major or
 * cross-district cases still go to the city ("原则上由市级负责").
 * Township and zone agencies belong to the county tier here.
 */
import type { Enterprise, InspectionItem, Level, Verdict } from '../schemas';
import { ok, warn } from './verdict';

export interface LevelInput {
  itemLevel: InspectionItem['level'];
  riskLevel: Enterprise['riskLevel'];
  crossDistrict?: boolean;
  agencyLevel: Level;
}

export type Tier = 'city' | 'county';
export const tierOf = (l: Level): Tier => (l === 'city' ? 'city' : 'county');

/** Codes: level.city · level.county — ok when the agency is of that tier, warn otherwise. */
export function levelSuggestion(i: LevelInput): Verdict {
  const why: { zh: string; en: string }[] = [];
  let tier: Tier;
  if (i.riskLevel === 'major') {
    tier = 'city';
    why.push({ zh: '有重大影响', en: 'of major impact' });
  }
  if (i.crossDistrict) {
    tier = 'city';
    why.push({ zh: '跨区域', en: 'cross-district' });
  }
  if (why.length) tier = 'city';
  else if (i.itemLevel === 'city') {
    tier = 'city';
    why.push({ zh: '检查事项规定由市级实施', en: 'the item is assigned to the city level' });
  } else if (i.itemLevel === 'county') {
    tier = 'county';
    why.push({ zh: '检查事项规定由县级实施', en: 'the item is assigned to the county level' });
  } else {
    tier = 'county';
    why.push({ zh: '市、县两级均可行使的一般交由县级', en: 'where both levels may, the county normally does' });
  }
  const reasonZh = why.map((w) => w.zh).join('、');
  const reasonEn = why.map((w) => w.en).join(', ');
  const code = tier === 'city' ? 'level.city' : 'level.county';
  const name = tier === 'city' ? { zh: '市级', en: 'the city level' } : { zh: '县级', en: 'the county level' };
  if (tierOf(i.agencyLevel) === tier) {
    return ok(code, `由${name.zh}实施（${reasonZh}）`, `To be inspected by ${name.en} (${reasonEn})`);
  }
  return warn(code, `建议由${name.zh}实施（${reasonZh}，第一条）`, `Suggested for ${name.en} (${reasonEn}; measure 1)`);
}
