import { existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { findPackageRoot } from "../package-root";

/**
 * Where the Lambda bundles live inside the package: `npm run build` writes them and
 * `npm pack` ships them, so a deployment uploads the exact file that was built and tested,
 * and nothing is compiled on the deploying machine.
 */
export const BUNDLE_DIR = join("dist", "lambda");

/** The Lambda functions FleetControl deploys. */
export const FUNCTION_NAMES = ["autoscaler", "rebalancer"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Path of one shipped bundle: `<package>/dist/lambda/<name>/index.js`. */
export function bundlePath(name: FunctionName, root: string = findPackageRoot()): string {
  return join(root, BUNDLE_DIR, name, "index.js");
}

/**
 * The shipped bundle of one function, checked to exist. In a checkout the bundles come from
 * `npm run build` (the test suites build them in their global setup); a missing one is an
 * error that says so, never a silent rebuild at deploy time.
 */
export function shippedBundle(name: FunctionName, root: string = findPackageRoot()): string {
  const path = bundlePath(name, root);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new Error(
      `the ${name} Lambda bundle is missing at ${relative(process.cwd(), path) || path}: ` +
        "the published package ships it; in a gpufleet checkout run `npm run build` first",
    );
  }
  return path;
}

/**
 * The deployment archive of one function: its shipped bundle as `index.js` and its
 * configuration file beside it, where functions/kit/setup.ts looks at a cold start.
 */
export function functionArchive(
  name: FunctionName,
  configFile: string,
  configJson: pulumi.Output<string>,
): pulumi.Output<pulumi.asset.AssetArchive> {
  const handlerFile = shippedBundle(name);
  return configJson.apply(
    (json) =>
      new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.FileAsset(handlerFile),
        [configFile]: new pulumi.asset.StringAsset(json),
      }),
  );
}
