/**
 * Bundles every functions/<name>/handler.ts into build/functions/<name>/index.js and the
 * worker sidecar into build/worker/index.js (what the Dockerfile copies), and prints a size
 * report. FleetControl bundles the same way at deploy time; this command
 * is for inspecting the artefacts and for the bundle-size figures in BENCHMARKS.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { bundleFunction, functionNames, packageRoot } from "../components/fleet-control/bundle";
import { bundleWorker } from "../worker/bundle";

async function main(): Promise<void> {
  const names = functionNames();
  if (names.length === 0) {
    console.error("build: no functions/<name>/handler.ts found; nothing to bundle");
    process.exitCode = 1;
    return;
  }
  const rows: string[] = [];
  for (const name of names) {
    const bundle = await bundleFunction(name);
    const outDir = join(packageRoot, "build", "functions", name);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "index.js"), bundle.code);
    const gzipped = gzipSync(bundle.code).byteLength;
    rows.push(
      `${name.padEnd(14)} ${(bundle.bytes / 1024).toFixed(1).padStart(9)} KiB ${(gzipped / 1024).toFixed(1).padStart(9)} KiB gzip  build/functions/${name}/index.js`,
    );
  }
  const worker = await bundleWorker();
  const workerDir = join(packageRoot, "build", "worker");
  mkdirSync(workerDir, { recursive: true });
  writeFileSync(join(workerDir, "index.js"), worker.code);
  rows.push(
    `${"worker".padEnd(14)} ${(worker.bytes / 1024).toFixed(1).padStart(9)} KiB ${(gzipSync(worker.code).byteLength / 1024).toFixed(1).padStart(9)} KiB gzip  build/worker/index.js`,
  );
  console.log(`${"function".padEnd(14)} ${"size".padStart(13)} ${"compressed".padStart(18)}`);
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
