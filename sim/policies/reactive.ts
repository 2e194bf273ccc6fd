import { DEFAULT_CA, type PolicyFactory, warmReplicas } from "./types";

/** KEDA SQS trigger + HPA + Cluster Autoscaler with their default settings: no floor, no rebalancer. */
export const reactive: PolicyFactory = (env) => ({
  name: "reactive",
  reactive: true,
  ca: DEFAULT_CA(env.lifecycle),
  initialReplicas: warmReplicas(env),
  floors: () => env.workload.endpoints.map(() => 0),
});
