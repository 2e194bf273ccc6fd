/**
 * The names and shapes that the components, the Lambda functions, the policy pack and
 * the simulator must agree on. Pure data: no AWS or Pulumi import, so every bundle can
 * use it.
 */
import { ConfigError } from "./problems";

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

// String unions are declared as `as const` objects with a type of the same name: the type
// is the same union of strings, and Pulumi's schema inference reads the object as an enum.

/** How a pool's nodes are bought. */
export const CapacityType = { Spot: "spot", OnDemand: "on-demand" } as const;
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** critical and standard are never preempted; batch is preemptible. */
export const PriorityTier = { Critical: "critical", Standard: "standard", Batch: "batch" } as const;
export type PriorityTier = (typeof PriorityTier)[keyof typeof PriorityTier];
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

/**
 * The worker contract: the environment variables every model container of a ModelEndpoint
 * gets (docs/model-endpoint.md says what a worker must do with them). The worker sidecar
 * reads the same names, so they are defined here, below every consumer.
 */
export const WORKER_ENV = {
  /** URL of the request queue to receive from. */
  queueUrl: "GPUFLEET_QUEUE_URL",
  /** URL of the dead-letter queue (requests that failed maxReceiveCount times end up there). */
  dlqUrl: "GPUFLEET_DLQ_URL",
  /** The endpoint's name. */
  endpointName: "GPUFLEET_ENDPOINT",
  /** AWS region of the queue (read by the AWS SDKs as well). */
  region: "AWS_REGION",
  /** Seconds a received message stays hidden; extend it before it runs out on long work. */
  visibilityTimeoutSeconds: "GPUFLEET_VISIBILITY_TIMEOUT_SECONDS",
  /** The longest one request is expected to take, seconds. */
  maxProcessingSeconds: "GPUFLEET_MAX_PROCESSING_SECONDS",
  /** Requests to work on at once. */
  concurrency: "GPUFLEET_CONCURRENCY",
  /** Seconds between SIGTERM and SIGKILL: the budget to finish or release in-flight messages. */
  shutdownSeconds: "GPUFLEET_SHUTDOWN_SECONDS",
  /** Results location as an s3:// URI (set only when the endpoint has one). */
  resultsUri: "GPUFLEET_RESULTS_URI",
  /** Results bucket name (set only when the endpoint has one). */
  resultsBucket: "GPUFLEET_RESULTS_BUCKET",
  /** Results key prefix (set only when the endpoint has one). */
  resultsPrefix: "GPUFLEET_RESULTS_PREFIX",
} as const;

/** Variables only the worker sidecar reads: where the model server listens and how to call it. */
export const SIDECAR_ENV = {
  /** Base URL of the model server, e.g. http://127.0.0.1:8080. */
  modelUrl: "GPUFLEET_MODEL_URL",
  /** How requests are forwarded: json, openai or kserve. */
  protocol: "GPUFLEET_MODEL_PROTOCOL",
  /** Path requests are POSTed to (default per protocol). */
  invokePath: "GPUFLEET_MODEL_INVOKE_PATH",
  /** Path that answers 2xx once the model is loaded (default per protocol). */
  healthPath: "GPUFLEET_MODEL_HEALTH_PATH",
  /** Model name, for the KServe v2 route /v2/models/<name>/infer. */
  modelName: "GPUFLEET_MODEL_NAME",
  /** Port of the sidecar's own health server (/healthz, /readyz). */
  healthPort: "GPUFLEET_WORKER_HEALTH_PORT",
  /** Milliseconds a streamed response's events are gathered before they are published as one part. */
  streamFlushMillis: "GPUFLEET_STREAM_FLUSH_MS",
} as const;

/** Whether a user-supplied variable would override part of the contract. */
export function isReservedEnvName(name: string): boolean {
  return name.startsWith("GPUFLEET_") || (Object.values(WORKER_ENV) as string[]).includes(name);
}

/**
 * SQS message attribute carrying the request id a client chose. A message without it (sent
 * by a raw SQS client) is known by its SQS MessageId.
 */
export const REQUEST_ID_ATTRIBUTE = "gpufleet-request-id";

/** Request ids become S3 key segments: letters, digits, `-`, `_` and `.`, at most 128, not `.`/`..`. */
export function isValidRequestId(id: string): boolean {
  return /^[A-Za-z0-9_.-]{1,128}$/.test(id) && id !== "." && id !== "..";
}

/** The final result of one request, as the worker writes it and the client reads it. */
export interface RequestResult {
  requestId: string;
  status: "succeeded" | "failed";
  /** The model's HTTP status. */
  httpStatus: number;
  /**
   * The model's answer: parsed JSON when it is JSON, else text. For a streamed answer, every
   * event's data in arrival order (the parts' events concatenated).
   */
  output: unknown;
  /** Whether the model streamed (server-sent events or newline-delimited JSON). */
  streamed: boolean;
  /** Parts published while streaming (0 when not streamed); part numbers run from 1 to this. */
  parts: number;
  /** SQS receive count of the delivery that produced this result (1 = first try). */
  attempt: number;
  /** Milliseconds the model took, from the request to the last byte. */
  modelMillis: number;
  completedAt: string;
}

/** One published slice of a streamed answer: the events that arrived since the previous part. */
export interface ResultPart {
  requestId: string;
  part: number;
  events: unknown[];
}

/** A results location: bucket and key prefix ("" or ending in "/"). */
export interface ResultsLocation {
  bucket: string;
  prefix: string;
}

/** Key of a request's final result. */
export function resultKey(location: ResultsLocation, requestId: string): string {
  return `${location.prefix}${requestId}/result.json`;
}

/** Key of a streamed request's part `n` (1-based); zero-padded so keys sort in order. */
export function partKey(location: ResultsLocation, requestId: string, n: number): string {
  return `${location.prefix}${requestId}/part-${String(n).padStart(6, "0")}.json`;
}

/** Parses `s3://bucket/prefix`; the prefix gets a trailing `/` unless empty. A ConfigError names `field` and the value. */
export function parseResultsUri(uri: string, field = "resultsUri"): ResultsLocation {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new ConfigError("results URI", [{ field, value: uri, rule: "must look like s3://bucket/prefix/" }]);
  const raw = match[2] ?? "";
  if (raw.startsWith("/")) {
    throw new ConfigError("results URI", [{ field, value: uri, rule: "must not have a prefix starting with '/'" }]);
  }
  return { bucket: match[1] as string, prefix: raw === "" || raw.endsWith("/") ? raw : `${raw}/` };
}
