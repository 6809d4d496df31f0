/**
 * Labels of codes that the data carries (industries, from src/domain/industries.ts); an unknown code is shown as it is.
 */
import { lang } from './index';
import { INDUSTRIES as INDUSTRY_LABELS } from '../domain/industries';

const INDUSTRIES: Record<string, { zh: string; en: string }> = INDUSTRY_LABELS;

export { INDUSTRIES };

export function industryName(code: string): string {
  const l = INDUSTRIES[code];
  return l ? (lang() === 'en' ? l.en : l.zh) : code;
}
