import { ARN, DNS_LABEL, isLogRetentionDays, KMS_KEY_ARN, tagProblems } from "../../functions/aws-names";
import { isIpv4Cidr, publicAccessTooWide } from "../../functions/cidr";
import { GPU_FAMILIES, instanceGpuInfo } from "../../functions/gpu-catalog";
import { imageReferenceProblem } from "../../functions/image-ref";
import { packIntervalProblem } from "../../functions/packing";
import { formatValue, type Problem, throwIfProblems } from "../../functions/problems";
import { INSTANCE_SHAPES } from "./allocatable";
import type { ExistingClusterArgs, GpuClusterArgs, GpuPoolArgs, NewClusterArgs, ScaleInPackerArgs } from "./args";
import type { AddonChartsArgs, AddonPoolArgs } from "./cluster-addons";
import { DEFAULTS, defaultQueueNamePrefix, LIMITS } from "./defaults";

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const QUEUE_PREFIX = /^[A-Za-z0-9_-]{1,40}$/;
/** An EC2 instance type: family (letters, digits, "-") dot size. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const LOG_TYPES = DEFAULTS.logTypes as readonly string[];

const isInt = (n: unknown, min: number, max: number): n is number =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
const isNumberIn = (n: unknown, min: number, max: number): n is number =>
  typeof n === "number" && Number.isFinite(n) && n > min && n <= max;

function validatePool(pool: GpuPoolArgs, at: string, problems: Problem[]): void {
  if (typeof pool.name !== "string" || !DNS_LABEL.test(pool.name) || pool.name.length > LIMITS.poolNameMaxLength) {
    problems.push({
      field: `${at}.name`,
      value: pool.name,
      rule: `must be a lowercase DNS label (a-z, 0-9, "-") of at most ${LIMITS.poolNameMaxLength} characters`,
    });
  }
  if (pool.capacityType !== "spot" && pool.capacityType !== "on-demand") {
    problems.push({ field: `${at}.capacityType`, value: pool.capacityType, rule: 'must be "spot" or "on-demand"' });
  }
  validateInstanceTypes(pool, at, problems);

  const slices = pool.slicesPerGpu ?? DEFAULTS.slicesPerGpu;
  const { min, max } = LIMITS.slicesPerGpu;
  if (!isInt(slices, min, max)) {
    problems.push({
      field: `${at}.slicesPerGpu`,
      value: slices,
      rule: `must be a whole number between ${min} and ${max}`,
    });
  }
  if (pool.gpuMemoryGiB !== undefined && !isNumberIn(pool.gpuMemoryGiB, 0, LIMITS.gpuMemoryGiB)) {
    problems.push({
      field: `${at}.gpuMemoryGiB`,
      value: pool.gpuMemoryGiB,
      rule: `must be greater than 0 and at most ${LIMITS.gpuMemoryGiB}`,
    });
  }
  if (pool.gpusPerNode !== undefined && !isInt(pool.gpusPerNode, 1, LIMITS.gpusPerNode)) {
    problems.push({
      field: `${at}.gpusPerNode`,
      value: pool.gpusPerNode,
      rule: `must be a whole number between 1 and ${LIMITS.gpusPerNode}`,
    });
  }
  validateSizes(pool, at, problems);
  if (pool.diskSizeGiB !== undefined && !isInt(pool.diskSizeGiB, 20, LIMITS.diskSizeGiB)) {
    problems.push({
      field: `${at}.diskSizeGiB`,
      value: pool.diskSizeGiB,
      rule: `must be a whole number between 20 and ${LIMITS.diskSizeGiB}`,
    });
  }
  if (pool.pricePerNodeHour !== undefined && !isNumberIn(pool.pricePerNodeHour, 0, LIMITS.pricePerNodeHour)) {
    problems.push({
      field: `${at}.pricePerNodeHour`,
      value: pool.pricePerNodeHour,
      rule: `must be greater than 0 and at most ${LIMITS.pricePerNodeHour} (USD per hour)`,
    });
  }
  if (pool.amiType !== undefined && pool.amiType !== "al2023-nvidia" && pool.amiType !== "bottlerocket-nvidia") {
    problems.push({
      field: `${at}.amiType`,
      value: pool.amiType,
      rule: 'must be "al2023-nvidia" or "bottlerocket-nvidia"',
    });
  }
  if (pool.fallback === true && pool.capacityType !== "on-demand") {
    problems.push({
      field: `${at}.fallback`,
      value: true,
      rule: `requires capacityType "on-demand", got ${JSON.stringify(pool.capacityType)}`,
    });
  }
}

/**
 * Overrides exist for instance types the catalog does not know. For a known type they must
 * say what the catalog says: a larger memory would place models on GPUs they do not fit, a
 * larger count would size the fleet on GPUs that are not there.
 */
