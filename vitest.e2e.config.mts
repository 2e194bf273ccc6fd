import { defineConfig } from "vitest/config";

/**
 * The opt-in end-to-end suite (`npm run test:e2e`): real Pulumi engine, real kube-apiserver.
 * Kept out of vitest.config.mts, so `npm test` and CI never run it. Steps run in order in one
 * file and take minutes each on a loaded machine, hence the generous timeouts.
 */
export default defineConfig({
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.e2e.test.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
