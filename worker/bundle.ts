/**
 * Bundles the sidecar into one minified CommonJS file: what the container image copies and
 * what the end-to-end tests and the benchmark run, so all three exercise the same artefact.
 */
import { resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(__dirname, "..");

export async function bundleWorker(): Promise<{ code: string; bytes: number }> {
  const result = await build({
    entryPoints: [resolve(root, "worker", "entry.ts")],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for worker/entry.ts");
  return { code: file.text, bytes: file.contents.byteLength };
}
