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

// Paths kept in variables: resolved when the policy runs, not when the simulator compiles.
const AUTOSCALER_CORE = "../../functions/autoscaler/core/index";
const REBALANCER_CORE = "../../functions/rebalancer/core/index";

export class CoreMissingError extends Error {
  override name = "CoreMissingError";
}

let loaded: { autoscaler: AutoscalerCore; rebalancer: RebalancerCore } | null = null;

async function load<T>(path: string, names: string[]): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    // require() where TypeScript is compiled on require (tsx, the CLI); import() where modules are ESM-transformed (vitest).
    mod = require(path) as Record<string, unknown>;
  } catch (error) {
    try {
      mod = (await import(path)) as Record<string, unknown>;
    } catch {
      throw new CoreMissingError(`the gpufleet policy needs ${path} (${(error as Error).message.split("\n")[0]})`);
    }
  }
  for (const name of names) {
    if (typeof mod[name] !== "function") throw new CoreMissingError(`${path} does not export ${name}()`);
  }
  return mod as T;
}

/**
 * Loads both cores once; the gpufleet policy then uses them synchronously. Loaded by path
 * at run time so a checkout without one of them still runs the baselines.
 */
export async function loadCores(): Promise<{ autoscaler: AutoscalerCore; rebalancer: RebalancerCore }> {
  loaded ??= {
    autoscaler: await load<AutoscalerCore>(AUTOSCALER_CORE, ["decideReplicas"]),
    rebalancer: await load<RebalancerCore>(REBALANCER_CORE, [
      "rebalancerConfig",
      "initialRebalancerState",
      "decideRebalance",
    ]),
  };
  return loaded;
}

/** The cores loadCores() loaded; throws when it has not run (or failed). */
export function loadedCores(): { autoscaler: AutoscalerCore; rebalancer: RebalancerCore } {
  if (!loaded) throw new CoreMissingError("the gpufleet policy needs the cores: await loadCores() first");
  return loaded;
}
