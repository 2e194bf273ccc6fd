/**
 * What a simulation runs: endpoints (with the same EndpointProfile a ModelEndpoint
 * exposes), the GPU pools they share (PoolDescriptor, as the rebalancer sees them) and the
 * traffic each endpoint receives. `gpufleet bench --scenario FILE` and `gpufleet simulate`
 * read one from JSON or YAML; `scenarioFromTrace` builds the one-endpoint default.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { EndpointProfile, PoolDescriptor } from "../functions/contract";
import { ConfigError, type Problem, parseWith, throwIfProblems } from "../functions/problems";
import { endpointProfileSchema } from "../functions/profile";
import { DEFAULT_LIFECYCLE, type LifecycleDelays, type SpotModel } from "./constants";
import { g5SpotPool, onDemandFallbackPool } from "./pools";
import { printable } from "./text";

/** Where an endpoint's requests come from. */
export type TraceSpec =
  /** A CSV file in either supported format (detected from its header). */
  | {
      kind: "file";
      path: string;
      /** Rate traces: requests/s of the busiest minute after scaling (required for per-minute files). */
      peakRps?: number;
      /** Use only this window of the trace, in minutes from its start. */
      startMinute?: number;
      minutes?: number;
    }
  /** Requests per minute, spread within each minute like a per-minute file. */
  | { kind: "per-minute"; counts: number[]; peakRps?: number }
  /** Explicit requests: arrival seconds from the start (ascending) and optional token counts. */
  | { kind: "requests"; arrivalSeconds: number[]; contextTokens?: number[]; generatedTokens?: number[] };

export interface ScenarioEndpoint {
  name: string;
  profile: EndpointProfile;
  /** Pools the endpoint may run on (node selector); the Cluster Autoscaler's priority picks among them. */
  pools: string[];
  trace: TraceSpec;
}

export interface ScenarioPool extends PoolDescriptor {
  /** Spot market of this pool (ignored for on-demand pools). */
  spot?: Partial<SpotModel>;
}

export interface Scenario {
  name: string;
  endpoints: ScenarioEndpoint[];
  pools: ScenarioPool[];
  /** Length of the run; defaults to the longest trace. */
  durationSeconds?: number;
  lifecycle?: Partial<LifecycleDelays>;
  /**
   * Whether a replica that gets SIGTERM releases its in-flight messages at once (true, the
   * gpufleet worker contract) or leaves them to come back after the visibility timeout.
   */
  releaseOnSigterm?: boolean;
  /** The batching curve inside a replica (see BATCH_SLOWDOWN in sim/constants.ts). @default 0.1 */
  batchSlowdown?: number;
  /**
   * Whether the cluster runs GpuCluster's scale-in packer (`addons.scaleInPacker`): scale-in
   * then removes pods from the least occupied nodes first. @default false, as GpuCluster
   */
  scaleInPacker?: boolean;
}

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

const traceSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("file"),
    path: z.string().min(1),
    peakRps: positive.optional(),
    startMinute: z.number().int().min(0).optional(),
    minutes: z.number().int().min(1).optional(),
  }),
  z.strictObject({ kind: z.literal("per-minute"), counts: z.array(nonNegative).min(1), peakRps: positive.optional() }),
  z.strictObject({
    kind: z.literal("requests"),
    arrivalSeconds: z.array(nonNegative),
    contextTokens: z.array(nonNegative).optional(),
    generatedTokens: z.array(nonNegative).optional(),
  }),
]);

const spotSchema = z.strictObject({
  interruptionsPerNodeMonth: nonNegative.optional(),
  burstsPerDay: nonNegative.optional(),
  burstShare: z.number().min(0).max(1).optional(),
  burstSpreadSeconds: nonNegative.optional(),
  rebalanceLeadMaxSeconds: nonNegative.optional(),
  shortageSeconds: nonNegative.optional(),
  zones: z.number().int().min(1).max(6).optional(),
});

// Every delay may be overridden, none added: a misspelt key would otherwise do nothing.
const lifecycleSchema = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_LIFECYCLE).map((key) => [key, nonNegative.optional()])) as Record<
    keyof LifecycleDelays,
    z.ZodOptional<typeof nonNegative>
  >,
);

const poolSchema = z.strictObject({
  name: z.string().min(1),
  capacityType: z.enum(["spot", "on-demand"]),
  fallback: z.boolean(),
  instanceTypes: z.array(z.string().min(1)).min(1),
  gpusPerNode: z.number().int().min(1).max(16),
  slicesPerGpu: z.number().int().min(1).max(48),
  minNodes: z.number().int().min(0),
  maxNodes: z.number().int().min(1),
  pricePerNodeHour: positive.optional(),
  spot: spotSchema.optional(),
});

