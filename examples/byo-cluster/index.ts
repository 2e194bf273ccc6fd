/**
 * Adds spot and on-demand GPU pools, two model endpoints and the fleet's control plane to
 * an EKS cluster that another stack (or another team) runs. Everything about the cluster
 * comes from config under the `byo` namespace; see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { FleetControl, GpuCluster, type IdentityMode, ModelEndpoint } from "gpufleet";

const config = new pulumi.Config("byo");
const namespace = config.get("namespace") ?? "default";
const alarmTopicArn = config.get("alarmTopicArn");
const kubeconfig = config.getSecret("kubeconfig");
const oidcProviderArn = config.get("oidcProviderArn");
const oidcProviderUrl = config.get("oidcProviderUrl");

/** GPU pools on the existing cluster: spot across two 24 GiB GPU families of one size, and the on-demand fallback. */
const cluster = new GpuCluster("ml", {
  existingCluster: {
    clusterName: config.require("clusterName"),
    identity: config.require("identity") as IdentityMode,
    ...(oidcProviderArn ? { oidcProviderArn } : {}),
    ...(oidcProviderUrl ? { oidcProviderUrl } : {}),
    nodeRoleArn: config.require("nodeRoleArn"),
    subnetIds: config.requireObject<string[]>("subnetIds"),
    // Without a kubeconfig, GpuCluster looks the cluster up (eks:DescribeCluster) and builds one.
    ...(kubeconfig ? { kubeconfig } : {}),
  },
  pools: [
    {
      name: "spot-24g",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 10,
      slicesPerGpu: 4,
    },
    {
      name: "ondemand-g5",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      minNodes: 0,
      maxNodes: 4,
      slicesPerGpu: 2,
    },
  ],
  // The cluster's own KEDA and PriorityClasses stay; gpufleet adds the GPU parts.
  addons: { keda: false, priorityClasses: false },
});

const alarms = alarmTopicArn ? { topicArn: alarmTopicArn } : {};

/** Interactive chat: a small model, tight SLO, never scaled to zero. */
const chat = new ModelEndpoint("chat", {
  cluster,
  namespace,
  image: "ghcr.io/acme/chat-worker:1.4.2",
  gpuMemoryGiB: 5,
  tier: "critical",
  profile: {
    secondsPerRequest: 1.5,
    concurrencyPerReplica: 4,
    modelLoadSeconds: 25,
    sloSeconds: 5,
    minReplicas: 1,
    maxReplicas: 12,
  },
  readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
  alarms,
});

/** Nightly summaries: a larger model on whatever is cheap, scaled to zero when idle. */
const summarize = new ModelEndpoint("summarize", {
  cluster,
  namespace,
  image: "ghcr.io/acme/summarize-worker:0.9.0",
  gpuMemoryGiB: 10,
  // 10 GiB only fits the on-demand pool's 2-way slices.
  pools: ["ondemand-g5"],
  tier: "batch",
  profile: {
    secondsPerRequest: 40,
    tokenCost: { baseSeconds: 2, secondsPerContextToken: 0.002, secondsPerGeneratedToken: 0.03 },
    modelLoadSeconds: 60,
    sloSeconds: 900,
    minReplicas: 0,
    maxReplicas: 4,
  },
  queue: { maxProcessingSeconds: 300 },
  results: { bucketName: "acme-summaries", prefix: "nightly/" },
  alarms,
});

/** The predictive autoscaler and the spot rebalancer for both endpoints. */
const control = new FleetControl("ml-control", {
  clusterName: cluster.clusterName,
  endpoints: [chat, summarize],
  pools: cluster.pools,
  ...(alarmTopicArn ? { alarmActions: [alarmTopicArn] } : {}),
});

export const endpoints = [chat, summarize].map((endpoint) => ({
  name: endpoint.endpointName,
  queueUrl: endpoint.queueUrl,
  dlqUrl: endpoint.dlqUrl,
  roleArn: endpoint.roleArn,
  deploymentName: endpoint.deploymentName,
  profile: endpoint.profile,
}));
export const autoscalerFunction = control.autoscalerFunctionName;
export const rebalancerQueueUrl = control.rebalancerQueueUrl;
