import type * as pulumi from "@pulumi/pulumi";
import type { CapacityType } from "../../functions/contract";
import type { AddonChartsArgs } from "./cluster-addons";

/** The node image of a GPU pool. Both ship the NVIDIA driver and container toolkit. */
export const GpuAmiFamily = { Al2023Nvidia: "al2023-nvidia", BottlerocketNvidia: "bottlerocket-nvidia" } as const;
export type GpuAmiFamily = (typeof GpuAmiFamily)[keyof typeof GpuAmiFamily];

/** EKS control-plane log types. */
export const ControlPlaneLogType = {
  Api: "api",
  Audit: "audit",
  Authenticator: "authenticator",
  ControllerManager: "controllerManager",
  Scheduler: "scheduler",
} as const;
export type ControlPlaneLogType = (typeof ControlPlaneLogType)[keyof typeof ControlPlaneLogType];

/** How workloads on a new cluster get AWS credentials. */
export const IdentityMode = { PodIdentity: "pod-identity", Irsa: "irsa" } as const;
export type IdentityMode = (typeof IdentityMode)[keyof typeof IdentityMode];

/** One GPU pool: an EKS managed node group of GPU instances that share one GPU model. */
export interface GpuPoolArgs {
  /** Pool name: a lowercase DNS label, unique in the cluster. Also the node label `gpufleet.io/pool`. */
  name: string;
  /**
   * Instance types, all with the same GPU model and GPU count, so every node of the pool
   * offers the same slices. A spot pool needs at least two (capacity diversification).
   */
  instanceTypes: string[];
  /** "spot" or "on-demand". */
  capacityType: CapacityType;
  /** Smallest node count (0 lets the pool scale to zero). */
  minNodes: number;
  /** Largest node count (at most 1,000, the EKS managed node group limit). */
  maxNodes: number;
  /**
   * Node count at creation. Afterwards the Cluster Autoscaler and the spot rebalancer own
   * it, so later changes to this value are ignored.
   * @default minNodes
   */
  desiredNodes?: number;
  /**
   * True for the on-demand pool that takes over while spot pools are unhealthy. Required
   * (exactly one) when any pool is spot.
   * @default false
   */
  fallback?: boolean;
  /**
   * Node image.
   * @default "al2023-nvidia"
   */
  amiType?: GpuAmiFamily;
  /**
   * Time-slicing replicas per physical GPU (1..48): how many endpoint replicas share a GPU.
   * @default 1
   */
  slicesPerGpu?: number;
  /**
   * Memory of one GPU, GiB. Needed only for instance families gpufleet does not know; for a
   * known one it must match the catalog.
   * @default the instance family's figure (see functions/gpu-catalog.ts)
   */
  gpuMemoryGiB?: number;
  /**
   * GPUs per node. Needed only for instance types gpufleet does not know; for a known one it
   * must match the catalog.
   * @default the instance type's figure (see functions/gpu-catalog.ts)
   */
  gpusPerNode?: number;
  /**
   * Root (AL2023) or data (Bottlerocket) volume size, GiB: inference images and model weights are large.
   * @default 200
   */
  diskSizeGiB?: number;
  /**
   * Expected price of one node, USD per hour, for the rebalancer and the simulator.
   * @default undefined (unknown)
   */
  pricePerNodeHour?: number;
  /**
   * Subnets for this pool's nodes.
   * @default the cluster's node subnets
   */
  subnetIds?: pulumi.Input<string>[];
}

/** Kubernetes API endpoint exposure of a new cluster. */
export interface EndpointAccessArgs {
  /**
   * Reach the API from inside the VPC.
   * @default true
   */
  privateAccess?: boolean;
  /**
   * CIDRs allowed to reach the public endpoint. Empty turns the public endpoint off. All
   * CIDRs together may cover at most 65,536 addresses (a /16): wider, up to 0.0.0.0/0,
   * is refused.
   * @default []
   */
  publicAccessCidrs?: string[];
}

/** The VPC gpufleet creates when a new cluster is given no subnets. */
export interface VpcArgs {
  /**
   * VPC CIDR; split into one private and one public subnet per availability zone.
   * @default "10.0.0.0/16"
   */
  cidrBlock?: string;
  /**
   * Availability zones to spread over (2..4).
   * @default 3
   */
  availabilityZoneCount?: number;
  /**
   * Zones to use.
   * @default the region's first `availabilityZoneCount` available zones (one lookup)
   */
  availabilityZones?: string[];
}

/** The on-demand node group that runs the controllers (KEDA, Cluster Autoscaler, CoreDNS). */
export interface SystemNodeGroupArgs {
  /** @default ["m6i.large", "m5.large"] */
  instanceTypes?: string[];
  /** @default 2 */
  minNodes?: number;
  /** @default 4 */
  maxNodes?: number;
}

