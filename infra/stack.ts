import * as pulumi from "@pulumi/pulumi";
import { GpuCluster } from "../components/gpu-cluster";
import type { CapacityType } from "../functions/contract";
import type { StackConfig } from "./config";

/** One pool as the stack exports it. */
export interface PoolOutput {
  name: string;
  capacityType: CapacityType;
  fallback: boolean;
  instanceTypes: string[];
  slicesPerGpu: number;
  gpuMemoryMiBPerSlice: number;
  nodeGroupName: string;
  asgNames: string[];
}

export interface IdentityOutput {
  kind: "pod-identity" | "irsa";
  oidcProviderArn?: string;
  oidcProviderUrl?: string;
}

/** What the stack exports, plus the component for the parts wired onto it. */
export interface StackOutputs {
  cluster: GpuCluster;
  clusterName: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  identity: pulumi.Output<IdentityOutput>;
  pools: pulumi.Output<PoolOutput[]>;
}

/** Builds the stack's resources from a validated config. */
export function createStack(config: StackConfig, name = "gpufleet"): StackOutputs {
  const clusterArgs = { ...config.cluster };
  // A kubeconfig from stack config grants cluster access: keep it out of plain-text state.
  if (clusterArgs.cluster.mode === "byo" && clusterArgs.cluster.kubeconfig !== undefined) {
    clusterArgs.cluster = { ...clusterArgs.cluster, kubeconfig: pulumi.secret(clusterArgs.cluster.kubeconfig) };
  }
  const cluster = new GpuCluster(name, clusterArgs);
  const identity = cluster.identity;
  return {
    cluster,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    identity:
      identity.kind === "irsa"
        ? pulumi.all([identity.oidcProviderArn, identity.oidcProviderUrl]).apply(
            ([oidcProviderArn, oidcProviderUrl]): IdentityOutput => ({
              kind: "irsa",
              oidcProviderArn,
              oidcProviderUrl,
            }),
          )
        : pulumi.output<IdentityOutput>({ kind: "pod-identity" }),
    pools: pulumi.all(
      cluster.pools.map((pool) =>
        pulumi.all([pool.nodeGroupName, pool.asgNames]).apply(
          ([nodeGroupName, asgNames]): PoolOutput => ({
            name: pool.name,
            capacityType: pool.capacityType,
            fallback: pool.fallback,
            instanceTypes: pool.instanceTypes,
            slicesPerGpu: pool.slicesPerGpu,
            gpuMemoryMiBPerSlice: pool.gpuMemoryMiBPerSlice,
            nodeGroupName,
            asgNames,
          }),
        ),
      ),
    ),
  };
}
