// A comparison's worker thread. In a checkout it runs the TypeScript source bundled in memory
// (bundled.cjs says why); installed from the package it runs the compiled JavaScript beside it,
// which has no per-module getters to remove and needs no esbuild.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "worker-main.ts");
if (existsSync(source)) {
  require("./bundled.cjs").loadBundled(source);
} else {
  require("./worker-main.js");
}
