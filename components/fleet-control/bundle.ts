import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

/** The repository root: functions/ lives here whether this runs from source or as a dependency. */
export const packageRoot = resolve(__dirname, "../..");

export interface FunctionBundle {
  name: string;
  /** The bundled handler module, CommonJS, minified. */
  code: string;
  bytes: number;
}

/** Names of the Lambda functions in functions/: every folder with a handler.ts. */
export function functionNames(root: string = packageRoot): string[] {
  const dir = join(root, "functions");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "handler.ts")))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Bundles functions/<name>/handler.ts into one minified CommonJS file for the Lambda
 * Node.js runtime. The AWS SDK v3 is bundled rather than taken from the runtime, so the
 * code that was tested is the code that runs.
 */
export async function bundleFunction(name: string, root: string = packageRoot): Promise<FunctionBundle> {
  const entry = join(root, "functions", name, "handler.ts");
  if (!existsSync(entry)) {
    throw new Error(`functions/${name}/handler.ts does not exist (known functions: ${functionNames(root).join(", ")})`);
  }
  const result = await build({
    entryPoints: [entry],
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
  if (!file) throw new Error(`esbuild produced no output for functions/${name}/handler.ts`);
  return { name, code: file.text, bytes: file.contents.byteLength };
}