function validateOverrides(pool: GpuPoolArgs, at: string, problems: Problem[]): void {
  // An override out of bounds is reported as such; comparing it with the catalog would say it twice.
  if (pool.gpuMemoryGiB !== undefined && !isNumberIn(pool.gpuMemoryGiB, 0, LIMITS.gpuMemoryGiB)) return;
  if (pool.gpusPerNode !== undefined && !isInt(pool.gpusPerNode, 1, LIMITS.gpusPerNode)) return;
  for (const type of pool.instanceTypes) {
    const info = instanceGpuInfo(type);
    if (pool.gpuMemoryGiB !== undefined && info.gpuMemoryGiB !== undefined && pool.gpuMemoryGiB !== info.gpuMemoryGiB) {
      problems.push({
        field: `${at}.gpuMemoryGiB`,
        value: pool.gpuMemoryGiB,
        rule: `disagrees with the GPU catalog: ${type} has ${info.gpuMemoryGiB} GiB per GPU (set it only for instance types the catalog does not know)`,
      });
      return;
    }
    if (pool.gpusPerNode !== undefined && info.gpusPerNode !== undefined && pool.gpusPerNode !== info.gpusPerNode) {
      problems.push({
        field: `${at}.gpusPerNode`,
        value: pool.gpusPerNode,
        rule: `disagrees with the GPU catalog: ${type} has ${info.gpusPerNode} GPU(s) per node (set it only for instance types the catalog does not know)`,
      });
      return;
    }
  }
}

