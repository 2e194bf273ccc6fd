import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef, GpuPoolInfo, WorkloadIdentity } from "../types";
import type { ExistingClusterArgs, GpuClusterArgs } from "./args";
import { ClusterAddons } from "./cluster-addons";
import { resolveAddons, resolveNewCluster, resolvePool } from "./defaults";
import { type ClusterFoundation, createEksCluster } from "./eks";
import {
  type ArnScope,
  clusterAutoscalerPolicy,
  createWorkloadRole,
  kedaPolicy,
  type PolicyDocument,
  type WorkloadRole,
} from "./iam";
import { buildKubeconfig } from "./kubeconfig";
import { createNodePool, nodeGroupName } from "./node-pool";
import { childTransformation, type GpuClusterOptions } from "./transform";
import { validateGpuClusterArgs } from "./validate";
import { SERVICE_ACCOUNTS } from "./versions";

/** The add-ons' IAM roles; an add-on that is off is absent. */
export interface GpuClusterRoles {
  keda?: aws.iam.Role;
  clusterAutoscaler?: aws.iam.Role;
}

/** GpuCluster's children that stacks reference or depend on. */
export interface GpuClusterResources {
  /** The Kubernetes provider the add-ons were created with. */
  provider: k8s.Provider;
  /** The GPU pools' EKS managed node groups, by pool name. */
  nodeGroups: Record<string, aws.eks.NodeGroup>;
  /** The Kubernetes add-ons (their Helm releases and PriorityClasses). */
  addons: ClusterAddons;
  roles: GpuClusterRoles;
}

/**
 * An EKS cluster (new, or one the user already runs) with spot and on-demand GPU pools,
 * NVIDIA time-slicing per pool, KEDA and the Cluster Autoscaler. Satisfies `ClusterRef`.
 * The AWS side is built here; the Kubernetes add-ons are a `ClusterAddons` child.
 */
export class GpuCluster extends pulumi.ComponentResource implements ClusterRef {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Output<string>;
  /** Kubernetes provider for the cluster. */
  readonly provider: k8s.Provider;
  /** Kubeconfig (secret); authenticates through `aws eks get-token` when gpufleet built it. */
  readonly kubeconfig: pulumi.Output<string>;
  /** How workloads get AWS credentials (Pod Identity, or IRSA with the OIDC provider). */
  readonly identity: WorkloadIdentity;
  /** The GPU pools, in the order given. */
  readonly pools: GpuPoolInfo[];
  /** The IAM role the GPU nodes run as. */
  readonly nodeRoleArn: pulumi.Output<string>;
  /** Subnets of the GPU nodes (unless a pool names its own). */
  readonly subnetIds: pulumi.Output<string[]>;
  /** The VPC gpufleet created; undefined when the network was given. */
  readonly vpcId: pulumi.Output<string> | undefined;
  /**
   * Role of the KEDA operator (reads this cluster's queues' attributes and CloudWatch metrics);
   * undefined when KEDA is off. The same name as on `ClusterRef`: each endpoint's scaler role
   * trusts it.
   */
  readonly kedaOperatorRoleArn: pulumi.Output<string> | undefined;
  /** Role of the Cluster Autoscaler; undefined when it is off. */
  readonly clusterAutoscalerRoleArn: pulumi.Output<string> | undefined;
  /** The Kubernetes add-ons (KEDA and its CRDs, device plugin, Cluster Autoscaler, PriorityClasses). */
  readonly addons: ClusterAddons;
  /** Prefix of endpoint queue names: the KEDA operator's role may read these queues only. */
  readonly queueNamePrefix: string;
  /** The child resources other stacks most often reference or depend on. */
  readonly resources: GpuClusterResources;

