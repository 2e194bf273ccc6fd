/**
 * The simulated cluster's state: requests (typed arrays indexed by request id), SQS queues,
 * replicas (pods), GPUs, nodes and pools. Plain data; the modules next to this one change it.
 */
import type { PoolDescriptor } from "../../functions/contract";
import type { SpotSignal } from "../../functions/rebalancer/core/types";
import type { QueueTiming, ScalingConfig } from "../../functions/scaling/index";
import type { LifecycleDelays, SpotModel } from "../constants";
import type { Workload } from "../workload";
import type { EndpointMetrics } from "./cloudwatch";
import type { EventHeap } from "./heap";
import type { HpaState } from "./hpa";

export enum Ev {
  GpuDone = 0,
  CaScan = 1,
  HpaSync = 2,
  Minute = 4,
  NodeReady = 5,
  PodReady = 6,
  Redeliver = 7,
  RebalanceRec = 8,
  Notice = 9,
  Terminate = 10,
  LaunchRetry = 11,
  Burst = 12,
  PackerPass = 13,
}

export enum PodState {
  Pending = 0,
  Starting = 1,
  Ready = 2,
  /** Scaled in: takes no new work, finishes what it holds, then goes. */
  Stopping = 3,
  Gone = 4,
}

export interface Gpu {
  id: number;
  node: Node;
  /** Replicas placed on this GPU. */
  replicas: Replica[];
  /** Replicas with at least one request in service. */
  busy: number;
  /** When the busy replicas' clocks were last brought up to date. */
  lastT: number;
  version: number;
}

export interface Replica {
  id: number;
  ep: number;
  state: PodState;
  node: Node | null;
  gpu: Gpu | null;
  /** Request id per concurrency slot, -1 when free. */
  slots: Int32Array;
  /** Virtual work clock: seconds of solo work each of its in-service requests has received. */
  v: number;
  /** Virtual finish time per slot, on the replica's clock. */
  finishV: Float64Array;
  busy: number;
  /** 0 none, 1 in its endpoint's idle list, 2 in its partial list. */
  list: number;
  listIdx: number;
  version: number;
  /** The deletion cost the scale-in packer last wrote on the pod (0 until its first pass sees it). */
  deletionCost: number;
}

export interface Node {
  id: number;
  pool: Pool;
  zone: number;
  booting: boolean;
  gone: boolean;
  cordoned: boolean;
  launchedAt: number;
  gpus: Gpu[];
  replicas: Replica[];
  slots: number;
  images: Set<number>;
  /** When the node last became empty; -1 while it has pods. */
  emptySince: number;
  /** Scheduled spot interruption: recommendation, notice, termination (Infinity when none). */
  recAt: number;
  noticeAt: number;
  terminateAt: number;
  replacementLaunched: boolean;
  /** Guards NodeReady events. */
  version: number;
  /** Guards the interruption events (bumped when a burst brings the interruption forward). */
  interruptVersion: number;
}

export interface Pool {
  index: number;
  desc: PoolDescriptor;
  price: number;
  spot: SpotModel;
  desired: number;
  nodes: Node[];
  /** Per zone: launches there fail (InsufficientInstanceCapacity) until this time. */
  zoneShortageUntil: Float64Array;
  /** A launch failed since the Cluster Autoscaler last asked this pool for nodes. */
  launchFailed: boolean;
  /** Since when desired has exceeded the nodes that exist (launch failures); -1 when it has not. */
  unfulfilledSince: number;
  /** The Cluster Autoscaler leaves the pool alone until then. */
  backoffUntil: number;
  retryScheduled: boolean;
  burstTimes: number[];
  launchFailures: number;
}

export interface EndpointState {
  /** Pods that count toward the Deployment's replicas (pending, starting, ready). */
  pods: Replica[];
  idle: Replica[];
  partial: Replica[];
  /** SQS: visible message ids, a ring buffer. */
  queue: Int32Array;
  qHead: number;
  qLen: number;
  inFlight: number;
  /** Replicas a policy's direct trigger asks for (a schedule, fixed replicas); 0 for none. */
  floor: number;
  /** The endpoint's deployed scaling (with the run's minReplicas) and queue timing. */
  scaling: ScalingConfig;
  queueTiming: QueueTiming;
  hpa: HpaState;
  metrics: EndpointMetrics;
  slo: number;
  concurrency: number;
  poolIdx: number[];
}

export interface World {
  w: Workload;
  heap: EventHeap;
  now: number;
  lifecycle: LifecycleDelays;
  releaseOnSigterm: boolean;
  pools: Pool[];
  eps: EndpointState[];
  gpus: Gpu[];
  nodes: Node[];
  replicas: Replica[];
  /** Receive time of each request's latest delivery. */
  recv: Float64Array;
  /** 1 once a request was deleted (completed). */
  done: Uint8Array;
  /** Receives of each request so far (a message goes to the dead-letter queue after maxReceiveCount). */
  receives: Uint8Array;
  completed: number;
  deadLettered: number;
  withinSlo: number;
  /** Whether the SLO bounds the queue wait or the end-to-end latency (wait + service). */
  sloOnLatency: boolean;
  waits: Float32Array;
  latencies: Float32Array;
  /** Signals raised since the policy last looked. */
  signals: SpotSignal[];
  signalSeq: number;
  interruptions: number;
  /** Billing: node-seconds by pool, settled when a node goes or at the end. */
  nodeSeconds: Float64Array;
  endBilling: number;
  seed: number;
  /** Per extra concurrent request, each request of a replica slows by this share of its solo speed. */
  batchSlowdown: number;
  /** Whether GpuCluster's scale-in packer runs: pods carry their node's occupancy as deletion cost. */
  scaleInPacker: boolean;
  /** When the Cluster Autoscaler last added nodes (scale-down waits after it). */
  lastScaleUpAt: number;
  /** A scaled-in replica finished its last request and leaves its GPU. */
  afterStop: (rep: Replica) => void;
}

export function gpuRate(busy: number, overhead: number): number {
  return busy <= 1 ? 1 : (1 - overhead) / busy;
}
