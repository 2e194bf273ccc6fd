/**
 * The Kubernetes half of a gpufleet deployment from plain values (fake role ARNs, queue URLs,
 * cluster name), through the standalone components GpuCluster and ModelEndpoint compose:
 * ClusterAddons and ModelWorkload. No AWS resource or call.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterAddons, type GpuPoolInfo, ModelWorkload, type ModelWorkloadArgs } from "../../../components";
import { SKIP_AWAIT_ANNOTATION } from "../../../components/model-endpoint/workload";

/**
 * The cluster has no nodes, so nothing becomes ready: the add-on releases and the scale-in
 * packer's Deployment must not wait for their workloads (they do by default, with a
 * 10-minute timeout). A transform on the component sets that on each one it creates.
 */
const skipAddonAwait: pulumi.ResourceTransform = (args) => {
  if (args.type === "kubernetes:helm.sh/v3:Release") {
    return { props: { ...args.props, skipAwait: true }, opts: args.opts };
  }
  if (args.type === "kubernetes:apps/v1:Deployment") {
    const metadata = args.props.metadata ?? {};
    const annotations = { ...(metadata.annotations ?? {}), [SKIP_AWAIT_ANNOTATION]: "true" };
    return { props: { ...args.props, metadata: { ...metadata, annotations } }, opts: args.opts };
  }
  return undefined;
};

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
      scaleInPacker: { image: "ghcr.io/example/gpufleet-worker:0.1.0" },
    },
    { providers: [args.provider], transforms: [skipAddonAwait] },
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
