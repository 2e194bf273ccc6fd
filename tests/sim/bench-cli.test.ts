import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { capture } from "../support/capture";
import { tempFile } from "./fixtures/scenarios";

const rateTrace = () =>
  tempFile(
    "rate.csv",
    `minute,count\n${Array.from({ length: 90 }, (_, m) => `${m},${m < 45 ? 30 : 90}`).join("\n")}\n`,
  );

describe("gpufleet bench", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("prints only the JSON document on stdout with --json, progress on stderr", async () => {
    const io = capture();
    const trace = rateTrace();

    const code = await main([
      "bench",
      "--trace",
      trace,
      "--peak-rps",
      "3",
      "--slo-seconds",
      "8",
      "--seed",
      "5",
      "--policies",
      "reactive,static-peak,foresight",
      "--seeds",
      "2",
      "--settings",
      "3",
      "--workers",
      "1",
      "--json",
    ]);

    expect(code).toBe(0);
    const doc = JSON.parse(io.out());
    expect(Object.keys(doc)).toEqual(["trace", "slo", "seeds", "lowerBoundUsd", "policies"]);
    expect(doc.trace).toBe(trace);
    expect(doc.slo).toEqual({ waitSeconds: 8, target: 0.99, on: "wait" });
    expect(doc.seeds).toEqual([5, 6]);
    expect(doc.lowerBoundUsd).toBeGreaterThan(0);
    expect(doc.policies.map((p: { name: string }) => p.name)).toEqual(["reactive", "static-peak", "foresight"]);
    for (const p of doc.policies) {
      expect(Object.keys(p)).toEqual([
        "name",
        "costUsd",
        "gpuHours",
        "spotShare",
        "sloAttainment",
        "p99WaitSeconds",
        "p99LatencySeconds",
        "lostRequests",
        "deadLettered",
        "costAtSloUsd",
        "costAtSloCi95",
        "tunedKnobs",
        "frontier",
      ]);
      expect(p.lostRequests).toBe(0);
      expect(p.frontier.length).toBeGreaterThan(0);
      expect(Object.keys(p.frontier[0])).toEqual(["knob", "minShare", "unneededSeconds", "costUsd", "sloAttainment"]);
      if (p.costAtSloUsd !== null) {
        expect(p.costAtSloCi95[0]).toBeLessThanOrEqual(p.costAtSloUsd);
        expect(p.costAtSloCi95[1]).toBeGreaterThanOrEqual(p.costAtSloUsd);
        expect(p.costAtSloUsd).toBeGreaterThanOrEqual(doc.lowerBoundUsd);
      }
    }
    expect(io.err()).toContain("reactive seed 5 knob 1.000");
  }, 120_000);

  it("prints a table without --json", async () => {
    const io = capture();

    const code = await main([
      "bench",
      "--trace",
      rateTrace(),
      "--peak-rps",
      "3",
      "--policies",
      "static-peak",
      "--no-search",
    ]);

    expect(code).toBe(0);
    expect(io.out()).toMatch(
      /^policy +cost \$ +GPU-h +spot +SLO +p50 wait +p99 wait +lost +interrupts +cost@SLO \$ +95% CI +vs gpufleet$/m,
    );
    expect(io.out()).toMatch(/^static-peak /m);
  });

  it("shows its help", async () => {
    const io = capture();

    expect(await main(["bench", "--help"])).toBe(0);
    expect(io.out()).toContain("Usage: gpufleet bench (--trace FILE | --scenario FILE [--trace FILE]) [options]");
  });

  it.each([
    [
      ["--trace", "x.csv", "--peak-rps", "fast"],
      'gpufleet bench: --peak-rps ("fast") must be a number above 0 and at most 100000\n',
    ],
    [[], "gpufleet bench: --trace or --scenario is required (see gpufleet bench --help)\n"],
    [
      ["--trace", "x.csv", "--policies", "psychic"],
      'gpufleet bench: --policies ("psychic") names no policy (known: gpufleet, reactive, predictive-hourly, static-peak, foresight, gpufleet-no-prediction, gpufleet-no-rebalancer, gpufleet-uniform-margin)\n',
    ],
    [["--trace", "/nonexistent.csv"], "gpufleet bench: /nonexistent.csv: (file) cannot be read (ENOENT)\n"],
  ])("rejects %j with exit code 2 and one clear line", async (args, message) => {
    const io = capture();

    expect(await main(["bench", ...args])).toBe(2);
    expect(io.err()).toBe(message);
  });

  it("names the field of an invalid scenario file", async () => {
    const io = capture();
    const scenario = tempFile(
      "scenario.yaml",
      [
        "name: bad",
        "pools:",
        "  - { name: od, capacityType: on-demand, fallback: true, instanceTypes: [g5.xlarge], gpusPerNode: 1, slicesPerGpu: 64, minNodes: 0, maxNodes: 4 }",
        "endpoints:",
        "  - name: m",
        "    pools: [od]",
        "    trace: { kind: per-minute, counts: [1, 2] }",
        "    profile: { secondsPerRequest: 1, concurrencyPerReplica: 1, modelLoadSeconds: 1, sloSeconds: 5, minReplicas: 1, maxReplicas: 2 }",
      ].join("\n"),
    );

    expect(await main(["bench", "--scenario", scenario])).toBe(2);
    expect(io.err()).toBe(`gpufleet bench: ${scenario}: pools[0].slicesPerGpu (64) must be at most 48\n`);
  });
});
