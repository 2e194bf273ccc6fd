import { emptySpotPoolState } from "./health";
import type { RebalancerConfig, RebalancerState } from "./types";

/** The state before any event: every pool healthy, nothing borrowed. JSON-serialisable. */
export function initialRebalancerState(): RebalancerState {
  return { version: 1, pools: {}, processed: {}, atRisk: {}, step: null };
}

/** Drops entries whose time has passed, keeping at most `limit` (the newest expiries). */
function pruneExpiring(entries: Record<string, number>, nowMs: number, limit: number): Record<string, number> {
  const live = Object.entries(entries).filter(([, expiresAtMs]) => expiresAtMs > nowMs);
  if (live.length > limit) {
    live.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    live.length = limit;
  }
  live.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(live);
}

/**
 * A fresh copy of the state for this call: pools that left the configuration dropped,
 * expired event ids and instance covers forgotten. Never mutates its input.
 */
export function normaliseState(state: RebalancerState, config: RebalancerConfig, nowMs: number): RebalancerState {
  const limit = config.tunables.maxRememberedEventIds;
  const pools: RebalancerState["pools"] = {};
  for (const name of config.spotPools) {
    const known = state.pools?.[name];
    pools[name] = known ? { ...known } : emptySpotPoolState();
  }
  const step = state.step && config.spotPools.includes(state.step.pool) ? { ...state.step } : null;
  return {
    version: 1,
    pools,
    processed: pruneExpiring(state.processed ?? {}, nowMs, limit),
    atRisk: pruneExpiring(state.atRisk ?? {}, nowMs, limit),
    step,
  };
}

/** Applies the size limit after this call's ids were added. */
export function boundState(state: RebalancerState, config: RebalancerConfig, nowMs: number): RebalancerState {
  const limit = config.tunables.maxRememberedEventIds;
  return {
    ...state,
    processed: pruneExpiring(state.processed, nowMs, limit),
    atRisk: pruneExpiring(state.atRisk, nowMs, limit),
  };
}
