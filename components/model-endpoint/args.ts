import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PriorityTier, TokenCostModel } from "../../functions/contract";
import type { ClusterRef } from "../types";
import type { ModelEndpointSidecarArgs } from "./sidecar";

/** How the endpoint serves: what the autoscaler, the simulator and the KEDA SQS trigger plan with. */
export interface ModelEndpointProfileArgs {
  /** Mean seconds one request takes when its replica has the GPU to itself. Must be > 0. */
  secondsPerRequest: number;
  /** Optional token-based cost model; `secondsPerRequest` stays its value for a typical request. */
  tokenCost?: TokenCostModel;
  /**
   * Requests one replica works on at once (batching).
   * @default 1
   */
  concurrencyPerReplica?: number;
  /** Seconds from container start until the model is loaded and the replica can serve. Must be >= 0. */
  modelLoadSeconds: number;
  /** The longest a request may wait in the queue before a replica picks it up. Must be > 0. */
  sloSeconds: number;
  /**
   * Fewest replicas. 0 lets the endpoint scale to zero; the predictive autoscaler then
   * brings replicas back before traffic is expected.
   * @default 1
   */
  minReplicas?: number;
  /**
   * Most replicas (one GPU slice each).
   * @default 10
   */
  maxReplicas?: number;
}

/** The endpoint's SQS request queue and its dead-letter queue. */
export interface ModelEndpointQueueArgs {
  /**
   * SQS name of the request queue; the DLQ is `<name>-dlq`. Letters, digits, `-` and `_`,
   * at most 76 characters (80 less the DLQ suffix).
   * @default the endpoint name
   */
  name?: string;
  /**
   * The longest one request may take to process, seconds.
   * @default 5 × profile.secondsPerRequest, rounded up
   */
  maxProcessingSeconds?: number;
  /**
   * Seconds a received message stays hidden from other replicas. Must be at least
   * `maxProcessingSeconds` (else a message still being worked on is handed out again) and
   * at most 43200 (SQS limit). Workers extend it for long requests.
   * @default max(30, 2 × maxProcessingSeconds)
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Receives before a message moves to the DLQ (1 to 1000).
   * @default 3
   */
  maxReceiveCount?: number;
  /**
   * Seconds SQS keeps an unprocessed request (60 to 1209600).
   * @default 345600 (4 days)
   */
  retentionSeconds?: number;
  /**
   * Seconds the DLQ keeps a failed request (60 to 1209600): the longest so an operator can inspect it.
   * @default 1209600 (14 days)
   */
  dlqRetentionSeconds?: number;
  /**
   * A customer-managed KMS key for server-side encryption; the worker role gets `kms:Decrypt` on it.
   * @default SQS-managed server-side encryption (SSE-SQS)
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** Where the pods may write results. The bucket must already exist. */
export interface ModelEndpointResultsArgs {
  /** S3 bucket name (3 to 63 characters, lower case, digits, `.` and `-`). */
  bucketName: string;
  /**
   * Key prefix the pods may write under; must not start with `/`.
   * @default `<endpoint name>/`
   */
  prefix?: string;
}

/** KEDA scaling settings. The defaults suit GPU cold starts; see docs/model-endpoint.md. */
export interface ModelEndpointScalingArgs {
  /**
   * Target messages (visible + in flight) per replica for the aws-sqs-queue trigger.
   * @default floor(concurrencyPerReplica × (1 + sloSeconds / secondsPerRequest)), at least 1
   */
  queueLengthPerReplica?: number;
  /**
   * Seconds between KEDA's checks of the triggers.
   * @default 15
   */
  pollingIntervalSeconds?: number;
  /**
   * Seconds after the last active trigger before KEDA scales from 1 to 0 (only with minReplicas 0).
   * @default 600
   */
  cooldownSeconds?: number;
  /**
   * HPA scale-up stabilization window, seconds (0 to 3600).
   * @default 0
   */
  scaleUpStabilizationSeconds?: number;
  /**
   * HPA scale-down stabilization window, seconds (0 to 3600). FleetControl damps its
   * predictions' fall itself; without FleetControl, on the SQS trigger alone, 600 holds
   * capacity through the queue's dips and measured cheaper at the SLO.
   * @default 300
   */
  scaleDownStabilizationSeconds?: number;
  /**
   * Most replicas added per minute, as a percentage of the current count (at least 4 pods per minute).
   * @default 100
   */
  scaleUpPercentPerMinute?: number;
  /**
   * Most replicas removed per minute, as a percentage of the current count (at least 1 pod per minute).
   * @default 25
   */
  scaleDownPercentPerMinute?: number;
}

/** CloudWatch alarms for the endpoint's queue. */
export interface ModelEndpointAlarmsArgs {
  /**
   * Create the alarms.
   * @default true
   */
  enabled?: boolean;
  /**
   * An existing SNS topic the alarms notify. Exclusive with `createTopic`.
   * @default none
   */
  topicArn?: pulumi.Input<string>;
  /**
   * Create an encrypted SNS topic `<name>-alarms` for the alarms.
   * @default false
   */
  createTopic?: boolean;
  /**
   * The oldest-message alarm fires when the oldest request is older than this multiple of the SLO.
   * @default 3
   */
  oldestMessageSloMultiple?: number;
  /**
   * Minutes the queue may hold requests with nobody receiving them before the stalled alarm fires.
   * Longer than a GPU cold start (node boot, image pull, model load).
   * @default 15
   */
  stalledMinutes?: number;
}

/** Hooks for the children users most often want to tweak. */
export interface ModelEndpointTransforms {
  /** Adjusts the Deployment's arguments before it is created. */
  deployment?: (args: k8s.apps.v1.DeploymentArgs) => k8s.apps.v1.DeploymentArgs;
}

/**
 * ModelEndpoint's and ModelWorkload's resource options. The transform hooks live here rather than
 * in the args: the args are what other Pulumi languages see, and a schema cannot carry callbacks.
 * `dependsOn` holds back the Kubernetes children too (give it the add-ons' release when the
 * cluster is plain values).
 */
export interface ModelEndpointOptions extends pulumi.ComponentResourceOptions {
  /**
   * Transform hooks.
   * @default none
   */
  transform?: ModelEndpointTransforms;
}

/** An HTTP GET the kubelet sends to the model container. */
export interface HttpGetProbeArgs {
  /** Path to request, e.g. "/health". */
  path: string;
  /** Container port number. */
  port: number;
  /**
   * "HTTP" or "HTTPS".
   * @default "HTTP"
   */
  scheme?: string;
}

/** A TCP connection the kubelet opens to the model container. */
export interface TcpSocketProbeArgs {
  /** Container port number. */
  port: number;
}

/** A command the kubelet runs in the model container; exit status 0 is ready. */
export interface ExecProbeArgs {
  command: string[];
}

/**
 * Readiness probe of the model container: exactly one of `httpGet`, `tcpSocket` and `exec`, with
 * Kubernetes' timing fields (ports by number).
 */
export interface ReadinessProbeArgs {
  /** @default none */
  httpGet?: HttpGetProbeArgs;
  /** @default none */
  tcpSocket?: TcpSocketProbeArgs;
  /** @default none */
  exec?: ExecProbeArgs;
  /** @default 0 */
  initialDelaySeconds?: number;
  /** @default 10 */
  periodSeconds?: number;
  /** @default 1 */
  timeoutSeconds?: number;
  /** @default 1 */
  successThreshold?: number;
  /** @default 3 */
  failureThreshold?: number;
}

/**
 * What ModelEndpoint and ModelWorkload share: the model, its pods, where they run and how they
 * scale. (A named interface rather than `Omit<ModelEndpointArgs, ...>`: Pulumi's schema inference
 * reads declared properties only.)
 */
export interface EndpointWorkloadArgs {
  /**
   * The cluster to run on: a GpuCluster (whose Kubernetes provider and add-ons the endpoint
   * then uses), or a ClusterRef of plain values for a cluster this stack did not create.
   */
  cluster: ClusterRef;
  /**
   * The endpoint's name: Kubernetes name of its Deployment and ServiceAccount, the `Endpoint`
   * dimension of the predicted-replicas metric. A DNS-1123 label of at most 63 characters.
   * @default the component's name
   */
  endpointName?: string;
  /**
   * Kubernetes namespace; must already exist.
   * @default "default"
   */
  namespace?: string;
  /** Container image of the model worker; in sidecar mode, of the HTTP model server. */
  image: string;
  /**
   * Container command.
   * @default the image's entrypoint
   */
  command?: string[];
  /**
   * Container arguments.
   * @default the image's cmd
   */
  args?: string[];
  /**
   * Extra environment variables. Names the worker contract sets (GPUFLEET_*, AWS_REGION) are refused.
   * @default {}
   */
  env?: Record<string, pulumi.Input<string>>;
  /** GPU memory one replica needs, GiB. Must fit the per-slice memory of every pool it may run on. */
  gpuMemoryGiB: number;
  /**
   * CPU request of one replica (Kubernetes quantity, e.g. "900m"). Every slice of a node must
   * be able to hold a replica: slices per node × this must fit the smallest instance type's
   * allocatable CPU in each allowed pool (EKS reservations and per-node agents taken off).
   * @default the smallest per-slice share of the allowed pools (see docs/model-endpoint.md)
   */
  cpu?: string;
  /**
   * Memory request and limit of one replica (Kubernetes quantity, e.g. "3Gi"), with the same rule as `cpu`.
   * @default the smallest per-slice share of the allowed pools
   */
  memory?: string;
  /**
   * Wait for the Deployment's pods to be ready during `pulumi up`. Off by default: a replica
   * may need a GPU node from zero plus an image pull and a model load, longer than an update
   * should block; KEDA and the Cluster Autoscaler bring it up afterwards.
   * @default false
   */
  awaitReady?: boolean;
  /**
   * Pools the endpoint may run on. Spot pools are preferred; on-demand pools (the fallback) are allowed.
   * @default every pool of the cluster
   */
  pools?: string[];
  /**
   * Priority tier: critical and standard are never preempted, batch is preemptible.
   * @default "standard"
   */
  tier?: PriorityTier;
  profile: ModelEndpointProfileArgs;
  /**
   * Results location the pods may write to.
   * @default none
   */
  results?: ModelEndpointResultsArgs;
  /**
   * Sidecar mode: `image` is a plain HTTP model server and gpufleet's worker sidecar runs the
   * worker contract for it (see docs/worker.md).
   * @default none (the image implements the worker contract itself)
   */
  sidecar?: ModelEndpointSidecarArgs;
  /**
   * KEDA settings.
   * @default see ModelEndpointScalingArgs
   */
  scaling?: ModelEndpointScalingArgs;
  /**
   * Seconds a replica gets between SIGTERM and SIGKILL. At most the 120 s spot notice when the
   * endpoint may run on a spot pool.
   * @default 90 when a spot pool is allowed; otherwise max(90, maxProcessingSeconds + 30)
   */
  terminationGracePeriodSeconds?: number;
  /**
   * Readiness probe of the model container: a replica only counts as ready once its model is loaded.
   * @default none
   */
  readinessProbe?: ReadinessProbeArgs;
}

/** One model served as an async endpoint: the workload settings, plus its queue, alarms and tags. */
export interface ModelEndpointArgs extends EndpointWorkloadArgs {
  /**
   * Queue settings.
   * @default see ModelEndpointQueueArgs
   */
  queue?: ModelEndpointQueueArgs;
  /**
   * Alarm settings.
   * @default see ModelEndpointAlarmsArgs
   */
  alarms?: ModelEndpointAlarmsArgs;
  /**
   * Tags for the AWS resources.
   * @default {}
   */
  tags?: Record<string, string>;
}
