import { describe, expect, it } from "vitest";
import { lowerBoundUsd } from "../../sim/bound";
import { DEFAULT_LIFECYCLE, NODE_PRICES } from "../../sim/constants";
import { Rng } from "../../sim/engine/prng";
import { runPolicy } from "../../sim/engine/run";
import { POLICIES } from "../../sim/policies/index";
import type { Scenario } from "../../sim/scenario";
import { sweepDesign } from "../../sim/sweep";
import { buildWorkload } from "../../sim/workload";
import { pool, profile } from "./fixtures/scenarios";

const TARGET = 0.99;

/** A random two-hour scenario: a level, a ramp or a step, bursts, request size, batching and slicing. */
function randomScenario(rng: Rng, index: number): Scenario {
  const base = 5 + rng.next() * 40;
  const shape = Math.floor(rng.next() * 3);
  const counts = Array.from({ length: 120 }, (_, m) => {
    const level = shape === 0 ? base : shape === 1 ? base * (0.3 + (1.4 * m) / 120) : m < 60 ? base : base * 2.5;
    const burst = rng.next() < 0.05 ? 2 + rng.next() * 2 : 1;
    return Math.round(level * burst);
  });
  const slicesPerGpu = [1, 2, 4][Math.floor(rng.next() * 3)] as number;
  return {
    name: `random-${index}`,
    endpoints: [
      {
        name: "m",
        profile: profile({
          secondsPerRequest: 0.5 + rng.next() * 3,
          concurrencyPerReplica: [1, 2, 4][Math.floor(rng.next() * 3)] as number,
          sloSeconds: [5, 10, 30][Math.floor(rng.next() * 3)] as number,
        }),
        pools: ["spot", "od"],
        trace: { kind: "per-minute", counts },
      },
    ],
    pools: [
      pool({ name: "spot", capacityType: "spot", fallback: false, slicesPerGpu, spot: { burstsPerDay: 4 } }),
      pool({ slicesPerGpu }),
    ],
  };
}

describe("lower bound", () => {
  it("is never beaten by a run of any policy that meets the SLO target, on random traces", () => {
    const rng = new Rng(20_260_101);
    const knobs = sweepDesign(9);
    let passing = 0;
    for (let t = 0; t < 6; t++) {
      const scenario = randomScenario(rng, t);
      const seed = 1 + t;
      const w = buildWorkload(scenario, seed);
      const prices = NODE_PRICES["g5.xlarge"] as { spot: number; onDemand: number };
      const bound = lowerBoundUsd(
        w,
        () => [
          { usdPerGpuHour: prices.spot, slicesPerGpu: scenario.pools[0]?.slicesPerGpu ?? 1 },
          { usdPerGpuHour: prices.onDemand, slicesPerGpu: scenario.pools[0]?.slicesPerGpu ?? 1 },
        ],
        DEFAULT_LIFECYCLE,
        TARGET,
      );
      expect(bound, scenario.name).toBeGreaterThan(0);
      for (const [name, factory] of Object.entries(POLICIES)) {
        for (const k of knobs) {
          const r = runPolicy(w, factory, {
            seed,
            knobs: k,
            lifecycle: DEFAULT_LIFECYCLE,
            releaseOnSigterm: true,
            detail: false,
          });
          if (r.lostRequests > 0 || r.sloAttainment < TARGET) continue;
          passing++;
          expect(r.costUsd, `${scenario.name} ${name} ${JSON.stringify(k)}`).toBeGreaterThanOrEqual(bound);
        }
      }
    }
    // The check means something only if many runs met the target.
    expect(passing).toBeGreaterThan(50);
  }, 600_000);
});
