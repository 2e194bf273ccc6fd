/** The public API of the gpufleet package. */
export * from "../functions/contract";
export * from "./gpu-cluster";
export * from "./model-endpoint";
export type { ClusterRef, FleetEndpoint, GpuPoolInfo, WorkloadIdentity } from "./types";
