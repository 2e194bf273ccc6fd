import type { PoolDescriptor } from "../../functions/contract";
import { g5SpotPool } from "../../sim/pools";

/**
 * A spot pool for the rebalancer's tests, unit and integration alike: the built-in g5 pool,
 * on g5.12xlarge (four GPUs) when `gpusPerNode` is 4. The fallback is sim/pools.ts's.
 */
export function spotPool(name: string, gpusPerNode: number, maxNodes: number): PoolDescriptor {
  const pool = g5SpotPool(name, maxNodes);
  return gpusPerNode === 1 ? pool : { ...pool, instanceTypes: ["g5.12xlarge"], gpusPerNode };
}
