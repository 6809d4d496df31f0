/**
 * i18n: zh-CN by default, English on request; the choice is kept in localStorage. `t(key, params)`
 * reads the current language reactively (Solid signal), so every view re-renders on a switch.
 */
import { createSignal } from 'solid-js';
import { en, zh, type MessageKey } from './dict';
import type { Text } from '../domain/schemas';

export type Lang = 'zh' | 'en';
const KEY = 'eicp.lang';

function initial(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

const [lang, setLangSignal] = createSignal<Lang>(initial());
export { lang };

export function setLang(l: Lang): void {
  setLangSignal(l);
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* private mode */
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.name');
  }
}

/** `{name}` placeholders filled from `params` */
export function fill(s: string, params?: Record<string, string | number>): string {
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const dict: Record<MessageKey, string> = lang() === 'en' ? en : zh;
  return fill(dict[key] ?? key, params);
}

/** A bilingual server text `{zh, en}` in the current language. */
export function tx(text: Text | undefined | null): string {
  if (!text) return '';
  return lang() === 'en' ? text.en || text.zh : text.zh || text.en;
}

/** Pick the Chinese or English name of a record (`name` / `nameEn`). */
export function nameOf(r: { name: string; nameEn?: string } | undefined | null): string {
  if (!r) return '';
  return lang() === 'en' && r.nameEn ? r.nameEn : r.name;
}

export type { MessageKey };
