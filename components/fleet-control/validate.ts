import { DEFAULT_AUTOSCALER_SETTINGS, MAX_LEAD_TIME_SECONDS, settingsProblems } from "../../functions/autoscaler/core";
import {
  DNS_LABEL,
  DNS_LABEL_MAX,
  isLogRetentionDays,
  LOG_RETENTION_DAYS,
  tagProblems,
} from "../../functions/aws-names";
import { isConfigError, type Problem, throwIfProblems } from "../../functions/problems";
import { profileProblems } from "../../functions/profile";
import { planningInputs, tickSecondsOf } from "../../functions/scaling/planning";
import type { FleetControlArgs, RebalancerOptions } from "./args";
import { FLEET_CONTROL_DEFAULTS } from "./defaults";
import { validateRebalancerArgs } from "./rebalancer-validate";

/** The values FleetControl works with once defaults are applied and everything is checked. */
export interface ResolvedFleetControl {
  /** Per endpoint, in order: the pool lead time and slices per GPU it plans with. */
  endpoints: { leadTimeSeconds: number; slicesPerGpu: number }[];
  schedule: string;
  /** Seconds between autoscaler ticks: the schedule's period (or autoscalerSettings.tickSeconds for cron and at schedules). */
  tickSeconds: number;
  historyDays: number;
  logRetentionDays: number;
  memorySizeMb: number;
  timeoutSeconds: number;
  dashboard: boolean;
  /** The rebalancer's options, or undefined when it is left out. */
  rebalancer: RebalancerOptions | undefined;
}

function integerIn(problems: Problem[], field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ field, value, rule: `must be a whole number between ${min} and ${max}` });
  }
}

function endpointProblems(args: FleetControlArgs, leadFor: (pool: string) => number, problems: Problem[]) {
  const pools = new Map(args.pools.map((p) => [p.name, p]));
  const seen = new Map<string, number>();
  return args.endpoints.map((e, i) => {
    const at = `endpoints[${i}]`;
    if (
      typeof e.endpointName !== "string" ||
      e.endpointName.length > DNS_LABEL_MAX ||
      !DNS_LABEL.test(e.endpointName)
    ) {
      problems.push({
        field: `${at}.endpointName`,
        value: e.endpointName,
        rule: `must be 1-${DNS_LABEL_MAX} lowercase letters, digits or '-', starting and ending alphanumeric`,
      });
    }
    const first = seen.get(e.endpointName);
    if (first !== undefined) {
      problems.push({
        field: `${at}.endpointName`,
        value: e.endpointName,
        rule: `is already used by endpoints[${first}]`,
      });
    } else seen.set(e.endpointName, i);
    if (e.poolNames.length === 0)
      problems.push({ field: `${at}.poolNames`, value: [], rule: "must name at least one pool" });
    e.poolNames.forEach((pool, j) => {
      if (!pools.has(pool)) {
        problems.push({
          field: `${at}.poolNames[${j}]`,
          value: pool,
          rule: `is not one of the pools (${[...pools.keys()].join(", ")})`,
        });
      }
    });
    problems.push(...profileProblems(e.profile, `${at}.profile`));
    const known = e.poolNames.filter((pool) => pools.has(pool));
    return planningInputs(
      known.map((pool) => ({ slicesPerGpu: pools.get(pool)?.slicesPerGpu ?? 1, leadTimeSeconds: leadFor(pool) })),
    );
  });
}

/**
 * Checks FleetControl's arguments and applies the defaults. Pure and synchronous: the
 * constructor calls it before creating any child. Only plain values are checked; outputs
 * (queue names and ARNs) are checked by AWS.
 */
