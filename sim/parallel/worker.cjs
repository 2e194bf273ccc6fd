// A comparison's worker thread: the TypeScript source bundled in memory (bundled.cjs says why).
const { join } = require("node:path");
const { loadBundled } = require("./bundled.cjs");

loadBundled(join(__dirname, "worker-main.ts"));
