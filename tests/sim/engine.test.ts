import { describe, expect, it } from "vitest";
import { DEFAULT_LIFECYCLE } from "../../sim/constants";
import { type RunResult, runPolicy } from "../../sim/engine/run";
import { POLICIES } from "../../sim/policies/index";
import type { PolicyFactory } from "../../sim/policies/types";
import type { Scenario } from "../../sim/scenario";
import { DEFAULT_KNOBS } from "../../sim/sweep";
import { buildWorkload } from "../../sim/workload";
import { oneEndpoint, pool, steady } from "./fixtures/scenarios";

function run(scenario: Scenario, policy: string | PolicyFactory, knob = 1, seed = 1): RunResult {
  const factory = typeof policy === "string" ? POLICIES[policy] : policy;
  if (!factory) throw new Error(String(policy));
  return runPolicy(buildWorkload(scenario, seed), factory, {
    seed,
    knobs: { ...DEFAULT_KNOBS, primary: knob },
    lifecycle: { ...DEFAULT_LIFECYCLE, ...scenario.lifecycle },
    releaseOnSigterm: scenario.releaseOnSigterm ?? true,
    detail: true,
  });
}

/** Half an hour at 0.5 req/s, an hour at 6, an hour at 0.5, on a pool sliced 4 ways. */
function peakAndTrough(): Scenario {
  return oneEndpoint(
    steady([
      [1800, 0.5],
      [3600, 6],
      [3600, 0.5],
    ]),
    { secondsPerRequest: 1, sloSeconds: 30 },
    [pool({ slicesPerGpu: 4 })],
  );
}

