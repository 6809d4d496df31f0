/**
 * The model layer: typed read/write of domain records over Yjs docs (one module per doc kind,
 * layouts in src/domain/rooms.ts LAYOUT). Reads validate with the zod schemas and report invalid
 * records instead of throwing; writes validate first and throw a ZodError. Every writer takes an
 * optional transaction origin. Pure: no I/O, no DOM.
 */
export * from './util';
export * from './plan';
export * from './tasks';
export * from './ledger';
export * from './feedback';
export * from './agency';
export * from './registry';
export * from './joint';
export * from './supervision';
export * from './draws';
export * from './config';
export * from './views';
export * from './version';
