/**
 * The city's policy (`config/city`), read by inspectors, agencies and enterprises alike: one store, so the
 * fallback while the doc loads (or when it holds no valid policy) is chosen in one place.
 */
import type { Accessor } from 'solid-js';
import { rooms } from '../../domain/rooms';
import { DEFAULT_POLICY } from '../../domain/policy-defaults';
import type { PolicyConfig } from '../../domain/schemas';
import { policyView } from '../../model';
import { useView } from './useView';

/**
 * The live policy, or `fallback()` (the defaults) until a valid one is read. `open` defers opening the doc
 * until the page knows who is signed in.
 */
export function usePolicy(open: Accessor<unknown> = () => true, fallback: () => PolicyConfig = () => DEFAULT_POLICY): Accessor<PolicyConfig> {
  const store = useView(() => (open() ? rooms.config() : null), policyView);
  return () => store()?.policy ?? fallback();
}
