#!/usr/bin/env node
// Installed from the package, the CLI is the compiled JavaScript in dist/. In a gpufleet
// checkout (cli/main.ts beside this folder) it runs the TypeScript source through tsx, so
// a change is picked up without a build.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "..", "cli", "main.ts");
let main;
if (existsSync(source)) {
  require("tsx/cjs/api").register();
  ({ main } = require(source));
} else {
  ({ main } = require("../dist/cli/main.js"));
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`gpufleet: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
