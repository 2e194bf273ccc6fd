import { DNS_LABEL, DNS_LABEL_MAX, tagProblems } from "../../functions/aws-names";
import { PRIORITY_TIERS, SPOT_NOTICE_SECONDS } from "../../functions/contract";
import { imageReferenceProblem } from "../../functions/image-ref";
import { ConfigError, isConfigError, type Problem, problemsFromZod, throwIfProblems } from "../../functions/problems";
import { endpointProfileArgsSchema } from "../../functions/profile";
import type { SliceShare } from "../gpu-cluster/allocatable";
import type { GpuPoolInfo } from "../types";
import type { ModelEndpointArgs } from "./args";
import { type EndpointSettings, type ResolvedModelEndpoint, resolveModelEndpoint } from "./defaults";
import { isReservedEnvName } from "./env";
import { cpuMillis, memoryMiB } from "./quantity";
import { checkSidecarArgs } from "./sidecar";
import { clusterRefProblems, readinessProbeProblems } from "./validate-refs";

/** SQS allows 80 characters; the DLQ appends "-dlq". */
const SQS_NAME = /^[A-Za-z0-9_-]+$/;
const SQS_NAME_MAX = 80 - "-dlq".length;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_VISIBILITY_TIMEOUT = 43_200;
const RETENTION_RANGE = [60, 1_209_600] as const;
/** The HPA refuses stabilization windows above one hour (KEDA passes them through unchecked). */
const MAX_STABILIZATION = 3600;
/** Above a terabyte a GPU memory figure is a unit mistake. */
const MAX_GPU_MEMORY_GIB = 1024;

/** Collects problems in the house style: field, value, rule. */
class Checker {
  readonly problems: Problem[] = [];

  add(field: string, value: unknown, rule: string): void {
    this.problems.push({ field, value, rule });
  }

  dnsLabel(field: string, value: string): void {
    if (typeof value !== "string" || value.length > DNS_LABEL_MAX) {
      this.add(field, value, `must be at most ${DNS_LABEL_MAX} characters (Kubernetes)`);
    } else if (!DNS_LABEL.test(value)) {
      this.add(
        field,
        value,
        "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
      );
    }
  }

  positive(field: string, value: number, max: number): void {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
      this.add(field, value, `must be greater than 0 and at most ${max}`);
    }
  }

  integerIn(field: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(field, value, `must be a whole number between ${min} and ${max}`);
    }
  }
}

function checkNames(c: Checker, args: EndpointSettings, endpointName: string): void {
  c.dnsLabel("endpointName", endpointName);
  if (args.namespace !== undefined) c.dnsLabel("namespace", args.namespace);
  const queueName = args.queue?.name;
  if (queueName !== undefined) {
    if (queueName.length === 0 || queueName.length > SQS_NAME_MAX) {
      c.add(
        "queue.name",
        queueName,
        `must be 1 to ${SQS_NAME_MAX} characters (SQS allows 80, less "-dlq" for the dead-letter queue)`,
      );
    } else if (!SQS_NAME.test(queueName)) {
      c.add("queue.name", queueName, "may contain only letters, digits, '-' and '_'");
    }
  }
  const image = typeof args.image === "string" ? imageReferenceProblem(args.image) : "must be a string";
  if (image) c.add("image", args.image, image);
}

function checkPools(c: Checker, args: EndpointSettings, clusterPools: readonly GpuPoolInfo[]): void {
  if (args.pools === undefined) {
    if (clusterPools.length === 0)
      c.problems.push({ field: "pools", rule: "has nothing to run on: the cluster has no GPU pools" });
    return;
  }
  if (args.pools.length === 0) c.add("pools", [], "must name at least one pool");
  const known = clusterPools.map((p) => p.name);
  args.pools.forEach((pool, i) => {
    if (!known.includes(pool)) {
      c.add(`pools[${i}]`, pool, `is not a pool of the cluster (known: ${known.join(", ") || "none"})`);
    } else if (args.pools?.indexOf(pool) !== i) c.add(`pools[${i}]`, pool, "is listed twice");
  });
}

