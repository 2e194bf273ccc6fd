/**
 * The production decision code the gpufleet policy runs: the autoscaler core and the
 * rebalancer core, loaded from functions/{autoscaler,rebalancer}/core. The simulator never
 * reimplements them; when a core is missing from the checkout the gpufleet policy cannot run
 * and says so.
 */

import type { AutoscalerInput, AutoscalerSettings, ReplicaDecision } from "../../functions/autoscaler/core/types";
import type { PoolDescriptor } from "../../functions/contract";
import type { CapacityAction, PoolCapacity, PoolHealth, SpotSignal } from "../../functions/rebalancer/core/types";

export interface AutoscalerCore {
  decideReplicas(input: AutoscalerInput, settings?: Partial<AutoscalerSettings>): ReplicaDecision[];
}

export interface RebalancerCore {
  rebalancerConfig(pools: PoolDescriptor[], overrides?: Record<string, unknown>): unknown;
  initialRebalancerState(): unknown;
  decideRebalance(input: {
    nowMs: number;
    config: unknown;
    state: unknown;
    capacity: PoolCapacity[];
    signals: SpotSignal[];
  }): { actions: CapacityAction[]; state: unknown; health: Record<string, PoolHealth>; reasons: string[] };
}

export class CoreMissingError extends Error {
  override name = "CoreMissingError";
}

function load<T>(path: string, names: string[]): T {
  let mod: Record<string, unknown>;
  try {
    mod = require(path) as Record<string, unknown>;
  } catch (error) {
    throw new CoreMissingError(`the gpufleet policy needs ${path} (${(error as Error).message.split("\n")[0]})`);
  }
  for (const name of names) {
    if (typeof mod[name] !== "function") throw new CoreMissingError(`${path} does not export ${name}()`);
  }
  return mod as T;
}

export function loadCores(): { autoscaler: AutoscalerCore; rebalancer: RebalancerCore } {
  return {
    autoscaler: load<AutoscalerCore>("../../functions/autoscaler/core/index", ["decideReplicas"]),
    rebalancer: load<RebalancerCore>("../../functions/rebalancer/core/index", [
      "rebalancerConfig",
      "initialRebalancerState",
      "decideRebalance",
    ]),
  };
}
