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
import { ClusterAddons, EndpointWorkload } from "./fleet";

const config = new pulumi.Config();
const kubeconfig = fs.readFileSync(config.require("kubeconfig"), "utf8");
const chartsDir = config.require("chartsDir");

const clusterName = "gpufleet-e2e";
const region = "us-east-1";
const account = "123456789012";
const roleArn = (role: string) => `arn:aws:iam::${account}:role/${role}`;
const queueUrl = (queue: string) => `https://sqs.${region}.amazonaws.com/${account}/${queue}`;

const pools = [
  resolvePool({
    name: "spot-a",
    instanceTypes: ["g5.xlarge", "g6.xlarge"],
    capacityType: "spot",
    minSize: 0,
    maxSize: 4,
    slicesPerGpu: 4,
  }),
  resolvePool({
    name: "ondemand",
    instanceTypes: ["g5.xlarge"],
    capacityType: "on-demand",
    fallback: true,
    minSize: 0,
    maxSize: 2,
    slicesPerGpu: 4,
  }),
];

const provider = new k8s.Provider("cluster", { kubeconfig, enableServerSideApply: true });
const addons = new ClusterAddons("fleet", {
  provider,
  clusterName,
  region,
  kedaRoleArn: roleArn("gpufleet-e2e-keda"),
  clusterAutoscalerRoleArn: roleArn("gpufleet-e2e-cluster-autoscaler"),
  pools,
  chartsDir,
});

const namespace = new k8s.core.v1.Namespace("models", { metadata: { name: "gpufleet-models" } }, { provider });
// Endpoint objects go through a provider that waits for their namespace and for the KEDA
// release, whose CRDs the TriggerAuthentication and ScaledObject need.
const endpointProvider = new k8s.Provider(
  "endpoints",
  { kubeconfig, enableServerSideApply: true },
  { dependsOn: [namespace, addons.keda] },
);

const endpoints = [
  { name: "chat", image: "ghcr.io/example/chat-model:1.0", gpuMemoryGiB: 5, minReplicas: 1, maxReplicas: 6 },
  { name: "embed", image: "ghcr.io/example/embed-model:1.0", gpuMemoryGiB: 2, minReplicas: 0, maxReplicas: 4 },
].map(
  (e) =>
    new EndpointWorkload(e.name, {
      provider: endpointProvider,
      clusterName,
      pools,
      endpoint: {
        endpointName: e.name,
        namespace: "gpufleet-models",
        image: e.image,
        gpuMemoryGiB: e.gpuMemoryGiB,
        profile: {
          secondsPerRequest: 2,
          modelLoadSeconds: 60,
          sloSeconds: 30,
          minReplicas: e.minReplicas,
          maxReplicas: e.maxReplicas,
        },
      },
      queueUrl: queueUrl(`gpufleet-${e.name}`),
      dlqUrl: queueUrl(`gpufleet-${e.name}-dlq`),
      region,
      scalerRoleArn: roleArn(`gpufleet-e2e-${e.name}-scaler`),
    }),
);

export const deployments = endpoints.map((e) => e.deploymentName);
