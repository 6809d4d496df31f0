/** registry on the wire: zod only, no I/O. */
import type { Operation } from './operation';

/** the registry routes (src/protocol/api.ts lists every route) */
export const REGISTRY_OPERATIONS: readonly Operation[] = [];
