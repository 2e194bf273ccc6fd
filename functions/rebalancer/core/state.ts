import { emptySpotPoolState } from "./health";
import type { RebalancerConfig, RebalancerState, SpotPoolState } from "./types";

/** The state before any event: every pool healthy, nothing borrowed. JSON-serialisable. */
export function initialRebalancerState(): RebalancerState {
  return { version: 1, pools: emptyRecord(), processed: emptyRecord(), atRisk: emptyRecord(), step: null };
}

/**
 * A record with no prototype: ids are data, so `constructor`, `toString` or `__proto__`
 * must read as absent until set and must be stored as plain keys when set.
 */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The record's own value for `key`, never one inherited from Object.prototype. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Drops entries whose time has passed (and any that are not a time, from a damaged item),
 * keeping at most `limit`: the newest expiries. The copy has no prototype.
 */
function pruneExpiring(entries: unknown, nowMs: number, limit: number): Record<string, number> {
  const source = typeof entries === "object" && entries !== null ? Object.entries(entries) : [];
  const live = source.filter(
    (entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1]) && entry[1] > nowMs,
  );
  if (live.length > limit) {
    live.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    live.length = limit;
  }
  live.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const pruned = emptyRecord<number>();
  for (const [key, value] of live) pruned[key] = value;
  return pruned;
}

/**
 * A fresh copy of the state for this call: pools that left the configuration dropped,
 * expired event ids and instance covers forgotten. Never mutates its input.
 */
export function normaliseState(state: RebalancerState, config: RebalancerConfig, nowMs: number): RebalancerState {
  const limit = config.tunables.maxRememberedEventIds;
  const pools = emptyRecord<SpotPoolState>();
  const knownPools =
    typeof state.pools === "object" && state.pools !== null ? state.pools : emptyRecord<SpotPoolState>();
  for (const name of config.spotPools) {
    const known = ownValue(knownPools, name);
    pools[name] = known ? { ...known } : emptySpotPoolState();
  }
  const step = state.step && config.spotPools.includes(state.step.pool) ? { ...state.step } : null;
  return {
    version: 1,
    pools,
    processed: pruneExpiring(state.processed, nowMs, limit),
    atRisk: pruneExpiring(state.atRisk, nowMs, limit),
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
