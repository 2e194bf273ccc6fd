import { describe, expect, it } from "vitest";
import { resolveScalingSettings, scalingConfig } from "../../functions/scaling/index";
import { DEFAULT_LIFECYCLE } from "../../sim/constants";
import { newEndpointMetrics, putPredicted, readableMinutes, readPredicted } from "../../sim/engine/cloudwatch";
import { hpaStep, newHpaState } from "../../sim/engine/hpa";
import { type RunOptions, type RunResult, runPolicy } from "../../sim/engine/run";
import { POLICIES } from "../../sim/policies/index";
import { lambdaReader, learntSecondsPerRequest } from "../../sim/policies/lambda";
import type { PolicyView } from "../../sim/policies/types";
import type { Scenario } from "../../sim/scenario";
import { DEFAULT_KNOBS } from "../../sim/sweep";
import { buildWorkload } from "../../sim/workload";
import { oneEndpoint, pool, profile, steady } from "./fixtures/scenarios";

const config = scalingConfig({
  endpointName: "m",
  minReplicas: 1,
  maxReplicas: 1000,
  settings: resolveScalingSettings(profile()),
});

function run(scenario: Scenario, policy: string, options: Partial<RunOptions> = {}): RunResult {
  return runPolicy(buildWorkload(scenario, 1), POLICIES[policy] as NonNullable<(typeof POLICIES)[string]>, {
    seed: 1,
    knobs: DEFAULT_KNOBS,
    lifecycle: { ...DEFAULT_LIFECYCLE, ...scenario.lifecycle },
    releaseOnSigterm: scenario.releaseOnSigterm ?? true,
    detail: true,
    ...options,
  });
}

describe("HPA behaviour as deployed", () => {
  it("doubles at most once a minute going up (100% or 4 pods per 60 s)", () => {
    const state = newHpaState();

    const first = hpaStep(state, config, 0, 10, 100);
    const sameMinute = hpaStep(state, config, 30, first, 100);
    const nextMinute = hpaStep(state, config, 61, sameMinute, 100);

    expect([first, sameMinute, nextMinute]).toEqual([20, 20, 40]);
  });

  it("holds the highest recommendation of the 300 s window, then gives up a quarter per minute", () => {
    const state = newHpaState();
    hpaStep(state, config, 0, 40, 40);

    expect(hpaStep(state, config, 200, 40, 4)).toBe(40);
    expect(hpaStep(state, config, 301, 40, 4)).toBe(30);
    expect(hpaStep(state, config, 320, 30, 4)).toBe(30);
    expect(hpaStep(state, config, 362, 30, 4)).toBe(23);
  });
});

describe("CloudWatch as the autoscaler and KEDA read it", () => {
  it("serves a PutMetricData value only after it is visible, and none once it is out of the 3-minute window", () => {
    const m = newEndpointMetrics(20);
    putPredicted(m, 60, 7);

    expect(readPredicted(m, 90, config.predicted, 60)).toBe(0);
    expect(readPredicted(m, 120, config.predicted, 60)).toBe(7);
    expect(readPredicted(m, 239, config.predicted, 60)).toBe(7);
    expect(readPredicted(m, 241, config.predicted, 60)).toBe(0);
  });

  it("serves an SQS minute only after the lag", () => {
    expect(readableMinutes(600, 120)).toBe(8);
    expect(readableMinutes(599, 120)).toBe(7);
  });

  it("learns the service time from the minutes already served by CloudWatch, never from later ones", () => {
    // The 4,000-token requests take 100 s: the SLO must allow one service time.
    const scenario = oneEndpoint([], { sloSeconds: 120 }, [pool()]);
    (scenario.endpoints[0] as Scenario["endpoints"][0]).trace = {
      kind: "requests",
      arrivalSeconds: [1, 2, 61, 62],
      contextTokens: [0, 0, 0, 0],
      generatedTokens: [40, 40, 4000, 4000],
    };
    const e = buildWorkload(scenario, 1).endpoints[0] as ReturnType<typeof buildWorkload>["endpoints"][0];

    expect(learntSecondsPerRequest(e, 0)).toBe(1);
    expect(learntSecondsPerRequest(e, 1)).toBeCloseTo(0.05 + 40 * 0.025, 9);
    expect(learntSecondsPerRequest(e, 2)).toBeCloseTo((2 * 1.05 + 2 * 100.05) / 4, 9);
  });
});

describe("what the simulated autoscaler reads", () => {
  it("reads the readable minutes of the last 15 days on every tick, the same as a fresh copy", () => {
    const minutes = 15 * 1440 + 200;
    const counts = Array.from({ length: minutes }, (_, m) => (m * 7) % 13);
    const scenario = oneEndpoint([], {}, [pool()]);
    (scenario.endpoints[0] as Scenario["endpoints"][0]).trace = { kind: "per-minute", counts, peakRps: 0.2 };
    const workload = buildWorkload(scenario, 1);
    const perMinute = workload.endpoints[0]?.perMinute as Float64Array;
    const read = lambdaReader({ workload, lifecycle: DEFAULT_LIFECYCLE, knobs: DEFAULT_KNOBS });
    const view = (readableMinutes: number): PolicyView => ({
      nowSeconds: readableMinutes * 60,
      nowMs: workload.startMs + readableMinutes * 60_000,
      minute: readableMinutes,
      readableMinutes,
      endpoints: [],
      pools: [],
    });
    for (const readable of [0, 1, 2, 500, 15 * 1440, 15 * 1440 + 1, minutes]) {
      const from = Math.max(0, readable - 15 * 1440);
      const { arrivals } = read(view(readable), 0);
      expect(arrivals.values, `readable ${readable}`).toEqual(Array.from(perMinute.subarray(from, readable)));
      expect(arrivals.startMs).toBe(workload.startMs + from * 60_000);
    }
  });
});

