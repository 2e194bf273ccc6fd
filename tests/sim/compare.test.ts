import { describe, expect, it } from "vitest";
import { type PolicyName, runComparison } from "../../sim/index";
import type { Scenario } from "../../sim/scenario";
import { pool, profile } from "./fixtures/scenarios";

function rateScenario(name: string, counts: number[], peakRps: number): Scenario {
  return {
    name,
    endpoints: [
      {
        name: "m",
        profile: profile({ secondsPerRequest: 1, concurrencyPerReplica: 2 }),
        pools: ["spot", "od"],
        trace: { kind: "per-minute", counts, peakRps },
      },
    ],
    pools: [
      pool({ name: "spot", capacityType: "spot", fallback: false, slicesPerGpu: 2, spot: { burstsPerDay: 0 } }),
      pool({ slicesPerGpu: 2 }),
    ],
  };
}

describe("policy comparison", () => {
  it("refuses a scenario without an on-demand fallback pool when a policy with the rebalancer runs", async () => {
    const scenario = rateScenario("no-fallback", Array(30).fill(20), 2);
    scenario.pools = scenario.pools.filter((p) => p.fallback !== true);

    await expect(runComparison({ scenario, policies: ["reactive", "foresight"], seed: 1, workers: 1 })).rejects.toThrow(
      "invalid scenario no-fallback for the foresight policy:\npools have 0 with fallback: true; exactly one on-demand fallback pool is required",
    );
  });

  it("fills a whole report: series, waits, a frontier and cost at SLO with its interval over the seeds", async () => {
    const scenario = rateScenario("step", [...Array(60).fill(20), ...Array(60).fill(100)], 4);
    const policies: PolicyName[] = ["reactive", "static-peak"];

    const report = await runComparison({
      scenario,
      policies,
      seed: 1,
      seeds: 3,
      settings: 6,
      sloSeconds: 5,
      workers: 1,
    });

    expect(report.slo).toEqual({ waitSeconds: 5, target: 0.99 });
    expect(report.seeds).toEqual([1, 2, 3]);
    expect(report.durationSeconds).toBe(7200);
    expect(report.summaries.map((s) => s.name)).toEqual(policies);
    expect(report.series.map((s) => [s.policy, s.tSeconds.length])).toEqual([
      ["reactive", 120],
      ["static-peak", 120],
    ]);
    for (const h of report.waitHistograms) expect(h.edgesSeconds).toHaveLength(h.counts.length + 1);
    const staticPeak = report.summaries[1];
    expect(staticPeak?.costAtSloUsd).not.toBeNull();
    const [low, high] = staticPeak?.costAtSloCi95 ?? [Number.NaN, Number.NaN];
    expect(low).toBeLessThanOrEqual(staticPeak?.costAtSloUsd as number);
    expect(high).toBeGreaterThanOrEqual(staticPeak?.costAtSloUsd as number);
    expect(report.lowerBoundUsd).toBeGreaterThan(0);
    expect(report.lowerBoundUsd).toBeLessThanOrEqual(staticPeak?.costAtSloUsd as number);
    for (const s of report.summaries) {
      // A frontier: cheaper points never attain more.
      const f = s.frontier;
      expect(f.length).toBeGreaterThan(0);
      for (let i = 1; i < f.length; i++) {
        expect(f[i]?.costUsd).toBeGreaterThanOrEqual(f[i - 1]?.costUsd as number);
        expect(f[i]?.sloAttainment).toBeGreaterThan(f[i - 1]?.sloAttainment as number);
      }
    }
  }, 120_000);

  it("gives the same figures on two worker threads as in-process", async () => {
    const scenario = rateScenario("flat", Array(60).fill(30), 2);
    const options = { scenario, policies: ["reactive", "gpufleet"] as PolicyName[], seeds: 2, settings: 3 };

    const inProcess = await runComparison({ ...options, workers: 1 });
    const threaded = await runComparison({ ...options, workers: 2 });

    expect(threaded.summaries).toEqual(inProcess.summaries);
    expect(threaded.lowerBoundUsd).toBe(inProcess.lowerBoundUsd);
  }, 120_000);
});
