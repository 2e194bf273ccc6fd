import { decideReplicas } from "../../functions/autoscaler/core/index";
import type { AutoscalerSettings } from "../../functions/autoscaler/core/types";
import type { RebalancerTunables } from "../../functions/rebalancer/core/types";
import { lambdaReader, lambdaSettings } from "./lambda";
import { rebalancerLoop } from "./rebalancer";
import { type PolicyFactory, tunedCa, warmReplicas } from "./types";

export interface GpufleetParts {
  /** The autoscaler Lambda publishes predicted replicas. */
  prediction: boolean;
  /** The rebalancer core sets node groups' desired capacity on spot signals. */
  rebalancer: boolean;
  /** Autoscaler settings that differ from what FleetControl deploys (an ablation's). */
  settings?: Partial<AutoscalerSettings>;
  /** Rebalancer tunables that differ from its defaults (an ablation's). */
  tunables?: Partial<RebalancerTunables>;
}

/**
 * What production runs: the endpoint's deployed KEDA/HPA configuration and the Cluster
 * Autoscaler as in `reactive`, plus the autoscaler core's predicted replicas (published to
 * CloudWatch, read by KEDA's aws-cloudwatch trigger; the HPA takes the max) and the
 * rebalancer core on spot signals. The knob is the core's `headroom`. The ablations leave
 * one part out.
 */
export function gpufleetPolicy(name: string, parts: GpufleetParts): PolicyFactory {
  return (env) => {
    const w = env.workload;
    const settings = { ...lambdaSettings(env), ...parts.settings };
    const lambdaInput = lambdaReader(env);
    return {
      name,
      reactive: true,
      ca: tunedCa(env),
      initialReplicas: warmReplicas(env),
      sqsTargetDivisor: 1,
      ...(parts.prediction
        ? {
            publish(view) {
              const endpoints = w.endpoints.map((_, i) => lambdaInput(view, i));
              return decideReplicas({ nowMs: view.nowMs, endpoints }, settings).map((d) => d.replicas);
            },
          }
        : {}),
      ...(parts.rebalancer ? { rebalance: rebalancerLoop(w.scenario.pools, parts.tunables) } : {}),
    };
  };
}

export const gpufleet = gpufleetPolicy("gpufleet", { prediction: true, rebalancer: true });
