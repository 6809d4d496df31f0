import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyConfig, conductRule, defaultPolicy } from '../../../src/domain';

describe('DEFAULT_POLICY', () => {
  it('is a valid PolicyConfig with the documented defaults', () => {
    expect(PolicyConfig.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY.capPerEnterpriseDefault).toBe(2);
    expect([...DEFAULT_POLICY.exemptTriggers].sort()).toEqual(['complaint', 'data_monitoring', 'enterprise_request', 'referral']);
    expect(DEFAULT_POLICY.quietPeriod.enabled).toBe(true);
    expect(DEFAULT_POLICY.quietPeriod.quietDays).toHaveLength(20);
    expect(DEFAULT_POLICY.quietPeriod.daysPerMonth).toBe(20);
    expect(DEFAULT_POLICY.quietPeriod.exceptionKinds).toHaveLength(6);
    expect(DEFAULT_POLICY.announceWorkingDaysAhead).toBeNull();
    expect(DEFAULT_POLICY.draw).toEqual({
      minRatio: 0.05,
      minInspectors: 2,
      recuseLastInspector: true,
      classRatios: { A: 300, B: 500, C: 1000, D: 2000 },
      revealWorkingDays: 2,
    });
    expect(DEFAULT_POLICY.hotline).toBe('12345');
    expect(DEFAULT_POLICY.planDue).toBe('01-31');
  });

  it('has 五个严禁 F1–F5 and 八个不得 E1–E8, bilingual', () => {
    const five = DEFAULT_POLICY.conductRules.filter((r) => r.group === 'five_prohibitions').map((r) => r.code);
    const eight = DEFAULT_POLICY.conductRules.filter((r) => r.group === 'eight_musts_not').map((r) => r.code);
    expect(five).toEqual(['F1', 'F2', 'F3', 'F4', 'F5']);
    expect(eight).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8']);
    for (const r of DEFAULT_POLICY.conductRules) {
      expect(r.text.zh).toMatch(r.group === 'five_prohibitions' ? /^严禁/ : /^不得/);
      expect(r.text.en.length).toBeGreaterThan(10);
    }
    expect(conductRule(DEFAULT_POLICY, 'F1')?.text.zh).toContain('扫码');
  });

  it('is frozen; defaultPolicy() is an independent mutable copy', () => {
    expect(Object.isFrozen(DEFAULT_POLICY.quietPeriod.quietDays)).toBe(true);
    const p = defaultPolicy();
    p.quietPeriod.quietDays.length = 0;
    expect(DEFAULT_POLICY.quietPeriod.quietDays).toHaveLength(20);
  });
});
