import { rebalancerConfig } from "../../functions/rebalancer/core/config";
import type { RebalancerResourcesArgs } from "./args";
import { FLEET_CONTROL_DEFAULTS, LOG_RETENTION_DAYS, REBALANCER_DEFAULTS } from "./defaults";

/** An invalid rebalancer argument; the message quotes the field, the value and the rule. */
export class RebalancerArgsError extends Error {
  override name = "RebalancerArgsError";
}

/** The rebalancer's settings once defaults are applied and checked. */
export interface ResolvedRebalancer {
  logRetentionDays: number;
  maxReceiveCount: number;
  timeoutSeconds: number;
  batchSize: number;
}

function checkInt(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RebalancerArgsError(`${field} (${value}) must be an integer between ${min} and ${max}`);
  }
}

/** Pure validation, run before any resource exists. Returns the arguments with defaults applied. */
export function validateRebalancerArgs(args: RebalancerResourcesArgs): ResolvedRebalancer {
  rebalancerConfig(args.pools, args.tunables);
  const resolved = {
    logRetentionDays: args.logRetentionDays ?? FLEET_CONTROL_DEFAULTS.logRetentionDays,
    maxReceiveCount: args.maxReceiveCount ?? REBALANCER_DEFAULTS.maxReceiveCount,
    timeoutSeconds: args.timeoutSeconds ?? REBALANCER_DEFAULTS.timeoutSeconds,
    batchSize: args.batchSize ?? REBALANCER_DEFAULTS.batchSize,
  };
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(resolved.logRetentionDays)) {
    throw new RebalancerArgsError(
      `logRetentionDays (${resolved.logRetentionDays}) must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  checkInt("maxReceiveCount", resolved.maxReceiveCount, 1, 1000);
  checkInt("timeoutSeconds", resolved.timeoutSeconds, 10, 900);
  checkInt("batchSize", resolved.batchSize, 1, 10_000);
  return resolved;
}