const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  endpoints: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        profile: endpointProfileSchema,
        pools: z.array(z.string()).min(1),
        trace: traceSchema,
      }),
    )
    .min(1),
  pools: z.array(poolSchema).min(1),
  durationSeconds: positive.optional(),
  lifecycle: lifecycleSchema.optional(),
  releaseOnSigterm: z.boolean().optional(),
  batchSlowdown: z.number().min(0).max(10).optional(),
  scaleInPacker: z.boolean().optional(),
});

/**
 * Checks a parsed scenario document and its cross references; throws one ConfigError, its
 * subject `source`, listing every problem (field, value, rule).
 */
export function validateScenario(input: unknown, source = "scenario"): Scenario {
  const scenario = parseWith(source, scenarioSchema, input) as Scenario;
  const problems: Problem[] = [];
  const poolNames = new Map<string, number>();
  scenario.pools.forEach((pool, i) => {
    const first = poolNames.get(pool.name);
    if (first !== undefined) {
      problems.push({ field: `pools[${i}].name`, value: pool.name, rule: `is already used by pools[${first}]` });
    } else poolNames.set(pool.name, i);
    if (pool.minNodes > pool.maxNodes) {
      problems.push({
        field: `pools[${i}].minNodes`,
        value: pool.minNodes,
        rule: `must not exceed maxNodes (${pool.maxNodes})`,
      });
    }
  });
  const endpointNames = new Map<string, number>();
  scenario.endpoints.forEach((endpoint, i) => {
    const first = endpointNames.get(endpoint.name);
    if (first !== undefined) {
      problems.push({
        field: `endpoints[${i}].name`,
        value: endpoint.name,
        rule: `is already used by endpoints[${first}]`,
      });
    } else endpointNames.set(endpoint.name, i);
    endpoint.pools.forEach((pool, j) => {
      if (!poolNames.has(pool)) {
        problems.push({ field: `endpoints[${i}].pools[${j}]`, value: pool, rule: "names no pool of the scenario" });
      }
    });
  });
  throwIfProblems(source, problems);
  return scenario;
}

/** Reads a scenario from a JSON or YAML file; relative trace paths resolve against the file's folder. */
export function loadScenarioFile(path: string): Scenario {
  const source = printable(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(source, [
      { field: "(file)", rule: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` },
    ]);
  }
  let doc: unknown;
  try {
    doc = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const format = path.endsWith(".json") ? "JSON" : "YAML";
    throw new ConfigError(source, [
      {
        field: "(document)",
        rule: `is not valid ${format}: ${printable((error as Error).message.split("\n")[0] ?? "")}`,
      },
    ]);
  }
  const scenario = validateScenario(doc, source);
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
  for (const endpoint of scenario.endpoints) {
    if (endpoint.trace.kind === "file" && !endpoint.trace.path.startsWith("/")) {
      endpoint.trace = { ...endpoint.trace, path: dir + endpoint.trace.path };
    }
  }
  return scenario;
}

export interface TraceScenarioOptions {
  trace: string;
  peakRps?: number;
  sloSeconds?: number;
  /** Window of the trace, minutes. */
  startMinute?: number;
  minutes?: number;
  profile?: Partial<EndpointProfile>;
}

/**
 * The default one-endpoint scenario `gpufleet bench --trace` runs: a 7B-class model on
 * g5.xlarge (one A10G) sliced 4 ways, a spot pool with an on-demand fallback pool.
 */
export function scenarioFromTrace(options: TraceScenarioOptions): Scenario {
  const profile: EndpointProfile = {
    secondsPerRequest: 1,
    concurrencyPerReplica: 4,
    modelLoadSeconds: 30,
    sloSeconds: options.sloSeconds ?? 10,
    minReplicas: 1,
    maxReplicas: 400,
    ...options.profile,
  };
  const trace: TraceSpec = { kind: "file", path: options.trace };
  if (options.peakRps !== undefined) trace.peakRps = options.peakRps;
  if (options.startMinute !== undefined) trace.startMinute = options.startMinute;
  if (options.minutes !== undefined) trace.minutes = options.minutes;
  return {
    name: options.trace,
    endpoints: [{ name: "model", profile, pools: ["g5-spot", "g5-on-demand"], trace }],
    pools: [g5SpotPool("g5-spot", 100), onDemandFallbackPool("g5-on-demand", 100)],
  };
}
