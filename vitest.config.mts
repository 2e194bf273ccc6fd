import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      // Property tests run thousands of cases: a generous limit keeps them independent of machine load.
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 30_000 } },
      {
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
      { test: { name: "sim", include: ["tests/sim/**/*.test.ts"], testTimeout: 120_000 } },
    ],
  },
});
