/**
 * The Pulumi component package as the npm package ships it: dist/pulumi-plugin/, which
 * `pulumi package add node_modules/gpufleet/dist/pulumi-plugin` (or a checkout's, after
 * `npm run build`) turns into an SDK for another language.
 *
 * At run time the plugin serves the compiled components (its index.js requires ../components,
 * which is dist/components here). The schema, though, is inferred from TypeScript source: the
 * declaration files drop the values of the `as const` enums the inference reads. So the
 * sources the plugin's entry imports are copied beside it, under src/, and its index.ts
 * exports from there.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as ts from "typescript";

/** The repository's own source files the plugin entry imports, transitively, relative to the root. */
export function pluginSourceFiles(root: string): string[] {
  const pluginDir = join(root, "pulumi-plugin");
  const configPath = join(pluginDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, pluginDir);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map((file) => relative(root, file.fileName))
    .filter((file) => !file.startsWith("..") && !file.includes("node_modules") && !file.startsWith("pulumi-plugin/"))
    .sort();
}

/** Writes dist/pulumi-plugin/; returns how many source files it carries for the schema. */
export function buildComponentPackage(root: string, dist: string, version: string): number {
  const pluginDir = join(root, "pulumi-plugin");
  const out = join(dist, "pulumi-plugin");
  mkdirSync(out, { recursive: true });
  for (const file of ["PulumiPlugin.yaml", "tsconfig.json", "index.js"]) {
    copyFileSync(join(pluginDir, file), join(out, file));
  }
  const entry = readFileSync(join(pluginDir, "index.ts"), "utf8");
  if (!entry.includes('from "../components"')) {
    throw new Error('pulumi-plugin/index.ts must export the components from "../components"');
  }
  writeFileSync(join(out, "index.ts"), entry.replaceAll('from "../components"', 'from "./src/components"'));
  const manifest = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(out, "package.json"), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);

  const sources = pluginSourceFiles(root);
  for (const file of sources) {
    mkdirSync(dirname(join(out, "src", file)), { recursive: true });
    copyFileSync(join(root, file), join(out, "src", file));
  }
  return sources.length;
}
