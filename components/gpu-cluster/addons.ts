import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import {
  GPU_RESOURCE,
  GPU_TAINT,
  LABELS,
  PRIORITY_TIERS,
  type PriorityTier,
  priorityClassName,
} from "../../functions/contract";
import type { WorkloadIdentity } from "../types";
import type { ResolvedPool } from "./defaults";
import { AMI_FAMILY_LABEL, devicePluginConfigName } from "./node-pool";
import { type ChartPin, type ChartSource, SERVICE_ACCOUNTS } from "./versions";

/** The device plugin config for nodes with no pool label: whole GPUs, no sharing. */
export const UNSHARED_CONFIG = "unshared";

/**
 * One pool's device plugin config file. `failRequestsGreaterThanOne` makes a pod that asks
 * for two slices fail instead of getting two slices of the same GPU (no more compute).
 * One slice per GPU means no sharing section: the plugin requires replicas >= 2.
 */
export function timeSlicingConfig(slicesPerGpu: number): string {
  const config: Record<string, unknown> = { version: "v1", flags: { migStrategy: "none" } };
  if (slicesPerGpu > 1) {
    config.sharing = {
      timeSlicing: {
        renameByDefault: false,
        failRequestsGreaterThanOne: true,
        resources: [{ name: GPU_RESOURCE, replicas: slicesPerGpu }],
      },
    };
  }
  return stringify(config);
}

/**
 * Device plugin chart values: one named config per pool (nodes pick theirs through the
 * `nvidia.com/device-plugin.config` label), on nodes labelled `nvidia.com/gpu.present`,
 * except Bottlerocket nodes, whose OS runs the plugin itself.
 */
export function devicePluginValues(pools: Pick<ResolvedPool, "name" | "slicesPerGpu">[]): Record<string, unknown> {
  const map: Record<string, string> = { [UNSHARED_CONFIG]: timeSlicingConfig(1) };
  for (const pool of pools) map[devicePluginConfigName(pool.name)] = timeSlicingConfig(pool.slicesPerGpu);
  return {
    config: { map, default: UNSHARED_CONFIG },
    gfd: { enabled: false },
    nfd: { enabled: false },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: LABELS.gpuPresent, operator: "In", values: ["true"] },
                { key: AMI_FAMILY_LABEL, operator: "NotIn", values: ["bottlerocket"] },
              ],
            },
          ],
        },
      },
    },
    tolerations: [
      { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect },
      { key: "CriticalAddonsOnly", operator: "Exists" },
    ],
  };
}

/** KEDA chart values. Under IRSA the chart annotates the operator's service account with the role. */
export function kedaValues(identity: WorkloadIdentity["kind"], roleArn: string): Record<string, unknown> {
  return {
    serviceAccount: { operator: { create: true, name: SERVICE_ACCOUNTS.keda.name } },
    podIdentity: { aws: { irsa: identity === "irsa" ? { enabled: true, roleArn } : { enabled: false } } },
  };
}

/** Escapes a string for use inside a regular expression. */
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Priority expander tiers: higher wins. Anything unmatched (the system group) comes last. */
export const EXPANDER_PRIORITY = { spot: 50, onDemand: 20, fallback: 10, other: 1 } as const;

/** What the expander needs of a pool: its tier, and the Auto Scaling groups EKS created for it. */
export interface ExpanderPool {
  capacityType: ResolvedPool["capacityType"];
  fallback: boolean;
  /** ASG names from the node group's `resources[0].autoscalingGroups[*].name` output. */
  asgNames: string[];
}

/**
 * The priority expander's table: spot pools first, other on-demand pools next, the
 * fallback pool last among GPU pools. The rebalancer, not the autoscaler, decides when the
 * fallback must carry load; this order only stops the autoscaler reaching for it first.
 * Each entry matches one ASG exactly, by the name EKS reported for the node group.
 */
export function expanderPriorities(pools: ExpanderPool[]): Record<string, string[]> {
  const tiers: Record<string, string[]> = {};
  for (const pool of pools) {
    const tier =
      pool.capacityType === "spot"
        ? EXPANDER_PRIORITY.spot
        : pool.fallback
          ? EXPANDER_PRIORITY.fallback
          : EXPANDER_PRIORITY.onDemand;
    tiers[tier] = [...(tiers[tier] ?? []), ...pool.asgNames.map((name) => `^${escapeRegex(name)}$`)];
  }
  tiers[EXPANDER_PRIORITY.other] = [".*"];
  return tiers;
}

export interface AutoscalerValuesArgs {
  clusterName: string;
  region: string;
  identity: WorkloadIdentity["kind"];
  roleArn: string;
  pools: ExpanderPool[];
}

