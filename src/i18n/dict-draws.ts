/** UI strings of the 双随机 pages (draws, coverage, public verification), Chinese first; `en` has exactly the keys of `zh`. */
export const zh = {
  'draws.title': '双随机抽查',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'draws.title': 'Random inspections (双随机)',
};

import { featureT } from './feature';

/** `t` for the pages that use these strings (and the app's) */
export const t = featureT({ zh, en });
