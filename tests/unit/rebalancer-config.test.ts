import { describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/problems";
import { DEFAULT_REBALANCER_TUNABLES, rebalancerConfig } from "../../functions/rebalancer/core";
import { pools } from "./support/rebalancer-fixtures";

describe("rebalancerConfig", () => {
  it("finds the fallback and the spot pools and applies defaults", () => {
    const config = rebalancerConfig(pools());
    expect(config.fallbackPool).toBe("od");
    expect(config.spotPools).toEqual(["spot-a", "spot-b"]);
    expect(config.tunables).toEqual(DEFAULT_REBALANCER_TUNABLES);
  });

  it("takes overrides and ignores undefined ones", () => {
    const config = rebalancerConfig(pools(), { stableSeconds: 120, healthHalfLifeSeconds: undefined });
    expect(config.tunables.stableSeconds).toBe(120);
    expect(config.tunables.healthHalfLifeSeconds).toBe(DEFAULT_REBALANCER_TUNABLES.healthHalfLifeSeconds);
  });

  const cases: [string, () => Parameters<typeof rebalancerConfig>, string][] = [
    ["no pools", () => [[]], "pools ([]) must list at least the fallback pool"],
    [
      "no fallback",
      () => [pools().map((p) => ({ ...p, fallback: false }))],
      "pools have 0 with fallback: true; exactly one on-demand fallback pool is required",
    ],
    [
      "two fallbacks",
      () => [
        [
          ...pools(),
          ...pools()
            .filter((p) => p.fallback)
            .map((p) => ({ ...p, name: "od2" })),
        ],
      ],
      "pools have 2 with fallback: true; exactly one on-demand fallback pool is required",
    ],
    [
      "a spot fallback",
      () => [pools().map((p, i) => (i === 0 ? { ...p, fallback: true } : p))],
      'pools[0].fallback (true) requires capacityType "on-demand", not "spot"',
    ],
    [
      "a repeated name",
      () => [pools().map((p, i) => (i === 1 ? { ...p, name: "spot-a" } : p))],
      'pools[1].name ("spot-a") repeats pools[0].name',
    ],
    [
      "zero GPUs per node",
      () => [pools().map((p, i) => (i === 1 ? { ...p, gpusPerNode: 0 } : p))],
      "pools[1].gpusPerNode (0) must be an integer of at least 1",
    ],
    [
      "max below min",
      () => [pools().map((p, i) => (i === 2 ? { ...p, minNodes: 3, maxNodes: 2 } : p))],
      "pools[2].maxNodes (2) must be an integer of at least minNodes (3)",
    ],
    [
      "a zero stable period",
      () => [pools(), { stableSeconds: 0 }],
      "tunables.stableSeconds (0) must be a finite number greater than 0",
    ],
    [
      "thresholds the wrong way round",
      () => [pools(), { degradedScore: 3, unavailableScore: 2 }],
      "tunables.unavailableScore (2) must be greater than degradedScore (3)",
    ],
  ];

  it.each(cases)("rejects %s", (_name, args, message) => {
    const call = () => rebalancerConfig(...args());
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });
});

describe("rebalancerConfig tunables", () => {
  it("refuses a key that is not a tunable, naming the nearest one", () => {
    expect(() => rebalancerConfig(pools(), { stableSecnds: 900 } as never)).toThrow(
      "invalid rebalancer configuration:\ntunables.stableSecnds is not a known setting: did you mean stableSeconds?",
    );
  });
});
