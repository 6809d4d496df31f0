/** zod issues in the user's language (the schemas' own messages are English; common codes are translated). */
import type { z } from 'zod';
import { lang } from '../i18n';

type Issue = z.core.$ZodIssue;

function zhOf(i: Issue): string {
  const x = i as unknown as { code: string; minimum?: number | bigint; maximum?: number | bigint; origin?: string; expected?: string; message: string };
  switch (x.code) {
    case 'too_small':
      if (x.origin === 'array' || x.origin === 'set') return `至少选择 ${String(x.minimum)} 项`;
      if (x.origin === 'string') return Number(x.minimum) <= 1 ? '不能为空' : `至少 ${String(x.minimum)} 个字`;
      return `不能小于 ${String(x.minimum)}`;
    case 'too_big':
      if (x.origin === 'array' || x.origin === 'set') return `最多选择 ${String(x.maximum)} 项`;
      if (x.origin === 'string') return `不能超过 ${String(x.maximum)} 个字`;
      return `不能大于 ${String(x.maximum)}`;
    case 'invalid_type':
      return x.expected === 'number' || x.expected === 'int' ? '请输入数字' : '格式不正确';
    case 'invalid_value':
      return '请从列表中选择';
    case 'invalid_format':
      return '格式不正确';
    default:
      return x.message;
  }
}

function enOf(i: Issue): string {
  const x = i as unknown as { code: string; minimum?: number | bigint; maximum?: number | bigint; origin?: string; message: string };
  if (x.code === 'too_small' && (x.origin === 'number' || x.origin === 'int')) return `Must be at least ${String(x.minimum)}`;
  if (x.code === 'too_big' && (x.origin === 'number' || x.origin === 'int')) return `Must be at most ${String(x.maximum)}`;
  if (x.code === 'too_small' && x.origin === 'array') return `Pick at least ${String(x.minimum)}`;
  if (x.code === 'invalid_type') return 'Enter a number';
  return x.message;
}

export function zodText(e: z.ZodError): string {
  const first = e.issues[0];
  if (!first) return '';
  return lang() === 'en' ? enOf(first) : zhOf(first);
}
