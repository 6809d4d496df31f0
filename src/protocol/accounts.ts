/** accounts on the wire: zod only, no I/O. */
import type { Operation } from './operation';

/** the accounts routes (src/protocol/api.ts lists every route) */
export const ACCOUNT_OPERATIONS: readonly Operation[] = [];
