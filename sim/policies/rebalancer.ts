import { decideRebalance, initialRebalancerState, rebalancerConfig } from "../../functions/rebalancer/core/index";
import type { RebalancerConfig, RebalancerTunables } from "../../functions/rebalancer/core/types";
import type { ScenarioPool } from "../scenario";
import type { Policy } from "./types";

/** The rebalancer's configuration of a scenario's pools: the simulated spot market is not the rebalancer's to know. */
export function scenarioRebalancerConfig(
  pools: readonly ScenarioPool[],
  tunables?: Partial<RebalancerTunables>,
): RebalancerConfig {
  return rebalancerConfig(
    pools.map(({ spot: _spot, ...descriptor }) => descriptor),
    tunables,
  );
}

/** The rebalancer core as FleetControl runs it on one run's spot signals, its state kept between calls. */
export function rebalancerLoop(
  pools: readonly ScenarioPool[],
  tunables?: Partial<RebalancerTunables>,
): NonNullable<Policy["rebalance"]> {
  const config = scenarioRebalancerConfig(pools, tunables);
  let state = initialRebalancerState();
  return (view, signals) => {
    const out = decideRebalance({ nowMs: view.nowMs, config, state, capacity: view.pools, signals });
    state = out.state;
    return out.actions;
  };
}