describe("Cluster Autoscaler and the spot market", () => {
  const stepUp = steady([
    [1800, 1],
    [3600, 6],
  ]);

  it("fails over to the on-demand pool at once when no zone has spot capacity", () => {
    const spot = pool({
      name: "spot",
      capacityType: "spot",
      fallback: false,
      // A burst in the first minutes, then no capacity for the rest of the run in the only zone.
      spot: { zones: 1, burstsPerDay: 2000, burstShare: 0, shortageSeconds: 86_400, interruptionsPerNodeMonth: 0 },
    });
    const scenario = oneEndpoint(stepUp, { secondsPerRequest: 1 }, [spot, pool()]);

    const r = run(scenario, "reactive", { knobs: { ...DEFAULT_KNOBS, primary: 8 } });

    const onDemand = r.series[0]?.onDemandGpus ?? [];
    const before = onDemand[29] as number;
    const first = onDemand.findIndex((g, m) => m >= 30 && g > before);
    // Lead time of a new node is about 6 minutes; waiting out --max-node-provision-time would add 15.
    expect(first).toBeGreaterThanOrEqual(30);
    expect(first).toBeLessThan(30 + 10);
    expect(r.launchFailures).toBeGreaterThan(0);
  });

  it("launches in the other zones while one zone is short", () => {
    const spot = pool({
      name: "spot",
      capacityType: "spot",
      fallback: false,
      spot: { zones: 3, burstsPerDay: 6, burstShare: 0, shortageSeconds: 1800, interruptionsPerNodeMonth: 0 },
    });
    const scenario = oneEndpoint(stepUp, { secondsPerRequest: 1 }, [spot, pool()]);

    const r = run(scenario, "reactive", { knobs: { ...DEFAULT_KNOBS, primary: 8 } });

    expect(r.launchFailures).toBe(0);
    expect(r.spotShare).toBe(1);
  });
});

describe("batching inside a replica", () => {
  it.each([
    [0, 1],
    [0.1, 1.3],
  ])("with slowdown %d, four 1 s requests served together take %d s each", (batchSlowdown, seconds) => {
    // Four requests at once every minute, one replica that takes four, a whole GPU.
    const arrivals = Array.from({ length: 30 }, (_, m) => [0, 0, 0, 0].map(() => m * 60 + 0.5)).flat();
    const scenario: Scenario = {
      ...oneEndpoint(arrivals, { secondsPerRequest: 1, concurrencyPerReplica: 4, sloSeconds: 5 }, [pool()]),
      batchSlowdown,
    };

    const r = run(scenario, "static-peak", { knobs: { ...DEFAULT_KNOBS, primary: 0.01 } });

    expect(r.p99WaitSeconds).toBe(0);
    expect(r.p99LatencySeconds).toBeCloseTo(seconds, 5);
  });
});

describe("SQS and the SLO", () => {
  it("moves a message to the dead-letter queue after maxReceiveCount receives", () => {
    // 100 s requests on nodes interrupted every minute or two: most are received three times and never finish.
    const spot = pool({
      name: "spot",
      capacityType: "spot",
      fallback: false,
      spot: { interruptionsPerNodeMonth: 30_000, burstsPerDay: 0 },
    });
    const scenario: Scenario = {
      ...oneEndpoint(steady([[1800, 0.05]]), { secondsPerRequest: 100, sloSeconds: 100 }, [
        { ...spot, fallback: true },
      ]),
      releaseOnSigterm: true,
    };

    const r = run(scenario, "static-peak", { knobs: { ...DEFAULT_KNOBS, primary: 4 } });

    expect(r.deadLettered).toBeGreaterThan(0);
    expect(r.lostRequests).toBeGreaterThanOrEqual(r.deadLettered);
  });

  it("counts the service time against a latency SLO but not against a queue-wait SLO", () => {
    // 8 s requests, capacity for every request at once: no wait, but latency 8 s + a little.
    const scenario = oneEndpoint(steady([[1800, 0.5]]), { secondsPerRequest: 8, sloSeconds: 8 }, [pool()]);
    const workload = buildWorkload(scenario, 1);
    // A 5 s SLO, set past the scenario check (which wants an SLO of at least one request): wait meets it, latency cannot.
    for (const e of workload.endpoints) e.profile = { ...e.profile, sloSeconds: 5 };
    const runOn = (sloOnLatency: boolean) =>
      runPolicy(workload, POLICIES["static-peak"] as NonNullable<(typeof POLICIES)[string]>, {
        seed: 1,
        knobs: { ...DEFAULT_KNOBS, primary: 3 },
        lifecycle: { ...DEFAULT_LIFECYCLE, ...scenario.lifecycle },
        releaseOnSigterm: true,
        detail: true,
        sloOnLatency,
      });

    const onWait = runOn(false);
    const onLatency = runOn(true);

    expect(onWait.sloAttainment).toBe(1);
    expect(onLatency.sloAttainment).toBe(0);
    expect(onLatency.p99LatencySeconds).toBeGreaterThanOrEqual(8);
  });
});
