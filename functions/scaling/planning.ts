/**
 * The inputs the predictive autoscaler plans with, derived one way for FleetControl (which
 * writes them into the autoscaler's fleet.json) and for the simulator (which runs the same
 * core): the pool facts an endpoint is planned on and the tick period of the schedule.
 */

/**
 * Seconds from a scale decision until a new node can run the pod (metric and KEDA lag, node
 * provisioning and boot, device plugin registration, image pull), when a pool names none.
 */
export const DEFAULT_LEAD_TIME_SECONDS = 360;

/** The autoscaler's schedule when none is given. */
export const DEFAULT_SCHEDULE = "rate(1 minute)";

/** Planning facts of one pool an endpoint may run on. */
export interface PlanningPool {
  slicesPerGpu: number;
  leadTimeSeconds: number;
}

/**
 * What an endpoint that may run on several pools is planned with: the most-sliced pool's
 * (smallest) share of a GPU and the slowest pool's lead time, the safe side of each.
 */
export function planningInputs(pools: readonly PlanningPool[]): PlanningPool {
  if (pools.length === 0) return { slicesPerGpu: 1, leadTimeSeconds: DEFAULT_LEAD_TIME_SECONDS };
  return {
    slicesPerGpu: Math.max(...pools.map((p) => p.slicesPerGpu)),
    leadTimeSeconds: Math.max(...pools.map((p) => p.leadTimeSeconds)),
  };
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/**
 * Seconds between two ticks of an EventBridge `rate(...)` expression (the autoscaler's
 * `tickSeconds`); undefined for `cron(...)` and `at(...)`, whose period is not one number.
 */
export function tickSecondsOf(schedule: string): number | undefined {
  const m = RATE.exec(schedule.trim());
  if (!m) return undefined;
  const unit = (m[2] as string).replace(/s$/, "");
  return Number(m[1]) * (UNIT_SECONDS[unit] as number);
}
