import type { PoolDescriptor } from "../functions/contract";

/**
 * The pool shape of the built-in scenarios (the demo, a trace's default scenario, the
 * rebalancer bench): g5.xlarge nodes, one A10G each sliced four ways, scaling from zero.
 * One builder, so the on-demand fallback every scenario needs is written once.
 */
function g5Pool(name: string, maxNodes: number, spot: boolean): PoolDescriptor {
  return {
    name,
    capacityType: spot ? "spot" : "on-demand",
    fallback: !spot,
    instanceTypes: ["g5.xlarge"],
    gpusPerNode: 1,
    slicesPerGpu: 4,
    minNodes: 0,
    maxNodes,
  };
}

/** A g5.xlarge spot pool of up to `maxNodes` nodes. */
export function g5SpotPool(name: string, maxNodes: number): PoolDescriptor {
  return g5Pool(name, maxNodes, true);
}

/** The on-demand g5.xlarge pool the rebalancer falls back to while spot pools are unhealthy. */
export function onDemandFallbackPool(name: string, maxNodes: number): PoolDescriptor {
  return g5Pool(name, maxNodes, false);
}
