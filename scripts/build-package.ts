/**
 * Builds what `npm pack` ships, from scratch, into dist/:
 *   dist/{components,policies,cli,functions,sim}  compiled CommonJS + .d.ts (tsconfig.build.json;
 *                                                  the worker threads' entry is compiled too)
 *   dist/lambda/<name>/index.js                     the Lambda bundles FleetControl deploys
 *   dist/policies/{PulumiPolicy.yaml,package.json}  the policy pack, loadable by `--policy-pack`
 *   dist/sim/parallel/worker.cjs                    the simulator's worker-thread entry
 *   dist/pulumi-plugin/                             the Pulumi component package (build-plugin.ts)
 *
 * Run: npm run build   (npm pack runs it through `prepack`)
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot, packageVersion } from "../components/package-root";
import { buildFunctions } from "./build-functions";
import { buildComponentPackage } from "./build-plugin";

function step(message: string): void {
  process.stdout.write(`build: ${message}\n`);
}

async function main(): Promise<void> {
  const root = findPackageRoot();
  const dist = join(root, "dist");
  rmSync(dist, { recursive: true, force: true });

  step("compiling TypeScript (tsconfig.build.json)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
    stdio: "inherit",
  });

  step("bundling the Lambda functions");
  for (const b of await buildFunctions(root)) {
    step(`  ${b.name}: ${(b.bytes / 1024).toFixed(1)} KiB (${(b.gzipBytes / 1024).toFixed(1)} KiB gzip)`);
  }

  // tsc compiles only .ts: the worker threads of `gpufleet simulate`/`bench` start from this file.
  copyFileSync(join(root, "sim", "parallel", "worker.cjs"), join(dist, "sim", "parallel", "worker.cjs"));

  step("policy pack metadata");
  copyFileSync(join(root, "policies", "PulumiPolicy.yaml"), join(dist, "policies", "PulumiPolicy.yaml"));
  const packManifest = {
    name: "gpufleet-policies",
    version: packageVersion(root),
    description: "The gpufleet CrossGuard policy pack, compiled.",
    private: true,
    license: "Apache-2.0",
    main: "index.js",
  };
  writeFileSync(join(dist, "policies", "package.json"), `${JSON.stringify(packManifest, null, 2)}\n`);

  step("component package (dist/pulumi-plugin)");
  const sources = buildComponentPackage(root, dist, packageVersion(root));
  step(`  ${sources} source files for its schema`);

  step("done");
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
