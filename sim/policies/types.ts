/**
 * What a scaling policy decides in the simulated cluster. Every policy runs on the same
 * cluster model (KEDA/HPA mechanics, scheduler, Cluster Autoscaler, spot market); a policy
 * chooses whether the reactive SQS trigger applies, sets per-endpoint replica floors each
 * minute, and may set node groups' desired capacity on spot signals.
 */
import { TIME_SLICE_OVERHEAD } from "../../functions/contract";
import type { CapacityAction, PoolCapacity, SpotSignal } from "../../functions/rebalancer/core/types";
import type { LifecycleDelays } from "../constants";
import type { CaOptions } from "../engine/cluster";
import type { Workload } from "../workload";

export interface EndpointView {
  visible: number;
  inFlight: number;
  oldestMessageAgeSeconds: number;
  /** Replicas the Deployment has (pending, starting, ready). */
  replicas: number;
  /** Time-slicing replicas per GPU of the endpoint's first pool. */
  slicesPerGpu: number;
}

export interface PolicyView {
  nowSeconds: number;
  nowMs: number;
  /** Index of the minute that is starting (minutes before it are complete). */
  minute: number;
  endpoints: EndpointView[];
  pools: PoolCapacity[];
}

export interface Policy {
  name: string;
  /** Whether the KEDA SQS trigger + HPA scale the Deployment (floors are combined with max). */
  reactive: boolean;
  ca: CaOptions;
  /** Replicas serving at t = 0 (every policy starts warm). */
  initialReplicas: number[];
  /** Called every minute: a replica floor per endpoint (0 for none). */
  floors(view: PolicyView): number[];
  /** Spot signals as they happen and once a minute with none: desired-capacity changes. */
  rebalance?(view: PolicyView, signals: SpotSignal[]): CapacityAction[];
}

export interface PolicyEnv {
  workload: Workload;
  lifecycle: LifecycleDelays;
  /** The headroom knob the cost-at-SLO search sweeps: larger never means less capacity. */
  knob: number;
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

/** Seconds from a scale decision until a new node runs the pod (without the model load). */
export function leadTimeSeconds(l: LifecycleDelays): number {
  return (
    l.kedaPollSeconds +
    l.hpaSyncSeconds +
    l.caScanSeconds +
    l.nodeBootSeconds +
    l.devicePluginSeconds +
    l.imagePullSeconds
  );
}

export function slicesOf(env: PolicyEnv, ep: number): number {
  const pools = env.workload.scenario.pools;
  const first = env.workload.endpoints[ep]?.pools[0];
  return pools.find((p) => p.name === first)?.slicesPerGpu ?? 1;
}

/** Warm start: enough replicas for the busiest of the first ten minutes. */
export function warmReplicas(env: PolicyEnv): number[] {
  return env.workload.endpoints.map((e, i) => {
    let peak = 0;
    for (let m = 0; m < Math.min(10, e.workPerMinute.length); m++)
      peak = Math.max(peak, (e.workPerMinute[m] as number) / 60);
    const n = Math.ceil(replicasFor(peak, e.profile.concurrencyPerReplica, slicesOf(env, i)) - 1e-9);
    return clampReplicas(n, e.profile.minReplicas, e.profile.maxReplicas);
  });
}

export const DEFAULT_CA = (l: LifecycleDelays): CaOptions => ({
  unneededSeconds: l.caUnneededSeconds,
  knowsShortages: false,
});
