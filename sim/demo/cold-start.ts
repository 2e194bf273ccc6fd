import type { Scenario, ScenarioEndpoint } from "../scenario";
import { deriveSeed, seededRandom } from "./random";
import { DEMO_ENDPOINTS, DEMO_POOLS, type DemoOptions } from "./scenario";

/** Minutes of silence before the launch, and the run's length. */
export const COLD_START_QUIET_MINUTES = 30;
export const COLD_START_MINUTES = 180;

/**
 * Per-minute counts of a launch: nothing for `quietMinutes`, then the full rate at once, with
 * minute-to-minute noise. Pure and deterministic for a seed.
 */
export function stepCounts(
  peakRps: number,
  minutes: number,
  quietMinutes: number,
  noise: number,
  seed: number,
): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: minutes }, (_, m) => {
    const jitter = 1 + noise * (2 * random() - 1);
    return m < quietMinutes ? 0 : Math.max(0, Math.round(peakRps * 60 * jitter));
  });
}

/**
 * The demo's cold start, a separate scenario because every regular run starts warm: the same
 * endpoints and pools with no replica and no node running (minReplicas 0), quiet for half an
 * hour, then every endpoint at its daily peak at once, for two and a half hours. It measures what
 * the lifecycle delays (node boot, device plugin, image pull, model load) cost each policy.
 */
export function coldStartScenario(options: Omit<DemoOptions, "days"> = {}): Scenario {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`demo scale (${scale}) must be a positive number`);
  const poolNames = DEMO_POOLS.map((p) => p.name);
  const endpoints: ScenarioEndpoint[] = DEMO_ENDPOINTS.map((e) => ({
    name: e.name,
    profile: { ...e.profile, minReplicas: 0 },
    pools: [...poolNames],
    trace: {
      kind: "per-minute",
      counts: stepCounts(
        e.traffic.peakRps * scale,
        COLD_START_MINUTES,
        COLD_START_QUIET_MINUTES,
        e.traffic.noise,
        deriveSeed(seed, `cold-start:${e.name}`),
      ),
    },
  }));
  return {
    name: `built-in demo, cold start (${DEMO_ENDPOINTS.length} endpoints, ${COLD_START_MINUTES / 60} hours, seed ${seed})`,
    endpoints,
    pools: DEMO_POOLS.map((p) => ({
      ...p,
      instanceTypes: [...p.instanceTypes],
      minNodes: 0,
      spot: p.spot ? { ...p.spot } : undefined,
    })),
    durationSeconds: COLD_START_MINUTES * 60,
  };
}
