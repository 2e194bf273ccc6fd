import type { PoolDescriptor } from "../../../functions/contract";
import type { PoolCapacity, SpotSignal, SpotSignalKind } from "../../../functions/rebalancer/core";
import { onDemandFallbackPool } from "../../../sim/pools";
import { spotPool } from "../../support/rebalancer-pools";

/** Two spot pools (1 and 4 GPUs per node) and a one-GPU on-demand fallback. */
export function pools(): PoolDescriptor[] {
  return [spotPool("spot-a", 1, 10), spotPool("spot-b", 4, 5), onDemandFallbackPool("od", 8)];
}

export function cap(name: string, desired: number, inService = desired, maxNodes = 10): PoolCapacity {
  return { name, desired, inService, maxNodes };
}

export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
export const MIN = 60_000;

export function signal(id: string, kind: SpotSignalKind, pool: string, atMs: number, instanceId?: string): SpotSignal {
  return instanceId === undefined ? { id, kind, pool, atMs } : { id, kind, pool, atMs, instanceId };
}

export function warning(id: string, pool: string, atMs: number, instanceId = `i-${id}`): SpotSignal {
  return signal(id, "interruption-warning", pool, atMs, instanceId);
}
