import { clampReplicas, DEFAULT_CA, type PolicyFactory, replicasFor, slicesOf } from "./types";

/** Fixed replicas for the trace's busiest minute (times the knob), held all run. */
export const staticPeak: PolicyFactory = (env) => {
  const fixed = env.workload.endpoints.map((e, i) => {
    let peak = 0;
    for (const w of e.workPerMinute) peak = Math.max(peak, w / 60);
    const n = Math.ceil(env.knob * replicasFor(peak, e.profile.concurrencyPerReplica, slicesOf(env, i)) - 1e-9);
    return clampReplicas(n, Math.max(1, e.profile.minReplicas), e.profile.maxReplicas);
  });
  return {
    name: "static-peak",
    reactive: false,
    ca: DEFAULT_CA(env.lifecycle),
    initialReplicas: fixed,
    floors: () => fixed,
  };
};
