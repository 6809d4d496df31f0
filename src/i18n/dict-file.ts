/** UI strings of the enterprise file (一企一档), Chinese first; `en` has exactly the keys of `zh`. */
import { featureT } from './feature';

export const zh = {
  'file.title': '一企一档',
};
export const en: typeof zh = {
  'file.title': 'Enterprise file',
};
export const t = featureT({ zh, en });
