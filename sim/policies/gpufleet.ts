import type { PublishedReplicas } from "../../functions/autoscaler/core/types";
import { loadCores } from "./cores";
import { DEFAULT_CA, leadTimeSeconds, type PolicyFactory, slicesOf, warmReplicas } from "./types";

/** Minutes of arrival history the autoscaler reads back each tick (its forecast looks at previous days). */
const HISTORY_MINUTES = 8 * 1440;
/** Published values kept for the core, like the metric it reads back. */
const PUBLISHED_KEPT = 60;

/**
 * What production runs: KEDA SQS trigger + HPA + Cluster Autoscaler as in `reactive`, plus
 * the autoscaler core's predicted replicas as a floor (the CloudWatch trigger; the HPA takes
 * the max) and the rebalancer core setting node groups' desired capacity on spot signals.
 * The knob is the core's `headroom` and also scales the SQS trigger's target.
 */
export const gpufleet: PolicyFactory = (env) => {
  const { autoscaler, rebalancer } = loadCores();
  const w = env.workload;
  const lead = leadTimeSeconds(env.lifecycle);
  const published: PublishedReplicas[][] = w.endpoints.map(() => []);
  const pools = w.scenario.pools.map(({ spot: _spot, ...descriptor }) => descriptor);
  const config = rebalancer.rebalancerConfig(pools);
  let state = rebalancer.initialRebalancerState();
  return {
    name: "gpufleet",
    reactive: true,
    ca: DEFAULT_CA(env.lifecycle),
    initialReplicas: warmReplicas(env),
    floors(view) {
      const from = Math.max(0, view.minute - HISTORY_MINUTES);
      const decisions = autoscaler.decideReplicas(
        {
          nowMs: view.nowMs,
          endpoints: w.endpoints.map((e, i) => {
            const q = view.endpoints[i];
            return {
              name: e.name,
              profile: e.profile,
              slicesPerGpu: slicesOf(env, i),
              leadTimeSeconds: lead,
              arrivals: {
                startMs: w.startMs + from * 60_000,
                values: Array.from(e.perMinute.subarray(from, view.minute)),
              },
              queue: q
                ? {
                    visible: q.visible,
                    inFlight: q.inFlight,
                    oldestMessageAgeSeconds: q.oldestMessageAgeSeconds,
                    observedAtMs: view.nowMs,
                  }
                : null,
              published: published[i] ?? [],
            };
          }),
        },
        { headroom: env.knob },
      );
      return w.endpoints.map((_, i) => {
        const replicas = decisions[i]?.replicas ?? 0;
        const history = published[i] as PublishedReplicas[];
        history.push({ atMs: view.nowMs, replicas });
        if (history.length > PUBLISHED_KEPT) history.shift();
        return replicas;
      });
    },
    rebalance(view, signals) {
      const out = rebalancer.decideRebalance({ nowMs: view.nowMs, config, state, capacity: view.pools, signals });
      state = out.state;
      return out.actions;
    },
  };
};
