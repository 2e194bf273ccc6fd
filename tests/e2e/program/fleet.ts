/**
 * The Kubernetes half of a gpufleet deployment from plain values (fake role ARNs, queue URLs,
 * cluster name), through the standalone components GpuCluster and ModelEndpoint compose:
 * ClusterAddons and ModelWorkload. No AWS resource or call.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterAddons, type GpuPoolInfo, ModelWorkload, type ModelWorkloadArgs } from "../../../components";

/**
 * The cluster has no nodes, so nothing becomes ready: the add-on releases must not wait for
 * their workloads (they do by default, with a 10-minute timeout). A transform on the
 * component sets that on each release it creates.
 */
const skipReleaseAwait: pulumi.ResourceTransform = (args) =>
  args.type === "kubernetes:helm.sh/v3:Release"
    ? { props: { ...args.props, skipAwait: true }, opts: args.opts }
    : undefined;

export interface FleetArgs {
  provider: k8s.Provider;
  /** Provider for the endpoints' objects (may wait for their namespace). */
  endpointProvider: k8s.Provider;
  clusterName: string;
  region: string;
  pools: GpuPoolInfo[];
  kedaOperatorRoleArn: string;
  clusterAutoscalerRoleArn: string;
  chartsDir: string;
  endpoints: (Omit<ModelWorkloadArgs, "cluster"> & { name: string })[];
}

export function deployFleet(name: string, args: FleetArgs): { addons: ClusterAddons; workloads: ModelWorkload[] } {
  const addons = new ClusterAddons(
    name,
    {
      clusterName: args.clusterName,
      region: args.region,
      identity: "pod-identity",
      pools: args.pools.map((p) => ({
        name: p.name,
        capacityType: p.capacityType,
        fallback: p.fallback,
        slicesPerGpu: p.slicesPerGpu,
        asgNames: p.asgNames,
      })),
      kedaOperatorRoleArn: args.kedaOperatorRoleArn,
      clusterAutoscalerRoleArn: args.clusterAutoscalerRoleArn,
      charts: {
        devicePlugin: { path: `${args.chartsDir}/nvidia-device-plugin` },
        keda: { path: `${args.chartsDir}/keda` },
        clusterAutoscaler: { path: `${args.chartsDir}/cluster-autoscaler` },
      },
    },
    { providers: [args.provider], transforms: [skipReleaseAwait] },
  );
  const workloads = args.endpoints.map(
    ({ name: endpoint, ...rest }) =>
      new ModelWorkload(
        endpoint,
        { ...rest, cluster: { clusterName: args.clusterName, identity: "pod-identity", pools: args.pools } },
        // The provider and the add-ons as resource options, the way every Pulumi language gives them.
        { providers: [args.endpointProvider], dependsOn: [addons] },
      ),
  );
  return { addons, workloads };
}