/** Create a new EKS cluster for the GPU pools. */
export interface NewClusterArgs {
  /**
   * EKS cluster name.
   * @default the component's name
   */
  clusterName?: string;
  /**
   * Kubernetes version, "1.NN".
   * @default "1.32"
   */
  version?: string;
  /**
   * Network. Give `subnetIds` to use existing subnets (private, with a route out), or `vpc`
   * to shape the VPC gpufleet creates.
   * @default a new VPC with defaults
   */
  vpc?: VpcArgs;
  /**
   * Existing private subnets for the control plane and the nodes; no VPC is created.
   * @default undefined (create a VPC)
   */
  subnetIds?: pulumi.Input<string>[];
  /** @default { privateAccess: true, publicAccessCidrs: [] } */
  endpointAccess?: EndpointAccessArgs;
  /**
   * Control-plane log types sent to CloudWatch Logs.
   * @default all five
   */
  logTypes?: ControlPlaneLogType[];
  /**
   * Retention of the control-plane log group, days.
   * @default 90
   */
  logRetentionDays?: number;
  /**
   * KMS key for envelope encryption of Kubernetes secrets.
   * @default a new key with rotation enabled
   */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * How workloads get AWS credentials.
   * @default "pod-identity"
   */
  identity?: IdentityMode;
  /**
   * IAM role or user ARNs that get cluster-admin through EKS access entries
   * (AmazonEKSClusterAdminPolicy). The deploying identity is not made admin by EKS itself
   * (`bootstrapClusterCreatorAdminPermissions` is off): list whoever runs `pulumi up`.
   * @default the identity running the program (an assumed-role session counts as its role)
   */
  adminArns?: string[];
  /** @default see SystemNodeGroupArgs */
  systemNodeGroup?: SystemNodeGroupArgs;
}

/** Add GPU pools and add-ons to a cluster the user already runs. */
export interface ExistingClusterArgs {
  /** The existing EKS cluster's name; may come from another stack (a StackReference output). */
  clusterName: pulumi.Input<string>;
  /**
   * Kubeconfig for the cluster.
   * @default one built from the cluster's endpoint (one `eks:DescribeCluster` lookup), unless the `kubernetesProvider` option is given
   */
  kubeconfig?: pulumi.Input<string>;
  /**
   * How workloads get AWS credentials: "pod-identity" (the EKS Pod Identity agent must run on
   * the cluster) or "irsa" (give `oidcProviderArn` and `oidcProviderUrl`).
   */
  identity: IdentityMode;
  /**
   * ARN of the cluster's IAM OIDC provider. Required under IRSA.
   * @default none
   */
  oidcProviderArn?: pulumi.Input<string>;
  /**
   * Issuer URL of the cluster's OIDC provider (https://oidc.eks...). Required under IRSA.
   * @default none
   */
  oidcProviderUrl?: pulumi.Input<string>;
  /** IAM role the GPU nodes run as (must be allowed to join the cluster). */
  nodeRoleArn: pulumi.Input<string>;
  /** Subnets for the GPU nodes. */
  subnetIds: pulumi.Input<string>[];
}

/** The scale-in packer (`gpufleet packer`) GpuCluster runs in the cluster. */
export interface ScaleInPackerArgs {
  /** The gpufleet worker image (built from the repository's Dockerfile); the packer is its /app/packer.js. */
  image: string;
  /**
   * Seconds between passes: how stale a deletion cost may be when KEDA scales in.
   * @default 15 (`gpufleet packer`'s own default)
   */
  intervalSeconds?: number;
}

/** Which add-ons GpuCluster installs, and from where. */
export interface AddonsArgs {
  /**
   * Install the NVIDIA device plugin with the pools' time-slicing configs. Turn off only
   * when the cluster already runs one configured the same way.
   * @default true
   */
  devicePlugin?: boolean;
  /** @default true */
  keda?: boolean;
  /** @default true */
  clusterAutoscaler?: boolean;
  /**
   * KEDA may read the attributes of SQS queues whose names start with this prefix; endpoints
   * built on the cluster name their queues with it.
   * @default "gpufleet-<cluster name>-"
   */
  sqsQueueNamePrefix?: string;
  /**
   * Where each add-on's chart comes from: a Helm repository mirror, an OCI reference or a
   * local chart directory.
   * @default the pinned public charts (versions.ts)
   */
  charts?: AddonChartsArgs;
  /**
   * Create the three gpufleet PriorityClasses (cluster-scoped: only one GpuCluster per
   * Kubernetes cluster may create them).
   * @default true
   */
  priorityClasses?: boolean;
  /**
   * Run the scale-in packer, which keeps each endpoint pod's deletion cost at its node's
   * occupancy, so scale-in empties the least used GPU node and the Cluster Autoscaler
   * removes it. Needs the gpufleet worker image.
   * @default not installed
   */
  scaleInPacker?: ScaleInPackerArgs;
}

export interface GpuClusterArgs {
  /**
   * Create a new EKS cluster. Exactly one of `newCluster` and `existingCluster`.
   * @default none
   */
  newCluster?: NewClusterArgs;
  /**
   * Use a cluster you already run ("bring your own"). Exactly one of `newCluster` and `existingCluster`.
   * @default none
   */
  existingCluster?: ExistingClusterArgs;
  /** The GPU pools. */
  pools: GpuPoolArgs[];
  /** @default every add-on on */
  addons?: AddonsArgs;
  /**
   * Tags for every AWS resource that takes them.
   * @default {}
   */
  tags?: Record<string, string>;
}
