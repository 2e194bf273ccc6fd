import type { PoolHealth, RebalancerTunables, SpotPoolState, SpotSignalKind } from "./types";

/**
 * The health model. Each signal adds a weight to the pool's score; the score halves every
 * half-life. Summing w * 2^-(t - t_i)/H is independent of the order the signals arrive in,
 * so late and out-of-order events give the same health as punctual ones.
 */

export function emptySpotPoolState(): SpotPoolState {
  return { score: 0, scoreAtMs: 0, healthySinceMs: 0, lastSignalAtMs: 0, borrowed: 0 };
}

function halfLifeMs(t: RebalancerTunables): number {
  return t.healthHalfLifeSeconds * 1000;
}

/** The pool's score at `atMs` (never extrapolated backwards past its reference time). */
export function scoreAt(pool: SpotPoolState, atMs: number, t: RebalancerTunables): number {
  const elapsed = Math.max(0, atMs - pool.scoreAtMs);
  return pool.score * 2 ** (-elapsed / halfLifeMs(t));
}

export function signalWeight(kind: SpotSignalKind, t: RebalancerTunables): number {
  switch (kind) {
    case "interruption-warning":
      return t.interruptionWeight;
    case "rebalance-recommendation":
      return t.recommendationWeight;
    case "launch-failure":
      return t.launchFailureWeight;
  }
}

/** Folds one signal of weight `weight`, which happened at `atMs`, into the pool's score. */
export function addSignal(pool: SpotPoolState, weight: number, atMs: number, t: RebalancerTunables): SpotPoolState {
  const refMs = Math.max(pool.scoreAtMs, atMs);
  const score = scoreAt(pool, refMs, t) + weight * 2 ** (-(refMs - atMs) / halfLifeMs(t));
  // When the score decays back below the degraded threshold: the total dominates every
  // partial sum, so taking the max over calls gives the same answer in any arrival order.
  const crossingMs = score >= t.degradedScore ? refMs + halfLifeMs(t) * Math.log2(score / t.degradedScore) : 0;
  return {
    ...pool,
    score,
    scoreAtMs: refMs,
    healthySinceMs: Math.max(pool.healthySinceMs, crossingMs),
    lastSignalAtMs: Math.max(pool.lastSignalAtMs, atMs),
  };
}

export function healthOf(pool: SpotPoolState, nowMs: number, t: RebalancerTunables): PoolHealth {
  const score = scoreAt(pool, nowMs, t);
  if (score >= t.unavailableScore) return "unavailable";
  if (score >= t.degradedScore || nowMs < pool.healthySinceMs) return "degraded";
  return "healthy";
}

/** Healthy, and quiet for the stable period: capacity may migrate back. */
export function isStable(pool: SpotPoolState, nowMs: number, t: RebalancerTunables): boolean {
  const quietSinceMs = Math.max(pool.healthySinceMs, pool.lastSignalAtMs);
  return healthOf(pool, nowMs, t) === "healthy" && nowMs - quietSinceMs >= t.stableSeconds * 1000;
}
