/**
 * Bundles each program of the container image (the worker sidecar, the scale-in packer) into
 * one minified CommonJS file: what the image copies and what the end-to-end tests and the
 * benchmark run, so all of them exercise the same artefact.
 */
import { resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(__dirname, "..");

/** The image's programs: <name>/entry.ts becomes /app/<name>.js. */
export const IMAGE_PROGRAMS = ["worker", "packer"] as const;
export type ImageProgram = (typeof IMAGE_PROGRAMS)[number];

export async function bundleImageProgram(name: ImageProgram): Promise<{ code: string; bytes: number }> {
  const result = await build({
    entryPoints: [resolve(root, name, "entry.ts")],
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
  if (!file) throw new Error(`esbuild produced no output for ${name}/entry.ts`);
  return { code: file.text, bytes: file.contents.byteLength };
}
