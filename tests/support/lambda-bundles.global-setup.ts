/**
 * FleetControl deploys the Lambda bundles shipped in dist/lambda and never bundles at
 * deploy time. A checkout has no dist/ until `npm run build`, so every test run builds
 * the bundles first from the current source: the tests deploy what they test.
 */
import { buildFunctions } from "../../scripts/build-functions";

export default async function setup(): Promise<void> {
  await buildFunctions();
}
