import { PRIORITY_TIERS, SPOT_NOTICE_SECONDS } from "../../functions/contract";
import type { SliceShare } from "../gpu-cluster/allocatable";
import type { GpuPoolInfo } from "../types";
import type { ModelEndpointArgs } from "./args";
import { type ResolvedModelEndpoint, resolveModelEndpoint } from "./defaults";
import { isReservedEnvName } from "./env";
import { cpuMillis, memoryMiB } from "./quantity";
import { checkSidecarArgs } from "./sidecar";

/** Invalid ModelEndpoint configuration, found before any resource is created. */
export class ModelEndpointConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelEndpointConfigError";
  }
}

/** Kubernetes DNS-1123 label: what a Deployment's pods, a label value and a namespace must be. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const K8S_NAME_MAX = 63;
/** SQS allows 80 characters; the DLQ appends "-dlq". */
const SQS_NAME = /^[A-Za-z0-9_-]+$/;
const SQS_NAME_MAX = 80 - "-dlq".length;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_VISIBILITY_TIMEOUT = 43_200;
const RETENTION_RANGE = [60, 1_209_600] as const;
/** The HPA refuses stabilization windows above one hour (KEDA passes them through unchecked). */
const MAX_STABILIZATION = 3600;

function fmt(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

class Checker {
  constructor(private readonly endpoint: string) {}

  fail(message: string): never {
    throw new ModelEndpointConfigError(`ModelEndpoint "${this.endpoint}": ${message}`);
  }

  dnsLabel(field: string, value: string): void {
    if (value.length > K8S_NAME_MAX) {
      this.fail(`${field} (${fmt(value)}) is ${value.length} characters; Kubernetes allows at most ${K8S_NAME_MAX}`);
    }
    if (!DNS_1123_LABEL.test(value)) {
      this.fail(
        `${field} (${fmt(value)}) must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
      );
    }
  }

  positive(field: string, value: number): void {
    if (!Number.isFinite(value) || value <= 0) this.fail(`${field} (${fmt(value)}) must be greater than 0`);
  }

  nonNegative(field: string, value: number): void {
    if (!Number.isFinite(value) || value < 0) this.fail(`${field} (${fmt(value)}) must be 0 or more`);
  }

  integerIn(field: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(`${field} (${fmt(value)}) must be an integer between ${min} and ${max}`);
    }
  }
}

function checkNames(c: Checker, args: ModelEndpointArgs, endpointName: string): void {
  c.dnsLabel("endpointName", endpointName);
  if (args.namespace !== undefined) c.dnsLabel("namespace", args.namespace);
  const queueName = args.queue?.name;
  if (queueName !== undefined) {
    if (queueName.length === 0 || queueName.length > SQS_NAME_MAX) {
      c.fail(
        `queue.name (${fmt(queueName)}) must be 1 to ${SQS_NAME_MAX} characters (SQS allows 80, less "-dlq" for the dead-letter queue)`,
      );
    }
    if (!SQS_NAME.test(queueName)) {
      c.fail(`queue.name (${fmt(queueName)}) may contain only letters, digits, '-' and '_'`);
    }
  }
  if (args.image.trim() === "") c.fail(`image (${fmt(args.image)}) must not be empty`);
}

function checkProfile(c: Checker, args: ModelEndpointArgs): void {
  const p = args.profile;
  c.positive("profile.secondsPerRequest", p.secondsPerRequest);
  c.positive("profile.sloSeconds", p.sloSeconds);
  c.nonNegative("profile.modelLoadSeconds", p.modelLoadSeconds);
  if (p.concurrencyPerReplica !== undefined) {
    c.integerIn("profile.concurrencyPerReplica", p.concurrencyPerReplica, 1, 1024);
  }
  if (p.minReplicas !== undefined) c.integerIn("profile.minReplicas", p.minReplicas, 0, 10_000);
  if (p.maxReplicas !== undefined) c.integerIn("profile.maxReplicas", p.maxReplicas, 1, 10_000);
  if (p.tokenCost) {
    c.nonNegative("profile.tokenCost.baseSeconds", p.tokenCost.baseSeconds);
    c.nonNegative("profile.tokenCost.secondsPerContextToken", p.tokenCost.secondsPerContextToken);
    c.nonNegative("profile.tokenCost.secondsPerGeneratedToken", p.tokenCost.secondsPerGeneratedToken);
  }
}

function checkPools(c: Checker, args: ModelEndpointArgs, clusterPools: readonly GpuPoolInfo[]): void {
  if (args.pools === undefined) {
    if (clusterPools.length === 0) c.fail("the cluster has no GPU pools to run on");
    return;
  }
  if (args.pools.length === 0) c.fail("pools ([]) must name at least one pool");
  const known = clusterPools.map((p) => p.name);
  args.pools.forEach((pool, i) => {
    if (!known.includes(pool)) {
      c.fail(`pools[${i}] (${fmt(pool)}) is not a pool of the cluster (known: ${known.join(", ") || "none"})`);
    }
    if (args.pools?.indexOf(pool) !== i) c.fail(`pools[${i}] (${fmt(pool)}) is listed twice`);
  });
}

function checkRaw(c: Checker, args: ModelEndpointArgs, clusterPools: readonly GpuPoolInfo[]): void {
  c.positive("gpuMemoryGiB", args.gpuMemoryGiB);
  if (args.tier !== undefined && !PRIORITY_TIERS.includes(args.tier)) {
    c.fail(`tier (${fmt(args.tier)}) must be one of ${PRIORITY_TIERS.join(", ")}`);
  }
  for (const name of Object.keys(args.env ?? {})) {
    if (isReservedEnvName(name)) c.fail(`env.${name} is set by the worker contract and cannot be overridden`);
  }
  checkProfile(c, args);
  checkPools(c, args, clusterPools);
  const q = args.queue ?? {};
  if (q.maxProcessingSeconds !== undefined) c.positive("queue.maxProcessingSeconds", q.maxProcessingSeconds);
  if (q.maxReceiveCount !== undefined) c.integerIn("queue.maxReceiveCount", q.maxReceiveCount, 1, 1000);
  if (q.retentionSeconds !== undefined) c.integerIn("queue.retentionSeconds", q.retentionSeconds, ...RETENTION_RANGE);
  if (q.dlqRetentionSeconds !== undefined) {
    c.integerIn("queue.dlqRetentionSeconds", q.dlqRetentionSeconds, ...RETENTION_RANGE);
  }
  if (args.results) {
    if (!S3_BUCKET.test(args.results.bucketName)) {
      c.fail(`results.bucketName (${fmt(args.results.bucketName)}) is not a valid S3 bucket name`);
    }
    if (args.results.prefix?.startsWith("/")) {
      c.fail(`results.prefix (${fmt(args.results.prefix)}) must not start with '/'`);
    }
  }
  if (args.sidecar) checkSidecarArgs(args.sidecar, args.results !== undefined, (m) => c.fail(m));
  const a = args.alarms ?? {};
  if (a.topicArn !== undefined && a.createTopic) c.fail("alarms.topicArn and alarms.createTopic are exclusive");
  if (a.oldestMessageSloMultiple !== undefined)
    c.positive("alarms.oldestMessageSloMultiple", a.oldestMessageSloMultiple);
  if (a.stalledMinutes !== undefined) c.integerIn("alarms.stalledMinutes", a.stalledMinutes, 1, 1440);
}

/** A pool as the request check sees it. */
export interface RequestPool {
  name: string;
  share: SliceShare | undefined;
}

/**
 * Requests must let every slice of a node hold a replica: slices per node × request within the
 * smallest instance type's allocatable. Otherwise the GPU's other slices stay idle while the
 * Cluster Autoscaler and the capacity model count them as free. Returns one message per problem.
 */
export function requestProblems(pools: RequestPool[], cpu: string | undefined, memory: string | undefined): string[] {
  if (cpu === undefined || memory === undefined) {
    const unknown = pools.filter((p) => p.share === undefined).map((p) => p.name);
    const missing = [cpu === undefined ? "cpu" : "", memory === undefined ? "memory" : ""]
      .filter(Boolean)
      .join(" and ");
    return [
      `${missing} (undefined) cannot be derived: the instance types of pool(s) ${unknown.join(", ")} are not in gpufleet's instance table; set ${missing}`,
    ];
  }
  const cpuM = cpuMillis(cpu);
  const memMiB = memoryMiB(memory);
  const problems: string[] = [];
  if (cpuM === undefined || cpuM <= 0)
    problems.push(`cpu (${fmt(cpu)}) must be a Kubernetes CPU quantity such as "900m" or "2"`);
  if (memMiB === undefined || memMiB <= 0) {
    problems.push(`memory (${fmt(memory)}) must be a Kubernetes memory quantity such as "3Gi" or "3500Mi"`);
  }
  if (cpuM === undefined || memMiB === undefined) return problems;
  for (const pool of pools) {
    const share = pool.share;
    if (!share) continue;
    const n = share.replicasPerNode;
    const checks = [
      { field: "cpu", value: cpu, need: n * cpuM, have: share.node.cpuMillis, unit: "m", per: share.cpuMillis },
      {
        field: "memory",
        value: memory,
        need: n * memMiB,
        have: share.node.memoryMiB,
        unit: "Mi",
        per: share.memoryMiB,
      },
    ];
    for (const k of checks) {
      if (k.need > k.have) {
        problems.push(
          `${k.field} (${fmt(k.value)}) × ${n} slices per node is ${Math.ceil(k.need)}${k.unit}, more than the ${k.have}${k.unit} a ${share.instanceType} node of pool "${pool.name}" leaves for pods (EKS reservations and node agents taken off): set ${k.field} to at most ${k.per}${k.unit}, or lower the pool's slicesPerGpu`,
        );
      }
    }
  }
  return problems;
}

function checkResolved(c: Checker, r: ResolvedModelEndpoint): void {
  const { profile, queue, scaling } = r;
  if (queue.name.length > SQS_NAME_MAX || !SQS_NAME.test(queue.name)) {
    c.fail(
      `queue name (${fmt(queue.name)}, the cluster's prefix plus the endpoint name) must be at most ${SQS_NAME_MAX} letters, digits, '-' and '_': set queue.name`,
    );
  }
  const [requestProblem] = requestProblems(r.pools, r.cpu, r.memory);
  if (requestProblem) c.fail(requestProblem);
  if (profile.minReplicas > profile.maxReplicas) {
    c.fail(`profile.minReplicas (${profile.minReplicas}) must not exceed profile.maxReplicas (${profile.maxReplicas})`);
  }
  c.integerIn("queue.visibilityTimeoutSeconds", queue.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT);
  if (queue.visibilityTimeoutSeconds < queue.maxProcessingSeconds) {
    c.fail(
      `queue.visibilityTimeoutSeconds (${queue.visibilityTimeoutSeconds}) is shorter than queue.maxProcessingSeconds (${queue.maxProcessingSeconds}): a request still being processed would be handed to another replica`,
    );
  }
  c.integerIn("terminationGracePeriodSeconds", r.terminationGracePeriodSeconds, 1, 3600);
  const spotPool = r.pools.find((p) => p.capacityType === "spot");
  if (spotPool && r.terminationGracePeriodSeconds > SPOT_NOTICE_SECONDS) {
    c.fail(
      `terminationGracePeriodSeconds (${r.terminationGracePeriodSeconds}) is longer than the ${SPOT_NOTICE_SECONDS} s spot notice, and spot pool "${spotPool.name}" is allowed`,
    );
  }
  for (const pool of r.pools) {
    if (r.gpuMemoryMiB > pool.gpuMemoryMiBPerSlice) {
      c.fail(
        `needs ${r.gpuMemoryMiB} MiB of GPU memory per replica but pool "${pool.name}" offers ${pool.gpuMemoryMiBPerSlice} MiB per slice`,
      );
    }
  }
  c.integerIn("scaling.queueLengthPerReplica", scaling.queueLengthPerReplica, 1, 100_000);
  c.integerIn("scaling.pollingIntervalSeconds", scaling.pollingIntervalSeconds, 1, 3600);
  c.integerIn("scaling.cooldownSeconds", scaling.cooldownSeconds, 0, 86_400);
  c.integerIn("scaling.scaleUpStabilizationSeconds", scaling.scaleUpStabilizationSeconds, 0, MAX_STABILIZATION);
  c.integerIn("scaling.scaleDownStabilizationSeconds", scaling.scaleDownStabilizationSeconds, 0, MAX_STABILIZATION);
  c.integerIn("scaling.scaleUpPercentPerMinute", scaling.scaleUpPercentPerMinute, 1, 1000);
  c.integerIn("scaling.scaleDownPercentPerMinute", scaling.scaleDownPercentPerMinute, 1, 100);
}

/**
 * Checks a ModelEndpoint's arguments against the cluster's pools and returns the settings with
 * every default applied. Pure and synchronous: the constructor runs it before creating any child.
 * Throws ModelEndpointConfigError naming the field, its value and the rule.
 */
export function validateModelEndpointArgs(
  name: string,
  args: ModelEndpointArgs,
  clusterPools: readonly GpuPoolInfo[] = args.cluster.pools,
): ResolvedModelEndpoint {
  const endpointName = args.endpointName ?? name;
  const c = new Checker(endpointName);
  checkNames(c, args, endpointName);
  checkRaw(c, args, clusterPools);
  const resolved = resolveModelEndpoint(name, args, clusterPools);
  checkResolved(c, resolved);
  return resolved;
}
