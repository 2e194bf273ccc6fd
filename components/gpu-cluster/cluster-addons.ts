import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CapacityType } from "../../functions/contract";
import { type Problem, throwIfProblems } from "../../functions/problems";
import { dependsOnList } from "../depends-on";
import {
  clusterAutoscalerValues,
  createPriorityClasses,
  createRelease,
  devicePluginValues,
  kedaValues,
} from "./addons";
import type { IdentityMode, ScaleInPackerArgs } from "./args";
import { createScaleInPacker } from "./packer";
import { validateAddonPools, validateChartSources, validateScaleInPacker } from "./validate";
import { CHARTS, type ChartSource } from "./versions";

/** A GPU pool as the add-ons see it: plain values, plus the Auto Scaling groups EKS made for it. */
export interface AddonPoolArgs {
  /** Pool name (the device plugin config `pool-<name>` its nodes select by label). */
  name: string;
  capacityType: CapacityType;
  /**
   * The on-demand pool that takes over while spot is unhealthy: ranked last by the expander.
   * @default false
   */
  fallback?: boolean;
  /** Time-slicing replicas per GPU (1..48). */
  slicesPerGpu: number;
  /** Auto Scaling group names of the pool's node group (its `resources[0].autoscalingGroups[*].name`). */
  asgNames: pulumi.Input<pulumi.Input<string>[]>;
}

/** Chart source overrides, per add-on. */
export interface AddonChartsArgs {
  /** @default the pinned public chart (versions.ts) */
  devicePlugin?: ChartSource;
  /** @default the pinned public chart (versions.ts) */
  keda?: ChartSource;
  /** @default the pinned public chart (versions.ts) */
  clusterAutoscaler?: ChartSource;
}

/** The add-ons to install on one cluster. */
export interface ClusterAddonsArgs {
  /**
   * Kubeconfig of the cluster: the add-ons are created with a Kubernetes provider built from it.
   * @default the component's `providers` resource option (as a GpuCluster passes its own)
   */
  kubeconfig?: pulumi.Input<string>;
  /** The EKS cluster's name (Cluster Autoscaler auto-discovery). */
  clusterName: pulumi.Input<string>;
  /** AWS region of the cluster. */
  region: pulumi.Input<string>;
  /** The GPU pools. */
  pools: AddonPoolArgs[];
  /** How the add-ons get AWS credentials: under IRSA the charts annotate their service accounts with the role ARNs. */
  identity: IdentityMode;
  /**
   * Install the NVIDIA device plugin with the pools' time-slicing configs.
   * @default true
   */
  devicePlugin?: boolean;
  /** @default true */
  keda?: boolean;
  /** @default true */
  clusterAutoscaler?: boolean;
  /** @default true */
  priorityClasses?: boolean;
  /**
   * IAM role of the KEDA operator (service account `keda/keda-operator`). Required under IRSA.
   * @default none
   */
  kedaOperatorRoleArn?: pulumi.Input<string>;
  /**
   * IAM role of the Cluster Autoscaler (service account `kube-system/cluster-autoscaler`). Required under IRSA.
   * @default none
   */
  clusterAutoscalerRoleArn?: pulumi.Input<string>;
  /** Where each chart comes from. @default the pinned public charts */
  charts?: AddonChartsArgs;
  /**
   * Run the scale-in packer: scale-in then empties the least occupied GPU node first, so the
   * Cluster Autoscaler can remove it (see docs/gpu-cluster.md).
   * @default not installed
   */
  scaleInPacker?: ScaleInPackerArgs;
}

