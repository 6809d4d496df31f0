/** UI strings of the statistics pages and the yearly report, Chinese first; `en` has exactly the keys of `zh`. */
import { featureT } from './feature';

export const zh = {
  'stats.title': '统计分析',
};
export const en: typeof zh = {
  'stats.title': 'Statistics',
};
export const t = featureT({ zh, en });
