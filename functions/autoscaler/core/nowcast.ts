import type { EndpointProfile } from "../../contract";
import type { QueueSnapshot } from "./types";

/**
 * The oldest message's age now: CloudWatch's datapoint is metricLagSeconds old, so a message
 * still queued has aged that much since. An empty queue has no age.
 */
export function oldestAgeNow(queue: QueueSnapshot, metricLagSeconds: number): number {
  return queue.visible > 0 ? queue.oldestMessageAgeSeconds + metricLagSeconds : 0;
}

/**
 * The arrival rate the queue shows now, requests per minute: a lower bound on what arrives,
 * from inputs minutes fresher than the per-minute arrivals metric.
 * - served: the busy replicas' throughput (in-flight messages / concurrency, each replica at
 *   its fully shared rate, the slowest it runs);
 * - growth: the visible backlog built up over at most the oldest message's age now (at least a
 *   minute, the metric's resolution), so it grew at least visible / age faster than it was served.
 * A step or a burst the forecast has not seen yet shows here within one tick; once the queue
 * is drained it shows nothing, so no capacity is kept for a burst that is over.
 */
export function queueRatePerMinute(
  queue: QueueSnapshot,
  profile: EndpointProfile,
  throughputPerSecond: number,
  metricLagSeconds: number,
): number {
  const served = (queue.inFlight / profile.concurrencyPerReplica) * throughputPerSecond;
  const growth = queue.visible > 0 ? queue.visible / Math.max(60, oldestAgeNow(queue, metricLagSeconds)) : 0;
  return (served + growth) * 60;
}
