/**
 * The city's policy (`config/city`), read by inspectors, agencies and enterprises alike: one store, so the
 * fallback while the doc loads (or when it holds no valid policy) is chosen in one place. The policy is the
 * one in force on a day (`policyAt`: the base policy or the latest scheduled change on or before it).
 */
import type { Accessor } from 'solid-js';
import { rooms } from '../../domain/rooms';
import { DEFAULT_POLICY } from '../../domain/policy-defaults';
import type { PolicyConfig } from '../../domain/schemas';
import { shanghaiToday } from '../../domain/time';
import { policyAt, policyView, type ScheduledPolicy } from '../../model';
import { useView } from './useView';

/**
 * The policy in force on `date()` (default: today, Asia/Shanghai), or `fallback()` (the defaults) until a
 * valid one is read. `open` defers opening the doc until the page knows who is signed in.
 */
export function usePolicy(
  open: Accessor<unknown> = () => true,
  fallback: () => PolicyConfig = () => DEFAULT_POLICY,
  date: Accessor<string> = shanghaiToday,
): Accessor<PolicyConfig> {
  const store = useView(() => (open() ? rooms.config() : null), policyView);
  return () => {
    const s = store();
    return (s ? policyAt(s.policy, s.schedule, date()) : null) ?? fallback();
  };
}

/** The base policy and every scheduled change (the policy page's list). */
export function usePolicySchedule(open: Accessor<unknown> = () => true): Accessor<{ policy: PolicyConfig | null; schedule: ScheduledPolicy[] } | null> {
  const store = useView(() => (open() ? rooms.config() : null), policyView);
  return () => store() ?? null;
}
