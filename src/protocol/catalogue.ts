/** catalogue on the wire: zod only, no I/O. */
import type { Operation } from './operation';

/** the catalogue routes (src/protocol/api.ts lists every route) */
export const CATALOGUE_OPERATIONS: readonly Operation[] = [];
