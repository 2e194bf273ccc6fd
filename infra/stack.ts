import * as pulumi from "@pulumi/pulumi";
import { FleetControl } from "../components/fleet-control";
import { GpuCluster } from "../components/gpu-cluster";
import { ModelEndpoint } from "../components/model-endpoint";
import type { CapacityType } from "../functions/contract";
import { type EndpointConfig, endpointSettings, STACK_NAME, type StackConfig } from "./config";
import { fleetControlArgs } from "./control-args";

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

/** One endpoint as the stack exports it: where clients send requests. */
export interface EndpointOutput {
  queueUrl: string;
  dlqUrl: string;
  deploymentName: string;
}

/** What the stack exports, plus the components for the parts wired onto them. */
export interface StackOutputs {
  cluster: GpuCluster;
  endpoints: ModelEndpoint[];
  /** The autoscaler and rebalancer; undefined when the stack has no endpoints to control. */
  control: FleetControl | undefined;
  clusterName: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  identity: pulumi.Output<IdentityOutput>;
  pools: pulumi.Output<PoolOutput[]>;
  endpointOutputs: pulumi.Output<Record<string, EndpointOutput>>;
}

/** The queue name takes the cluster's prefix (ClusterRef.queueNamePrefix): KEDA's role reads those queues only. */
function createEndpoint(cluster: GpuCluster, endpoint: EndpointConfig, tags?: Record<string, string>) {
  return new ModelEndpoint(endpoint.name, {
    ...endpointSettings(endpoint, cluster.queueNamePrefix ?? ""),
    cluster,
    ...(tags !== undefined ? { tags } : {}),
  });
}

/** Builds the stack's resources from a validated config. */
export function createStack(config: StackConfig, name = STACK_NAME): StackOutputs {
  const clusterArgs = { ...config.cluster };
  // A kubeconfig from stack config grants cluster access: keep it out of plain-text state.
  const existing = clusterArgs.existingCluster;
  if (existing?.kubeconfig !== undefined) {
    clusterArgs.existingCluster = { ...existing, kubeconfig: pulumi.secret(existing.kubeconfig) };
  }
  const cluster = new GpuCluster(name, clusterArgs);
  const endpoints = config.endpoints.map((e) => createEndpoint(cluster, e, config.cluster.tags));
  const control =
    endpoints.length > 0
      ? new FleetControl(
          `${name}-control`,
          fleetControlArgs(cluster.clusterName, endpoints, cluster.pools, config.control, config.cluster.tags),
        )
      : undefined;
  return {
    cluster,
    endpoints,
    control,
    endpointOutputs: pulumi
      .all(
        endpoints.map((e) =>
          pulumi
            .all([e.queueUrl, e.dlqUrl, e.deploymentName])
            .apply(
              ([queueUrl, dlqUrl, deploymentName]) => [e.endpointName, { queueUrl, dlqUrl, deploymentName }] as const,
            ),
        ),
      )
      .apply((entries) => Object.fromEntries(entries)),
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    identity:
      cluster.identity === "irsa"
        ? pulumi.all([cluster.oidcProviderArn, cluster.oidcProviderUrl]).apply(
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
