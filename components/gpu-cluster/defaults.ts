import type * as pulumi from "@pulumi/pulumi";
import { gpuMemoryMiBPerSlice, instanceGpuInfo } from "../../functions/gpu-catalog";
import type { GpuPoolInfo } from "../types";
import type {
  AddonsArgs,
  ControlPlaneLogType,
  GpuAmiFamily,
  GpuPoolArgs,
  NewClusterArgs,
  ScaleInPackerArgs,
} from "./args";
import type { AddonChartsArgs } from "./cluster-addons";

/** Every default of GpuClusterArgs, in one place. */
export const DEFAULTS = {
  version: "1.32",
  vpcCidr: "10.0.0.0/16",
  availabilityZoneCount: 3,
  privateAccess: true,
  publicAccessCidrs: [] as string[],
  logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] as ControlPlaneLogType[],
  logRetentionDays: 90,
  identity: "pod-identity" as const,
  systemInstanceTypes: ["m6i.large", "m5.large"],
  systemMinSize: 2,
  systemMaxSize: 4,
  amiType: "al2023-nvidia" as GpuAmiFamily,
  slicesPerGpu: 1,
  diskSizeGiB: 200,
  sqsQueueNamePrefix: "gpufleet-",
} as const;

/** Bounds the validation enforces. */
export const LIMITS = {
  /** The device plugin accepts any count; beyond 48 a slice's share of even an 80 GiB GPU is under 2 GiB. */
  slicesPerGpu: { min: 1, max: 48 },
  /** Node group names are `${component}-${pool}` and EKS caps them at 63 characters. */
  poolNameMaxLength: 40,
  availabilityZoneCount: { min: 2, max: 4 },
  /** The largest GPU memory today is under 300 GiB; a bigger figure is a unit mistake (MiB for GiB). */
  gpuMemoryGiB: 512,
  /** No EC2 instance carries more than 16 GPUs. */
  gpusPerNode: 16,
  /** EKS managed node groups scale to at most 1,000 nodes (Amazon EKS service quotas). */
  nodesPerPool: 1000,
  /** The system node group runs a few controllers. */
  systemNodes: 100,
  /** EBS gp3 volumes stop at 16 TiB. */
  diskSizeGiB: 16_384,
  /** USD per node hour: the largest GPU instances list below 100. */
  pricePerNodeHour: 1000,
} as const;

/** A pool with every default applied and its GPU figures resolved. */
export interface ResolvedPool {
  name: string;
  capacityType: GpuPoolArgs["capacityType"];
  fallback: boolean;
  instanceTypes: string[];
  minNodes: number;
  maxNodes: number;
  desiredNodes: number;
  amiType: GpuAmiFamily;
  slicesPerGpu: number;
  gpusPerNode: number;
  gpuMemoryGiBPerGpu: number;
  gpuMemoryMiBPerSlice: number;
  diskSizeGiB: number;
  pricePerNodeHour?: number;
  subnetIds?: pulumi.Input<string>[];
}

/**
 * Applies defaults to a pool that passed validation (its GPU figures are then known,
 * either from the instance table or from the pool's overrides).
 */
export function resolvePool(pool: GpuPoolArgs): ResolvedPool {
  const first = instanceGpuInfo(pool.instanceTypes[0] ?? "");
  const gpuMemoryGiBPerGpu = pool.gpuMemoryGiB ?? first.gpuMemoryGiB ?? 0;
  const gpusPerNode = pool.gpusPerNode ?? first.gpusPerNode ?? 0;
  const slicesPerGpu = pool.slicesPerGpu ?? DEFAULTS.slicesPerGpu;
  const resolved: ResolvedPool = {
    name: pool.name,
    capacityType: pool.capacityType,
    fallback: pool.fallback ?? false,
    instanceTypes: [...pool.instanceTypes],
    minNodes: pool.minNodes,
    maxNodes: pool.maxNodes,
    desiredNodes: pool.desiredNodes ?? pool.minNodes,
    amiType: pool.amiType ?? DEFAULTS.amiType,
    slicesPerGpu,
    gpusPerNode,
    gpuMemoryGiBPerGpu,
    gpuMemoryMiBPerSlice: gpuMemoryMiBPerSlice(gpuMemoryGiBPerGpu, slicesPerGpu),
    diskSizeGiB: pool.diskSizeGiB ?? DEFAULTS.diskSizeGiB,
  };
  if (pool.pricePerNodeHour !== undefined) resolved.pricePerNodeHour = pool.pricePerNodeHour;
  if (pool.subnetIds !== undefined) resolved.subnetIds = pool.subnetIds;
  return resolved;
}

