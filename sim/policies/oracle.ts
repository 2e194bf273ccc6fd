import { decideRebalance, initialRebalancerState, rebalancerConfig } from "../../functions/rebalancer/core/index";
import { clampReplicas, type PolicyFactory, replicasFor, slicesOf } from "./types";

/**
 * The lower bound: knows every future arrival and its size. At each minute it asks for
 * the replicas the heaviest minute of the coming lead time needs (capacity started now is
 * ready when that minute comes, and keeping a replica through a dip shorter than the lead
 * time costs no more than starting it again), never scales on lagging metrics, removes an
 * empty node after a minute, fills spot nodes first and scales in on-demand first. Pool
 * placement is gpufleet's: the same spot market (no foresight of interruptions or
 * shortages) and the same rebalancer core moving capacity to the on-demand fallback and
 * back to spot, so it differs from gpufleet only by knowing demand. Its knob scales the
 * capacity; the search finds the least that meets the SLO.
 */
/**
 * Per minute, the least capacity (work seconds per second) that serves the minute's
 * arrivals with no wait above the SLO in a fluid model: work arriving within any L seconds
 * can take L + SLO seconds, so the need is the largest work(t, t + L) / (L + SLO) over
 * windows starting in the minute, for window lengths from the SLO to three minutes.
 */
export function peakLoadPerMinute(
  arrivals: Float64Array,
  work: Float64Array,
  minutes: number,
  slo: number,
): Float64Array {
  const out = new Float64Array(minutes);
  for (const length of [slo, 3 * slo, 60, 180]) {
    let j = 0;
    let inWindow = 0;
    for (let i = 0; i < arrivals.length; i++) {
      const start = arrivals[i] as number;
      while (j < arrivals.length && (arrivals[j] as number) < start + length) inWindow += work[j++] as number;
      const m = Math.floor(start / 60);
      if (m < minutes) out[m] = Math.max(out[m] as number, inWindow / (length + slo));
      inWindow -= work[i] as number;
    }
  }
  return out;
}

/**
 * How long an empty node stays: just over the rebalancer's minute tick, so a spot node it
 * launched to take over a fallback node is seen serving before the scale-in removes it.
 */
const KEEP_EMPTY_SECONDS = 70;

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
  const config = rebalancerConfig(env.workload.scenario.pools.map(({ spot: _spot, ...pool }) => pool));
  let state = initialRebalancerState();
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
    ca: { unneededSeconds: KEEP_EMPTY_SECONDS, knowsShortages: false, costAwareScaleIn: true },
    initialReplicas: floorAt(0),
    floors: (view) => floorAt(view.minute),
    rebalance(view, signals) {
      const out = decideRebalance({ nowMs: view.nowMs, config, state, capacity: view.pools, signals });
      state = out.state;
      return out.actions;
    },
  };
};
