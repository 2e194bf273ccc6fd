import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { EndpointProfile, PoolDescriptor } from "../functions/contract";
import type { IdentityMode } from "./gpu-cluster/args";

/**
 * A GPU pool as the other components see it. Plain values (known while the program is
 * constructed, so placements can be validated before any resource exists) plus the
 * outputs that name its cloud resources.
 */
export interface GpuPoolInfo extends PoolDescriptor {
  /** GPU memory of one physical GPU, GiB. */
  gpuMemoryGiBPerGpu: number;
  /** GPU memory one time-slice may count on (per GPU / slicesPerGpu), MiB, rounded down. */
  gpuMemoryMiBPerSlice: number;
  /** The EKS managed node group's name. */
  nodeGroupName: pulumi.Input<string>;
  /** The Auto Scaling group(s) behind the node group. */
  asgNames: pulumi.Input<string[]>;
}

/** How workloads get AWS credentials on the cluster, with the OIDC provider under IRSA. */
export type WorkloadIdentity =
  | { kind: "pod-identity" }
  | { kind: "irsa"; oidcProviderArn: pulumi.Input<string>; oidcProviderUrl: pulumi.Input<string> };

/**
 * What a ModelEndpoint or ModelWorkload needs of a cluster, as plain values every Pulumi
 * language can give. A GpuCluster satisfies it; a stack that did not create the cluster
 * builds one from its own values.
 */
export interface ClusterRef {
  clusterName: pulumi.Input<string>;
  /**
   * Kubeconfig of the cluster: the component builds its Kubernetes provider from it.
   * @default the Kubernetes provider of a GpuCluster given as the cluster; otherwise the component's `providers` resource option
   */
  kubeconfig?: pulumi.Input<string>;
  pools: GpuPoolInfo[];
  /** How workloads get AWS credentials: "pod-identity", or "irsa" with `oidcProviderArn` and `oidcProviderUrl`. */
  identity: IdentityMode;
  /**
   * ARN of the cluster's IAM OIDC provider. Required under IRSA.
   * @default none
   */
  oidcProviderArn?: pulumi.Input<string>;
  /**
   * Issuer URL of the cluster's OIDC provider. Required under IRSA.
   * @default none
   */
  oidcProviderUrl?: pulumi.Input<string>;
  /**
   * IAM role of the KEDA operator. When set, each ModelEndpoint creates a scaler role that only
   * this role may assume, scoped to the endpoint's own queue, and its KEDA triggers use it. When
   * unset, the triggers use the operator's own identity, which then needs sqs:GetQueueAttributes
   * on the endpoint's queue and cloudwatch:GetMetricData itself.
   */
  kedaOperatorRoleArn?: pulumi.Input<string>;
  /**
   * Prefix of the endpoints' SQS queue names: the KEDA operator's own role may read the
   * attributes of queues with this prefix only, so an endpoint's default queue name carries it.
   * @default "" (the queue is named after the endpoint)
   */
  queueNamePrefix?: string;
}

/**
 * What a TypeScript program's cluster may carry beyond ClusterRef's plain values: its
 * Kubernetes provider, and what installs the add-ons endpoints rely on (KEDA's CRDs, the
 * gpufleet PriorityClasses), which every endpoint resource then waits for. A GpuCluster has
 * both. Not part of the args other languages see (a schema has no provider objects): they give
 * `kubeconfig`, or the `providers` and `dependsOn` resource options.
 */
export interface ClusterConnection {
  provider: k8s.Provider;
  /** A `ClusterAddons` (a GpuCluster's `addons`), or your own Helm release. */
  addons?: pulumi.Input<pulumi.Resource>;
}

/** The connection a cluster carries, if it is a GpuCluster or another object with a Kubernetes provider. */
export function connectionOf(cluster: ClusterRef): Partial<ClusterConnection> {
  const { provider, addons } = cluster as ClusterRef & Partial<ClusterConnection>;
  return k8s.Provider.isInstance(provider) ? { provider, ...(addons !== undefined ? { addons } : {}) } : {};
}

/** The identity of a cluster's plain values, as the trust policies read it. */
export function workloadIdentityOf(
  cluster: Pick<ClusterRef, "identity" | "oidcProviderArn" | "oidcProviderUrl">,
): WorkloadIdentity {
  return cluster.identity === "irsa"
    ? { kind: "irsa", oidcProviderArn: cluster.oidcProviderArn ?? "", oidcProviderUrl: cluster.oidcProviderUrl ?? "" }
    : { kind: "pod-identity" };
}

/** What FleetControl needs of an endpoint. A ModelEndpoint satisfies it. */
export interface FleetEndpoint {
  /** The endpoint's name: the metric dimension and the Kubernetes name. */
  endpointName: string;
  queueName: pulumi.Input<string>;
  queueUrl: pulumi.Input<string>;
  queueArn: pulumi.Input<string>;
  profile: EndpointProfile;
  /** Pools the endpoint may run on. */
  poolNames: string[];
}
