import type { AutoscalerSettings, PublishedReplicas } from "./types";

/** What the autoscaler published before, as far as the core can tell. */
export interface PublishedHistory {
  /** The latest published value, rounded up; undefined when nothing usable was published. */
  previous?: number;
  /** When the published value last rose, epoch milliseconds. */
  lastRiseAtMs?: number;
}

/** Reads the published history, ignoring unusable points and anything stamped after now. */
export function readPublished(published: readonly PublishedReplicas[], nowMs: number): PublishedHistory {
  const usable = published
    .filter((p) => Number.isFinite(p.atMs) && p.atMs <= nowMs && Number.isFinite(p.replicas) && p.replicas >= 0)
    .map((p) => ({ atMs: p.atMs, replicas: Math.ceil(p.replicas) }));
  // Published is documented oldest first; sort defensively (stable, so equal stamps keep their order).
  usable.sort((a, b) => a.atMs - b.atMs);
  const history: PublishedHistory = {};
  for (let i = 0; i < usable.length; i++) {
    const point = usable[i];
    const before = usable[i - 1];
    if (point && before && point.replicas > before.replicas) history.lastRiseAtMs = point.atMs;
  }
  const latest = usable[usable.length - 1];
  if (latest) history.previous = latest.replicas;
  return history;
}

/**
 * Damps scale-down, never scale-up. Below the previous value the target must clear a
 * deadband (scaleDownTolerance), may not come within scaleDownDelaySeconds of the last rise,
 * and falls at most scaleDownStep of the previous value per tick (at least one replica).
 * Non-decreasing in the target, so a larger headroom never yields fewer replicas.
 */
export function dampScaleDown(
  target: number,
  history: PublishedHistory,
  nowMs: number,
  s: AutoscalerSettings,
): { replicas: number; reason?: string } {
  const previous = history.previous;
  if (previous === undefined || target >= previous) return { replicas: target };
  if (previous - target <= previous * s.scaleDownTolerance) {
    return {
      replicas: previous,
      reason: `kept ${previous}: target ${target} is within the ${s.scaleDownTolerance * 100}% scale-down deadband`,
    };
  }
  if (history.lastRiseAtMs !== undefined && nowMs - history.lastRiseAtMs < s.scaleDownDelaySeconds * 1000) {
    const since = Math.round((nowMs - history.lastRiseAtMs) / 1000);
    return {
      replicas: previous,
      reason: `kept ${previous}: scaled up ${since} s ago, no scale-down within ${s.scaleDownDelaySeconds} s`,
    };
  }
  const floor = previous - Math.max(1, Math.floor(previous * s.scaleDownStep));
  if (target < floor) {
    return {
      replicas: floor,
      reason: `scale-down from ${previous} to ${target} limited to ${floor} this tick (step ${s.scaleDownStep * 100}%)`,
    };
  }
  return { replicas: target, reason: `scaling down from ${previous} to ${target}` };
}