function checkRaw(c: Checker, args: EndpointSettings, clusterPools: readonly GpuPoolInfo[]): void {
  c.positive("gpuMemoryGiB", args.gpuMemoryGiB, MAX_GPU_MEMORY_GIB);
  if (args.tier !== undefined && !PRIORITY_TIERS.includes(args.tier)) {
    c.add("tier", args.tier, `must be one of ${PRIORITY_TIERS.join(", ")}`);
  }
  for (const name of Object.keys(args.env ?? {})) {
    if (isReservedEnvName(name)) {
      c.problems.push({ field: `env.${name}`, rule: "is set by the worker contract and cannot be overridden" });
    }
  }
  const profile = endpointProfileArgsSchema.safeParse(args.profile);
  if (!profile.success) {
    c.problems.push(
      ...problemsFromZod(endpointProfileArgsSchema, profile.error.issues, args.profile, { prefix: "profile" }),
    );
  }
  checkPools(c, args, clusterPools);
  const q = args.queue ?? {};
  if (q.maxProcessingSeconds !== undefined)
    c.positive("queue.maxProcessingSeconds", q.maxProcessingSeconds, MAX_VISIBILITY_TIMEOUT);
  if (q.maxReceiveCount !== undefined) c.integerIn("queue.maxReceiveCount", q.maxReceiveCount, 1, 1000);
  if (q.retentionSeconds !== undefined) c.integerIn("queue.retentionSeconds", q.retentionSeconds, ...RETENTION_RANGE);
  if (q.dlqRetentionSeconds !== undefined) {
    c.integerIn("queue.dlqRetentionSeconds", q.dlqRetentionSeconds, ...RETENTION_RANGE);
  }
  if (args.results) {
    if (!S3_BUCKET.test(args.results.bucketName)) {
      c.add("results.bucketName", args.results.bucketName, "is not a valid S3 bucket name");
    }
    if (args.results.prefix?.startsWith("/")) c.add("results.prefix", args.results.prefix, "must not start with '/'");
  }
  if (args.sidecar) {
    // The sidecar's checks stop at their first problem; it joins the others.
    try {
      checkSidecarArgs(args.sidecar, args.results !== undefined, (problem) => {
        throw new ConfigError("sidecar", [problem]);
      });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      c.problems.push(...error.problems);
    }
  }
  const a = args.alarms ?? {};
  if (a.topicArn !== undefined && a.createTopic) {
    c.problems.push({ field: "alarms.topicArn and alarms.createTopic", rule: "are exclusive" });
  }
  if (a.oldestMessageSloMultiple !== undefined)
    c.positive("alarms.oldestMessageSloMultiple", a.oldestMessageSloMultiple, 1000);
  if (a.stalledMinutes !== undefined) c.integerIn("alarms.stalledMinutes", a.stalledMinutes, 1, 1440);
  c.problems.push(...tagProblems(args.tags));
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
export function requestProblems(pools: RequestPool[], cpu: string | undefined, memory: string | undefined): Problem[] {
  if (cpu === undefined || memory === undefined) {
    const unknown = pools.filter((p) => p.share === undefined).map((p) => p.name);
    const missing = [cpu === undefined ? "cpu" : "", memory === undefined ? "memory" : ""]
      .filter(Boolean)
      .join(" and ");
    return [
      {
        field: missing,
        rule: `cannot be derived: the instance types of pool(s) ${unknown.join(", ")} are not in gpufleet's instance table; set ${missing}`,
      },
    ];
  }
  const cpuM = cpuMillis(cpu);
  const memMiB = memoryMiB(memory);
  const problems: Problem[] = [];
  if (cpuM === undefined || cpuM <= 0) {
    problems.push({ field: "cpu", value: cpu, rule: 'must be a Kubernetes CPU quantity such as "900m" or "2"' });
  }
  if (memMiB === undefined || memMiB <= 0) {
    problems.push({
      field: "memory",
      value: memory,
      rule: 'must be a Kubernetes memory quantity such as "3Gi" or "3500Mi"',
    });
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
        problems.push({
          field: k.field,
          value: k.value,
          rule: `× ${n} slices per node is ${Math.ceil(k.need)}${k.unit}, more than the ${k.have}${k.unit} a ${share.instanceType} node of pool "${pool.name}" leaves for pods (EKS reservations and node agents taken off): set ${k.field} to at most ${k.per}${k.unit}, or lower the pool's slicesPerGpu`,
        });
      }
    }
  }
  return problems;
}

