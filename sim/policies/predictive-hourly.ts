import {
  clampReplicas,
  type PolicyFactory,
  planningOf,
  QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS,
  replicasFor,
  tunedCa,
  warmReplicas,
} from "./types";

const LAUNCH_EARLY_MINUTES = 5;
const HISTORY_DAYS = 14;

/**
 * Like EC2 Auto Scaling predictive scaling: an hourly forecast of the load from the same
 * hour of previous days (mean of up to 14 days; it needs at least one), applied as a
 * floor 5 minutes before the hour starts (a scheduled trigger the HPA reads directly), with
 * the reactive KEDA/HPA path on top. Its knob multiplies the forecast.
 */
export const predictiveHourly: PolicyFactory = (env) => {
  const eps = env.workload.endpoints;
  const floorsNow = eps.map(() => 0);
  return {
    name: "predictive-hourly",
    reactive: true,
    ca: tunedCa(env),
    initialReplicas: warmReplicas(env),
    sqsTargetDivisor: 1,
    scaleDownWindowSeconds: QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS,
    floors(view) {
      const nextHourStart = Math.floor((view.minute + LAUNCH_EARLY_MINUTES) / 60) * 60;
      if ((view.minute + LAUNCH_EARLY_MINUTES) % 60 !== 0) return floorsNow;
      eps.forEach((e, i) => {
        let sum = 0;
        let days = 0;
        for (let d = 1; d <= HISTORY_DAYS; d++) {
          const start = nextHourStart - d * 1440;
          if (start < 0) break;
          let work = 0;
          for (let m = start; m < start + 60; m++) work += e.workPerMinute[m] ?? 0;
          sum += work / 3600;
          days++;
        }
        const forecast = days > 0 ? sum / days : 0;
        const n = Math.ceil(
          env.knobs.primary * replicasFor(forecast, e.profile.concurrencyPerReplica, planningOf(env, i).slicesPerGpu) -
            1e-9,
        );
        floorsNow[i] = days > 0 ? clampReplicas(n, 0, e.profile.maxReplicas) : 0;
      });
      return floorsNow;
    },
  };
};
