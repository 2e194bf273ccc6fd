import type { PoolDescriptor } from "../../functions/contract";

/**
 * GPU pool descriptors for the rebalancer's tests, unit and integration alike: g5 nodes,
 * four slices per GPU, scaling from zero.
 */
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

/** The one-GPU on-demand pool the rebalancer falls back to, named "od". */
export function onDemandFallbackPool(maxNodes: number): PoolDescriptor {
  return {
    name: "od",
    capacityType: "on-demand",
    fallback: true,
    instanceTypes: ["g5.xlarge"],
    gpusPerNode: 1,
    slicesPerGpu: 4,
    minNodes: 0,
    maxNodes,
  };
}
