import { describe, expect, it } from 'vitest';
import { isValidUscc, usccCheckChar, validateUscc } from '../../../src/domain';

describe('USCC (GB 32100-2015)', () => {
  it.each(['914403001922038216', '9144030071526726XG', '91440300192317458F', '91110000802100433B'])('accepts %s', (s) => {
    expect(validateUscc(s)).toEqual({ ok: true, uscc: s });
    expect(isValidUscc(s)).toBe(true);
  });

  it.each([
    ['914403001922038217', '6'],
    ['91350203M0001QAY9B', '9'],
  ])('rejects %s: wrong check character, expected %s', (s, expected) => {
    const r = validateUscc(s);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('check_digit');
    expect(r.position).toBe(18);
    expect(r.message.en).toContain(`"${expected}"`);
    expect(r.message.zh).toContain(`“${expected}”`);
    expect(r.message.zh).toContain('第18位');
    expect(usccCheckChar(s.slice(0, 17))).toBe(expected);
  });

  it.each([
    ['9144030019220382I6', 17, 'I'],
    ['91440300O922038216', 9, 'O'],
    ['9144030071526726xg', 17, 'x'],
    ['S14403001922038216', 1, 'S'],
    ['914403001922038V16', 16, 'V'],
    ['91440300192203821Z', 18, 'Z'],
  ])('rejects %s: bad character at position %i', (s, pos, ch) => {
    const r = validateUscc(s);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('charset');
    expect(r.position).toBe(pos);
    expect(r.message.en).toContain(`Character ${pos} ("${ch}")`);
    expect(r.message.zh).toContain(`第${pos}位`);
  });

  it.each(['', '91440300192203821', '9144030019220382160', ' 914403001922038216', '914403001922038216 '])(
    'rejects the wrong length and never trims: %j',
    (s) => {
      const r = validateUscc(s);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('length');
    },
  );
});
