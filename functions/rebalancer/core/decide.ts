import type { PoolDescriptor } from "../../contract";
import { healthOf } from "./health";
import { migrate, type Plan, setPlan } from "./migrate";
import { absorbSignals } from "./signals";
import { boundState, normaliseState, ownValue } from "./state";
import type {
  CapacityAction,
  PoolCapacity,
  PoolHealth,
  RebalancerInput,
  RebalancerOutput,
  RebalancerState,
} from "./types";

/** One claim on the fallback: GPUs a spot pool needs replaced, for a node at risk or a launch that failed. */
interface Claim {
  pool: string;
  kind: "at-risk" | "launch-failure";
  gpus: number;
  /** Spot nodes that never launched (launch failures only). */
  pendingNodes: number;
}

/**
 * Fallback nodes the state says it borrowed cannot exceed what the fallback runs above its
 * minimum: when Cluster Autoscaler removed them as unneeded, there is nothing to migrate back.
 */
function reconcileBorrowed(state: RebalancerState, spotPools: string[], room: number, reasons: string[]): void {
  let left = Math.max(0, room);
  for (const name of spotPools) {
    const pool = ownValue(state.pools, name);
    if (!pool) continue;
    const kept = Math.min(pool.borrowed, left);
    if (kept < pool.borrowed)
      reasons.push(`${name}: borrowed ${pool.borrowed} -> ${kept}, the fallback runs fewer nodes`);
    pool.borrowed = kept;
    left -= kept;
  }
}

function claimsFrom(
  gpusAtRisk: Map<string, number>,
  launchFailed: Set<string>,
  observed: Map<string, PoolCapacity>,
  pools: Map<string, PoolDescriptor>,
  reasons: string[],
): Claim[] {
  const claims: Claim[] = [];
  const names = [...new Set([...gpusAtRisk.keys(), ...launchFailed])].sort();
  for (const name of names) {
    const gpus = gpusAtRisk.get(name) ?? 0;
    if (gpus > 0) claims.push({ pool: name, kind: "at-risk", gpus, pendingNodes: 0 });
    if (!launchFailed.has(name)) continue;
    const capacity = observed.get(name);
    if (!capacity) {
      reasons.push(`${name}: launch failure, but its capacity is unknown this call`);
      continue;
    }
    // Only what never launched moves; an instance that is booting stays where it is.
    const launched = Math.max(capacity.inService, capacity.instances ?? capacity.inService);
    const pending = Math.max(0, capacity.desired - launched);
    if (pending === 0) {
      reasons.push(`${name}: launch failure, no pending share to move`);
      continue;
    }
    claims.push({
      pool: name,
      kind: "launch-failure",
      gpus: pending * (pools.get(name)?.gpusPerNode ?? 0),
      pendingNodes: pending,
    });
  }
  return claims;
}

function toActions(plan: Plan, observed: Map<string, PoolCapacity>): CapacityAction[] {
  const actions: CapacityAction[] = [];
  for (const [pool, desired] of plan.desired) {
    const current = observed.get(pool)?.desired;
    if (current === desired) continue;
    actions.push({ pool, desired, reason: (plan.why.get(pool) ?? []).join("; ") });
  }
  // Increases first: the executor stops before a decrease when an increase failed.
  const delta = (a: CapacityAction) => a.desired - (observed.get(a.pool)?.desired ?? 0);
  return actions.sort((a, b) => Math.sign(delta(b)) - Math.sign(delta(a)) || (a.pool < b.pool ? -1 : 1));
}

/**
 * The rebalancer's decision for one event batch or one tick. Pure: all time comes from
 * `nowMs`; the input state is not mutated. Actions only set a pool's desired capacity,
 * never above its max, and never lower a pool below what serves unless a replacement
 * already serves.
 */
export function decideRebalance(input: RebalancerInput): RebalancerOutput {
  const { nowMs, config } = input;
  const reasons: string[] = [];
  const state = normaliseState(input.state, config, nowMs);
  const pools = new Map(config.pools.map((p) => [p.name, p]));
  const fallback = pools.get(config.fallbackPool) as PoolDescriptor;
  const observed = new Map(input.capacity.map((c) => [c.name, c]));
  const limitOf = (name: string) => Math.min(pools.get(name)?.maxNodes ?? 0, observed.get(name)?.maxNodes ?? Infinity);
  const plan: Plan = { desired: new Map(), why: new Map() };

  const fallbackCapacity = observed.get(fallback.name);
  if (fallbackCapacity)
    reconcileBorrowed(state, config.spotPools, fallbackCapacity.desired - fallback.minNodes, reasons);

  const { gpusAtRisk, launchFailed } = absorbSignals(state, config, input.signals, nowMs, reasons);
  const claims = claimsFrom(gpusAtRisk, launchFailed, observed, pools, reasons);

  let fallbackDesired = fallbackCapacity?.desired ?? 0;
  let raised = false;
  if (claims.length > 0 && !fallbackCapacity) {
    reasons.push(`fallback ${fallback.name}: capacity unknown this call; ${claims.length} claim(s) cannot be served`);
  } else if (fallbackCapacity) {
    let room = Math.max(0, limitOf(fallback.name) - fallbackCapacity.desired);
    for (const claim of claims) {
      const wanted = Math.ceil(claim.gpus / fallback.gpusPerNode);
      const granted = Math.min(wanted, room);
      room -= granted;
      const pool = ownValue(state.pools, claim.pool);
      if (pool) pool.borrowed += granted;
      if (granted > 0) {
        fallbackDesired += granted;
        raised = true;
        setPlan(
          plan,
          fallback.name,
          fallbackDesired,
          `${claim.kind} in ${claim.pool}: +${granted} for ${claim.gpus} GPU(s)`,
        );
      }
      if (granted < wanted)
        reasons.push(`${claim.kind} in ${claim.pool}: fallback at its max, ${wanted - granted} node(s) short`);
      if (claim.kind === "launch-failure") {
        // Lower the spot pool only by what the fallback took over, so nothing is dropped.
        const spotPerNode = pools.get(claim.pool)?.gpusPerNode ?? 1;
        const moved = Math.min(claim.pendingNodes, Math.floor((granted * fallback.gpusPerNode) / spotPerNode));
        const current = observed.get(claim.pool)?.desired ?? 0;
        if (moved > 0)
          setPlan(
            plan,
            claim.pool,
            current - moved,
            `launch failure: ${moved} pending node(s) moved to ${fallback.name}`,
          );
        if (state.step?.pool === claim.pool) {
          state.step = null;
          reasons.push(`migration to ${claim.pool}: launch failure, step abandoned`);
        }
      }
    }
    migrate({
      state,
      config,
      nowMs,
      observed,
      fallback,
      fallbackDesired,
      raisedThisCall: raised || launchFailed.size > 0,
      limitOf,
      plan,
      reasons,
    });
  }

  const health: Record<string, PoolHealth> = {};
  for (const name of config.spotPools) {
    const pool = ownValue(state.pools, name);
    if (pool) health[name] = healthOf(pool, nowMs, config.tunables);
  }
  const actions = toActions(plan, observed);
  for (const action of actions) reasons.push(`${action.pool} -> ${action.desired}: ${action.reason}`);
  return { actions, state: boundState(state, config, nowMs), health, reasons };
}