/** ClusterAddons' resource options: what each add-on waits for, beside the component's own `dependsOn`. */
export interface ClusterAddonsOptions extends pulumi.ComponentResourceOptions {
  /**
   * What KEDA's pods need before they start: its Pod Identity association (credentials are
   * injected only when a pod is admitted) and its role policy.
   * @default []
   */
  kedaDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Same, for the Cluster Autoscaler. @default [] */
  clusterAutoscalerDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Checks ClusterAddons arguments before any resource exists; throws a ConfigError listing every problem. */
export function validateClusterAddonsArgs(args: ClusterAddonsArgs): void {
  const problems: Problem[] = [];
  validateAddonPools(args.pools, problems);
  if (args.identity !== "pod-identity" && args.identity !== "irsa") {
    problems.push({ field: "identity", value: args.identity, rule: 'must be "pod-identity" or "irsa"' });
  }
  if (args.identity === "irsa") {
    if ((args.keda ?? true) && args.kedaOperatorRoleArn === undefined) {
      problems.push({
        field: "kedaOperatorRoleArn",
        rule: "is required under IRSA: the chart annotates KEDA's service account with it",
      });
    }
    if ((args.clusterAutoscaler ?? true) && args.clusterAutoscalerRoleArn === undefined) {
      problems.push({
        field: "clusterAutoscalerRoleArn",
        rule: "is required under IRSA: the chart annotates the autoscaler's service account with it",
      });
    }
  }
  validateChartSources(args.charts, "charts", problems);
  validateScaleInPacker(args.scaleInPacker, "scaleInPacker", problems);
  throwIfProblems("ClusterAddons arguments", problems);
}

/**
 * The Kubernetes half of a GpuCluster: NVIDIA device plugin with per-pool time-slicing, KEDA,
 * the Cluster Autoscaler (priority expander over the pools' ASGs) and the gpufleet
 * PriorityClasses. Takes plain values and a kubeconfig (or the `providers` resource option), and
 * needs no AWS resource or lookup, so it also serves a cluster whose AWS side another team or
 * stack manages, from any Pulumi language.
 * A ModelEndpoint or ModelWorkload with it in `dependsOn` (or given the GpuCluster that made it)
 * waits for KEDA's CRDs and the PriorityClasses.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  readonly devicePluginRelease: k8s.helm.v3.Release | undefined;
  /** The release that installs KEDA's CRDs (ScaledObject, TriggerAuthentication). */
  readonly kedaRelease: k8s.helm.v3.Release | undefined;
  readonly clusterAutoscalerRelease: k8s.helm.v3.Release | undefined;
  readonly priorityClasses: k8s.scheduling.v1.PriorityClass[];
  /** The scale-in packer's Deployment, when it runs. */
  readonly scaleInPacker: k8s.apps.v1.Deployment | undefined;

  constructor(name: string, args: ClusterAddonsArgs, opts?: ClusterAddonsOptions) {
    validateClusterAddonsArgs(args);
    const { kedaDependsOn, clusterAutoscalerDependsOn, ...resourceOptions } = opts ?? {};
    super("gpufleet:index:ClusterAddons", name, {}, resourceOptions);
    // Without a kubeconfig the children inherit the provider from the component's `providers`.
    const provider =
      args.kubeconfig !== undefined
        ? new k8s.Provider(`${name}-k8s`, { kubeconfig: args.kubeconfig }, { parent: this })
        : undefined;
    // These children used to be the parent's own: the alias keeps their URNs when composed.
    const aliases = opts?.parent ? [{ parent: opts.parent }] : [];
    // A component's dependsOn does not reach its children by itself.
    const dependsOn = dependsOnList(opts?.dependsOn);
    const base = { ...(provider ? { provider } : {}), parent: this, aliases };

    this.priorityClasses = (args.priorityClasses ?? true) ? createPriorityClasses(name, { ...base, dependsOn }) : [];

    this.devicePluginRelease =
      (args.devicePlugin ?? true)
        ? createRelease(`${name}-device-plugin`, CHARTS.devicePlugin, devicePluginValues(args.pools), {
            ...base,
            dependsOn,
            ...(args.charts?.devicePlugin ? { source: args.charts.devicePlugin } : {}),
          })
        : undefined;

    this.kedaRelease =
      (args.keda ?? true)
        ? createRelease(
            `${name}-keda`,
            CHARTS.keda,
            pulumi.output(args.kedaOperatorRoleArn ?? "").apply((arn) => kedaValues(args.identity, arn)),
            {
              ...base,
              dependsOn: [...dependsOn, ...(kedaDependsOn ?? [])],
              ...(args.charts?.keda ? { source: args.charts.keda } : {}),
            },
          )
        : undefined;

    this.clusterAutoscalerRelease =
      (args.clusterAutoscaler ?? true)
        ? createRelease(`${name}-cluster-autoscaler`, CHARTS.clusterAutoscaler, this.autoscalerValues(args), {
            ...base,
            dependsOn: [...dependsOn, ...(clusterAutoscalerDependsOn ?? [])],
            ...(args.charts?.clusterAutoscaler ? { source: args.charts.clusterAutoscaler } : {}),
          })
        : undefined;

    this.scaleInPacker = args.scaleInPacker
      ? createScaleInPacker(name, args.scaleInPacker, base, dependsOn).deployment
      : undefined;

    this.registerOutputs({});
  }

  /** The autoscaler's values once the role, region, cluster name and every pool's ASG names are known. */
  private autoscalerValues(args: ClusterAddonsArgs): pulumi.Output<Record<string, unknown>> {
    const asgNames = pulumi.all(args.pools.map((pool) => pulumi.output(pool.asgNames)));
    return pulumi
      .all([args.clusterName, args.region, args.clusterAutoscalerRoleArn ?? "", asgNames])
      .apply(([clusterName, region, roleArn, names]) =>
        clusterAutoscalerValues({
          clusterName,
          region,
          identity: args.identity,
          roleArn,
          pools: args.pools.map((pool, i) => ({
            capacityType: pool.capacityType,
            fallback: pool.fallback ?? false,
            asgNames: names[i] ?? [],
          })),
        }),
      );
  }
}
