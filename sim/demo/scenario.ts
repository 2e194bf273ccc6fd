import type { EndpointProfile } from "../../functions/contract";
import { g5SpotPool, onDemandFallbackPool } from "../pools";
import type { Scenario, ScenarioEndpoint, ScenarioPool } from "../scenario";
import { perMinuteCounts, type RateShape } from "./arrivals";
import { deriveSeed } from "./random";

/**
 * The built-in demo: three endpoints of different sizes sharing two spot g5 pools and an
 * on-demand fallback for two days. Every figure is a round, documented estimate for an NVIDIA
 * A10G (24 GiB, the GPU of every g5 size) sliced four ways: 6 GiB and a quarter of the GPU per
 * slice when all four replicas are busy. docs/report.md lists the same values.
 */
export interface DemoEndpoint {
  name: string;
  /** What the numbers model, printed in the report's notes. */
  rationale: string;
  profile: EndpointProfile;
  traffic: RateShape;
}

export const DEMO_ENDPOINTS: readonly DemoEndpoint[] = [
  {
    name: "chat-7b",
    rationale:
      "7B chat LLM, 4-bit AWQ weights (~4 GiB) plus KV cache for 8 sequences fit a 6 GiB slice; " +
      "~500 prompt tokens at ~2,000 tokens/s and ~150 generated at ~40 tokens/s: 4 s per request, " +
      "8 sequences batched per replica; a 7B load takes 20-40 s (40 s used); business-hours traffic " +
      "with launch spikes; 10 s queue SLO for an interactive chat.",
    profile: {
      secondsPerRequest: 4,
      concurrencyPerReplica: 8,
      modelLoadSeconds: 40,
      sloSeconds: 10,
      minReplicas: 1,
      maxReplicas: 80,
    },
    traffic: {
      peakRps: 3,
      floor: 0.12,
      peaks: [
        { hour: 10.5, widthHours: 2, weight: 0.9 },
        { hour: 15, widthHours: 2.5, weight: 1 },
      ],
      dayLevels: [1, 0.9],
      bursts: { perDay: 2, factor: [1.5, 2.5], minutes: [15, 40], shape: "spike" },
      noise: 0.1,
    },
  },
  {
    name: "embed-bge",
    rationale:
      "BGE-large-class embedding model (335M parameters, under 1 GiB in fp16); a request embeds a " +
      "batch of 128 document chunks in ~1 s with 4 batches in flight per replica; loads in ~8 s; " +
      "steady API traffic plus re-indexing jobs that triple the rate for up to an hour; 2 s SLO.",
    profile: {
      secondsPerRequest: 1,
      concurrencyPerReplica: 4,
      modelLoadSeconds: 8,
      sloSeconds: 2,
      minReplicas: 1,
      maxReplicas: 40,
    },
    traffic: {
      peakRps: 2,
      floor: 0.35,
      peaks: [{ hour: 13, widthHours: 4, weight: 1 }],
      dayLevels: [1, 1],
      bursts: { perDay: 2, factor: [2, 3], minutes: [20, 60], shape: "plateau" },
      noise: 0.15,
    },
  },
  {
    name: "image-sd",
    rationale:
      "Stable Diffusion 1.5-class image model (~4 GiB in fp16 at 512x512 fits a slice); 25 steps " +
      "take ~2.5 s on a whole A10G, one image at a time per replica; loads in ~25 s; consumer " +
      "traffic peaking in the evening, one viral spike a day; 30 s queue SLO.",
    profile: {
      secondsPerRequest: 2.5,
      concurrencyPerReplica: 1,
      modelLoadSeconds: 25,
      sloSeconds: 30,
      minReplicas: 1,
      maxReplicas: 60,
    },
    traffic: {
      peakRps: 1.5,
      floor: 0.1,
      peaks: [{ hour: 20.5, widthHours: 2.5, weight: 1 }],
      dayLevels: [1, 1.1],
      bursts: { perDay: 1, factor: [2, 3], minutes: [30, 90], shape: "spike" },
      noise: 0.1,
    },
  },
];

/**
 * Two spot pools of different g5 sizes (separate spot markets, so one reclaim wave rarely takes
 * both: the diversification AWS recommends) and an on-demand fallback. Prices are us-east-1 list
 * (on-demand) and the middle of the observed spot band, as in sim/constants.ts.
 */
export const DEMO_POOLS: readonly ScenarioPool[] = [
  {
    ...g5SpotPool("g5-xlarge-spot", 30),
    pricePerNodeHour: 0.4,
    // The harsher market of the two: the simulator's defaults (one zone-wide reclaim a day).
    spot: {},
  },
  {
    ...g5SpotPool("g5-2xlarge-spot", 30),
    instanceTypes: ["g5.2xlarge"],
    pricePerNodeHour: 0.48,
    // A calmer market: a reclaim wave every other day, half the background rate.
    spot: { burstsPerDay: 0.5, interruptionsPerNodeMonth: 0.1 },
  },
  { ...onDemandFallbackPool("g5-on-demand", 30), pricePerNodeHour: 1.006 },
];

export const DEMO_DAYS = 2;

export interface DemoOptions {
  /** Seed of the demo's traffic (bursts and noise). @default 1 */
  seed?: number;
  /** Multiplies every endpoint's peak rate, to try the demo at a larger or smaller size. @default 1 */
  scale?: number;
  /** @default DEMO_DAYS */
  days?: number;
}

/** The demo as a simulator scenario: deterministic for a seed, generated without any file. */
export function demoScenario(options: DemoOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const days = options.days ?? DEMO_DAYS;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`demo scale (${scale}) must be a positive number`);
  if (!Number.isInteger(days) || days < 1 || days > 14) {
    throw new RangeError(`demo days (${days}) must be a whole number between 1 and 14`);
  }
  const minutes = days * 1440;
  const poolNames = DEMO_POOLS.map((p) => p.name);
  const endpoints: ScenarioEndpoint[] = DEMO_ENDPOINTS.map((e) => ({
    name: e.name,
    profile: { ...e.profile },
    pools: [...poolNames],
    trace: {
      kind: "per-minute",
      counts: perMinuteCounts({ ...e.traffic, peakRps: e.traffic.peakRps * scale }, minutes, deriveSeed(seed, e.name)),
    },
  }));
  return {
    name: `built-in demo (${DEMO_ENDPOINTS.length} endpoints, ${days} days, seed ${seed})`,
    endpoints,
    pools: DEMO_POOLS.map((p) => ({
      ...p,
      instanceTypes: [...p.instanceTypes],
      spot: p.spot ? { ...p.spot } : undefined,
    })),
    durationSeconds: minutes * 60,
  };
}

/** Lines for the report's notes: what each demo endpoint models. */
export function demoNotes(): string[] {
  return DEMO_ENDPOINTS.map((e) => `${e.name}: ${e.rationale}`);
}
