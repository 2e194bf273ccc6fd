import { describe, expect, it } from "vitest";
import type { SpotModel } from "../../sim/constants";
import { type PolicyName, runComparison } from "../../sim/index";
import type { Scenario } from "../../sim/scenario";
import { diurnalCounts, pool, profile } from "./fixtures";

function rateScenario(
  name: string,
  counts: number[],
  peakRps: number,
  spot: Partial<SpotModel> = { burstsPerDay: 0 },
): Scenario {
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
      pool({ name: "spot", capacityType: "spot", fallback: false, slicesPerGpu: 2, spot }),
      pool({ slicesPerGpu: 2 }),
    ],
  };
}

const POLICIES: PolicyName[] = ["gpufleet", "reactive", "predictive-hourly", "static-peak", "oracle"];

/** A harsh market: zone bursts every few hours, each followed by 30 min without spot capacity. */
const BURSTY_MARKET: Partial<SpotModel> = { burstsPerDay: 6, interruptionsPerNodeMonth: 2 };

describe("policy comparison", () => {
  it.each([
    ["a compressed diurnal cycle", rateScenario("diurnal", diurnalCounts(720, 240), 6)],
    ["a cycle with short bursts", rateScenario("bursty", diurnalCounts(720, 360, 97), 6)],
    [
      "a step up and down",
      rateScenario("step", [...Array(180).fill(20), ...Array(180).fill(100), ...Array(180).fill(30)], 5),
    ],
    [
      "a diurnal cycle with zone bursts",
      rateScenario("diurnal-zone-bursts", diurnalCounts(720, 240), 6, BURSTY_MARKET),
    ],
    [
      "short bursts of load and zone bursts",
      rateScenario("bursty-zone-bursts", diurnalCounts(720, 360, 97), 6, BURSTY_MARKET),
    ],
  ])("no policy reaches the SLO cheaper than the oracle: %s", async (name, scenario) => {
    const report = await runComparison({ scenario, policies: POLICIES, seed: 3 });

    const oracle = report.summaries.find((s) => s.name === "oracle");
    expect(oracle?.costAtSloUsd).not.toBeNull();
    // The zone-burst cases only count if the oracle met the interruptions and fell back to on-demand.
    if (name.includes("zone bursts")) {
      expect(oracle?.interruptions).toBeGreaterThan(0);
      expect(oracle?.spotShare).toBeLessThan(1);
    }
    for (const s of report.summaries) {
      expect(s.lostRequests, s.name).toBe(0);
      if (s.costAtSloUsd !== null)
        expect(s.costAtSloUsd, s.name).toBeGreaterThanOrEqual(oracle?.costAtSloUsd as number);
    }
  });

  it("refuses a scenario without an on-demand fallback pool when the oracle runs, since it runs the rebalancer", async () => {
    const scenario = rateScenario("no-fallback", Array(30).fill(20), 2);
    scenario.pools = scenario.pools.filter((p) => p.fallback !== true);

    await expect(runComparison({ scenario, policies: ["reactive", "oracle"], seed: 1 })).rejects.toThrow(
      /no-fallback: the oracle policy cannot run: pools have 0 with fallback: true; exactly one on-demand fallback pool is required/,
    );
  });

  it("fills a whole report: a series per policy, wait histograms, cost-vs-SLO curves from the search", async () => {
    const scenario = rateScenario("step", [...Array(60).fill(20), ...Array(60).fill(100)], 4);

    const report = await runComparison({ scenario, policies: ["reactive", "static-peak"], seed: 1, sloSeconds: 5 });

    expect(report.slo).toEqual({ waitSeconds: 5, target: 0.99 });
    expect(report.durationSeconds).toBe(7200);
    expect(report.summaries.map((s) => s.name)).toEqual(["reactive", "static-peak"]);
    expect(report.series.map((s) => [s.policy, s.tSeconds.length])).toEqual([
      ["reactive", 120],
      ["static-peak", 120],
    ]);
    for (const h of report.waitHistograms) {
      expect(h.edgesSeconds).toHaveLength(h.counts.length + 1);
      // 60 minutes at 48 requests and 60 at 240: every request served and counted once.
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(17_280);
    }
    for (const curve of report.costSlo) {
      expect(curve.points.length).toBeGreaterThan(2);
      expect(curve.points.map((p) => p.knob)).toEqual([...curve.points.map((p) => p.knob)].sort((a, b) => a - b));
    }
  });
});
