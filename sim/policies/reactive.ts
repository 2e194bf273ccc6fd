import { type PolicyFactory, QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS, tunedCa, warmReplicas } from "./types";

/** KEDA SQS trigger + HPA + Cluster Autoscaler: no prediction, no rebalancer. Its knob divides the SQS target. */
export const reactive: PolicyFactory = (env) => ({
  name: "reactive",
  reactive: true,
  ca: tunedCa(env),
  initialReplicas: warmReplicas(env),
  sqsTargetDivisor: env.knobs.primary,
  scaleDownWindowSeconds: QUEUE_ONLY_SCALE_DOWN_WINDOW_SECONDS,
});
