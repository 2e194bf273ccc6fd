/**
 * What a scaling policy decides in the simulated cluster. Every policy runs on the same
 * cluster model (the endpoint's deployed KEDA/HPA configuration, scheduler, Cluster
 * Autoscaler, spot market); a policy chooses whether the SQS trigger applies, may publish
 * predicted replicas (PutMetricData, read back by KEDA's aws-cloudwatch trigger), may set a
 * direct trigger read at every HPA sync, and may set node groups' desired capacity on spot
 * signals. Each is tuned with the same three knobs.
 */

import type { PublishedReplicas } from "../../functions/autoscaler/core/types";
import { TIME_SLICE_OVERHEAD } from "../../functions/contract";
import type { CapacityAction, PoolCapacity, SpotSignal } from "../../functions/rebalancer/core/types";
import { DEFAULT_LEAD_TIME_SECONDS, planningInputs } from "../../functions/scaling/index";
import type { LifecycleDelays } from "../constants";
import type { CaOptions } from "../engine/cluster";
import type { Workload } from "../workload";

export interface EndpointView {
  visible: number;
  inFlight: number;
  /** The true age of the oldest visible message (policies that stand for a controller without CloudWatch). */
  oldestMessageAgeSeconds: number;
  /** ApproximateAgeOfOldestMessage as CloudWatch serves it now (lagged); undefined when no datapoint is readable. */
  cloudWatchAgeSeconds: number | undefined;
  /** The predicted replicas published earlier, as CloudWatch serves them now. */
  published: PublishedReplicas[];
  /** Replicas the Deployment has (pending, starting, ready). */
  replicas: number;
}

export interface PolicyView {
  nowSeconds: number;
  nowMs: number;
  /** Index of the minute that is starting (minutes before it are complete). */
  minute: number;
  /** Minutes [0, readableMinutes) whose SQS datapoints CloudWatch serves now. */
  readableMinutes: number;
  endpoints: EndpointView[];
  pools: PoolCapacity[];
}

export interface Policy {
  name: string;
  /** Whether KEDA/HPA scale the Deployment (else it keeps the direct trigger's fixed replicas). */
  reactive: boolean;
  ca: CaOptions;
  /** Replicas serving at t = 0 (every policy starts warm). */
  initialReplicas: number[];
  /** Divides the deployed SQS target (queueLength per replica); 1 keeps it. */
  sqsTargetDivisor: number;
  /** The HPA's scale-down stabilization window where the policy's differs from the deployed one. */
  scaleDownWindowSeconds?: number;
  /** Called every autoscaler tick: predicted replicas to publish per endpoint. */
  publish?(view: PolicyView): number[];
  /** Called every minute: replicas a direct trigger asks for (a schedule, fixed replicas); 0 for none. */
  floors?(view: PolicyView): number[];
  /** Spot signals as they happen and once a minute with none: desired-capacity changes. */
  rebalance?(view: PolicyView, signals: SpotSignal[]): CapacityAction[];
}

/** The knobs every policy is tuned with, the same budget for each. */
export interface Knobs {
  /**
   * The policy's own capacity knob, larger never meaning less capacity: the autoscaler's
   * headroom (gpufleet, foresight), the divisor of the SQS target (reactive), the forecast's
   * multiplier (predictive-hourly), the replicas' multiplier (static-peak).
   */
  primary: number;
  /** minReplicaCount as a share of the replicas the trace's mean load needs (at least the profile's). */
  minShare: number;
  /** Cluster Autoscaler --scale-down-unneeded-time. */
  unneededSeconds: number;
}

export interface PolicyEnv {
  workload: Workload;
  lifecycle: LifecycleDelays;
  knobs: Knobs;
}

export type PolicyFactory = (env: PolicyEnv) => Policy;

/**
 * Replicas that serve `workPerSecond` seconds of whole-GPU work each second: with time
 * slicing, a fully packed GPU serves concurrency x (1 - overhead) / secondsPerRequest
 * requests per second, shared by slicesPerGpu replicas.
 */
export function replicasFor(workPerSecond: number, concurrency: number, slicesPerGpu: number): number {
  const perReplica = slicesPerGpu > 1 ? (concurrency * (1 - TIME_SLICE_OVERHEAD)) / slicesPerGpu : concurrency;
  return workPerSecond / perReplica;
}

export function clampReplicas(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

/**
 * Slices per GPU and lead time the autoscaler plans an endpoint with: FleetControl's own
 * derivation (functions/scaling) over the endpoint's pools, with FleetControl's default lead time.
 */
export function planningOf(env: PolicyEnv, ep: number): { slicesPerGpu: number; leadTimeSeconds: number } {
  const pools = env.workload.scenario.pools;
  const names = env.workload.endpoints[ep]?.pools ?? [];
  return planningInputs(
    names.map((name) => ({
      slicesPerGpu: pools.find((p) => p.name === name)?.slicesPerGpu ?? 1,
      leadTimeSeconds: DEFAULT_LEAD_TIME_SECONDS,
    })),
  );
}

/**
 * The scale-down window of the baselines that scale on the SQS trigger alone: the one
 * ModelEndpoint deployed before FleetControl's damping made the shorter default pay. With
 * only the queue to go on, the longer window is the cheaper at the SLO (NASA, seed 1:
 * reactive $303.85 at 600 s, $318.47 at 300 s), so they keep it.
 */
export const QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS = 600;

/** Warm start: enough replicas for the busiest of the first ten minutes. */
export function warmReplicas(env: PolicyEnv): number[] {
  return env.workload.endpoints.map((e, i) => {
    let peak = 0;
    for (let m = 0; m < Math.min(10, e.workPerMinute.length); m++)
      peak = Math.max(peak, (e.workPerMinute[m] as number) / 60);
    const n = Math.ceil(replicasFor(peak, e.profile.concurrencyPerReplica, planningOf(env, i).slicesPerGpu) - 1e-9);
    return clampReplicas(n, e.profile.minReplicas, e.profile.maxReplicas);
  });
}

/** The Cluster Autoscaler a policy runs: the unneeded time is one of its knobs. */
export const tunedCa = (env: PolicyEnv): CaOptions => ({ unneededSeconds: env.knobs.unneededSeconds });
