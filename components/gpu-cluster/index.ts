import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../functions/problems";
import { type ClusterConnection, type ClusterRef, type GpuPoolInfo, workloadIdentityOf } from "../types";
import { typescriptOnlyMembers } from "../typescript-only";
import type { ExistingClusterArgs, GpuClusterArgs, IdentityMode } from "./args";
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

// The provider and the add-ons component, for TypeScript programs only.
const typescriptOnly = typescriptOnlyMembers<GpuCluster, GpuClusterResources>();

/**
 * An EKS cluster (new, or one the user already runs) with spot and on-demand GPU pools,
 * NVIDIA time-slicing per pool, KEDA and the Cluster Autoscaler. Satisfies `ClusterRef` and
 * `ClusterConnection`, so a ModelEndpoint given it uses its provider and waits for its add-ons.
 * The AWS side is built here; the Kubernetes add-ons are a `ClusterAddons` child.
 */
export class GpuCluster extends pulumi.ComponentResource implements ClusterRef, ClusterConnection {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Output<string>;
  /** Kubeconfig (secret); authenticates through `aws eks get-token` when gpufleet built it. */
  readonly kubeconfig: pulumi.Output<string>;
  /** How workloads get AWS credentials: "pod-identity", or "irsa" with the OIDC provider below. */
  readonly identity: IdentityMode;
  /** ARN of the cluster's IAM OIDC provider, under IRSA. */
  readonly oidcProviderArn: pulumi.Output<string> | undefined;
  /** Issuer URL of the cluster's OIDC provider, under IRSA. */
  readonly oidcProviderUrl: pulumi.Output<string> | undefined;
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
  /** Prefix of endpoint queue names: the KEDA operator's role may read these queues only. */
  readonly queueNamePrefix: string;

  /** The child resources other stacks most often reference or depend on. */
  get resources(): GpuClusterResources {
    return typescriptOnly.get(this);
  }

  /** Kubernetes provider for the cluster. */
  get provider(): k8s.Provider {
    return this.resources.provider;
  }

  /** The Kubernetes add-ons (KEDA and its CRDs, device plugin, Cluster Autoscaler, PriorityClasses). */
  get addons(): ClusterAddons {
    return this.resources.addons;
  }

  constructor(name: string, args: GpuClusterArgs, opts?: GpuClusterOptions) {
    // Before anything is registered: a bad config must leave no resource behind.
    validateGpuClusterArgs(args);
    const { transform, kubernetesProvider, ...resourceOptions } = opts ?? {};
    if (kubernetesProvider !== undefined && args.newCluster !== undefined) {
      throw new ConfigError("GpuCluster arguments", [
        {
          field: "kubernetesProvider (resource option)",
          rule: "is for an existing cluster: a new cluster's provider is built from the cluster GpuCluster creates",
        },
      ]);
    }
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

    const newCluster = args.newCluster ? resolveNewCluster(name, args.newCluster) : undefined;
    // Validation guarantees exactly one of the two.
    const existing = args.existingCluster as ExistingClusterArgs;
    const foundation: ClusterFoundation = newCluster
      ? createEksCluster({ name, config: newCluster, partition, region, callerArn: caller.arn, tags, parent: this })
      : this.existingCluster(existing, region);
    // IAM policies and the autoscaler's discovery name the cluster; a BYO name may be another stack's output.
    const clusterNameInput = newCluster ? newCluster.clusterName : existing.clusterName;
    // The default queue prefix comes from the cluster's name, or the component's when that name is an output.
    const addons = resolveAddons(args.addons, typeof clusterNameInput === "string" ? clusterNameInput : name);
    this.queueNamePrefix = addons.sqsQueueNamePrefix;

    this.clusterName = foundation.clusterName;
    const identity = foundation.identity;
    this.identity = identity.kind;
    this.oidcProviderArn = identity.kind === "irsa" ? pulumi.output(identity.oidcProviderArn) : undefined;
    this.oidcProviderUrl = identity.kind === "irsa" ? pulumi.output(identity.oidcProviderUrl) : undefined;
    this.kubeconfig = foundation.kubeconfig;
    this.nodeRoleArn = foundation.nodeRoleArn;
    this.subnetIds = foundation.subnetIds;
    this.vpcId = foundation.vpcId;
    const provider =
      !newCluster && kubernetesProvider
        ? kubernetesProvider
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
    const clusterAddons = new ClusterAddons(
      name,
      {
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
        ...(keda ? { kedaOperatorRoleArn: keda.role.arn } : {}),
        ...(autoscaler ? { clusterAutoscalerRoleArn: autoscaler.role.arn } : {}),
        charts: addons.charts,
        ...(addons.scaleInPacker ? { scaleInPacker: addons.scaleInPacker } : {}),
      },
      {
        parent: this,
        providers: [provider],
        ...(keda ? { kedaDependsOn: [...foundation.addonDependencies, ...keda.podDependencies] } : {}),
        ...(autoscaler
          ? { clusterAutoscalerDependsOn: [...foundation.addonDependencies, ...autoscaler.podDependencies] }
          : {}),
      },
    );

    typescriptOnly.set(this, {
      provider,
      nodeGroups: Object.fromEntries(nodePools.map((p) => [p.info.name, p.nodeGroup])),
      addons: clusterAddons,
      roles: { ...(keda ? { keda: keda.role } : {}), ...(autoscaler ? { clusterAutoscaler: autoscaler.role } : {}) },
    });

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      identity: this.identity,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
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
      identity: workloadIdentityOf(c),
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
  type ClusterAddonsOptions,
  validateClusterAddonsArgs,
} from "./cluster-addons";
export type { GpuClusterOptions, GpuClusterTransforms } from "./transform";
export { gpuClusterProblems, validateGpuClusterArgs } from "./validate";
export { CHARTS, type ChartPin, type ChartSource } from "./versions";
