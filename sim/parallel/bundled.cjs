/**
 * Loads one of the simulator's TypeScript modules bundled into a single scope by esbuild
 * (as the Lambdas are built), for the runs whose speed counts: the worker threads and the
 * bench. Run in place by tsx, each module is compiled to CommonJS on its own and every
 * reference to another module's export (an enum member, a function) becomes a getter call;
 * in the engine's inner loop those calls take about a third of a run. The code is the same
 * source, so results are too; only the module boundaries go. Packages stay external.
 */
const Module = require("node:module");
const { dirname } = require("node:path");
const { buildSync } = require("esbuild");

function loadBundled(entry) {
  const { outputFiles } = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  // Never written: the name places the module beside its entry, for require's lookups.
  const filename = entry.replace(/\.ts$/, ".bundle.cjs");
  const bundle = new Module(filename, module);
  bundle.filename = filename;
  bundle.paths = Module._nodeModulePaths(dirname(filename));
  bundle._compile(outputFiles[0].text, filename);
  return bundle.exports;
}

module.exports = { loadBundled };
