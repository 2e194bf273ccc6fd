/** The public API of the gpufleet package. */
export * from "../functions/contract";
export type { ClusterRef, FleetEndpoint, GpuPoolInfo, WorkloadIdentity } from "./types";
export * from "./gpu-cluster";
