import type { PoolDescriptor } from "../../../functions/contract";
import type { PoolCapacity, SpotSignal, SpotSignalKind } from "../../../functions/rebalancer/core";

/** Two spot pools (1 and 4 GPUs per node) and a one-GPU on-demand fallback. */
export function pools(): PoolDescriptor[] {
  return [
    spotPool("spot-a", 1, 10),
    spotPool("spot-b", 4, 5),
    {
      name: "od",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      gpusPerNode: 1,
      slicesPerGpu: 4,
      minNodes: 0,
      maxNodes: 8,
    },
  ];
}

export function spotPool(name: string, gpusPerNode: number, maxNodes: number): PoolDescriptor {
  return {
    name,
    capacityType: "spot",
    fallback: false,
    instanceTypes: gpusPerNode === 1 ? ["g5.xlarge"] : ["g5.12xlarge"],
    gpusPerNode,
    slicesPerGpu: 4,
    minNodes: 0,
    maxNodes,
  };
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
