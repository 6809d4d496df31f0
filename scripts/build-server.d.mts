/** Types of scripts/build-server.mjs, for the TypeScript that imports it (bench, test helpers). */
export declare const ROOT: string;
/** absolute path of the server bundle `npm start` runs (dist-server/main.mjs) */
export declare const SERVER_BUNDLE: string;
/** bundle server/main.ts into SERVER_BUNDLE; resolves with its path */
export declare function buildServer(): Promise<string>;
