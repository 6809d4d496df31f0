/**
 * A `t` for one feature's pages: the feature's own strings first, then the app's. A feature dictionary
 * (src/i18n/dict-<feature>.ts) is imported only by its lazily loaded pages, so its strings never weigh on
 * the first screen (dict.ts is in it: the sign-in page needs it); the administration pages' strings alone
 * were 12 KB of gzip there.
 */
import { fill, lang, t as appT, type MessageKey } from './index';

export type FeatureT<K extends string> = (key: K | MessageKey, params?: Record<string, string | number>) => string;

/** every key of every dictionary (distributed over the union, which `keyof` alone would intersect) */
type KeysOf<D> = D extends { zh: infer Z } ? keyof Z & string : never;

/** `t` over one or more feature dictionaries (each `{zh, en}` with the same keys), falling back to the app's */
export function featureT<D extends { zh: Record<string, string>; en: Record<string, string> }[]>(...dicts: D): FeatureT<KeysOf<D[number]>> {
  return (key, params) => {
    const en = lang() === 'en';
    for (const d of dicts) {
      const own: Record<string, string> = en ? d.en : d.zh;
      if (Object.hasOwn(own, key)) return fill(own[key], params);
    }
    return appT(key as MessageKey, params);
  };
}
