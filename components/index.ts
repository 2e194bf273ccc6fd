/** The public API of the gpufleet package. */
export * from "../functions/contract";
export { ConfigError, formatProblem, type Problem } from "../functions/problems";
export {
  type AutoscalerResources,
  type AutoscalerSettings,
  autoscalerPolicyDocument,
  FleetControl,
  type FleetControlArgs,
  type FleetControlOptions,
  type FleetControlResources,
  type FleetControlTransforms,
  type RebalancerOptions,
  type RebalancerResources,
  type RebalancerTunables,
  validateFleetControlArgs,
} from "./fleet-control";
export * from "./gpu-cluster";
export { type PlainWorkloadIdentity, type TrustPolicyDocument, workloadTrustPolicy } from "./identity/trust-policy";
export * from "./model-endpoint";
export type { ClusterRef, FleetEndpoint, GpuPoolInfo, WorkloadIdentity } from "./types";
