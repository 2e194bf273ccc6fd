import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The gpufleet package's root: the nearest folder above `from` whose package.json is
 * gpufleet's. The same code runs from source (components/…) and compiled (dist/components/…),
 * at different depths, so the root is found rather than assumed.
 */
export function findPackageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "gpufleet") {
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no gpufleet package.json above ${from}`);
    }
  }
}

/** The package's version, from its package.json. */
export function packageVersion(root: string = findPackageRoot()): string {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}
