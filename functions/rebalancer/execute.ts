import { describeError } from "../kit/aws-error";
import type { GroupCapacity, GroupControl } from "./autoscaling";
import type { CapacityAction, PoolCapacity } from "./core";
import type { RuntimePool } from "./settings";

/** A pool's capacity summed over its Auto Scaling groups (an EKS managed node group has one). */
export function poolCapacity(pool: RuntimePool, groups: Map<string, GroupCapacity>): PoolCapacity | undefined {
  const found = pool.asgNames.map((name) => groups.get(name)).filter((g): g is GroupCapacity => g !== undefined);
  if (found.length === 0) return undefined;
  return {
    name: pool.name,
    desired: found.reduce((s, g) => s + g.desired, 0),
    inService: found.reduce((s, g) => s + g.inService, 0),
    instances: found.reduce((s, g) => s + g.instances, 0),
    maxNodes: found.reduce((s, g) => s + g.max, 0),
  };
}

/**
 * Spreads a pool-level desired capacity over its groups: increases go to the groups with
 * room, in order; decreases come off the last groups first, never below a group's min.
 * (Whether a decrease is safe at all is the core's call: it only lowers a pool once the
 * replacement serves.)
 */
export function groupTargets(
  pool: RuntimePool,
  groups: Map<string, GroupCapacity>,
  desired: number,
): Map<string, number> {
  const found = pool.asgNames.map((name) => groups.get(name)).filter((g): g is GroupCapacity => g !== undefined);
  const targets = new Map(found.map((g) => [g.name, g.desired]));
  let delta = desired - found.reduce((s, g) => s + g.desired, 0);
  const order = delta > 0 ? found : [...found].reverse();
  for (const g of order) {
    if (delta === 0) break;
    const current = targets.get(g.name) ?? g.desired;
    const step =
      delta > 0 ? Math.min(delta, Math.max(0, g.max - current)) : -Math.min(-delta, Math.max(0, current - g.min));
    targets.set(g.name, current + step);
    delta -= step;
  }
  for (const g of found) if (targets.get(g.name) === g.desired) targets.delete(g.name);
  return targets;
}

export interface ExecutionReport {
  applied: CapacityAction[];
  /** The first increase that failed; nothing after it ran. */
  failedIncrease?: { action: CapacityAction; error: string };
  failedDecreases: { action: CapacityAction; error: string }[];
}

/**
 * Runs the actions in the core's order (increases first). If an increase fails the run
 * stops, so no decrease happens without the capacity that was meant to replace it; a failed
 * decrease only leaves extra capacity, so the rest go on.
 */
export async function executeActions(
  actions: CapacityAction[],
  pools: RuntimePool[],
  groups: Map<string, GroupCapacity>,
  control: GroupControl,
): Promise<ExecutionReport> {
  const report: ExecutionReport = { applied: [], failedDecreases: [] };
  for (const action of actions) {
    const pool = pools.find((p) => p.name === action.pool);
    if (!pool) continue;
    const current = poolCapacity(pool, groups)?.desired ?? 0;
    try {
      const targets = groupTargets(pool, groups, action.desired);
      for (const [name, desired] of targets) await control.setDesired(name, desired);
      if (targets.size > 0) report.applied.push(action);
    } catch (error) {
      const failure = { action, error: describeError(error) };
      if (action.desired > current) {
        report.failedIncrease = failure;
        return report;
      }
      report.failedDecreases.push(failure);
    }
  }
  return report;
}
