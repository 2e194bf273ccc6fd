/** Loads a TypeScript module of the simulator bundled into one scope by esbuild (see bundled.cjs). */
export declare function loadBundled(entry: string): unknown;
