import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef, GpuPoolInfo, WorkloadIdentity } from "../types";
import {
  clusterAutoscalerValues,
  createPriorityClasses,
  createRelease,
  devicePluginValues,
  kedaValues,
} from "./addons";
import type { ExistingClusterArgs, GpuClusterArgs } from "./args";
import { resolveAddons, resolveNewCluster, resolvePool } from "./defaults";
import { type ClusterFoundation, createEksCluster } from "./eks";
import { type ArnScope, clusterAutoscalerPolicy, createWorkloadRole, kedaPolicy } from "./iam";
import { buildKubeconfig } from "./kubeconfig";
import { createNodePool, nodeGroupName } from "./node-pool";
import { validateGpuClusterArgs } from "./validate";
import { CHARTS, SERVICE_ACCOUNTS } from "./versions";

/**
 * An EKS cluster (new, or one the user already runs) with spot and on-demand GPU pools,
 * NVIDIA time-slicing per pool, KEDA and the Cluster Autoscaler. Satisfies `ClusterRef`.
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
  /** Role of the KEDA operator (reads SQS attributes and CloudWatch metrics); undefined when KEDA is off. */
  readonly kedaRoleArn: pulumi.Output<string> | undefined;
  /** Role of the Cluster Autoscaler; undefined when it is off. */
  readonly clusterAutoscalerRoleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: GpuClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a bad config must leave no resource behind.
    validateGpuClusterArgs(args);
    super("gpufleet:index:GpuCluster", name, {}, opts);

    const tags = { ...(args.tags ?? {}), "gpufleet.io/cluster": name };
    const pools = args.pools.map(resolvePool);
    const addons = resolveAddons(args.addons);
    const invokeOpts = { parent: this };
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    const region = aws.getRegionOutput({}, invokeOpts).region;
    const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;

    const clusterMode = args.cluster;
    const newCluster = clusterMode.mode === "new" ? resolveNewCluster(name, clusterMode) : undefined;
    const foundation: ClusterFoundation = newCluster
      ? createEksCluster({ name, config: newCluster, partition, region, tags, parent: this })
      : this.existingCluster(clusterMode as ExistingClusterArgs, region);
    // Known while the program runs, so IAM policies can name the cluster's node groups.
    const plainClusterName = newCluster ? newCluster.clusterName : (clusterMode as ExistingClusterArgs).clusterName;

    this.clusterName = foundation.clusterName;
    this.identity = foundation.identity;
    this.kubeconfig = foundation.kubeconfig;
    this.nodeRoleArn = foundation.nodeRoleArn;
    this.subnetIds = foundation.subnetIds;
    this.vpcId = foundation.vpcId;
    this.provider =
      clusterMode.mode === "byo" && clusterMode.provider
        ? clusterMode.provider
        : new k8s.Provider(`${name}-k8s`, { kubeconfig: foundation.kubeconfig }, { parent: this });

    this.pools = pools.map((pool) =>
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

    const scope: pulumi.Output<ArnScope> = pulumi
      .all([partition, region, accountId])
      .apply(([p, r, a]) => ({ partition: p, region: r, accountId: a }));

    if (addons.priorityClasses) createPriorityClasses(name, this.provider, this);
    if (addons.devicePlugin) {
      createRelease(`${name}-device-plugin`, CHARTS.devicePlugin, devicePluginValues(pools), this.provider, this);
    }

    this.kedaRoleArn = undefined;
    if (addons.keda) {
      const role = createWorkloadRole(
        `${name}-keda`,
        {
          clusterName: foundation.clusterName,
          identity: foundation.identity,
          namespace: SERVICE_ACCOUNTS.keda.namespace,
          serviceAccount: SERVICE_ACCOUNTS.keda.name,
          policy: scope.apply((s) => kedaPolicy(s, addons.sqsQueueNamePrefix)),
          tags,
        },
        this,
        foundation.addonDependencies,
      );
      this.kedaRoleArn = role.arn;
      const values = role.arn.apply((arn) => kedaValues(foundation.identity.kind, arn));
      createRelease(`${name}-keda`, CHARTS.keda, values, this.provider, this, foundation.addonDependencies);
    }

    this.clusterAutoscalerRoleArn = undefined;
    if (addons.clusterAutoscaler) {
      const nodeGroups = [...pools.map((p) => nodeGroupName(p.name)), ...foundation.extraNodeGroupNames];
      const role = createWorkloadRole(
        `${name}-cluster-autoscaler`,
        {
          clusterName: foundation.clusterName,
          identity: foundation.identity,
          namespace: SERVICE_ACCOUNTS.clusterAutoscaler.namespace,
          serviceAccount: SERVICE_ACCOUNTS.clusterAutoscaler.name,
          policy: scope.apply((s) => clusterAutoscalerPolicy(s, plainClusterName, nodeGroups)),
          tags,
        },
        this,
        foundation.addonDependencies,
      );
      this.clusterAutoscalerRoleArn = role.arn;
      const values = pulumi.all([role.arn, region]).apply(([arn, r]) =>
        clusterAutoscalerValues({
          clusterName: plainClusterName,
          region: r,
          identity: foundation.identity.kind,
          roleArn: arn,
          pools,
        }),
      );
      createRelease(
        `${name}-cluster-autoscaler`,
        CHARTS.clusterAutoscaler,
        values,
        this.provider,
        this,
        foundation.addonDependencies,
      );
    }

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      identity: this.identity,
      nodeRoleArn: this.nodeRoleArn,
      subnetIds: this.subnetIds,
      vpcId: this.vpcId,
      kedaRoleArn: this.kedaRoleArn,
      clusterAutoscalerRoleArn: this.clusterAutoscalerRoleArn,
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
        pulumi.all([found.endpoint, found.certificateAuthorities, region]).apply(([endpoint, cas, r]) =>
          buildKubeconfig({
            clusterName: c.clusterName,
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
    };
  }
}

export { GPU_FAMILIES, gpuMemoryMiBPerSlice, instanceGpuInfo } from "../../functions/gpu-catalog";
export { PRIORITY_VALUES } from "./addons";
export type * from "./args";
export { gpuClusterProblems, validateGpuClusterArgs } from "./validate";
export { CHARTS, type ChartPin } from "./versions";
