/** The password rules both sides check (src/protocol/auth.ts) and the one-time passwords (server/auth/accounts.ts). */
import { describe, expect, it } from 'vitest';
import { passwordProblem, passwordLength, Username } from '../../../src/protocol/auth';
import { oneTimePassword } from '../../../server/auth/accounts';

describe('password rules', () => {
  it('count characters as a person does: a CJK character or an emoji is one, NFC', () => {
    expect(passwordLength('城区的市场')).toBe(5);
    expect(passwordLength('👍👍')).toBe(2);
    expect(passwordLength('e\u0301')).toBe(1);
    expect(passwordProblem('zhang.wei', '城区的市场春天秋天冬天')).toBeNull();
    expect(passwordProblem('zhang.wei', '城区的市场春天秋天')?.en).toMatch(/at least 10 characters \(it has 9\)/);
  });

  it('refuse the demo password, the user name in any case, the current password, more than 256 characters', () => {
    expect(passwordProblem('agency1', 'demo1234')?.zh).toMatch(/至少 10 个字符/);
    expect(passwordProblem('market.admin', 'Market.Admin')?.en).toBe('The new password must not be your user name');
    expect(passwordProblem('a', 'same old password', 'same old password')?.en).toBe('The new password must differ from the current one');
    expect(passwordProblem('a', 'x'.repeat(256))).toBeNull();
    expect(passwordProblem('a', 'x'.repeat(257))?.en).toMatch(/at most 256/);
    // the current password is not known on the forced change: only the other rules apply
    expect(passwordProblem('a', 'same old password')).toBeNull();
  });

  it('user names: trimmed and lowercased, 3–32 of a-z 0-9 . _ -', () => {
    expect(Username.parse(' Chief.Admin ')).toBe('chief.admin');
    for (const bad of ['ab', '.dot-first', 'has space', '王莉', 'x'.repeat(33)]) expect(Username.safeParse(bad).success, bad).toBe(false);
  });
});

describe('one-time passwords', () => {
  it('are 12 readable random characters in three groups, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = oneTimePassword();
      expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
      expect(passwordProblem('someone', p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
