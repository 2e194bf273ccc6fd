/**
 * Bundles every Lambda function (functions/<name>/handler.ts) into
 * dist/lambda/<name>/index.js, the file FleetControl deploys and `npm pack` ships, and the
 * container image's programs into build/<worker|packer>/index.js (what the Dockerfile copies), and prints a size
 * report. The AWS SDK is bundled rather than taken from the Lambda runtime,
 * so the code that was tested is the code that runs.
 *
 * Run: npx tsx scripts/build-functions.ts   (part of `npm run build`)
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { bundlePath, FUNCTION_NAMES, type FunctionName } from "../components/fleet-control/bundle";
import { findPackageRoot } from "../components/package-root";
import { bundleImageProgram, IMAGE_PROGRAMS } from "../worker/bundle";

export interface BuiltBundle {
  name: FunctionName;
  path: string;
  bytes: number;
  gzipBytes: number;
}

/** One function's bundle: minified CommonJS for the Lambda Node.js 22 runtime. */
async function bundle(name: FunctionName, root: string): Promise<Uint8Array> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [`functions/${name}/handler.ts`],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // Prefer each package's ES module build: esbuild can drop what the handler does not
    // use only from ES modules (the SDK's CommonJS builds come whole).
    mainFields: ["module", "main"],
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for functions/${name}/handler.ts`);
  return file.contents;
}

/**
 * Builds every bundle into the package's dist/lambda. Each file is written whole and then
 * renamed into place, so a reader never sees half a bundle.
 */
export async function buildFunctions(root: string = findPackageRoot()): Promise<BuiltBundle[]> {
  const built: BuiltBundle[] = [];
  for (const name of FUNCTION_NAMES) {
    const code = await bundle(name, root);
    const path = bundlePath(name, root);
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, path);
    built.push({ name, path, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength });
  }
  return built;
}

async function main(): Promise<void> {
  const root = findPackageRoot();
  const built = await buildFunctions(root);
  const rows = built.map((b) => ({ name: b.name as string, bytes: b.bytes, gzipBytes: b.gzipBytes, path: b.path }));
  for (const name of IMAGE_PROGRAMS) {
    const program = await bundleImageProgram(name);
    const path = join(root, "build", name, "index.js");
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, program.code);
    rows.push({ name, bytes: program.bytes, gzipBytes: gzipSync(program.code).byteLength, path });
  }
  console.log(`${"bundle".padEnd(12)} ${"size".padStart(12)} ${"gzip".padStart(12)}  file`);
  for (const b of rows) {
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(12);
    console.log(`${b.name.padEnd(12)} ${kib(b.bytes)} ${kib(b.gzipBytes)}  ${relative(root, b.path)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