describe("simulation engine", () => {
  it("serves constant load with exactly the replicas it needs (reactive and static-peak)", () => {
    // 2 requests/s of 1.5 s each, one request per replica, a whole GPU per replica: 3 busy replicas.
    const scenario = oneEndpoint(steady([[3600, 2]]), { secondsPerRequest: 1.5 }, [pool()]);

    // Reactive with its SQS target divided by 7: one message per replica (the deployed target is 7).
    for (const [policy, knob] of [
      ["reactive", 7],
      ["static-peak", 1],
    ] as const) {
      const r = run(scenario, policy, knob);
      const replicas = (r.series[0]?.replicas ?? []).slice(10);
      expect(new Set(replicas), policy).toEqual(new Set([3]));
      expect(r.sloAttainment, policy).toBe(1);
      expect(r.gpuHours, policy).toBeCloseTo(3, 1);
      expect(r.costUsd, policy).toBeCloseTo(3 * 1.006, 1);
    }
  });

  it("time-slices a GPU: four busy replicas on one GPU serve 5% less than the GPU alone", () => {
    // Two 1 s requests every 2 s on 4 replicas of one GPU: two busy replicas share it, the GPU
    // serves 0.95 requests/s, so 0.05/s pile up (alone each would finish in time).
    const pairs = steady([[3600, 0.5]]).flatMap((t) => [t, t]);
    const scenario = oneEndpoint(pairs, { secondsPerRequest: 1 }, [pool({ slicesPerGpu: 4 })]);

    const r = run(scenario, "static-peak", 0.95);

    // Billing runs until the last request is served: the ~180 queued requests take ~190 s more.
    expect(r.gpuHours).toBeGreaterThan(1.04);
    expect(r.gpuHours).toBeLessThan(1.07);
    expect(r.series[0]?.replicas.at(-1)).toBe(4);
    expect(r.series[0]?.backlog.at(-1)).toBeGreaterThan(170);
    expect(r.series[0]?.backlog.at(-1)).toBeLessThan(190);
    expect(r.lostRequests).toBe(0);
  });

  it("follows a step in load with bounded lag", () => {
    const scenario = oneEndpoint(
      steady([
        [1800, 1],
        [3600, 4],
      ]),
      { secondsPerRequest: 1 },
      [pool()],
    );

    const r = run(scenario, "reactive");

    const replicas = r.series[0]?.replicas ?? [];
    expect(replicas[29]).toBe(1);
    // Lead time: KEDA, HPA, CA scan, boot, device plugin, image pull, model load: under 8 minutes.
    const lag = replicas.findIndex((n, m) => m >= 30 && n >= 4) - 30;
    expect(lag).toBeGreaterThanOrEqual(3);
    expect(lag).toBeLessThanOrEqual(8);
    expect(r.lostRequests).toBe(0);
  });

  it("holds replicas after a drop for the deployed 300 s window, or for a policy's own", () => {
    // 2 requests/s of 1.5 s, then a tenth of it; the SQS target divided by 7 is one message per replica.
    const scenario = oneEndpoint(
      steady([
        [3600, 2],
        [3600, 0.2],
      ]),
      { secondsPerRequest: 1.5 },
      [pool()],
    );
    const reactive = POLICIES.reactive as PolicyFactory;
    const deployedWindow: PolicyFactory = (env) => ({ ...reactive(env), scaleDownWindowSeconds: undefined });
    // Minutes from the drop to the first minute with fewer replicas than before it.
    const fall = (factory: PolicyFactory): number => {
      const replicas = run(scenario, factory, 7).series[0]?.replicas ?? [];
      return replicas.findIndex((n, m) => m >= 60 && n < (replicas[59] as number)) - 60;
    };

    const deployed = fall(deployedWindow);
    const queueOnly = fall(reactive);
    // The window holds the peak's recommendation after the drop:
    // 300 s deployed, 600 s for reactive (QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS).
    expect(deployed).toBeGreaterThanOrEqual(4);
    expect(deployed).toBeLessThanOrEqual(6);
    expect(queueOnly - deployed).toBe(5);
  });

  it.each([true, false])("loses no request under heavy spot interruptions (release on SIGTERM: %s)", (release) => {
    const spot = pool({
      name: "spot",
      capacityType: "spot",
      fallback: false,
      // One zone: a burst's shortage leaves no zone to launch in, so every policy falls back to on-demand.
      spot: { interruptionsPerNodeMonth: 3000, burstsPerDay: 24, burstShare: 1, shortageSeconds: 1200, zones: 1 },
    });
    const scenario: Scenario = {
      ...oneEndpoint(steady([[6 * 3600, 3]]), { secondsPerRequest: 2, concurrencyPerReplica: 2 }, [spot, pool()]),
      releaseOnSigterm: release,
    };

    for (const policy of ["gpufleet", "reactive", "predictive-hourly", "static-peak", "foresight"]) {
      const r = run(scenario, policy);
      expect(r.lostRequests, policy).toBe(0);
      expect(r.interruptions, policy).toBeGreaterThanOrEqual(3);
      expect(r.spotShare, policy).toBeLessThan(1);
    }
  });

  it("drains a node's pods together: a released message never passes from pod to pod of the node", () => {
    // Four pods of one endpoint share each GPU, each half busy with 30 s requests, so at every
    // interruption the node's other pods have free slots when the first releases its messages.
    const spot = pool({
      name: "spot",
      capacityType: "spot",
      fallback: false,
      slicesPerGpu: 4,
      spot: { interruptionsPerNodeMonth: 3000, burstsPerDay: 0, zones: 1 },
    });
    const scenario = oneEndpoint(
      steady([[6 * 3600, 0.5]]),
      { secondsPerRequest: 30, concurrencyPerReplica: 2, sloSeconds: 60 },
      [spot, pool({ slicesPerGpu: 4 })],
    );

    const r = run(scenario, "static-peak", 2);

    expect(r.interruptions).toBeGreaterThanOrEqual(10);
    expect(r.deadLettered).toBe(0);
    expect(r.lostRequests).toBe(0);
  });

  it("places and removes pods as Kubernetes does: spread over nodes, deleted from the most crowded node first", () => {
    // A peak of 6 req/s, then 0.5 req/s on a pool sliced 4 ways. The scheduler puts each new
    // pod on the node with the fewest replicas of the endpoint (soft topology spread, least
    // allocated) and the ReplicaSet deletes from the node with the most, so every node keeps
    // one replica and none empties: the Cluster Autoscaler, which may not evict them, keeps
    // them all. Packed, the same replicas would fit on a quarter of the GPUs.
    const r = run(peakAndTrough(), "reactive");

    const s = r.series[0];
    const gpus = (m: number) => (s?.spotGpus[m] ?? 0) + (s?.onDemandGpus[m] ?? 0);
    for (const m of [70, 80, 90]) {
      expect(s?.replicas[m], `minute ${m}`).toBeGreaterThan(4);
      expect(gpus(m), `minute ${m}`).toBe(s?.replicas[m]);
    }
    expect(r.lostRequests).toBe(0);
  });

  it("with GpuCluster's scale-in packer, scale-in empties the least occupied nodes and the autoscaler removes them", () => {
    // The same peak and trough as above. The packer's deletion cost (the node's pod count,
    // as of its last pass) makes the ReplicaSet delete from the emptiest node first, so the
    // replicas end up sharing GPUs and the emptied nodes go.
    const r = run({ ...peakAndTrough(), scaleInPacker: true }, "reactive");

    const s = r.series[0];
    const gpus = (m: number) => (s?.spotGpus[m] ?? 0) + (s?.onDemandGpus[m] ?? 0);
    // Unpacked, every one of these minutes had a GPU per replica.
    for (const m of [70, 80]) expect(gpus(m), `minute ${m}`).toBeLessThan(s?.replicas[m] ?? 0);
    for (const m of [120, 140]) {
      expect(gpus(m), `minute ${m}`).toBeLessThanOrEqual(Math.ceil((s?.replicas[m] ?? 0) / 4));
    }
    expect(r.lostRequests).toBe(0);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const scenario: Scenario = {
      name: "rate",
      endpoints: [
        {
          name: "m",
          profile: oneEndpoint([], {}, []).endpoints[0]?.profile as Scenario["endpoints"][0]["profile"],
          pools: ["spot", "od"],
          trace: { kind: "per-minute", counts: Array.from({ length: 240 }, (_, m) => 60 + (m % 60)), peakRps: 3 },
        },
      ],
      pools: [pool({ name: "spot", capacityType: "spot", fallback: false, spot: { burstsPerDay: 12 } }), pool()],
    };

    const a = run(scenario, "reactive", 1, 42);
    const b = run(scenario, "reactive", 1, 42);
    const c = run(scenario, "reactive", 1, 43);

    const figures = (r: RunResult) => [r.costUsd, r.sloAttainment, r.p99WaitSeconds, r.interruptions, r.series];
    expect(figures(b)).toEqual(figures(a));
    expect(figures(c)).not.toEqual(figures(a));
  });
});
