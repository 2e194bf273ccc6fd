/**
 * Reference constants of the simulated cluster. Each value names its source; BENCHMARKS.md
 * and docs/simulator.md repeat them next to the figures they produce.
 */

import { DEFAULT_PACK_INTERVAL_SECONDS } from "../functions/packing";

/**
 * Seconds each step of bringing capacity up takes, and the controllers' own clocks. What an
 * endpoint deploys (KEDA triggers, HPA behaviour, SQS timing) is not here: the simulator
 * takes it from functions/scaling, the module ModelEndpoint renders.
 */
export interface LifecycleDelays {
  /** EC2 launch to kubelet Ready for a GPU node (g5/g6): ~2–4 min, no official figure. */
  nodeBootSeconds: number;
  /** NVIDIA device plugin registering the (sliced) GPUs after the node is Ready: tens of seconds. */
  devicePluginSeconds: number;
  /** Inference image pull on a node that has not pulled it yet: 1–3 min uncached. */
  imagePullSeconds: number;
  /** Cluster Autoscaler scan interval (its --scan-interval default). */
  caScanSeconds: number;
  /** Cluster Autoscaler removes a node that was unneeded this long (--scale-down-unneeded-time default). */
  caUnneededSeconds: number;
  /** No scale-down for this long after a scale-up (--scale-down-delay-after-add default). */
  caScaleDownDelayAfterAddSeconds: number;
  /** Cluster Autoscaler gives up on a node that did not register in this time (--max-node-provision-time). */
  caMaxProvisionSeconds: number;
  /**
   * How long Cluster Autoscaler leaves a node group alone after giving up on it (initial
   * backoff). On InsufficientInstanceCapacity it gives up at once (kubernetes/autoscaler PR #4489).
   */
  caBackoffSeconds: number;
  /** HPA sync period (--horizontal-pod-autoscaler-sync-period default). */
  hpaSyncSeconds: number;
  /** HPA tolerance (--horizontal-pod-autoscaler-tolerance default). */
  hpaTolerance: number;
  /** Seconds between the scale-in packer's passes (its default), when the scenario runs it. */
  packerIntervalSeconds: number;
  /**
   * Seconds after a minute ends until CloudWatch serves that minute's SQS datapoint
   * (NumberOfMessagesSent, ApproximateAgeOfOldestMessage). AWS publishes no figure; about
   * 2 minutes for one-minute AWS metrics is the availability delay Datadog documents
   * (docs.datadoghq.com/integrations/guide/cloud-metric-delay).
   */
  sqsMetricLagSeconds: number;
  /**
   * Seconds from PutMetricData until GetMetricData returns the value (the predicted replicas
   * KEDA's aws-cloudwatch trigger reads). No published figure; one minute assumed.
   */
  putMetricVisibleSeconds: number;
}

export const DEFAULT_LIFECYCLE: LifecycleDelays = {
  nodeBootSeconds: 180,
  devicePluginSeconds: 30,
  imagePullSeconds: 120,
  caScanSeconds: 10,
  caUnneededSeconds: 600,
  caScaleDownDelayAfterAddSeconds: 600,
  caMaxProvisionSeconds: 900,
  caBackoffSeconds: 300,
  hpaSyncSeconds: 15,
  hpaTolerance: 0.1,
  packerIntervalSeconds: DEFAULT_PACK_INTERVAL_SECONDS,
  sqsMetricLagSeconds: 120,
  putMetricVisibleSeconds: 60,
};

/**
 * The spot market as a random process per pool. Spot Instance Advisor publishes monthly
 * interruption bands (<5% … >20%); interruptions of one type in one zone cluster within
 * minutes, which is what the burst terms model. The defaults are deliberately harsher than
 * the advisor's bands so a few days of simulation see the events the rebalancer exists for.
 */
export interface SpotModel {
  /** Independent interruptions, per node and 30-day month (Spot Instance Advisor ">20%" band = 0.2). */
  interruptionsPerNodeMonth: number;
  /** Zone-wide reclaim events per pool and day. */
  burstsPerDay: number;
  /** Share of the pool's nodes in the affected zone that a burst reclaims. */
  burstShare: number;
  /** A burst's interruptions are spread over this many seconds. */
  burstSpreadSeconds: number;
  /** Longest lead of a rebalance recommendation before the notice (uniform 0..this; none is published). */
  rebalanceLeadMaxSeconds: number;
  /** After a burst the burst's zone cannot launch (InsufficientInstanceCapacity) for this long; other zones can. */
  shortageSeconds: number;
  /** Availability zones a pool spreads its nodes over. */
  zones: number;
}

export const DEFAULT_SPOT: SpotModel = {
  interruptionsPerNodeMonth: 0.2,
  burstsPerDay: 1,
  burstShare: 0.6,
  burstSpreadSeconds: 300,
  rebalanceLeadMaxSeconds: 300,
  shortageSeconds: 1800,
  zones: 3,
};

/** us-east-1 list prices, USD per node-hour. Spot is the middle of the observed 0.30–0.50 band for g5.xlarge. */
export const NODE_PRICES: Record<string, { onDemand: number; spot: number }> = {
  "g5.xlarge": { onDemand: 1.006, spot: 0.4 },
  "g5.2xlarge": { onDemand: 1.212, spot: 0.48 },
  "g5.12xlarge": { onDemand: 5.672, spot: 2.27 },
  "g6.xlarge": { onDemand: 0.805, spot: 0.33 },
};

/** Default request cost from tokens when a trace carries them and the endpoint names no model. */
export const DEFAULT_TOKEN_COST = {
  /** Fixed per-request overhead: tokenisation, scheduling, first kernel launches. */
  baseSeconds: 0.05,
  /** Prefill: ~2,000 context tokens per second for a 7B model on one A10G (g5). */
  secondsPerContextToken: 0.0005,
  /** Decode: ~40 generated tokens per second per sequence for a 7B model on one A10G. */
  secondsPerGeneratedToken: 0.025,
} as const;

/**
 * The batching curve inside a replica: with n requests in service at once, each runs at
 * 1 / (1 + BATCH_SLOWDOWN × (n − 1)) of its solo speed, so 4 at once give 3.1× the
 * throughput of one and 8 give 4.7×. An assumption: batched LLM decode is memory-bound and
 * scales sub-linearly, and no curve is published for this model class and GPU. A scenario
 * sets its own with `batchSlowdown` (0 is perfect batching).
 */
export const BATCH_SLOWDOWN = 0.1;

/** SLO attainment a policy must reach for costAtSloUsd. */
export const DEFAULT_SLO_TARGET = 0.99;
