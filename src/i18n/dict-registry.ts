/** UI strings of the registry pages, Chinese first (merged into dict.ts; `en` has exactly the keys of `zh`). */
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
