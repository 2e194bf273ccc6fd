#!/usr/bin/env node
// The CLI is TypeScript run in place: tsx compiles it on load, so there is no build step between a clone and a run.
require("tsx/cjs/api").register();
const { main } = require("../cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`gpufleet: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
