/** UI strings of the imports pages, Chinese first (merged into dict.ts; `en` has exactly the keys of `zh`). */
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
