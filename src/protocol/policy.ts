/** policy on the wire: zod only, no I/O. */
import type { Operation } from './operation';

/** the policy routes (src/protocol/api.ts lists every route) */
export const POLICY_OPERATIONS: readonly Operation[] = [];
