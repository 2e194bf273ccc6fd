/**
 * The end-to-end suite's Pulumi program: gpufleet's cluster add-ons and two model endpoints on
 * a real kube-apiserver, with plain values standing in for the AWS side (no AWS call is made).
 *
 * Config: `kubeconfig` (path to the cluster's kubeconfig), `chartsDir` (local chart directories).
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resolvePool } from "../../../components/gpu-cluster/defaults";
import { nodeGroupName } from "../../../components/gpu-cluster/node-pool";
import type { GpuPoolInfo } from "../../../components/types";
import { deployFleet } from "./fleet";

const config = new pulumi.Config();
const kubeconfig = fs.readFileSync(config.require("kubeconfig"), "utf8");
const chartsDir = config.require("chartsDir");

const clusterName = "gpufleet-e2e";
const region = "us-east-1";
const account = "123456789012";
const roleArn = (role: string) => `arn:aws:iam::${account}:role/${role}`;
const queueUrl = (queue: string) => `https://sqs.${region}.amazonaws.com/${account}/${queue}`;

/** A pool as GpuCluster reports it, with the node group and ASG names EKS would give it. */
function pool(args: Parameters<typeof resolvePool>[0]): GpuPoolInfo {
  const resolved = resolvePool(args);
  const nodeGroup = nodeGroupName(resolved.name);
  return { ...resolved, nodeGroupName: nodeGroup, asgNames: [`eks-${nodeGroup}-0a1b2c3d`] };
}

const pools = [
  pool({ name: "spot-a", instanceTypes: ["g5.xlarge", "g6.xlarge"], capacityType: "spot", minNodes: 0, maxNodes: 4 }),
  pool({
    name: "ondemand",
    instanceTypes: ["g5.xlarge"],
    capacityType: "on-demand",
    fallback: true,
    minNodes: 0,
    maxNodes: 2,
  }),
];

const provider = new k8s.Provider("cluster", { kubeconfig });
const namespace = new k8s.core.v1.Namespace("models", { metadata: { name: "gpufleet-models" } }, { provider });
// The endpoints' objects live in that namespace: their provider waits for it.
const endpointProvider = new k8s.Provider("endpoints", { kubeconfig }, { dependsOn: [namespace] });

const endpoint = (name: string, gpuMemoryGiB: number, minReplicas: number, maxReplicas: number) => ({
  name,
  endpointName: name,
  namespace: "gpufleet-models",
  image: `ghcr.io/example/${name}-model:1.0`,
  gpuMemoryGiB,
  profile: { secondsPerRequest: 2, modelLoadSeconds: 60, sloSeconds: 30, minReplicas, maxReplicas },
  queueUrl: queueUrl(`gpufleet-${name}`),
  dlqUrl: queueUrl(`gpufleet-${name}-dlq`),
  region,
  scalerRoleArn: roleArn(`gpufleet-e2e-${name}-scaler`),
});

const fleet = deployFleet("fleet", {
  provider,
  endpointProvider,
  clusterName,
  region,
  pools,
  kedaOperatorRoleArn: roleArn("gpufleet-e2e-keda"),
  clusterAutoscalerRoleArn: roleArn("gpufleet-e2e-cluster-autoscaler"),
  chartsDir,
  endpoints: [endpoint("chat", 5, 1, 6), endpoint("embed", 2, 0, 4)],
});

export const deployments = fleet.workloads.map((w) => w.deployment.metadata.name);
