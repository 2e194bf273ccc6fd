import {
  backlogReplicas,
  drainSeconds,
  forecastReplicas,
  replicaThroughput,
} from "../../functions/autoscaler/core/capacity";
import { dampScaleDown, readPublished } from "../../functions/autoscaler/core/hysteresis";
import { resolveSettings } from "../../functions/autoscaler/core/index";
import { lambdaReader, lambdaSettings } from "./lambda";
import { rebalancerLoop } from "./rebalancer";
import { clampReplicas, type PolicyFactory, tunedCa, warmReplicas } from "./types";

/**
 * gpufleet with foresight of arrivals and nothing else: the same Lambda inputs, CloudWatch
 * path, KEDA/HPA configuration, Cluster Autoscaler, knobs and rebalancer, but the forecast
 * is replaced by the true busiest minute of the coming horizon (lead time + model load + one
 * tick). The backlog floor and the scale-down damping are the core's own.
 */
export const foresight: PolicyFactory = (env) => {
  const w = env.workload;
  const s = resolveSettings(lambdaSettings(env));
  const lambdaInput = lambdaReader(env);
  return {
    name: "foresight",
    reactive: true,
    ca: tunedCa(env),
    initialReplicas: warmReplicas(env),
    sqsTargetDivisor: 1,
    publish(view) {
      return w.endpoints.map((e, i) => {
        const input = lambdaInput(view, i);
        const profile = input.profile;
        const horizon = Math.ceil((input.leadTimeSeconds + profile.modelLoadSeconds + s.tickSeconds) / 60);
        let peak = 0;
        for (let m = view.minute; m < Math.min(e.perMinute.length, view.minute + horizon); m++)
          peak = Math.max(peak, e.perMinute[m] as number);
        const throughput = replicaThroughput(profile, input.slicesPerGpu);
        const queue = input.queue as NonNullable<typeof input.queue>;
        const drainRate = queue.visible / drainSeconds(queue, profile.sloSeconds, s.minDrainSeconds);
        const level = e.perMinute[view.minute] ?? 0;
        const backlog = backlogReplicas(queue, level, profile, throughput, s.minDrainSeconds);
        const target = forecastReplicas(peak, drainRate, throughput, s.headroom, s.maxUtilization);
        const damped = dampScaleDown(target, readPublished(input.published, view.nowMs), view.nowMs, s).replicas;
        return clampReplicas(Math.max(damped, backlog), profile.minReplicas, profile.maxReplicas);
      });
    },
    rebalance: rebalancerLoop(w.scenario.pools),
  };
};
