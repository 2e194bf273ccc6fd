import type { PoolDescriptor } from "../../contract";
import { addSignal, healthOf, isStable } from "./health";
import { ownValue } from "./state";
import type { PoolCapacity, RebalancerConfig, RebalancerState } from "./types";

/** The desired capacities this call will set, keyed by pool, with why. */
export interface Plan {
  desired: Map<string, number>;
  why: Map<string, string[]>;
}

export function setPlan(plan: Plan, pool: string, desired: number, why: string): void {
  plan.desired.set(pool, desired);
  plan.why.set(pool, [...(plan.why.get(pool) ?? []), why]);
}

export interface MigrationContext {
  state: RebalancerState;
  config: RebalancerConfig;
  nowMs: number;
  observed: Map<string, PoolCapacity>;
  fallback: PoolDescriptor;
  /** The fallback's desired capacity as planned so far this call. */
  fallbackDesired: number;
  /** True when this call raised the fallback or moved a launch failure: no decrease rides along. */
  raisedThisCall: boolean;
  limitOf: (pool: string) => number;
  plan: Plan;
  reasons: string[];
}

/** Advances a step in flight: finish it once the new spot node serves, or give it up. */
function advanceStep(ctx: MigrationContext): void {
  const { state, config, nowMs, observed, plan, reasons } = ctx;
  const t = config.tunables;
  const step = state.step;
  if (!step) return;
  const pool = ownValue(state.pools, step.pool);
  const capacity = observed.get(step.pool);
  if (!pool || !capacity) {
    reasons.push(`migration to ${step.pool}: capacity unknown this call, waiting`);
    return;
  }
  // Any signal since the step began (even a late one) voids the stable period it relied on.
  if (!isStable(pool, nowMs, t)) {
    state.step = null;
    reasons.push(
      `migration to ${step.pool}: pool is no longer stable (${healthOf(pool, nowMs, t)}), step abandoned; fallback kept`,
    );
    return;
  }
  if (capacity.inService >= step.baseInService + 1) {
    if (ctx.raisedThisCall) {
      reasons.push(
        `migration to ${step.pool}: new node serves, but the fallback was raised this call; decrease deferred`,
      );
      return;
    }
    state.step = null;
    pool.borrowed = Math.max(0, pool.borrowed - 1);
    if (ctx.fallbackDesired - 1 < ctx.fallback.minNodes) {
      reasons.push(`migration to ${step.pool}: new node serves; fallback already at its minimum`);
      return;
    }
    setPlan(
      plan,
      ctx.fallback.name,
      ctx.fallbackDesired - 1,
      `migrate back: ${step.pool} has ${capacity.inService} in service (was ${step.baseInService}); fallback down by one`,
    );
    return;
  }
  if (nowMs - step.startedAtMs >= t.stepTimeoutSeconds * 1000) {
    state.step = null;
    // The pool could not deliver a node: treat it as a launch failure so it must prove itself stable again.
    state.pools[step.pool] = addSignal(pool, t.launchFailureWeight, nowMs, t);
    reasons.push(`migration to ${step.pool}: no new node in service after ${t.stepTimeoutSeconds} s, step abandoned`);
    return;
  }
  reasons.push(
    `migration to ${step.pool}: waiting for a node in service (${capacity.inService}/${step.baseInService + 1})`,
  );
}

/** Starts one make-before-break step for the first stable spot pool with borrowed fallback nodes. */
function startStep(ctx: MigrationContext): void {
  const { state, config, nowMs, observed, plan, reasons } = ctx;
  if (ctx.raisedThisCall || ctx.fallbackDesired <= ctx.fallback.minNodes) return;
  for (const name of config.spotPools) {
    const pool = ownValue(state.pools, name);
    if (!pool || pool.borrowed <= 0) continue;
    if (!isStable(pool, nowMs, config.tunables)) {
      reasons.push(
        `${name}: ${pool.borrowed} fallback node(s) borrowed; not yet stable for ${config.tunables.stableSeconds} s`,
      );
      continue;
    }
    const capacity = observed.get(name);
    if (!capacity) {
      reasons.push(`${name}: capacity unknown this call; migration waits`);
      continue;
    }
    if (capacity.desired + 1 > ctx.limitOf(name)) {
      reasons.push(`${name}: at its max (${ctx.limitOf(name)}); cannot migrate back make-before-break`);
      continue;
    }
    state.step = {
      pool: name,
      baseInService: capacity.inService,
      spotDesired: capacity.desired + 1,
      startedAtMs: nowMs,
    };
    setPlan(plan, name, capacity.desired + 1, `migrate back: ${name} stable; up by one before the fallback goes down`);
    return;
  }
}

/** One migration step at a time, never a decrease before its replacement serves. */
export function migrate(ctx: MigrationContext): void {
  if (ctx.state.step) advanceStep(ctx);
  else startStep(ctx);
}
