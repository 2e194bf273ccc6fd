import { clampReplicas, type PolicyFactory, replicasFor, slicesOf } from "./types";

/**
 * The lower bound: knows every future arrival and its size. At each minute it asks for
 * the replicas the busiest minute of the coming lead time needs (capacity started now is
 * ready when that minute comes, and keeping a replica through a dip shorter than the lead
 * time costs no more than starting it again), never scales on lagging metrics and removes a
 * node the moment it is empty. It does not foresee the spot market: it meets
 * interruptions and launch failures through the same node groups and Cluster Autoscaler. Its knob scales
 * the capacity; the search finds the least that meets the SLO.
 */
/**
 * Per minute, the heaviest load the minute's arrivals bring within any window of `window`
 * seconds (work seconds per second): a burst shorter than a minute needs capacity for its
 * own rate, not the minute's average, to be served within the SLO.
 */
export function peakLoadPerMinute(
  arrivals: Float64Array,
  work: Float64Array,
  minutes: number,
  window: number,
): Float64Array {
  const out = new Float64Array(minutes);
  let j = 0;
  let inWindow = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const start = arrivals[i] as number;
    while (j < arrivals.length && (arrivals[j] as number) < start + window) inWindow += work[j++] as number;
    const m = Math.floor(start / 60);
    if (m < minutes) out[m] = Math.max(out[m] as number, inWindow / window);
    inWindow -= work[i] as number;
  }
  return out;
}

export const oracle: PolicyFactory = (env) => {
  const l = env.lifecycle;
  const leadMinutes = Math.ceil(
    (l.caScanSeconds + l.nodeBootSeconds + l.devicePluginSeconds + l.imagePullSeconds) / 60,
  );
  const need = env.workload.endpoints.map((e, i) => {
    const load = peakLoadPerMinute(
      e.arrivals,
      e.work,
      e.workPerMinute.length,
      e.profile.sloSeconds + e.profile.secondsPerRequest,
    );
    const out = new Float64Array(load.length);
    for (let m = 0; m < out.length; m++) {
      const r = replicasFor(load[m] as number, e.profile.concurrencyPerReplica, slicesOf(env, i));
      out[m] = clampReplicas(Math.ceil(env.knob * r - 1e-9), Math.max(1, e.profile.minReplicas), e.profile.maxReplicas);
    }
    return out;
  });
  const floorAt = (minute: number) =>
    need.map((series) => {
      let peak = 0;
      for (let m = minute; m <= minute + leadMinutes + 1 && m < series.length; m++)
        peak = Math.max(peak, series[m] as number);
      return peak;
    });
  return {
    name: "oracle",
    reactive: false,
    ca: { unneededSeconds: 0, knowsShortages: false },
    initialReplicas: floorAt(0),
    floors: (view) => floorAt(view.minute),
  };
};
