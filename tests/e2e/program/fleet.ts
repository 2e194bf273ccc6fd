/**
 * The Kubernetes half of a gpufleet deployment, built from plain values (fake role ARNs, queue
 * URLs, cluster name): what GpuCluster and ModelEndpoint create inside the cluster, without
 * their AWS half. This module is the only place the end-to-end program touches gpufleet's
 * component internals, so moving it to standalone Kubernetes components changes this file only.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  clusterAutoscalerValues,
  createPriorityClasses,
  devicePluginValues,
  kedaValues,
} from "../../../components/gpu-cluster/addons";
import type { ResolvedPool } from "../../../components/gpu-cluster/defaults";
import { nodeGroupName } from "../../../components/gpu-cluster/node-pool";
import { CHARTS, type ChartPin } from "../../../components/gpu-cluster/versions";
import type { ModelEndpointArgs } from "../../../components/model-endpoint/args";
import { createScaling } from "../../../components/model-endpoint/scaling";
import { validateModelEndpointArgs } from "../../../components/model-endpoint/validate";
import { createWorkload, workerEnv } from "../../../components/model-endpoint/workload";
import type { GpuPoolInfo } from "../../../components/types";

/** Nothing becomes ready on a cluster without nodes: the engine must not wait for rollouts. */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

export interface ClusterAddonsArgs {
  provider: k8s.Provider;
  clusterName: string;
  region: string;
  kedaRoleArn: string;
  clusterAutoscalerRoleArn: string;
  pools: ResolvedPool[];
  /** Directory holding one local chart directory per add-on, named after the chart. */
  chartsDir: string;
}

/** The add-ons GpuCluster installs: priority classes and the three charts, from local directories. */
export class ClusterAddons extends pulumi.ComponentResource {
  /** The KEDA release: custom resources of its CRDs must wait for it. */
  readonly keda: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gpufleet:e2e:ClusterAddons", name, {}, opts);
    const release = (suffix: string, pin: ChartPin, values: Record<string, unknown>) =>
      new k8s.helm.v3.Release(
        `${name}-${suffix}`,
        {
          name: pin.chart,
          chart: `${args.chartsDir}/${pin.chart}`,
          version: pin.version,
          namespace: pin.namespace,
          createNamespace: pin.namespace !== "kube-system",
          skipAwait: true,
          values,
        },
        { parent: this, provider: args.provider },
      );

    createPriorityClasses(name, args.provider, this);
    release("device-plugin", CHARTS.devicePlugin, devicePluginValues(args.pools));
    this.keda = release("keda", CHARTS.keda, kedaValues("pod-identity", args.kedaRoleArn));
    release(
      "cluster-autoscaler",
      CHARTS.clusterAutoscaler,
      clusterAutoscalerValues({
        clusterName: args.clusterName,
        region: args.region,
        identity: "pod-identity",
        roleArn: args.clusterAutoscalerRoleArn,
        pools: args.pools,
      }),
    );
    this.registerOutputs({});
  }
}

/** What GpuCluster reports of a pool, with the node group and ASG names a real cluster would have. */
export function poolInfo(pool: ResolvedPool): GpuPoolInfo {
  const nodeGroup = nodeGroupName(pool.name);
  return { ...pool, nodeGroupName: nodeGroup, asgNames: [`eks-${nodeGroup}`] };
}

export interface EndpointWorkloadArgs {
  provider: k8s.Provider;
  clusterName: string;
  pools: ResolvedPool[];
  endpoint: Omit<ModelEndpointArgs, "cluster">;
  queueUrl: string;
  dlqUrl: string;
  region: string;
  /** The role KEDA assumes to read this endpoint's queue and metric. */
  scalerRoleArn: string;
}

/** An endpoint's workload: ServiceAccount, Deployment, PodDisruptionBudget, TriggerAuthentication, ScaledObject. */
export class EndpointWorkload extends pulumi.ComponentResource {
  readonly deploymentName: pulumi.Output<string>;

  constructor(name: string, args: EndpointWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gpufleet:e2e:EndpointWorkload", name, {}, opts);
    const resolved = validateModelEndpointArgs(name, {
      ...args.endpoint,
      cluster: {
        clusterName: args.clusterName,
        provider: args.provider,
        pools: args.pools.map(poolInfo),
        identity: { kind: "pod-identity" },
      },
    });
    const workload = createWorkload({
      name,
      resolved,
      env: workerEnv(resolved, { queueUrl: args.queueUrl, dlqUrl: args.dlqUrl, region: args.region }, {}),
      serviceAccountAnnotations: {},
      transform: {
        deployment: (d) => ({
          ...d,
          metadata: { ...(d.metadata as object), annotations: SKIP_AWAIT },
        }),
      },
      provider: args.provider,
      parent: this,
      dependsOn: [],
    });
    createScaling(
      name,
      resolved,
      { queueUrl: args.queueUrl, region: args.region, deploymentName: workload.deployment.metadata.name },
      pulumi.output(args.scalerRoleArn),
      args.provider,
      this,
    );
    this.deploymentName = workload.deployment.metadata.name;
    this.registerOutputs({ deploymentName: this.deploymentName });
  }
}
