/**
 * Unified social credit code (统一社会信用代码) per GB 32100-2015: 18 characters from a 31-character
 * set (digits and capitals without I O S V Z); weights 3^(i−1) mod 31; check = (31 − Σ mod 31) mod 31.
 */
export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccResult =
  | { ok: true; uscc: string }
  | { ok: false; code: 'length' | 'charset' | 'check_digit'; position?: number; message: { zh: string; en: string } };

/** The check character for the first 17 characters (which must be from the set). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a USCC character at position ${i + 1}: ${first17[i]}`);
    sum += v * WEIGHTS[i];
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** Validate exactly what was given: no trimming, no case folding (scanned text is never altered). */
export function validateUscc(input: string): UsccResult {
  if (input.length !== 18) {
    return {
      ok: false,
      code: 'length',
      message: {
        zh: `统一社会信用代码应为18位，现为${input.length}位`,
        en: `A USCC has 18 characters; this one has ${input.length}`,
      },
    };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARS.includes(input[i])) {
      return {
        ok: false,
        code: 'charset',
        position: i + 1,
        message: {
          zh: `第${i + 1}位字符“${input[i]}”不是统一社会信用代码允许的字符（不含I、O、S、V、Z）`,
          en: `Character ${i + 1} ("${input[i]}") is not allowed in a USCC (digits and capitals except I, O, S, V, Z)`,
        },
      };
    }
  }
  const expected = usccCheckChar(input.slice(0, 17));
  if (input[17] !== expected) {
    return {
      ok: false,
      code: 'check_digit',
      position: 18,
      message: {
        zh: `第18位校验码“${input[17]}”错误，按前17位应为“${expected}”`,
        en: `Character 18, the check character "${input[17]}", is wrong: the first 17 characters give "${expected}"`,
      },
    };
  }
  return { ok: true, uscc: input };
}

export const isValidUscc = (s: string) => validateUscc(s).ok;