  constructor(name: string, args: GpuClusterArgs, opts?: GpuClusterOptions) {
    // Before anything is registered: a bad config must leave no resource behind.
    validateGpuClusterArgs(args);
    const { transform, ...resourceOptions } = opts ?? {};
    const transformations = [
      ...(resourceOptions.transformations ?? []),
      ...(transform ? [childTransformation(transform)] : []),
    ];
    super("gpufleet:index:GpuCluster", name, {}, { ...resourceOptions, transformations });

    const tags = { ...(args.tags ?? {}), "gpufleet.io/cluster": name };
    const pools = args.pools.map(resolvePool);
    const invokeOpts = { parent: this };
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    const region = aws.getRegionOutput({}, invokeOpts).region;
    const caller = aws.getCallerIdentityOutput({}, invokeOpts);
    const accountId = caller.accountId;

    const clusterMode = args.cluster;
    const newCluster = clusterMode.mode === "new" ? resolveNewCluster(name, clusterMode) : undefined;
    const foundation: ClusterFoundation = newCluster
      ? createEksCluster({ name, config: newCluster, partition, region, callerArn: caller.arn, tags, parent: this })
      : this.existingCluster(clusterMode as ExistingClusterArgs, region);
    // IAM policies and the autoscaler's discovery name the cluster; a BYO name may be another stack's output.
    const clusterNameInput = newCluster ? newCluster.clusterName : (clusterMode as ExistingClusterArgs).clusterName;
    // The default queue prefix comes from the cluster's name, or the component's when that name is an output.
    const addons = resolveAddons(args.addons, typeof clusterNameInput === "string" ? clusterNameInput : name);
    this.queueNamePrefix = addons.sqsQueueNamePrefix;

    this.clusterName = foundation.clusterName;
    this.identity = foundation.identity;
    this.kubeconfig = foundation.kubeconfig;
    this.nodeRoleArn = foundation.nodeRoleArn;
    this.subnetIds = foundation.subnetIds;
    this.vpcId = foundation.vpcId;
    this.provider =
      clusterMode.mode === "byo" && clusterMode.provider
        ? clusterMode.provider
        : new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: foundation.kubeconfig },
            { parent: this, dependsOn: foundation.providerDependencies },
          );

    const nodePools = pools.map((pool) =>
      createNodePool(
        pool,
        {
          clusterName: foundation.clusterName,
          nodeRoleArn: foundation.nodeRoleArn,
          subnetIds: foundation.subnetIds,
          tags,
          prefix: name,
          dependsOn: foundation.nodeGroupDependencies,
        },
        this,
      ),
    );
    this.pools = nodePools.map((p) => p.info);

    const scope: pulumi.Output<ArnScope> = pulumi
      .all([partition, region, accountId])
      .apply(([p, r, a]) => ({ partition: p, region: r, accountId: a }));
    const roleFor = (
      role: string,
      account: { namespace: string; name: string },
      policy: pulumi.Input<PolicyDocument>,
    ) =>
      createWorkloadRole(
        `${name}-${role}`,
        {
          clusterName: foundation.clusterName,
          identity: foundation.identity,
          namespace: account.namespace,
          serviceAccount: account.name,
          policy,
          tags,
        },
        this,
        foundation.addonDependencies,
      );

    const keda: WorkloadRole | undefined = addons.keda
      ? roleFor(
          "keda",
          SERVICE_ACCOUNTS.keda,
          scope.apply((s) => kedaPolicy(s, addons.sqsQueueNamePrefix)),
        )
      : undefined;
    const nodeGroups = [...pools.map((p) => nodeGroupName(p.name)), ...foundation.extraNodeGroupNames];
    const autoscaler: WorkloadRole | undefined = addons.clusterAutoscaler
      ? roleFor(
          "cluster-autoscaler",
          SERVICE_ACCOUNTS.clusterAutoscaler,
          pulumi
            .all([scope, clusterNameInput])
            .apply(([s, clusterName]) => clusterAutoscalerPolicy(s, clusterName, nodeGroups)),
        )
      : undefined;
    this.kedaOperatorRoleArn = keda?.role.arn;
    this.clusterAutoscalerRoleArn = autoscaler?.role.arn;

    // The add-on pods run on the system nodes and, under Pod Identity, need the agent and their
    // association before they are admitted: otherwise they start without AWS credentials.
    this.addons = new ClusterAddons(
      name,
      {
        provider: this.provider,
        clusterName: foundation.clusterName,
        region,
        pools: pools.map((pool, i) => ({
          name: pool.name,
          capacityType: pool.capacityType,
          fallback: pool.fallback,
          slicesPerGpu: pool.slicesPerGpu,
          asgNames: this.pools[i]?.asgNames ?? [],
        })),
        identity: foundation.identity.kind,
        devicePlugin: addons.devicePlugin,
        keda: addons.keda,
        clusterAutoscaler: addons.clusterAutoscaler,
        priorityClasses: addons.priorityClasses,
        ...(keda
          ? {
              kedaOperatorRoleArn: keda.role.arn,
              kedaDependencies: [...foundation.addonDependencies, ...keda.podDependencies],
            }
          : {}),
        ...(autoscaler
          ? {
              clusterAutoscalerRoleArn: autoscaler.role.arn,
              clusterAutoscalerDependencies: [...foundation.addonDependencies, ...autoscaler.podDependencies],
            }
          : {}),
        charts: addons.charts,
      },
      { parent: this },
    );

    this.resources = {
      provider: this.provider,
      nodeGroups: Object.fromEntries(nodePools.map((p) => [p.info.name, p.nodeGroup])),
      addons: this.addons,
      roles: { ...(keda ? { keda: keda.role } : {}), ...(autoscaler ? { clusterAutoscaler: autoscaler.role } : {}) },
    };

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      identity: this.identity,
      nodeRoleArn: this.nodeRoleArn,
      subnetIds: this.subnetIds,
      vpcId: this.vpcId,
      kedaOperatorRoleArn: this.kedaOperatorRoleArn,
      clusterAutoscalerRoleArn: this.clusterAutoscalerRoleArn,
      queueNamePrefix: this.queueNamePrefix,
      pools: this.pools,
    });
  }

  /** Bring-your-own mode: take what the user gives, look up only what is missing. */
  private existingCluster(c: ExistingClusterArgs, region: pulumi.Output<string>): ClusterFoundation {
    let kubeconfig: pulumi.Output<string>;
    if (c.kubeconfig !== undefined) {
      kubeconfig = pulumi.secret(pulumi.output(c.kubeconfig));
    } else {
      const found = aws.eks.getClusterOutput({ name: c.clusterName }, { parent: this });
      kubeconfig = pulumi.secret(
        pulumi
          .all([c.clusterName, found.endpoint, found.certificateAuthorities, region])
          .apply(([clusterName, endpoint, cas, r]) =>
            buildKubeconfig({
              clusterName,
              endpoint: endpoint ?? "",
              certificateAuthority: cas?.[0]?.data ?? "",
              region: r,
            }),
          ),
      );
    }
    return {
      clusterName: pulumi.output(c.clusterName),
      nodeRoleArn: pulumi.output(c.nodeRoleArn),
      subnetIds: pulumi.all(c.subnetIds),
      identity: c.identity,
      kubeconfig,
      extraNodeGroupNames: [],
      nodeGroupDependencies: [],
      addonDependencies: [],
      providerDependencies: [],
    };
  }
}

export { GPU_FAMILIES, gpuMemoryMiBPerSlice, instanceGpuInfo } from "../../functions/gpu-catalog";
export { PRIORITY_VALUES } from "./addons";
export { allocatableFor, type NodeAllocatable, type SliceShare, sliceShare } from "./allocatable";
export * from "./args";
export {
  type AddonChartsArgs,
  type AddonPoolArgs,
  ClusterAddons,
  type ClusterAddonsArgs,
  validateClusterAddonsArgs,
} from "./cluster-addons";
export type { GpuClusterOptions, GpuClusterTransforms } from "./transform";
export { gpuClusterProblems, validateGpuClusterArgs } from "./validate";
export { CHARTS, type ChartPin, type ChartSource } from "./versions";
