/** The pure domain core (DESIGN §3): shared by the browser and the server. No DOM, no Yjs, no I/O. */
export * from './schemas';
export * from './uscc';
export * from './rooms';
export * from './rights';
export * from './prng';
export * from './time';
export * from './canonical';
export * from './policy-defaults';
export * from './rules';
export * from './flexible';
export * from './joint-suggest';
export * from './draw';
