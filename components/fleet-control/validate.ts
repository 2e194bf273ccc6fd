import {
  AutoscalerConfigError,
  DEFAULT_AUTOSCALER_SETTINGS,
  resolveSettings,
} from "../../functions/autoscaler/core/settings";
import { RebalancerConfigError } from "../../functions/rebalancer/core/config";
import { planningInputs, tickSecondsOf } from "../../functions/scaling/planning";
import type { FleetControlArgs, RebalancerOptions } from "./args";
import { FLEET_CONTROL_DEFAULTS, LOG_RETENTION_DAYS } from "./defaults";
import { RebalancerArgsError, validateRebalancerArgs } from "./rebalancer-validate";

/** An invalid FleetControl argument; the message quotes the field, the value and the rule. */
export class FleetControlError extends Error {
  override name = "FleetControlError";
}

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

const ENDPOINT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function fail(message: string): never {
  throw new FleetControlError(message);
}

function integerIn(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${field} (${value}) must be an integer between ${min} and ${max}`);
  }
}

/**
 * Checks FleetControl's arguments and applies the defaults. Pure and synchronous: the
 * constructor calls it before creating any child. Only plain values are checked; outputs
 * (queue names and ARNs) are checked by AWS.
 */
export function validateFleetControlArgs(args: FleetControlArgs): ResolvedFleetControl {
  const pools = new Map(args.pools.map((p) => [p.name, p]));
  if (args.pools.length === 0) fail("pools must name at least one GPU pool");
  args.pools.forEach((p, i) => {
    if (args.pools.findIndex((q) => q.name === p.name) !== i) fail(`pools[${i}].name (${p.name}) is a duplicate`);
    integerIn(`pools[${i}].slicesPerGpu`, p.slicesPerGpu, 1, 48);
  });

  const lead = args.leadTimeSeconds ?? FLEET_CONTROL_DEFAULTS.leadTimeSeconds;
  integerIn("leadTimeSeconds", lead, 0, 3600);
  const byPool = args.leadTimeSecondsByPool ?? {};
  for (const [pool, seconds] of Object.entries(byPool)) {
    if (!pools.has(pool)) fail(`leadTimeSecondsByPool.${pool} names no pool (pools: ${[...pools.keys()].join(", ")})`);
    integerIn(`leadTimeSecondsByPool.${pool}`, seconds, 0, 3600);
  }
  const leadFor = (pool: string): number => byPool[pool] ?? lead;

  const seen = new Set<string>();
  const endpoints = args.endpoints.map((e, i) => {
    const at = `endpoints[${i}]`;
    if (!ENDPOINT_NAME.test(e.endpointName)) {
      fail(
        `${at}.endpointName (${e.endpointName}) must be 1-63 lowercase letters, digits or '-', starting and ending alphanumeric`,
      );
    }
    if (seen.has(e.endpointName)) fail(`${at}.endpointName (${e.endpointName}) is a duplicate`);
    seen.add(e.endpointName);
    if (e.poolNames.length === 0) fail(`${at}.poolNames must name at least one pool`);
    e.poolNames.forEach((pool, j) => {
      if (!pools.has(pool))
        fail(`${at}.poolNames[${j}] (${pool}) is not one of the pools (${[...pools.keys()].join(", ")})`);
    });
    const p = e.profile;
    if (!(p.secondsPerRequest > 0))
      fail(`${at}.profile.secondsPerRequest (${p.secondsPerRequest}) must be greater than 0`);
    integerIn(`${at}.profile.concurrencyPerReplica`, p.concurrencyPerReplica, 1, 1024);
    if (!(p.sloSeconds > 0)) fail(`${at}.profile.sloSeconds (${p.sloSeconds}) must be greater than 0`);
    if (!(p.modelLoadSeconds >= 0)) fail(`${at}.profile.modelLoadSeconds (${p.modelLoadSeconds}) must be at least 0`);
    integerIn(`${at}.profile.minReplicas`, p.minReplicas, 0, 10_000);
    integerIn(`${at}.profile.maxReplicas`, p.maxReplicas, p.minReplicas, 10_000);
    return planningInputs(
      e.poolNames.map((pool) => ({ slicesPerGpu: pools.get(pool)?.slicesPerGpu ?? 1, leadTimeSeconds: leadFor(pool) })),
    );
  });

  try {
    resolveSettings(args.autoscalerSettings ?? {});
  } catch (error) {
    if (error instanceof AutoscalerConfigError) fail(`autoscalerSettings: ${error.message.replace(/^settings\./, "")}`);
    throw error;
  }

  const schedule = args.schedule ?? FLEET_CONTROL_DEFAULTS.schedule;
  if (!/^(rate\(.+\)|cron\(.+\)|at\(.+\))$/.test(schedule)) {
    fail(`schedule (${schedule}) must be an EventBridge Scheduler expression: rate(...), cron(...) or at(...)`);
  }
  // The schedule and the autoscaler's tickSeconds are one fact: the period is read from the schedule.
  const fromSchedule = tickSecondsOf(schedule);
  const tickSeconds = args.autoscalerSettings?.tickSeconds;
  if (fromSchedule !== undefined && tickSeconds !== undefined && tickSeconds !== fromSchedule) {
    fail(
      `autoscalerSettings.tickSeconds (${tickSeconds}) must match the schedule (${schedule} ticks every ${fromSchedule} s); leave it out`,
    );
  }
  const historyDays = args.historyDays ?? FLEET_CONTROL_DEFAULTS.historyDays;
  integerIn("historyDays", historyDays, 0, 14);
  const logRetentionDays = args.logRetentionDays ?? FLEET_CONTROL_DEFAULTS.logRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    fail(`logRetentionDays (${logRetentionDays}) must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const memorySizeMb = args.memorySizeMb ?? FLEET_CONTROL_DEFAULTS.memorySizeMb;
  integerIn("memorySizeMb", memorySizeMb, 128, 10_240);
  const timeoutSeconds = args.timeoutSeconds ?? FLEET_CONTROL_DEFAULTS.timeoutSeconds;
  integerIn("timeoutSeconds", timeoutSeconds, 1, 900);
  return {
    endpoints,
    tickSeconds: fromSchedule ?? tickSeconds ?? DEFAULT_AUTOSCALER_SETTINGS.tickSeconds,
    rebalancer: resolveRebalancer(args, logRetentionDays),
    schedule,
    historyDays,
    logRetentionDays,
    memorySizeMb,
    timeoutSeconds,
    dashboard: args.dashboard ?? FLEET_CONTROL_DEFAULTS.dashboard,
  };
}

/** The rebalancer's options with FleetControl's log retention as its default; its errors in FleetControl's words. */
function resolveRebalancer(args: FleetControlArgs, logRetentionDays: number): RebalancerOptions | undefined {
  const { enabled, ...wanted } = args.rebalancer ?? {};
  if (!(enabled ?? args.pools.some((p) => p.capacityType === "spot"))) return undefined;
  const options: RebalancerOptions = { logRetentionDays, ...wanted };
  try {
    validateRebalancerArgs({ ...options, clusterName: args.clusterName, pools: args.pools });
  } catch (error) {
    if (error instanceof RebalancerArgsError || error instanceof RebalancerConfigError) {
      fail(`rebalancer: ${error.message}`);
    }
    throw error;
  }
  return options;
}
