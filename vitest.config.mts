import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Examples import the package by name; in the repository that name means the source, not a build.
const sourceAlias = {
  alias: [
    { find: /^gpufleet$/, replacement: fileURLToPath(new URL("./components/index.ts", import.meta.url)) },
    { find: /^gpufleet\/client$/, replacement: fileURLToPath(new URL("./client/index.ts", import.meta.url)) },
  ],
};

export default defineConfig({
  test: {
    // Builds dist/lambda once per run, before any project: FleetControl deploys those files.
    globalSetup: ["tests/support/lambda-bundles.global-setup.ts"],
    projects: [
      // Property tests run thousands of cases: a generous limit keeps them independent of machine load.
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 30_000 } },
      {
        resolve: sourceAlias,
        test: {
          name: "components",
          include: ["tests/components/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: "policies", include: ["tests/policies/**/*.test.ts"], testTimeout: 30_000 } },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/aws-peer.global-setup.ts"],
          setupFiles: ["tests/support/aws-peer.setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One emulator is shared by the suite: files run one at a time so a reset in one cannot pull state from under another.
          fileParallelism: false,
        },
      },
      { test: { name: "sim", include: ["tests/sim/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        // Packs the package and installs it into a fresh consumer project: minutes, not seconds.
        test: { name: "package", include: ["tests/package/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 900_000 },
      },
    ],
  },
});