function validateInstanceTypes(pool: GpuPoolArgs, at: string, problems: Problem[]): void {
  const types = pool.instanceTypes;
  if (!Array.isArray(types) || types.length === 0) {
    problems.push({ field: `${at}.instanceTypes`, value: types, rule: "must list at least one instance type" });
    return;
  }
  const malformed = types.findIndex((t) => typeof t !== "string" || !INSTANCE_TYPE.test(t));
  if (malformed >= 0) {
    problems.push({
      field: `${at}.instanceTypes[${malformed}]`,
      value: types[malformed],
      rule: 'must be an EC2 instance type such as "g5.xlarge"',
    });
    return;
  }
  if (pool.capacityType === "spot" && types.length < 2) {
    problems.push({
      field: `${at}.instanceTypes`,
      value: types,
      rule: "must list at least two instance types for a spot pool (capacity diversification)",
    });
  }
  const infos = types.map(instanceGpuInfo);
  infos.forEach((info, i) => {
    const missing: string[] = [];
    if (info.gpuMemoryGiB === undefined && pool.gpuMemoryGiB === undefined) missing.push(`${at}.gpuMemoryGiB`);
    if (info.gpusPerNode === undefined && pool.gpusPerNode === undefined) missing.push(`${at}.gpusPerNode`);
    if (missing.length > 0) {
      problems.push({
        field: `${at}.instanceTypes[${i}]`,
        value: types[i],
        rule: `is not in the GPU instance table: set ${missing.join(" and ")}`,
      });
    }
  });
  // Every node of a pool must offer the same slices: the autoscaler's node template is per pool.
  if (pool.gpuMemoryGiB === undefined) {
    const memories = [...new Set(infos.flatMap((info) => (info.gpuMemoryGiB ? [info.gpuMemoryGiB] : [])))];
    if (memories.length > 1) {
      problems.push({
        field: `${at}.instanceTypes`,
        value: types,
        rule: `must share one GPU memory size, found ${memories.map((m) => `${m} GiB`).join(", ")}`,
      });
    }
  }
  if (pool.gpusPerNode === undefined) {
    const counts = [...new Set(infos.flatMap((info) => (info.gpusPerNode !== undefined ? [info.gpusPerNode] : [])))];
    if (counts.length > 1) {
      problems.push({
        field: `${at}.instanceTypes`,
        value: types,
        rule: `must have the same GPUs per node, found ${counts.join(", ")}`,
      });
      return;
    }
  }
  validateOneSize(types, at, problems);
  validateOverrides(pool, at, problems);
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
function validateOneSize(types: string[], at: string, problems: Problem[]): void {
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
      ? `diversify across families of one size instead, e.g. ${formatValue(alternatives)}`
      : `use one size, or split the sizes into separate pools`;
  problems.push({
    field: `${at}.instanceTypes`,
    value: types,
    rule: `mix instance sizes (${known.map((k) => `${k.type}: ${k.vcpus} vCPU, ${k.memoryGiB} GiB`).join("; ")}): the Cluster Autoscaler assumes every node of a node group has the same capacity; ${hint}`,
  });
}

function validateSizes(pool: GpuPoolArgs, at: string, problems: Problem[]): void {
  const most = LIMITS.nodesPerPool;
  const minOk = isInt(pool.minNodes, 0, most);
  const maxOk = isInt(pool.maxNodes, 1, most);
  if (!minOk)
    problems.push({
      field: `${at}.minNodes`,
      value: pool.minNodes,
      rule: `must be a whole number between 0 and ${most}`,
    });
  if (!maxOk)
    problems.push({
      field: `${at}.maxNodes`,
      value: pool.maxNodes,
      rule: `must be a whole number between 1 and ${most}`,
    });
  if (minOk && maxOk && pool.minNodes > pool.maxNodes) {
    problems.push({
      field: `${at}.minNodes`,
      value: pool.minNodes,
      rule: `must not exceed ${at}.maxNodes (${pool.maxNodes})`,
    });
  }
  if (pool.desiredNodes !== undefined && minOk && maxOk && !isInt(pool.desiredNodes, pool.minNodes, pool.maxNodes)) {
    problems.push({
      field: `${at}.desiredNodes`,
      value: pool.desiredNodes,
      rule: `must be a whole number between minNodes (${pool.minNodes}) and maxNodes (${pool.maxNodes})`,
    });
  }
}

function validatePools(pools: GpuPoolArgs[], problems: Problem[]): void {
  if (!Array.isArray(pools) || pools.length === 0) {
    problems.push({ field: "pools", value: pools, rule: "must list at least one GPU pool" });
    return;
  }
  const firstByName = new Map<string, number>();
  let fallbackAt: number | undefined;
  pools.forEach((pool, i) => {
    const at = `pools[${i}]`;
    validatePool(pool, at, problems);
    const seen = firstByName.get(pool.name);
    if (seen !== undefined)
      problems.push({ field: `${at}.name`, value: pool.name, rule: `is already used by pools[${seen}]` });
    else firstByName.set(pool.name, i);
    if (pool.fallback === true) {
      if (fallbackAt !== undefined) {
        problems.push({
          field: `${at}.fallback`,
          value: true,
          rule: `is already set on pools[${fallbackAt}]: only one fallback pool is allowed`,
        });
      } else fallbackAt = i;
    }
  });
  const spot = pools.filter((p) => p.capacityType === "spot").map((p) => p.name);
  if (spot.length > 0 && fallbackAt === undefined) {
    problems.push({
      field: "pools[].fallback",
      rule: `must be true on one on-demand pool when any pool is spot (spot pools: ${spot.join(", ")})`,
    });
  }
}

function validateEndpointAccess(c: NewClusterArgs, at: string, problems: Problem[]): void {
  const cidrs = c.endpointAccess?.publicAccessCidrs ?? [];
  const field = `${at}.endpointAccess.publicAccessCidrs`;
  let wellFormed = true;
  cidrs.forEach((block, i) => {
    if (!isIpv4Cidr(block)) {
      wellFormed = false;
      problems.push({ field: `${field}[${i}]`, value: block, rule: "must be an IPv4 CIDR" });
    }
  });
  const tooWide = wellFormed ? publicAccessTooWide(cidrs) : undefined;
  if (tooWide) {
    problems.push({
      field,
      value: cidrs,
      rule: `${tooWide}: the public API endpoint is open only to the networks that need it`,
    });
  }
  if (c.endpointAccess?.privateAccess === false && cidrs.length === 0) {
    problems.push({
      field: `${at}.endpointAccess.privateAccess`,
      value: false,
      rule: "leaves the API unreachable: keep it on or list publicAccessCidrs",
    });
  }
}

function validateNewCluster(c: NewClusterArgs, at: string, problems: Problem[]): void {
  if (c.clusterName !== undefined && !CLUSTER_NAME.test(c.clusterName)) {
    problems.push({
      field: `${at}.clusterName`,
      value: c.clusterName,
      rule: 'must be 1-100 letters, digits, "-" or "_", starting with a letter or digit',
    });
  }
  if (c.version !== undefined && !/^1\.\d{2}$/.test(c.version)) {
    problems.push({ field: `${at}.version`, value: c.version, rule: 'must look like "1.32"' });
  }
  if (c.subnetIds !== undefined && c.vpc !== undefined) {
    problems.push({
      field: `${at}.subnetIds and ${at}.vpc`,
      rule: "are exclusive: give existing subnets or shape the new VPC",
    });
  }
  if (c.subnetIds !== undefined && c.subnetIds.length < 2) {
    problems.push({
      field: `${at}.subnetIds`,
      value: c.subnetIds,
      rule: "must list at least two subnets in different zones",
    });
  }
  const cidr = c.vpc?.cidrBlock;
  const prefix = Number(cidr?.split("/")[1]);
  if (cidr !== undefined && !(isIpv4Cidr(cidr) && prefix >= 16 && prefix <= 24)) {
    problems.push({
      field: `${at}.vpc.cidrBlock`,
      value: cidr,
      rule: "must be an IPv4 CIDR with a prefix length between 16 and 24",
    });
  }
  const zones = c.vpc?.availabilityZones?.length ?? c.vpc?.availabilityZoneCount;
  const { min, max } = LIMITS.availabilityZoneCount;
  if (zones !== undefined && !isInt(zones, min, max)) {
    const field = c.vpc?.availabilityZones ? `${at}.vpc.availabilityZones` : `${at}.vpc.availabilityZoneCount`;
    problems.push({
      field,
      value: c.vpc?.availabilityZones ?? zones,
      rule: `must name between ${min} and ${max} zones`,
    });
  }
  validateEndpointAccess(c, at, problems);
  (c.logTypes ?? []).forEach((type, i) => {
    if (!LOG_TYPES.includes(type)) {
      problems.push({ field: `${at}.logTypes[${i}]`, value: type, rule: `must be one of ${LOG_TYPES.join(", ")}` });
    }
  });
  if (c.logRetentionDays !== undefined && !isLogRetentionDays(c.logRetentionDays)) {
    problems.push({
      field: `${at}.logRetentionDays`,
      value: c.logRetentionDays,
      rule: "must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)",
    });
  }
  if (typeof c.kmsKeyArn === "string" && !KMS_KEY_ARN.test(c.kmsKeyArn)) {
    problems.push({
      field: `${at}.kmsKeyArn`,
      value: c.kmsKeyArn,
      rule: "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
    });
  }
  (c.adminArns ?? []).forEach((arn, i) => {
    if (typeof arn !== "string" || !PRINCIPAL_ARN.test(arn)) {
      problems.push({ field: `${at}.adminArns[${i}]`, value: arn, rule: "must be an IAM role or user ARN" });
    }
  });
  if (c.identity !== undefined && c.identity !== "pod-identity" && c.identity !== "irsa") {
    problems.push({ field: `${at}.identity`, value: c.identity, rule: 'must be "pod-identity" or "irsa"' });
  }
  validateSystemNodeGroup(c, at, problems);
}

function validateSystemNodeGroup(c: NewClusterArgs, at: string, problems: Problem[]): void {
  const sys = c.systemNodeGroup;
  const most = LIMITS.systemNodes;
  if (sys?.minNodes !== undefined && !isInt(sys.minNodes, 1, most)) {
    problems.push({
      field: `${at}.systemNodeGroup.minNodes`,
      value: sys.minNodes,
      rule: `must be a whole number between 1 and ${most}`,
    });
  }
  const sysMin = sys?.minNodes ?? DEFAULTS.systemMinSize;
  if (sys?.maxNodes !== undefined && !isInt(sys.maxNodes, Math.max(1, sysMin), most)) {
    problems.push({
      field: `${at}.systemNodeGroup.maxNodes`,
      value: sys.maxNodes,
      rule: `must be a whole number between ${sysMin} and ${most}`,
    });
  }
  if (sys?.instanceTypes !== undefined && sys.instanceTypes.length === 0) {
    problems.push({
      field: `${at}.systemNodeGroup.instanceTypes`,
      value: [],
      rule: "must list at least one instance type",
    });
  }
}

function validateExistingCluster(c: ExistingClusterArgs, at: string, problems: Problem[]): void {
  // A name from another stack is an output: AWS checks it; a plain name is checked here.
  const plainName = typeof c.clusterName === "string";
  if (plainName ? !CLUSTER_NAME.test(c.clusterName as string) : c.clusterName === undefined || c.clusterName === null) {
    problems.push({ field: `${at}.clusterName`, value: c.clusterName, rule: "must name the existing EKS cluster" });
  }
  if (c.identity === undefined) {
    problems.push({
      field: `${at}.identity`,
      rule: 'is required for an existing cluster: "pod-identity", or "irsa" with oidcProviderArn and oidcProviderUrl',
    });
  } else if (c.identity === "irsa") {
    if (!c.oidcProviderArn) {
      problems.push({ field: `${at}.oidcProviderArn`, value: c.oidcProviderArn, rule: "is required for IRSA" });
    } else if (typeof c.oidcProviderArn === "string" && !ARN.test(c.oidcProviderArn)) {
      problems.push({ field: `${at}.oidcProviderArn`, value: c.oidcProviderArn, rule: "must be an ARN" });
    }
    if (!c.oidcProviderUrl) {
      problems.push({ field: `${at}.oidcProviderUrl`, value: c.oidcProviderUrl, rule: "is required for IRSA" });
    }
  } else if (c.identity !== "pod-identity") {
    problems.push({ field: `${at}.identity`, value: c.identity, rule: 'must be "pod-identity" or "irsa"' });
  }
  if (!c.nodeRoleArn) {
    problems.push({ field: `${at}.nodeRoleArn`, value: c.nodeRoleArn, rule: "is required for an existing cluster" });
  } else if (typeof c.nodeRoleArn === "string" && !ARN.test(c.nodeRoleArn)) {
    problems.push({ field: `${at}.nodeRoleArn`, value: c.nodeRoleArn, rule: "must be an IAM role ARN" });
  }
  if (!Array.isArray(c.subnetIds) || c.subnetIds.length === 0) {
    problems.push({ field: `${at}.subnetIds`, value: c.subnetIds, rule: "must list the subnets for the GPU nodes" });
  }
}

/** What the problems call the two cluster settings: the args' names, or a stack file's. */
export interface ClusterFieldNames {
  newCluster: string;
  existingCluster: string;
}

const ARG_FIELDS: ClusterFieldNames = { newCluster: "newCluster", existingCluster: "existingCluster" };

/** Every problem of GpuCluster arguments; empty when they are valid. */
export function gpuClusterProblems(args: GpuClusterArgs, names: ClusterFieldNames = ARG_FIELDS): Problem[] {
  const problems: Problem[] = [];
  const { newCluster, existingCluster } = args;
  if (newCluster !== undefined && existingCluster !== undefined) {
    problems.push({
      field: `${names.newCluster} and ${names.existingCluster}`,
      rule: "are exclusive: create a new cluster or bring an existing one",
    });
  } else if (newCluster !== undefined) validateNewCluster(newCluster, names.newCluster, problems);
  else if (existingCluster !== undefined) validateExistingCluster(existingCluster, names.existingCluster, problems);
  else {
    problems.push({
      field: `${names.newCluster} or ${names.existingCluster}`,
      rule: "is required: give exactly one, a new cluster or an existing one",
    });
  }
  validatePools(args.pools, problems);
  const prefix = args.addons?.sqsQueueNamePrefix;
  if (prefix !== undefined && !QUEUE_PREFIX.test(prefix)) {
    problems.push({
      field: "addons.sqsQueueNamePrefix",
      value: prefix,
      rule: 'must be 1-40 letters, digits, "-" or "_"',
    });
  }
  const clusterName = newCluster ? newCluster.clusterName : existingCluster?.clusterName;
  if (prefix === undefined && typeof clusterName === "string") {
    const derived = defaultQueueNamePrefix(clusterName);
    if (derived.length > QUEUE_PREFIX_MAX) {
      problems.push({
        field: "addons.sqsQueueNamePrefix",
        rule: `defaults to "${derived}", ${derived.length} characters (at most ${QUEUE_PREFIX_MAX} leave room for endpoint names in SQS's 80): set a shorter prefix`,
      });
    }
  }
  validateChartSources(args.addons?.charts, "addons.charts", problems);
  validateScaleInPacker(args.addons?.scaleInPacker, "addons.scaleInPacker", problems);
  problems.push(...tagProblems(args.tags));
  return problems;
}

/** The pools ClusterAddons is given: named, with a slice count the device plugin accepts. */
export function validateAddonPools(pools: AddonPoolArgs[], problems: Problem[]): void {
  if (!Array.isArray(pools) || pools.length === 0) {
    problems.push({ field: "pools", value: pools, rule: "must list at least one GPU pool" });
    return;
  }
  pools.forEach((pool, i) => {
    if (typeof pool.name !== "string" || !DNS_LABEL.test(pool.name)) {
      problems.push({ field: `pools[${i}].name`, value: pool.name, rule: "must be a lowercase DNS label" });
    }
    const { min, max } = LIMITS.slicesPerGpu;
    if (!isInt(pool.slicesPerGpu, min, max)) {
      problems.push({
        field: `pools[${i}].slicesPerGpu`,
        value: pool.slicesPerGpu,
        rule: `must be a whole number between ${min} and ${max}`,
      });
    }
  });
}

const CHART_KEYS = ["devicePlugin", "keda", "clusterAutoscaler"] as const;

/** Each chart source names one place: a local directory, an OCI reference, or a repository. */
export function validateChartSources(charts: AddonChartsArgs | undefined, at: string, problems: Problem[]): void {
  if (charts === undefined) return;
  for (const key of Object.keys(charts)) {
    if (!(CHART_KEYS as readonly string[]).includes(key)) {
      problems.push({ field: `${at}.${key}`, rule: `is not an add-on: use ${CHART_KEYS.join(", ")}` });
    }
  }
  for (const key of CHART_KEYS) {
    const source = charts[key];
    if (source === undefined) continue;
    const field = `${at}.${key}`;
    const given = (["repository", "chart", "version"] as const).filter((k) => source[k] !== undefined);
    if (source.path !== undefined) {
      if (typeof source.path !== "string" || source.path.trim() === "") {
        problems.push({ field: `${field}.path`, value: source.path, rule: "must name a local chart directory" });
      }
      if (given.length > 0) {
        problems.push({
          field: `${field}.path`,
          value: source.path,
          rule: `is exclusive with ${given.join(", ")}: a local chart's Chart.yaml says its version`,
        });
      }
      continue;
    }
    if (source.chart?.startsWith("oci://")) {
      if (source.repository !== undefined) {
        problems.push({
          field: `${field}.repository`,
          value: source.repository,
          rule: `must be unset for an OCI chart (${source.chart})`,
        });
      }
      if (source.version === undefined) {
        problems.push({
          field: `${field}.version`,
          rule: `is required for an OCI chart (${source.chart}): pin an exact version`,
        });
      }
    } else if (source.repository !== undefined && !/^(https?|oci):\/\/\S+$/.test(source.repository)) {
      problems.push({
        field: `${field}.repository`,
        value: source.repository,
        rule: "must be an http(s):// Helm repository URL",
      });
    }
    if (source.version !== undefined && !/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(source.version)) {
      problems.push({
        field: `${field}.version`,
        value: source.version,
        rule: "must be an exact chart version such as 1.2.3",
      });
    }
  }
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** The default KEDA queue prefix is "gpufleet-<cluster>-": SQS names stop at 80 characters. */
export const QUEUE_PREFIX_MAX = 50;

/**
 * Checks GpuCluster arguments before any resource exists. Pure and synchronous: the
 * constructor calls it first, and the stack program calls it while parsing its config.
 * Throws one ConfigError listing every problem.
 */
export function validateGpuClusterArgs(args: GpuClusterArgs): void {
  throwIfProblems("GpuCluster arguments", gpuClusterProblems(args));
}

/** The packer's image and interval, each problem named under `field`. */
export function validateScaleInPacker(args: ScaleInPackerArgs | undefined, field: string, problems: Problem[]): void {
  if (args === undefined) return;
  const imageProblem = typeof args.image === "string" ? imageReferenceProblem(args.image) : "must be a string";
  if (imageProblem) problems.push({ field: `${field}.image`, value: args.image, rule: imageProblem });
  const interval = args.intervalSeconds;
  const intervalRule = interval === undefined ? undefined : packIntervalProblem(interval);
  if (intervalRule) problems.push({ field: `${field}.intervalSeconds`, value: interval, rule: intervalRule });
}
