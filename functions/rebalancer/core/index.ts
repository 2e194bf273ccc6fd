/** The spot rebalancer's pure core: configuration, health model and decisions. No AWS import. */
export { DEFAULT_REBALANCER_TUNABLES, rebalancerConfig } from "./config";
export { decideRebalance } from "./decide";
export { healthOf, isStable, scoreAt } from "./health";
export { initialRebalancerState } from "./state";
export type * from "./types";
