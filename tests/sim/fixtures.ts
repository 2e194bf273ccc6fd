import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EndpointProfile } from "../../functions/contract";
import type { Scenario, ScenarioPool } from "../../sim/scenario";

export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "gpufleet-sim-")), name);
  writeFileSync(path, text);
  return path;
}

export function profile(overrides: Partial<EndpointProfile> = {}): EndpointProfile {
  return {
    secondsPerRequest: 1,
    concurrencyPerReplica: 1,
    modelLoadSeconds: 30,
    sloSeconds: 10,
    minReplicas: 1,
    maxReplicas: 200,
    ...overrides,
  };
}

export function pool(overrides: Partial<ScenarioPool> = {}): ScenarioPool {
  return {
    name: "od",
    capacityType: "on-demand",
    fallback: true,
    instanceTypes: ["g5.xlarge"],
    gpusPerNode: 1,
    slicesPerGpu: 1,
    minNodes: 0,
    maxNodes: 200,
    ...overrides,
  };
}

/** Requests at a fixed rate per segment: [[seconds, requests per second], ...]. */
export function steady(segments: [number, number][], offset = 0.123): number[] {
  const out: number[] = [];
  // The offset keeps arrivals off the controllers' whole-second polling instants.
  let t0 = offset;
  for (const [seconds, rps] of segments) {
    for (let t = 0; t < seconds * rps; t++) out.push(t0 + t / rps);
    t0 += seconds;
  }
  return out;
}

export function oneEndpoint(arrivalSeconds: number[], p: Partial<EndpointProfile>, pools: ScenarioPool[]): Scenario {
  return {
    name: "test",
    endpoints: [
      { name: "m", profile: profile(p), pools: pools.map((x) => x.name), trace: { kind: "requests", arrivalSeconds } },
    ],
    pools,
  };
}

/** A per-minute envelope: a daily sine with a burst every few hours. */
export function diurnalCounts(minutes: number, period = 1440, burstEvery = 0): number[] {
  return Array.from({ length: minutes }, (_, m) => {
    const base = 0.55 + 0.45 * Math.sin((m / period) * 2 * Math.PI);
    const burst = burstEvery > 0 && m % burstEvery < 5 ? 2 : 1;
    return Math.round(100 * base * burst);
  });
}
