import { z } from "zod";
import {
  type GpuClusterArgs,
  GpuClusterConfigError,
  gpuMemoryMiBPerSlice,
  instanceGpuInfo,
  validateGpuClusterArgs,
} from "../components/gpu-cluster";
import { type SliceShare, sliceShare } from "../components/gpu-cluster/allocatable";
import { type RequestPool, requestProblems } from "../components/model-endpoint/validate";
import { PRIORITY_TIERS, type PriorityTier } from "../functions/contract";

/**
 * The stack configuration under the Pulumi config namespace `gpufleet`: `cluster`, `pools`,
 * `endpoints` and `control`. The shape is checked here with zod; the cluster's rules are
 * GpuCluster's own validation, run here too so a bad stack fails before any resource.
 */

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label (a-z, 0-9, "-")')
  .max(40, "must be at most 40 characters");
const positive = z.number().positive("must be greater than 0");
const count = z.number().int().min(0, "must not be negative");

const poolSchema = z
  .object({
    name: z.string(),
    instanceTypes: z.array(z.string()),
    capacityType: z.enum(["spot", "on-demand"]),
    minSize: z.number(),
    maxSize: z.number(),
    desiredSize: z.number().optional(),
    fallback: z.boolean().optional(),
    amiType: z.enum(["al2023-nvidia", "bottlerocket-nvidia"]).optional(),
    slicesPerGpu: z.number().optional(),
    gpuMemoryGiB: z.number().optional(),
    gpusPerNode: z.number().optional(),
    diskSizeGiB: z.number().optional(),
    pricePerNodeHour: z.number().optional(),
    subnetIds: z.array(z.string()).optional(),
  })
  .strict();

const chartSourceSchema = z
  .object({
    repository: z.string().optional(),
    chart: z.string().optional(),
    version: z.string().optional(),
    path: z.string().optional(),
  })
  .strict();