export function clusterAutoscalerValues(args: AutoscalerValuesArgs): Record<string, unknown> {
  const serviceAccount: Record<string, unknown> = { create: true, name: SERVICE_ACCOUNTS.clusterAutoscaler.name };
  if (args.identity === "irsa") serviceAccount.annotations = { "eks.amazonaws.com/role-arn": args.roleArn };
  return {
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    rbac: { create: true, serviceAccount },
    expanderPriorities: expanderPriorities(args.pools),
    extraArgs: {
      // Priority first; least-waste breaks ties between pools of equal priority.
      expander: "priority,least-waste",
      "balance-similar-node-groups": true,
      // Node-group-specific labels EKS adds would otherwise make identical pools look different.
      "balancing-ignore-label_1": "eks.amazonaws.com/nodegroup",
      "balancing-ignore-label_2": "eks.amazonaws.com/nodegroup-image",
      "balancing-ignore-label_3": "eks.amazonaws.com/sourceLaunchTemplateId",
      "balancing-ignore-label_4": "eks.amazonaws.com/sourceLaunchTemplateVersion",
      "skip-nodes-with-local-storage": false,
    },
  };
}

/**
 * PriorityClass values: far below the system classes (2e9), far apart so users can slot
 * their own between. Batch never preempts (preemptionPolicy Never) and, being lowest, is
 * what the scheduler preempts first when critical or standard pods need a slice.
 */
export const PRIORITY_VALUES: Record<PriorityTier, { value: number; preemptionPolicy: string; description: string }> = {
  critical: {
    value: 1_000_000,
    preemptionPolicy: "PreemptLowerPriority",
    description: "gpufleet endpoints that must keep serving; preempts standard and batch pods.",
  },
  standard: {
    value: 100_000,
    preemptionPolicy: "PreemptLowerPriority",
    description: "gpufleet endpoints by default; preempts batch pods.",
  },
  batch: {
    value: 1_000,
    preemptionPolicy: "Never",
    description: "Preemptible gpufleet work: never preempts, is preempted first.",
  },
};

export function createPriorityClasses(
  name: string,
  opts: Pick<pulumi.CustomResourceOptions, "provider" | "parent" | "aliases" | "dependsOn">,
): k8s.scheduling.v1.PriorityClass[] {
  return PRIORITY_TIERS.map(
    (tier) =>
      new k8s.scheduling.v1.PriorityClass(
        `${name}-priority-${tier}`,
        {
          metadata: { name: priorityClassName(tier) },
          value: PRIORITY_VALUES[tier].value,
          preemptionPolicy: PRIORITY_VALUES[tier].preemptionPolicy,
          globalDefault: false,
          description: PRIORITY_VALUES[tier].description,
        },
        opts,
      ),
  );
}

/**
 * Seconds a release may take to become ready. Releases wait (Helm's `--wait`): KEDA's
 * webhook and metrics server must answer before an endpoint's ScaledObject is created, and
 * the add-ons run on the system nodes, which exist before the releases start. The device
 * plugin's DaemonSet has nothing to wait for while the GPU pools are empty.
 */
export const RELEASE_TIMEOUT_SECONDS = 600;

/** The chart, version and repository of a release, from the pin or the user's override. */
export function chartArgs(
  pin: ChartPin,
  source: ChartSource | undefined,
): Pick<k8s.helm.v3.ReleaseArgs, "chart" | "version" | "repositoryOpts"> {
  if (source?.path !== undefined) return { chart: source.path };
  const chart = source?.chart ?? pin.chart;
  const version = source?.version ?? pin.version;
  if (chart.startsWith("oci://")) return { chart, version };
  return { chart, version, repositoryOpts: { repo: source?.repository ?? pin.repo } };
}

export interface ReleaseOptions {
  source?: ChartSource;
  /** @default the parent's provider for Kubernetes */
  provider?: k8s.Provider;
  parent: pulumi.Resource;
  /** What the release's pods need first (their Pod Identity association or IAM role). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  aliases?: pulumi.Input<pulumi.Alias>[];
}

/** A Helm release of a pinned (or overridden) chart that waits for its workloads. */
export function createRelease(
  name: string,
  pin: ChartPin,
  values: pulumi.Input<Record<string, unknown>>,
  opts: ReleaseOptions,
): k8s.helm.v3.Release {
  // The namespace is a resource of its own rather than Helm's createNamespace: Helm never
  // deletes a namespace it created, so `pulumi destroy` would leave it behind.
  const namespace =
    pin.namespace === "kube-system"
      ? undefined
      : new k8s.core.v1.Namespace(
          `${name}-namespace`,
          { metadata: { name: pin.namespace } },
          { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) },
        );
  return new k8s.helm.v3.Release(
    name,
    {
      name: pin.chart,
      ...chartArgs(pin, opts.source),
      namespace: namespace ? namespace.metadata.name : pin.namespace,
      createNamespace: false,
      values,
      skipAwait: false,
      timeout: RELEASE_TIMEOUT_SECONDS,
    },
    {
      parent: opts.parent,
      ...(opts.provider ? { provider: opts.provider } : {}),
      dependsOn: [...(opts.dependsOn ?? []), ...(namespace ? [namespace] : [])],
      ...(opts.aliases ? { aliases: opts.aliases } : {}),
    },
  );
}
