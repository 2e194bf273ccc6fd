import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../../functions/aws-names";
import { type Problem, throwIfProblems } from "../../functions/problems";
import { rebalancerConfig } from "../../functions/rebalancer/core/config";
import type { RebalancerResourcesArgs } from "./args";
import { FLEET_CONTROL_DEFAULTS, REBALANCER_DEFAULTS } from "./defaults";

/** The rebalancer's settings once defaults are applied and checked. */
export interface ResolvedRebalancer {
  logRetentionDays: number;
  maxReceiveCount: number;
  timeoutSeconds: number;
  batchSize: number;
}

function checkInt(problems: Problem[], field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ field, value, rule: `must be a whole number between ${min} and ${max}` });
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
  const problems: Problem[] = [];
  if (!isLogRetentionDays(resolved.logRetentionDays)) {
    problems.push({
      field: "logRetentionDays",
      value: resolved.logRetentionDays,
      rule: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    });
  }
  checkInt(problems, "maxReceiveCount", resolved.maxReceiveCount, 1, 1000);
  checkInt(problems, "timeoutSeconds", resolved.timeoutSeconds, 10, 900);
  checkInt(problems, "batchSize", resolved.batchSize, 1, 10_000);
  throwIfProblems("rebalancer arguments", problems);
  return resolved;
}
