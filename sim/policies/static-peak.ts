import { clampReplicas, type PolicyFactory, planningOf, replicasFor, tunedCa } from "./types";

/** Fixed replicas for the trace's busiest minute (times the knob), held all run: hindsight of the peak, no autoscaler. */
export const staticPeak: PolicyFactory = (env) => {
  const fixed = env.workload.endpoints.map((e, i) => {
    let peak = 0;
    for (const w of e.workPerMinute) peak = Math.max(peak, w / 60);
    const n = Math.ceil(
      env.knobs.primary * replicasFor(peak, e.profile.concurrencyPerReplica, planningOf(env, i).slicesPerGpu) - 1e-9,
    );
    return clampReplicas(n, Math.max(1, e.profile.minReplicas), e.profile.maxReplicas);
  });
  return {
    name: "static-peak",
    reactive: false,
    ca: tunedCa(env),
    initialReplicas: fixed,
    sqsTargetDivisor: 1,
    floors: () => fixed,
  };
};
