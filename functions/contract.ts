/**
 * The names and shapes that the components, the Lambda functions, the policy pack and
 * the simulator must agree on. Pure data: no AWS or Pulumi import, so every bundle can
 * use it.
 */

/** The CloudWatch metric the autoscaler publishes and each endpoint's KEDA trigger reads. */
export const PREDICTED_REPLICAS_METRIC = {
  namespace: "gpufleet",
  metricName: "PredictedReplicas",
  dimensionName: "Endpoint",
} as const;

/** Kubernetes label and annotation keys gpufleet sets and selects on. */
export const LABELS = {
  /** Node label: the gpufleet pool a node belongs to. */
  pool: "gpufleet.io/pool",
  /** Node label: "spot" or "on-demand". */
  capacityType: "gpufleet.io/capacity-type",
  /** Node label: time-slicing replicas per physical GPU. */
  slicesPerGpu: "gpufleet.io/slices-per-gpu",
  /** Node label: GPU memory one slice may count on, in MiB. */
  gpuMemoryPerSliceMiB: "gpufleet.io/gpu-memory-per-slice-mib",
  /** Node label the NVIDIA device plugin chart selects on. */
  gpuPresent: "nvidia.com/gpu.present",
  /** Node label that picks the device plugin's per-pool time-slicing config. */
  devicePluginConfig: "nvidia.com/device-plugin.config",
  /** Workload label: the endpoint a pod serves. */
  endpoint: "gpufleet.io/endpoint",
  /** Workload annotation: GPU memory one replica needs, in MiB. */
  gpuMemoryMiB: "gpufleet.io/gpu-memory-mib",
} as const;

/** The taint on every GPU node; GPU workloads must tolerate it. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

/** The extended resource a replica requests, one slice of a time-sliced GPU. */
export const GPU_RESOURCE = "nvidia.com/gpu";

export type CapacityType = "spot" | "on-demand";

/** critical and standard are never preempted; batch is preemptible. */
export type PriorityTier = "critical" | "standard" | "batch";
export const PRIORITY_TIERS: readonly PriorityTier[] = ["critical", "standard", "batch"];

/** Seconds between a spot interruption warning and the instance's termination (EC2 documentation). */
export const SPOT_NOTICE_SECONDS = 120;

/**
 * Throughput lost to context switches when several busy replicas time-share one GPU:
 * k busy replicas each get (1 - overhead) / k of the GPU. The NVIDIA time-slicing
 * documentation publishes no figure; 5% is a conservative middle of reported CUDA
 * context-switch costs for inference kernels, and the simulator uses the same value.
 */
export const TIME_SLICE_OVERHEAD = 0.05;

/**
 * How an endpoint serves, as the autoscaler and the simulator see it (schema and bounds in
 * profile.ts). A ModelEndpoint exposes it as its `profile` output.
 */
export type { EndpointProfile, TokenCostModel } from "./profile";

/** What the control plane knows about one GPU pool (a managed node group). */
export interface PoolDescriptor {
  name: string;
  capacityType: CapacityType;
  /** True for the on-demand pool that takes over while spot pools are unhealthy. */
  fallback: boolean;
  instanceTypes: string[];
  gpusPerNode: number;
  slicesPerGpu: number;
  minNodes: number;
  maxNodes: number;
  /** On-demand or expected spot price of one node, USD per hour. */
  pricePerNodeHour?: number;
}

/** The PriorityClass GpuCluster creates for a tier and ModelEndpoint pods use. */
export function priorityClassName(tier: PriorityTier): string {
  return `gpufleet-${tier}`;
}
