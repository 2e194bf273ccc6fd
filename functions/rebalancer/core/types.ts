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
}

/** Sets a pool's Auto Scaling desired capacity: the only lever the rebalancer pulls. */
export interface CapacityAction {
  pool: string;
  desired: number;
  reason: string;
}

export type PoolHealth = "healthy" | "degraded" | "unavailable";
