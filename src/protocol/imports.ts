/** imports on the wire: zod only, no I/O. */
import type { Operation } from './operation';

/** the imports routes (src/protocol/api.ts lists every route) */
export const IMPORT_OPERATIONS: readonly Operation[] = [];