export function validateFleetControlArgs(args: FleetControlArgs): ResolvedFleetControl {
  const problems: Problem[] = [];
  const pools = new Set(args.pools.map((p) => p.name));
  if (args.pools.length === 0) problems.push({ field: "pools", value: [], rule: "must name at least one GPU pool" });
  args.pools.forEach((p, i) => {
    const first = args.pools.findIndex((q) => q.name === p.name);
    if (first !== i)
      problems.push({ field: `pools[${i}].name`, value: p.name, rule: `is already used by pools[${first}]` });
    integerIn(problems, `pools[${i}].slicesPerGpu`, p.slicesPerGpu, 1, 48);
  });

  const lead = args.leadTimeSeconds ?? FLEET_CONTROL_DEFAULTS.leadTimeSeconds;
  integerIn(problems, "leadTimeSeconds", lead, 0, MAX_LEAD_TIME_SECONDS);
  const byPool = args.leadTimeSecondsByPool ?? {};
  for (const [pool, seconds] of Object.entries(byPool)) {
    if (!pools.has(pool)) {
      problems.push({
        field: `leadTimeSecondsByPool.${pool}`,
        rule: `names no pool (pools: ${[...pools].join(", ")})`,
      });
    }
    integerIn(problems, `leadTimeSecondsByPool.${pool}`, seconds, 0, MAX_LEAD_TIME_SECONDS);
  }
  const leadFor = (pool: string): number => byPool[pool] ?? lead;
  const endpoints = endpointProblems(args, leadFor, problems);
  problems.push(...settingsProblems(args.autoscalerSettings ?? {}, "autoscalerSettings"));

  const schedule = args.schedule ?? FLEET_CONTROL_DEFAULTS.schedule;
  if (!/^(rate\(.+\)|cron\(.+\)|at\(.+\))$/.test(schedule)) {
    problems.push({
      field: "schedule",
      value: schedule,
      rule: "must be an EventBridge Scheduler expression: rate(...), cron(...) or at(...)",
    });
  }
  // The schedule and the autoscaler's tickSeconds are one fact: the period is read from the schedule.
  const fromSchedule = tickSecondsOf(schedule);
  const tickSeconds = args.autoscalerSettings?.tickSeconds;
  if (fromSchedule !== undefined && tickSeconds !== undefined && tickSeconds !== fromSchedule) {
    problems.push({
      field: "autoscalerSettings.tickSeconds",
      value: tickSeconds,
      rule: `must match the schedule (${schedule} ticks every ${fromSchedule} s); leave it out`,
    });
  }
  const historyDays = args.historyDays ?? FLEET_CONTROL_DEFAULTS.historyDays;
  integerIn(problems, "historyDays", historyDays, 0, 14);
  const logRetentionDays = args.logRetentionDays ?? FLEET_CONTROL_DEFAULTS.logRetentionDays;
  if (!isLogRetentionDays(logRetentionDays)) {
    problems.push({
      field: "logRetentionDays",
      value: logRetentionDays,
      rule: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    });
  }
  const memorySizeMb = args.memorySizeMb ?? FLEET_CONTROL_DEFAULTS.memorySizeMb;
  integerIn(problems, "memorySizeMb", memorySizeMb, 128, 10_240);
  const timeoutSeconds = args.timeoutSeconds ?? FLEET_CONTROL_DEFAULTS.timeoutSeconds;
  integerIn(problems, "timeoutSeconds", timeoutSeconds, 1, 900);
  problems.push(...tagProblems(args.tags));
  const rebalancer = problems.length === 0 ? resolveRebalancer(args, logRetentionDays, problems) : undefined;
  throwIfProblems("FleetControl arguments", problems);
  return {
    endpoints,
    tickSeconds: fromSchedule ?? tickSeconds ?? DEFAULT_AUTOSCALER_SETTINGS.tickSeconds,
    rebalancer,
    schedule,
    historyDays,
    logRetentionDays,
    memorySizeMb,
    timeoutSeconds,
    dashboard: args.dashboard ?? FLEET_CONTROL_DEFAULTS.dashboard,
  };
}

/** The rebalancer's options with FleetControl's log retention as its default; its problems under `rebalancer.`. */
function resolveRebalancer(
  args: FleetControlArgs,
  logRetentionDays: number,
  problems: Problem[],
): RebalancerOptions | undefined {
  const { enabled, ...wanted } = args.rebalancer ?? {};
  if (!(enabled ?? args.pools.some((p) => p.capacityType === "spot"))) return undefined;
  const options: RebalancerOptions = { logRetentionDays, ...wanted };
  try {
    validateRebalancerArgs({ ...options, clusterName: args.clusterName, pools: args.pools });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    problems.push(...error.problems.map((p) => ({ ...p, field: `rebalancer.${p.field}` })));
  }
  return options;
}
