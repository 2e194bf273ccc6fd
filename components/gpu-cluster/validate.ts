import { INSTANCE_SHAPES } from "./allocatable";
import type { ExistingClusterArgs, GpuClusterArgs, GpuPoolArgs, NewClusterArgs } from "./args";
import type { AddonChartsArgs, AddonPoolArgs } from "./cluster-addons";
import { DEFAULTS, defaultQueueNamePrefix, LIMITS } from "./defaults";
import { GPU_FAMILIES, instanceGpuInfo } from "./gpu-memory";
import { isIpv4Cidr } from "./network";

/** Invalid GpuCluster arguments. `problems` holds one message per bad field. */
export class GpuClusterConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "GpuClusterConfigError";
    this.problems = problems;
  }
}

/** Renders a value the way the messages quote it. */
export function quote(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(quote).join(", ")}]`;
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const QUEUE_PREFIX = /^[A-Za-z0-9_-]{1,40}$/;
const LOG_TYPES = DEFAULTS.logTypes as readonly string[];
/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const isNonNegativeInt = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
const isPositiveInt = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;

function validatePool(pool: GpuPoolArgs, at: string, problems: string[]): void {
  if (typeof pool.name !== "string" || !DNS_LABEL.test(pool.name) || pool.name.length > LIMITS.poolNameMaxLength) {
    problems.push(
      `${at}.name (${quote(pool.name)}) must be a lowercase DNS label (a-z, 0-9, "-") of at most ${LIMITS.poolNameMaxLength} characters`,
    );
  }
  if (pool.capacityType !== "spot" && pool.capacityType !== "on-demand") {
    problems.push(`${at}.capacityType (${quote(pool.capacityType)}) must be "spot" or "on-demand"`);
  }
  validateInstanceTypes(pool, at, problems);

  const slices = pool.slicesPerGpu ?? DEFAULTS.slicesPerGpu;
  if (!Number.isInteger(slices)) {
    problems.push(`${at}.slicesPerGpu (${quote(slices)}) must be an integer`);
  } else if (slices < LIMITS.slicesPerGpu.min || slices > LIMITS.slicesPerGpu.max) {
    problems.push(
      `${at}.slicesPerGpu (${slices}) must be between ${LIMITS.slicesPerGpu.min} and ${LIMITS.slicesPerGpu.max}`,
    );
  }
  if (pool.gpuMemoryGiB !== undefined && !(typeof pool.gpuMemoryGiB === "number" && pool.gpuMemoryGiB > 0)) {
    problems.push(`${at}.gpuMemoryGiB (${quote(pool.gpuMemoryGiB)}) must be greater than 0`);
  }
  if (pool.gpusPerNode !== undefined && !isPositiveInt(pool.gpusPerNode)) {
    problems.push(`${at}.gpusPerNode (${quote(pool.gpusPerNode)}) must be a positive integer`);
  }
  validateSizes(pool, at, problems);
  if (pool.diskSizeGiB !== undefined && !(Number.isInteger(pool.diskSizeGiB) && pool.diskSizeGiB >= 20)) {
    problems.push(`${at}.diskSizeGiB (${quote(pool.diskSizeGiB)}) must be an integer of at least 20`);
  }
  if (pool.pricePerNodeHour !== undefined && !(pool.pricePerNodeHour > 0)) {
    problems.push(`${at}.pricePerNodeHour (${quote(pool.pricePerNodeHour)}) must be greater than 0`);
  }
  if (pool.amiType !== undefined && pool.amiType !== "al2023-nvidia" && pool.amiType !== "bottlerocket-nvidia") {
    problems.push(`${at}.amiType (${quote(pool.amiType)}) must be "al2023-nvidia" or "bottlerocket-nvidia"`);
  }
  if (pool.fallback === true && pool.capacityType !== "on-demand") {
    problems.push(`${at}.fallback (true) requires capacityType "on-demand", got ${quote(pool.capacityType)}`);
  }
}

function validateInstanceTypes(pool: GpuPoolArgs, at: string, problems: string[]): void {
  const types = pool.instanceTypes;
  if (!Array.isArray(types) || types.length === 0) {
    problems.push(`${at}.instanceTypes (${quote(types)}) must list at least one instance type`);
    return;
  }
  if (pool.capacityType === "spot" && types.length < 2) {
    problems.push(
      `${at}.instanceTypes (${quote(types)}) must list at least two instance types for a spot pool (capacity diversification)`,
    );
  }
  const infos = types.map(instanceGpuInfo);
  infos.forEach((info, i) => {
    const missing: string[] = [];
    if (info.gpuMemoryGiB === undefined && pool.gpuMemoryGiB === undefined) missing.push(`${at}.gpuMemoryGiB`);
    if (info.gpusPerNode === undefined && pool.gpusPerNode === undefined) missing.push(`${at}.gpusPerNode`);
    if (missing.length > 0) {
      problems.push(
        `${at}.instanceTypes[${i}] (${types[i]}) is not in the GPU instance table: set ${missing.join(" and ")}`,
      );
    }
  });
  // Every node of a pool must offer the same slices: the autoscaler's node template is per pool.
  if (pool.gpuMemoryGiB === undefined) {
    const memories = [...new Set(infos.flatMap((info) => (info.gpuMemoryGiB ? [info.gpuMemoryGiB] : [])))];
    if (memories.length > 1) {
      problems.push(
        `${at}.instanceTypes (${quote(types)}) must share one GPU memory size, found ${memories.map((m) => `${m} GiB`).join(", ")}`,
      );
    }
  }
  if (pool.gpusPerNode === undefined) {
    const counts = [...new Set(infos.flatMap((info) => (info.gpusPerNode !== undefined ? [info.gpusPerNode] : [])))];
    if (counts.length > 1) {
      problems.push(
        `${at}.instanceTypes (${quote(types)}) must have the same GPUs per node, found ${counts.join(", ")}`,
      );
      return;
    }
  }
  validateOneSize(types, at, problems);
}

/** Same-size instance types of other GPU families with the same GPU memory: what a pool can diversify over. */
function sameSizeAlternatives(instanceType: string): string[] {
  const info = instanceGpuInfo(instanceType);
  const wanted = INSTANCE_SHAPES[instanceType];
  if (!wanted || info.gpuMemoryGiB === undefined) return [];
  return Object.entries(GPU_FAMILIES).flatMap(([family, f]) => {
    const candidate = `${family}.${info.size}`;
    const s = INSTANCE_SHAPES[candidate];
    const same = s && s.vcpus === wanted.vcpus && s.memoryGiB === wanted.memoryGiB;
    return same && f.gpuMemoryGiB === info.gpuMemoryGiB && f.gpusBySize[info.size] === info.gpusPerNode
      ? [candidate]
      : [];
  });
}

/**
 * The Cluster Autoscaler builds one node template per group and assumes every instance type of
 * the group has that capacity: mixing sizes makes it over- or under-estimate what a new node holds.
 */
function validateOneSize(types: string[], at: string, problems: string[]): void {
  const known = types.flatMap((t) => {
    const s = INSTANCE_SHAPES[t];
    return s ? [{ type: t, vcpus: s.vcpus, memoryGiB: s.memoryGiB }] : [];
  });
  const sizes = new Set(known.map((k) => `${k.vcpus}/${k.memoryGiB}`));
  if (sizes.size <= 1) return;
  const first = types[0] ?? "";
  const alternatives = sameSizeAlternatives(first);
  const hint =
    alternatives.length > 1
      ? `diversify across families of one size instead, e.g. ${quote(alternatives)}`
      : `use one size, or split the sizes into separate pools`;
  problems.push(
    `${at}.instanceTypes (${quote(types)}) mix instance sizes (${known.map((k) => `${k.type}: ${k.vcpus} vCPU, ${k.memoryGiB} GiB`).join("; ")}): the Cluster Autoscaler assumes every node of a node group has the same capacity; ${hint}`,
  );
}

function validateSizes(pool: GpuPoolArgs, at: string, problems: string[]): void {
  const minOk = isNonNegativeInt(pool.minSize);
  const maxOk = isPositiveInt(pool.maxSize);
  if (!minOk) problems.push(`${at}.minSize (${quote(pool.minSize)}) must be a non-negative integer`);
  if (!maxOk) problems.push(`${at}.maxSize (${quote(pool.maxSize)}) must be a positive integer`);
  if (minOk && maxOk && pool.minSize > pool.maxSize) {
    problems.push(`${at}.minSize (${pool.minSize}) must not exceed ${at}.maxSize (${pool.maxSize})`);
  }
  if (
    pool.desiredSize !== undefined &&
    minOk &&
    maxOk &&
    !(Number.isInteger(pool.desiredSize) && pool.desiredSize >= pool.minSize && pool.desiredSize <= pool.maxSize)
  ) {
    problems.push(
      `${at}.desiredSize (${quote(pool.desiredSize)}) must be an integer between minSize (${pool.minSize}) and maxSize (${pool.maxSize})`,
    );
  }
}

function validatePools(pools: GpuPoolArgs[], problems: string[]): void {
  if (!Array.isArray(pools) || pools.length === 0) {
    problems.push(`pools (${quote(pools)}) must list at least one GPU pool`);
    return;
  }
  const firstByName = new Map<string, number>();
  let fallbackAt: number | undefined;
  pools.forEach((pool, i) => {
    const at = `pools[${i}]`;
    validatePool(pool, at, problems);
    const seen = firstByName.get(pool.name);
    if (seen !== undefined) problems.push(`${at}.name (${pool.name}) is already used by pools[${seen}]`);
    else firstByName.set(pool.name, i);
    if (pool.fallback === true) {
      if (fallbackAt !== undefined) {
        problems.push(`${at}.fallback (true): only one fallback pool is allowed, pools[${fallbackAt}] is one already`);
      } else fallbackAt = i;
    }
  });
  const spot = pools.filter((p) => p.capacityType === "spot").map((p) => p.name);
  if (spot.length > 0 && fallbackAt === undefined) {
    problems.push(
      `pools[].fallback (none set) must be true on one on-demand pool when any pool is spot (spot pools: ${spot.join(", ")})`,
    );
  }
}

function validateNewCluster(c: NewClusterArgs, problems: string[]): void {
  if (c.clusterName !== undefined && !CLUSTER_NAME.test(c.clusterName)) {
    problems.push(
      `cluster.clusterName (${quote(c.clusterName)}) must be 1-100 letters, digits, "-" or "_", starting with a letter or digit`,
    );
  }
  if (c.version !== undefined && !/^1\.\d{2}$/.test(c.version)) {
    problems.push(`cluster.version (${quote(c.version)}) must look like "1.32"`);
  }
  if (c.subnetIds !== undefined && c.vpc !== undefined) {
    problems.push("cluster.subnetIds and cluster.vpc are exclusive: give existing subnets or shape the new VPC");
  }
  if (c.subnetIds !== undefined && c.subnetIds.length < 2) {
    problems.push(`cluster.subnetIds (${quote(c.subnetIds)}) must list at least two subnets in different zones`);
  }
  const cidr = c.vpc?.cidrBlock;
  if (
    cidr !== undefined &&
    !(isIpv4Cidr(cidr) && Number(cidr.split("/")[1]) >= 16 && Number(cidr.split("/")[1]) <= 24)
  ) {
    problems.push(`cluster.vpc.cidrBlock (${cidr}) must be an IPv4 CIDR with a prefix length between 16 and 24`);
  }
  const zones = c.vpc?.availabilityZones?.length ?? c.vpc?.availabilityZoneCount;
  const { min, max } = LIMITS.availabilityZoneCount;
  if (zones !== undefined && !(Number.isInteger(zones) && zones >= min && zones <= max)) {
    const field = c.vpc?.availabilityZones ? "cluster.vpc.availabilityZones" : "cluster.vpc.availabilityZoneCount";
    const value = c.vpc?.availabilityZones ?? zones;
    problems.push(`${field} (${quote(value)}) must name between ${min} and ${max} zones`);
  }
  const cidrs = c.endpointAccess?.publicAccessCidrs ?? [];
  cidrs.forEach((block, i) => {
    const field = `cluster.endpointAccess.publicAccessCidrs[${i}]`;
    if (!isIpv4Cidr(block)) problems.push(`${field} (${quote(block)}) must be an IPv4 CIDR`);
    else if (block.endsWith("/0")) {
      problems.push(`${field} (${block}) must not open the API to the internet: list the CIDRs that need it`);
    }
  });
  if (c.endpointAccess?.privateAccess === false && cidrs.length === 0) {
    problems.push(
      "cluster.endpointAccess.privateAccess (false) leaves the API unreachable: keep it on or list publicAccessCidrs",
    );
  }
  (c.logTypes ?? []).forEach((type, i) => {
    if (!LOG_TYPES.includes(type)) {
      problems.push(`cluster.logTypes[${i}] (${quote(type)}) must be one of ${LOG_TYPES.join(", ")}`);
    }
  });
  if (c.logRetentionDays !== undefined && !LOG_RETENTION_DAYS.includes(c.logRetentionDays)) {
    problems.push(
      `cluster.logRetentionDays (${quote(c.logRetentionDays)}) must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)`,
    );
  }
  (c.adminArns ?? []).forEach((arn, i) => {
    if (typeof arn !== "string" || !PRINCIPAL_ARN.test(arn)) {
      problems.push(`cluster.adminArns[${i}] (${quote(arn)}) must be an IAM role or user ARN`);
    }
  });
  if (c.identity !== undefined && c.identity !== "pod-identity" && c.identity !== "irsa") {
    problems.push(`cluster.identity (${quote(c.identity)}) must be "pod-identity" or "irsa"`);
  }
  const sys = c.systemNodeGroup;
  if (sys?.minSize !== undefined && !isPositiveInt(sys.minSize)) {
    problems.push(`cluster.systemNodeGroup.minSize (${quote(sys.minSize)}) must be a positive integer`);
  }
  const sysMin = sys?.minSize ?? DEFAULTS.systemMinSize;
  const sysMax = sys?.maxSize ?? DEFAULTS.systemMaxSize;
  if (sys?.maxSize !== undefined && !(isPositiveInt(sysMax) && sysMax >= sysMin)) {
    problems.push(`cluster.systemNodeGroup.maxSize (${quote(sys.maxSize)}) must be an integer of at least ${sysMin}`);
  }
  if (sys?.instanceTypes !== undefined && sys.instanceTypes.length === 0) {
    problems.push("cluster.systemNodeGroup.instanceTypes ([]) must list at least one instance type");
  }
}

function validateExistingCluster(c: ExistingClusterArgs, problems: string[]): void {
  // A name from another stack is an output: AWS checks it; a plain name is checked here.
  const plainName = typeof c.clusterName === "string";
  if (plainName ? !CLUSTER_NAME.test(c.clusterName as string) : c.clusterName === undefined || c.clusterName === null) {
    problems.push(`cluster.clusterName (${quote(c.clusterName)}) must name the existing EKS cluster`);
  }
  const identity = c.identity as ExistingClusterArgs["identity"] | undefined;
  if (identity === undefined) {
    problems.push(
      'cluster.identity (undefined) is required for an existing cluster: { kind: "pod-identity" } or { kind: "irsa", oidcProviderArn, oidcProviderUrl }',
    );
  } else if (identity.kind === "irsa") {
    if (!identity.oidcProviderArn) {
      problems.push(`cluster.identity.oidcProviderArn (${quote(identity.oidcProviderArn)}) is required for IRSA`);
    }
    if (!identity.oidcProviderUrl) {
      problems.push(`cluster.identity.oidcProviderUrl (${quote(identity.oidcProviderUrl)}) is required for IRSA`);
    }
  } else if (identity.kind !== "pod-identity") {
    problems.push(
      `cluster.identity.kind (${quote((identity as { kind: unknown }).kind)}) must be "pod-identity" or "irsa"`,
    );
  }
  if (!c.nodeRoleArn) {
    problems.push(`cluster.nodeRoleArn (${quote(c.nodeRoleArn)}) is required for an existing cluster`);
  }
  if (!Array.isArray(c.subnetIds) || c.subnetIds.length === 0) {
    problems.push(`cluster.subnetIds (${quote(c.subnetIds)}) must list the subnets for the GPU nodes`);
  }
}

/** The pools ClusterAddons is given: named, with a slice count the device plugin accepts. */
export function validateAddonPools(pools: AddonPoolArgs[], problems: string[]): void {
  if (!Array.isArray(pools) || pools.length === 0) {
    problems.push(`pools (${quote(pools)}) must list at least one GPU pool`);
    return;
  }
  pools.forEach((pool, i) => {
    if (typeof pool.name !== "string" || !DNS_LABEL.test(pool.name)) {
      problems.push(`pools[${i}].name (${quote(pool.name)}) must be a lowercase DNS label`);
    }
    const { min, max } = LIMITS.slicesPerGpu;
    if (!(Number.isInteger(pool.slicesPerGpu) && pool.slicesPerGpu >= min && pool.slicesPerGpu <= max)) {
      problems.push(
        `pools[${i}].slicesPerGpu (${quote(pool.slicesPerGpu)}) must be an integer between ${min} and ${max}`,
      );
    }
  });
}

const CHART_KEYS = ["devicePlugin", "keda", "clusterAutoscaler"] as const;

/** Each chart source names one place: a local directory, an OCI reference, or a repository. */
export function validateChartSources(charts: AddonChartsArgs | undefined, at: string, problems: string[]): void {
  if (charts === undefined) return;
  for (const key of Object.keys(charts)) {
    if (!(CHART_KEYS as readonly string[]).includes(key)) {
      problems.push(`${at}.${key} is not an add-on: use ${CHART_KEYS.join(", ")}`);
    }
  }
  for (const key of CHART_KEYS) {
    const source = charts[key];
    if (source === undefined) continue;
    const field = `${at}.${key}`;
    const given = (["repository", "chart", "version"] as const).filter((k) => source[k] !== undefined);
    if (source.path !== undefined) {
      if (typeof source.path !== "string" || source.path.trim() === "") {
        problems.push(`${field}.path (${quote(source.path)}) must name a local chart directory`);
      }
      if (given.length > 0) {
        problems.push(
          `${field}.path (${quote(source.path)}) is exclusive with ${given.join(", ")}: a local chart's Chart.yaml says its version`,
        );
      }
      continue;
    }
    if (source.chart?.startsWith("oci://")) {
      if (source.repository !== undefined) {
        problems.push(`${field}.repository (${source.repository}) must be unset for an OCI chart (${source.chart})`);
      }
      if (source.version === undefined) {
        problems.push(
          `${field}.version (undefined) is required for an OCI chart (${source.chart}): pin an exact version`,
        );
      }
    } else if (source.repository !== undefined && !/^(https?|oci):\/\/\S+$/.test(source.repository)) {
      problems.push(`${field}.repository (${quote(source.repository)}) must be an http(s):// Helm repository URL`);
    }
    if (source.version !== undefined && !/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(source.version)) {
      problems.push(`${field}.version (${quote(source.version)}) must be an exact chart version such as 1.2.3`);
    }
  }
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** The default KEDA queue prefix is "gpufleet-<cluster>-": SQS names stop at 80 characters. */
export const QUEUE_PREFIX_MAX = 50;

