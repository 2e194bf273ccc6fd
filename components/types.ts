import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { EndpointProfile, PoolDescriptor } from "../functions/contract";

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

/** How workloads get AWS credentials on the cluster. */
export type WorkloadIdentity =
  | { kind: "pod-identity" }
  | { kind: "irsa"; oidcProviderArn: pulumi.Input<string>; oidcProviderUrl: pulumi.Input<string> };

/**
 * What a ModelEndpoint needs of a cluster. A GpuCluster satisfies it; a stack that did not
 * create the cluster can build one from plain values.
 */
export interface ClusterRef {
  clusterName: pulumi.Input<string>;
  /** Kubernetes provider for the cluster. */
  provider: k8s.Provider;
  pools: GpuPoolInfo[];
  identity: WorkloadIdentity;
  /**
   * IAM role of the KEDA operator. When set, each ModelEndpoint creates a scaler role that only
   * this role may assume, scoped to the endpoint's own queue, and its KEDA triggers use it. When
   * unset, the triggers use the operator's own identity, which then needs sqs:GetQueueAttributes
   * on the endpoint's queue and cloudwatch:GetMetricData itself.
   */
  kedaOperatorRoleArn?: pulumi.Input<string>;
  /**
   * What installs the add-ons endpoints rely on: KEDA's CRDs (ScaledObject, TriggerAuthentication)
   * and the gpufleet PriorityClasses. A `ClusterAddons` (a GpuCluster's `addons`), or your own
   * Helm release. Every endpoint resource that needs them waits for it, so the first
   * `pulumi up` never creates a ScaledObject before its CRD exists.
   * @default none (the add-ons were installed outside this program and exist already)
   */
  addons?: pulumi.Input<pulumi.Resource>;
  /**
   * Prefix of the endpoints' SQS queue names: the KEDA operator's own role may read the
   * attributes of queues with this prefix only, so an endpoint's default queue name carries it.
   * @default "" (the queue is named after the endpoint)
   */
  queueNamePrefix?: string;
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
