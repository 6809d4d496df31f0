/** Every kind of error reaches the screen in Chinese and English (src/ui/errors.ts errorMessage / errorText). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorMessage, errorText, closeMessage } from '../../../src/ui/errors';
import { ApiError, NETWORK_ERROR } from '../../../src/client/agent';
import { CLOSE } from '../../../src/protocol/sync';
import { setLang } from '../../../src/i18n';

const HAN = /[\u4e00-\u9fff]/;
const both = (t: { zh: string; en: string }) => HAN.test(t.zh) && /[A-Za-z]/.test(t.en) && !HAN.test(t.en);

describe('errorMessage', () => {
  const zodErr = z.object({ months: z.array(z.number()).min(1) }).safeParse({ months: [] }).error!;
  const cases: [string, unknown][] = [
    ['server error body', new ApiError(409, 'already_submitted', { zh: '已提交备案', en: 'Already submitted' })],
    ['network', new ApiError(0, 'network', NETWORK_ERROR)],
    ['close 4403', { code: CLOSE.forbidden, type: 'close' }],
    ['close 4413', { code: CLOSE.roomFull }],
    ['close 4401', { code: CLOSE.unauthorized }],
    ['close 1008', { code: CLOSE.policy }],
    ['an unknown close code', { code: 4999 }],
    ['zod issue', zodErr],
    [
      'zod issue with an English custom message',
      z
        .string()
        .refine(() => false, 'window.from must not be after window.to')
        .safeParse('x').error!,
    ],
    ['scanner error (text)', { text: { zh: '相机不可用', en: 'Camera unavailable' } }],
    ['fetch outside the agent', new TypeError('Failed to fetch')],
    ['storage full', Object.assign(new Error('quota'), { name: 'QuotaExceededError' })],
    ['permission', Object.assign(new Error('denied'), { name: 'NotAllowedError' })],
    ['any other Error', new Error('boom')],
    ['a string', 'boom'],
  ];
  for (const [name, err] of cases) {
    it(`${name}: Chinese and English`, () => {
      const m = errorMessage(err);
      expect(both(m), JSON.stringify(m)).toBe(true);
    });
  }

  it("keeps the server's own words; close codes name the cause; errorText follows the language", () => {
    expect(errorMessage(new ApiError(409, 'x', { zh: '已提交备案', en: 'Already submitted' }))).toEqual({ zh: '已提交备案', en: 'Already submitted' });
    expect(closeMessage(CLOSE.roomFull).zh).toContain('容量');
    expect(errorMessage(zodErr).zh).toBe('至少选择 1 项');
    setLang('en');
    expect(errorText(zodErr)).toBe('Pick at least 1');
    setLang('zh');
    expect(errorText(new Error('boom'))).toBe('操作失败：boom');
  });
});
