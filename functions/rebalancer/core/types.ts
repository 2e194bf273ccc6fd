import type { PoolDescriptor } from "../../contract";

export type SpotSignalKind = "interruption-warning" | "rebalance-recommendation" | "launch-failure";

/** An EC2/Auto Scaling event, parsed and mapped to the pool it concerns. */
export interface SpotSignal {
  /** The EventBridge event id: duplicates carry the same id. */
  id: string;
  kind: SpotSignalKind;
  pool: string;
  instanceId?: string;
  /** When the event happened (its `time`), epoch milliseconds. */
  atMs: number;
}

/** A pool's Auto Scaling capacity as observed now. */
export interface PoolCapacity {
  name: string;
  desired: number;
  /** Instances InService (nodes that serve or are about to). */
  inService: number;
  maxNodes: number;
  /**
   * Every instance the group holds whatever its lifecycle state (Pending included). When
   * known, a launch failure moves only the share that never launched, so lowering the spot
   * pool cannot terminate an instance that is still booting.
   */
  instances?: number;
}

/** Sets a pool's Auto Scaling desired capacity: the only lever the rebalancer pulls. */
export interface CapacityAction {
  pool: string;
  desired: number;
  reason: string;
}

export type PoolHealth = "healthy" | "degraded" | "unavailable";

/** The knobs of the health model and the decision rules. Defaults: DEFAULT_REBALANCER_TUNABLES. */
export interface RebalancerTunables {
  /** Seconds a spot pool must stay healthy, with no new signal, before capacity migrates back to it. */
  stableSeconds: number;
  /** Half-life of a signal's weight in a pool's health score, seconds. */
  healthHalfLifeSeconds: number;
  /** Score an interruption warning adds. */
  interruptionWeight: number;
  /** Score a rebalance recommendation adds. */
  recommendationWeight: number;
  /** Score a launch failure (insufficient capacity) adds. */
  launchFailureWeight: number;
  /** A pool whose score is at least this is degraded. */
  degradedScore: number;
  /** A pool whose score is at least this is unavailable. */
  unavailableScore: number;
  /** Signals older than this (event time to now) count toward health but move no capacity: the node is long gone. */
  maxSignalAgeSeconds: number;
  /** A migration step whose new spot node is not in service after this long is abandoned. */
  stepTimeoutSeconds: number;
  /** How long the state remembers a processed event id, seconds. */
  eventIdRetentionSeconds: number;
  /** The most event ids the state remembers (oldest dropped first), to bound its size. */
  maxRememberedEventIds: number;
}

/** What the rebalancer manages: the spot pools and the one on-demand fallback pool. */
export interface RebalancerConfig {
  pools: PoolDescriptor[];
  fallbackPool: string;
  spotPools: string[];
  tunables: RebalancerTunables;
}

/** Health and borrowed capacity of one spot pool. JSON-serialisable. */
export interface SpotPoolState {
  /** Decaying health score as of `scoreAtMs`. */
  score: number;
  scoreAtMs: number;
  /** When the score falls (or fell) below the degraded threshold. */
  healthySinceMs: number;
  /** Event time of the newest signal for this pool. */
  lastSignalAtMs: number;
  /** Fallback nodes the rebalancer added on this pool's behalf and has not yet migrated back. */
  borrowed: number;
}

/** A make-before-break step in flight: the spot pool was raised by one; the fallback drops once it serves. */
export interface MigrationStep {
  pool: string;
  /** The spot pool's InService count when the step began. */
  baseInService: number;
  /** The spot pool's desired capacity the step set. */
  spotDesired: number;
  startedAtMs: number;
}

export interface RebalancerState {
  version: 1;
  pools: Record<string, SpotPoolState>;
  /** Processed event id -> when it may be forgotten (epoch ms). */
  processed: Record<string, number>;
  /** Instance id already covered by a fallback raise -> when that cover expires (epoch ms). */
  atRisk: Record<string, number>;
  step: MigrationStep | null;
}

export interface RebalancerInput {
  nowMs: number;
  config: RebalancerConfig;
  state: RebalancerState;
  capacity: PoolCapacity[];
  signals: SpotSignal[];
}

export interface RebalancerOutput {
  actions: CapacityAction[];
  state: RebalancerState;
  health: Record<string, PoolHealth>;
  reasons: string[];
}