const addonsSchema = z
  .object({
    devicePlugin: z.boolean().optional(),
    keda: z.boolean().optional(),
    clusterAutoscaler: z.boolean().optional(),
    sqsQueueNamePrefix: z.string().optional(),
    priorityClasses: z.boolean().optional(),
    charts: z
      .object({
        devicePlugin: chartSourceSchema.optional(),
        keda: chartSourceSchema.optional(),
        clusterAutoscaler: chartSourceSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const common = { addons: addonsSchema.optional(), tags: z.record(z.string(), z.string()).optional() };

const newClusterSchema = z
  .object({
    mode: z.literal("new"),
    clusterName: z.string().optional(),
    version: z.string().optional(),
    vpc: z
      .object({
        cidrBlock: z.string().optional(),
        availabilityZoneCount: z.number().optional(),
        availabilityZones: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    subnetIds: z.array(z.string()).optional(),
    endpointAccess: z
      .object({ privateAccess: z.boolean().optional(), publicAccessCidrs: z.array(z.string()).optional() })
      .strict()
      .optional(),
    logTypes: z.array(z.enum(["api", "audit", "authenticator", "controllerManager", "scheduler"])).optional(),
    logRetentionDays: z.number().optional(),
    kmsKeyArn: z.string().optional(),
    identity: z.enum(["pod-identity", "irsa"]).optional(),
    adminArns: z.array(z.string()).optional(),
    systemNodeGroup: z
      .object({
        instanceTypes: z.array(z.string()).optional(),
        minSize: z.number().optional(),
        maxSize: z.number().optional(),
      })
      .strict()
      .optional(),
    ...common,
  })
  .strict();

const existingClusterSchema = z
  .object({
    mode: z.literal("byo"),
    clusterName: z.string(),
    kubeconfig: z.string().optional(),
    identity: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("pod-identity") }).strict(),
      z.object({ kind: z.literal("irsa"), oidcProviderArn: z.string(), oidcProviderUrl: z.string() }).strict(),
    ]),
    nodeRoleArn: z.string(),
    subnetIds: z.array(z.string()),
    ...common,
  })
  .strict();

const profileSchema = z
  .object({
    secondsPerRequest: positive,
    tokenCost: z
      .object({
        baseSeconds: z.number().min(0, "must not be negative"),
        secondsPerContextToken: z.number().min(0, "must not be negative"),
        secondsPerGeneratedToken: z.number().min(0, "must not be negative"),
      })
      .strict()
      .optional(),
    concurrencyPerReplica: z.number().int().min(1, "must be at least 1"),
    modelLoadSeconds: z.number().min(0, "must not be negative"),
    sloSeconds: positive,
    minReplicas: count,
    maxReplicas: z.number().int().min(1, "must be at least 1"),
  })
  .strict()
  .refine((p) => p.minReplicas <= p.maxReplicas, {
    path: ["minReplicas"],
    message: "must not exceed maxReplicas",
  });

const endpointSchema = z
  .object({
    name: dnsLabel,
    image: z.string().min(1, "must name a container image"),
    pools: z.array(z.string()).min(1, "must list at least one pool"),
    gpuMemoryGiB: positive,
    /** CPU and memory requests of one replica. @default the pools' smallest per-slice share */
    cpu: z.string().optional(),
    memory: z.string().optional(),
    profile: profileSchema,
    tier: z.enum(PRIORITY_TIERS as [PriorityTier, ...PriorityTier[]]).default("standard"),
    env: z.record(z.string(), z.string()).default({}),
    args: z.array(z.string()).optional(),
  })
  .strict();

const controlSchema = z
  .object({
    autoscaler: z
      .object({
        /**
         * Multiplier on the forecast capacity (1 = exactly the forecast quantile). The core's
         * defaults are calibrated to meet a 99% SLO at 1 (docs/autoscaler.md).
         */
        headroom: z.number().min(1, "must be at least 1").default(1),
        /** Seconds from a scale decision to a node able to run the pod. @default FleetControl's (360) */
        leadTimeSeconds: z
          .number()
          .int("must be whole seconds")
          .min(0, "must not be negative")
          .max(3600, "must be at most 3600")
          .optional(),
      })
      .strict()
      .default({ headroom: 1 }),
    rebalancer: z
      .object({
        enabled: z.boolean().default(true),
        /** Minutes a spot pool must stay healthy before capacity migrates back from the fallback. @default 10 */
        stableMinutes: positive.optional(),
      })
      .strict()
      .default({ enabled: true }),
  })
  .strict();

const stackSchema = z.object({
  cluster: z.discriminatedUnion("mode", [newClusterSchema, existingClusterSchema]),
  pools: z.array(poolSchema),
  endpoints: z.array(endpointSchema).default([]),
  control: controlSchema.default({ autoscaler: { headroom: 1 }, rebalancer: { enabled: true } }),
});

type RawCluster = z.infer<typeof stackSchema>["cluster"];
export type EndpointConfig = z.infer<typeof endpointSchema>;
export type ControlConfig = z.infer<typeof controlSchema>;

/** The validated stack: GpuCluster arguments plus the endpoints and control settings. */
export interface StackConfig {
  cluster: GpuClusterArgs;
  endpoints: EndpointConfig[];
  control: ControlConfig;
}

/** A stack config that failed validation; `problems` holds one message per bad field. */
export class StackConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid gpufleet stack config:\n${problems.join("\n")}`);
    this.name = "StackConfigError";
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  );
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    raw,
  );
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = formatPath(issue.path);
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return `${field} (undefined) is required`;
      return `${field} (${show(value)}) must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `${field} (${show(value)}) must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return issue.keys.map((key) => `${formatPath([...issue.path, key])} is not a known setting`).join("\n");
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options)) {
        return `${field} (${show(value)}) must be one of ${issue.options.map((v) => JSON.stringify(v)).join(", ")}`;
      }
      return `${field} (${show(value)}) matches none of the allowed forms`;
    default:
      return `${field} (${show(value)}) ${issue.message}`;
  }
}

function toClusterArgs(cluster: RawCluster, pools: GpuClusterArgs["pools"]): GpuClusterArgs {
  const { addons, tags, ...clusterArgs } = cluster;
  const args: GpuClusterArgs = { cluster: clusterArgs, pools };
  if (addons) args.addons = addons;
  if (tags) args.tags = tags;
  return args;
}

/** Endpoint rules that need the pools: every pool named exists, one replica's memory fits a slice, requests fit a node. */
function endpointProblems(endpoints: EndpointConfig[], pools: GpuClusterArgs["pools"]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  endpoints.forEach((endpoint, i) => {
    const first = seen.get(endpoint.name);
    if (first !== undefined)
      problems.push(`endpoints[${i}].name (${endpoint.name}) is already used by endpoints[${first}]`);
    else seen.set(endpoint.name, i);
    const requestPools: RequestPool[] = [];
    endpoint.pools.forEach((poolName, j) => {
      const pool = pools.find((p) => p.name === poolName);
      const field = `endpoints[${i}].pools[${j}]`;
      if (!pool) {
        problems.push(`${field} (${poolName}) is not a pool: known pools are ${pools.map((p) => p.name).join(", ")}`);
        return;
      }
      // Time-slicing isolates no memory: a replica must fit in its slice's share, or its neighbours run out.
      const first = instanceGpuInfo(pool.instanceTypes[0] ?? "");
      const perGpu = pool.gpuMemoryGiB ?? first.gpuMemoryGiB ?? 0;
      const gpusPerNode = pool.gpusPerNode ?? first.gpusPerNode ?? 1;
      requestPools.push({
        name: poolName,
        share: sliceShare({ instanceTypes: pool.instanceTypes, gpusPerNode, slicesPerGpu: pool.slicesPerGpu ?? 1 }),
      });
      const sliceMiB = gpuMemoryMiBPerSlice(perGpu, pool.slicesPerGpu ?? 1);
      if (endpoint.gpuMemoryGiB * 1024 > sliceMiB) {
        problems.push(
          `endpoints[${i}].gpuMemoryGiB (${endpoint.gpuMemoryGiB}) does not fit a slice of pool ${poolName} (${sliceMiB} MiB per slice)`,
        );
      }
    });
    if (requestPools.length === endpoint.pools.length) {
      const derive = (pick: (share: SliceShare) => number) =>
        requestPools.every((p) => p.share)
          ? Math.min(...requestPools.map((p) => pick(p.share as SliceShare)))
          : undefined;
      const cpuShare = derive((share) => share.cpuMillis);
      const memoryShare = derive((share) => share.memoryMiB);
      const cpu = endpoint.cpu ?? (cpuShare !== undefined ? `${cpuShare}m` : undefined);
      const memory = endpoint.memory ?? (memoryShare !== undefined ? `${memoryShare}Mi` : undefined);
      for (const problem of requestProblems(requestPools, cpu, memory)) problems.push(`endpoints[${i}]: ${problem}`);
    }
  });
  return problems;
}

/**
 * Parses and validates the raw `gpufleet` config object (keys cluster, pools, endpoints,
 * control). Pure: throws StackConfigError listing every problem, before anything is created.
 */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
  const parsed = stackSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StackConfigError(parsed.error.issues.map((issue) => describeIssue(issue, raw)));
  }
  const cluster = toClusterArgs(parsed.data.cluster, parsed.data.pools);
  const problems: string[] = [];
  try {
    validateGpuClusterArgs(cluster);
  } catch (error) {
    if (!(error instanceof GpuClusterConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length === 0) problems.push(...endpointProblems(parsed.data.endpoints, parsed.data.pools));
  if (problems.length > 0) throw new StackConfigError(problems);
  return { cluster, endpoints: parsed.data.endpoints, control: parsed.data.control };
}
