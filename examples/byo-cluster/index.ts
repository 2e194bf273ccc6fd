/**
 * Adds two gpufleet endpoints to an EKS cluster that another stack (or another team) runs.
 * Everything about the cluster comes from config under the `byo` namespace; see README.md.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type ClusterRef, type GpuPoolInfo, ModelEndpoint, type WorkloadIdentity } from "gpufleet";
import { z } from "zod";

const poolSchema = z.object({
  name: z.string(),
  capacityType: z.enum(["spot", "on-demand"]),
  fallback: z.boolean().default(false),
  instanceTypes: z.array(z.string()).min(1),
  gpusPerNode: z.number().int().positive(),
  slicesPerGpu: z.number().int().min(1).max(48),
  gpuMemoryGiBPerGpu: z.number().positive(),
  minNodes: z.number().int().nonnegative(),
  maxNodes: z.number().int().positive(),
  nodeGroupName: z.string(),
  asgNames: z.array(z.string()).default([]),
});

const identitySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pod-identity") }),
  z.object({ kind: z.literal("irsa"), oidcProviderArn: z.string(), oidcProviderUrl: z.string() }),
]);

/** Reads one structured config value, naming the key when it is malformed. */
function read<T>(config: pulumi.Config, key: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(config.requireObject<unknown>(key));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`byo:${key}${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message}`);
  }
  return parsed.data;
}

const config = new pulumi.Config("byo");
const pools: GpuPoolInfo[] = read(config, "pools", z.array(poolSchema).min(1)).map((pool) => ({
  ...pool,
  // The same rounding GpuCluster uses: what one time-slice may count on.
  gpuMemoryMiBPerSlice: Math.floor((pool.gpuMemoryGiBPerGpu * 1024) / pool.slicesPerGpu),
}));
const identity: WorkloadIdentity = read(config, "identity", identitySchema);
const kedaOperatorRoleArn = config.get("kedaOperatorRoleArn");
const queueNamePrefix = config.get("queueNamePrefix");
const alarmTopicArn = config.get("alarmTopicArn");
const namespace = config.get("namespace") ?? "default";

const cluster: ClusterRef = {
  clusterName: config.require("clusterName"),
  provider: new k8s.Provider("byo-cluster", { kubeconfig: config.requireSecret("kubeconfig") }),
  pools,
  identity,
  ...(kedaOperatorRoleArn ? { kedaOperatorRoleArn } : {}),
  ...(queueNamePrefix ? { queueNamePrefix } : {}),
};
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
  pools: pools.filter((p) => p.gpuMemoryMiBPerSlice >= 10 * 1024).map((p) => p.name),
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

export const endpoints = [chat, summarize].map((endpoint) => ({
  name: endpoint.endpointName,
  queueUrl: endpoint.queueUrl,
  dlqUrl: endpoint.dlqUrl,
  roleArn: endpoint.roleArn,
  deploymentName: endpoint.deploymentName,
  profile: endpoint.profile,
}));