/**
 * Checks GpuCluster arguments before any resource exists. Pure and synchronous: the
 * constructor calls it first, and the stack program calls it while parsing its config.
 * Throws one GpuClusterConfigError listing every problem.
 */
export function validateGpuClusterArgs(args: GpuClusterArgs): void {
  const problems: string[] = [];
  const cluster = args.cluster as GpuClusterArgs["cluster"] | undefined;
  if (cluster?.mode === "new") validateNewCluster(cluster, problems);
  else if (cluster?.mode === "byo") validateExistingCluster(cluster, problems);
  else
    problems.push(`cluster.mode (${quote((cluster as { mode?: unknown } | undefined)?.mode)}) must be "new" or "byo"`);
  validatePools(args.pools, problems);
  const prefix = args.addons?.sqsQueueNamePrefix;
  if (prefix !== undefined && !QUEUE_PREFIX.test(prefix)) {
    problems.push(`addons.sqsQueueNamePrefix (${quote(prefix)}) must be 1-40 letters, digits, "-" or "_"`);
  }
  const clusterName = cluster?.mode === "new" ? (cluster.clusterName ?? undefined) : cluster?.clusterName;
  if (prefix === undefined && typeof clusterName === "string") {
    const derived = defaultQueueNamePrefix(clusterName);
    if (derived.length > QUEUE_PREFIX_MAX) {
      problems.push(
        `addons.sqsQueueNamePrefix (undefined) defaults to "${derived}", ${derived.length} characters (at most ${QUEUE_PREFIX_MAX} leave room for endpoint names in SQS's 80): set a shorter prefix`,
      );
    }
  }
  validateChartSources(args.addons?.charts, "addons.charts", problems);
  if (problems.length > 0) throw new GpuClusterConfigError(problems);
}
