import { type EndpointProfile, TIME_SLICE_OVERHEAD } from "../../contract";
import type { QueueSnapshot } from "./types";

/** Rounds up, forgiving floating-point dust: 3.0000000001 replicas are 3. */
export function ceilReplicas(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 0;
  return Math.ceil(x - 1e-9);
}

/**
 * Requests per second one replica serves when its GPU is fully shared. A replica requests
 * one slice; the pool packs slicesPerGpu replicas (of any endpoints) on a GPU, and k busy
 * replicas each get (1 - overhead) / k of it. Planning for a full GPU is the safe side: a
 * replica with idle neighbours runs faster than planned, never slower.
 */
export function replicaThroughput(profile: EndpointProfile, slicesPerGpu: number): number {
  const share = slicesPerGpu > 1 ? (1 - TIME_SLICE_OVERHEAD) / slicesPerGpu : 1;
  return (profile.concurrencyPerReplica * share) / profile.secondsPerRequest;
}

/**
 * Seconds to drain the queue in: the oldest message's remaining SLO budget, but never less than
 * minDrainSeconds (the oldest message's age includes the metric's lag, so it is often past the
 * SLO already; the floor keeps the drain rate finite and tunable).
 */
export function drainSeconds(queue: QueueSnapshot, sloSeconds: number, minDrainSeconds: number): number {
  return Math.max(minDrainSeconds, sloSeconds - queue.oldestMessageAgeSeconds);
}

/**
 * Replicas the current backlog needs, a floor under every decision: enough to keep up with
 * the current arrival level and drain the visible messages within the SLO, and at least as
 * many as are busy with the in-flight messages.
 */
export function backlogReplicas(
  queue: QueueSnapshot,
  levelPerMinute: number,
  profile: EndpointProfile,
  throughputPerSecond: number,
  minDrainSeconds: number,
): number {
  const drainRate = queue.visible / drainSeconds(queue, profile.sloSeconds, minDrainSeconds);
  const busy = ceilReplicas(queue.inFlight / profile.concurrencyPerReplica);
  return Math.max(busy, ceilReplicas((levelPerMinute / 60 + drainRate) / throughputPerSecond));
}

/**
 * Replicas for a forecast rate plus draining the visible backlog within the SLO:
 * ceil((rate * headroom + visible / drain) / (throughput * maxUtilization)).
 */
export function forecastReplicas(
  peakPerMinute: number,
  drainRatePerSecond: number,
  throughputPerSecond: number,
  headroom: number,
  maxUtilization: number,
): number {
  return ceilReplicas(((peakPerMinute / 60) * headroom + drainRatePerSecond) / (throughputPerSecond * maxUtilization));
}