function checkResolved(c: Checker, r: ResolvedModelEndpoint): void {
  const { queue, scaling } = r;
  if (queue.name.length > SQS_NAME_MAX || !SQS_NAME.test(queue.name)) {
    c.add(
      "queue name",
      queue.name,
      `(the cluster's prefix plus the endpoint name) must be at most ${SQS_NAME_MAX} letters, digits, '-' and '_': set queue.name`,
    );
  }
  c.problems.push(...requestProblems(r.pools, r.cpu, r.memory));
  c.integerIn("queue.visibilityTimeoutSeconds", queue.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT);
  if (queue.visibilityTimeoutSeconds < queue.maxProcessingSeconds) {
    c.add(
      "queue.visibilityTimeoutSeconds",
      queue.visibilityTimeoutSeconds,
      `is shorter than queue.maxProcessingSeconds (${queue.maxProcessingSeconds}): a request still being processed would be handed to another replica`,
    );
  }
  c.integerIn("terminationGracePeriodSeconds", r.terminationGracePeriodSeconds, 1, 3600);
  const spotPool = r.pools.find((p) => p.capacityType === "spot");
  if (spotPool && r.terminationGracePeriodSeconds > SPOT_NOTICE_SECONDS) {
    c.add(
      "terminationGracePeriodSeconds",
      r.terminationGracePeriodSeconds,
      `is longer than the ${SPOT_NOTICE_SECONDS} s spot notice, and spot pool "${spotPool.name}" is allowed`,
    );
  }
  for (const pool of r.pools) {
    if (r.gpuMemoryMiB > pool.gpuMemoryMiBPerSlice) {
      c.add(
        "gpuMemoryGiB",
        r.gpuMemoryMiB / 1024,
        `needs ${r.gpuMemoryMiB} MiB per replica but pool "${pool.name}" offers ${pool.gpuMemoryMiBPerSlice} MiB per slice`,
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

/** Every problem of a ModelEndpoint's arguments, and the resolved settings when there is none. */
export function modelEndpointProblems(
  name: string,
  args: EndpointSettings,
  clusterPools: readonly GpuPoolInfo[],
): { problems: Problem[]; resolved?: ResolvedModelEndpoint } {
  const c = new Checker();
  checkNames(c, args, args.endpointName ?? name);
  checkRaw(c, args, clusterPools);
  // Defaults are derived from the checked values (visibility timeout from secondsPerRequest):
  // resolve only what passed, so no message quotes a value derived from a bad one.
  if (c.problems.length > 0) return { problems: c.problems };
  const resolved = resolveModelEndpoint(name, args, clusterPools);
  checkResolved(c, resolved);
  return c.problems.length > 0 ? { problems: c.problems } : { problems: [], resolved };
}

/**
 * Checks a ModelEndpoint's arguments against the cluster's pools and returns the settings with
 * every default applied. Pure and synchronous: the constructor runs it before creating any child.
 * Throws one ConfigError listing every problem (field, value, rule).
 */
export function validateModelEndpointArgs(
  name: string,
  args: ModelEndpointArgs,
  clusterPools: readonly GpuPoolInfo[] = args.cluster.pools,
): ResolvedModelEndpoint {
  const { problems, resolved } = modelEndpointProblems(name, args, clusterPools);
  throwIfProblems(`ModelEndpoint "${args.endpointName ?? name}" arguments`, [
    ...clusterRefProblems(args.cluster),
    ...problems,
    ...readinessProbeProblems(args.readinessProbe),
  ]);
  return resolved as ResolvedModelEndpoint;
}