/** A resolved pool's plain values as the other components see them (GpuPoolInfo without its outputs). */
export function plainPoolInfo(pool: ResolvedPool): Omit<GpuPoolInfo, "nodeGroupName" | "asgNames"> {
  const info: Omit<GpuPoolInfo, "nodeGroupName" | "asgNames"> = {
    name: pool.name,
    capacityType: pool.capacityType,
    fallback: pool.fallback,
    instanceTypes: [...pool.instanceTypes],
    gpusPerNode: pool.gpusPerNode,
    slicesPerGpu: pool.slicesPerGpu,
    minNodes: pool.minNodes,
    maxNodes: pool.maxNodes,
    gpuMemoryGiBPerGpu: pool.gpuMemoryGiBPerGpu,
    gpuMemoryMiBPerSlice: pool.gpuMemoryMiBPerSlice,
  };
  if (pool.pricePerNodeHour !== undefined) info.pricePerNodeHour = pool.pricePerNodeHour;
  return info;
}

export interface ResolvedNewCluster {
  clusterName: string;
  version: string;
  vpcCidr: string;
  availabilityZoneCount: number;
  availabilityZones?: string[];
  subnetIds?: pulumi.Input<string>[];
  privateAccess: boolean;
  publicAccessCidrs: string[];
  logTypes: ControlPlaneLogType[];
  logRetentionDays: number;
  kmsKeyArn?: pulumi.Input<string>;
  identity: "pod-identity" | "irsa";
  systemInstanceTypes: string[];
  systemMinSize: number;
  systemMaxSize: number;
  adminArns?: string[];
}

export function resolveNewCluster(name: string, args: NewClusterArgs): ResolvedNewCluster {
  const zones = args.vpc?.availabilityZones;
  const resolved: ResolvedNewCluster = {
    clusterName: args.clusterName ?? name,
    version: args.version ?? DEFAULTS.version,
    vpcCidr: args.vpc?.cidrBlock ?? DEFAULTS.vpcCidr,
    availabilityZoneCount: zones?.length ?? args.vpc?.availabilityZoneCount ?? DEFAULTS.availabilityZoneCount,
    privateAccess: args.endpointAccess?.privateAccess ?? DEFAULTS.privateAccess,
    publicAccessCidrs: args.endpointAccess?.publicAccessCidrs ?? [...DEFAULTS.publicAccessCidrs],
    logTypes: args.logTypes ?? [...DEFAULTS.logTypes],
    logRetentionDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
    identity: args.identity ?? DEFAULTS.identity,
    systemInstanceTypes: args.systemNodeGroup?.instanceTypes ?? [...DEFAULTS.systemInstanceTypes],
    systemMinSize: args.systemNodeGroup?.minNodes ?? DEFAULTS.systemMinSize,
    systemMaxSize: args.systemNodeGroup?.maxNodes ?? DEFAULTS.systemMaxSize,
  };
  if (zones !== undefined) resolved.availabilityZones = zones;
  if (args.subnetIds !== undefined) resolved.subnetIds = args.subnetIds;
  if (args.kmsKeyArn !== undefined) resolved.kmsKeyArn = args.kmsKeyArn;
  if (args.adminArns !== undefined) resolved.adminArns = args.adminArns;
  return resolved;
}

export interface ResolvedAddons {
  devicePlugin: boolean;
  keda: boolean;
  clusterAutoscaler: boolean;
  sqsQueueNamePrefix: string;
  priorityClasses: boolean;
  charts: AddonChartsArgs;
  scaleInPacker: ScaleInPackerArgs | undefined;
}

/** The queue name prefix the KEDA role is scoped to by default: it carries the cluster's name. */
export function defaultQueueNamePrefix(clusterName: string): string {
  return `${DEFAULTS.sqsQueueNamePrefix}${clusterName}-`;
}

export function resolveAddons(args: AddonsArgs | undefined, clusterName: string): ResolvedAddons {
  return {
    devicePlugin: args?.devicePlugin ?? true,
    keda: args?.keda ?? true,
    clusterAutoscaler: args?.clusterAutoscaler ?? true,
    sqsQueueNamePrefix: args?.sqsQueueNamePrefix ?? defaultQueueNamePrefix(clusterName),
    priorityClasses: args?.priorityClasses ?? true,
    charts: args?.charts ?? {},
    scaleInPacker: args?.scaleInPacker,
  };
}
