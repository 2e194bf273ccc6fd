/** docs/gpu-cluster.md and docs/model-endpoint.md: the Kubernetes halves alone, from plain values. */
// snippet-start
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons, ModelWorkload } from "gpufleet";

const config = new pulumi.Config("edge");
const kubeconfig = config.requireSecret("kubeconfig");

// Roles, associations and queues come from the team that runs the AWS side.
const addons = new ClusterAddons("edge", {
  kubeconfig,
  clusterName: "edge",
  region: "us-east-1",
  identity: "pod-identity",
  pools: [{ name: "spot-24g", capacityType: "spot", slicesPerGpu: 4, asgNames: ["eks-gpufleet-spot-24g-1a2b"] }],
  // Air-gapped: every chart from a local directory, no network at deploy time.
  charts: {
    devicePlugin: { path: "./charts/nvidia-device-plugin" },
    keda: { path: "./charts/keda" },
    clusterAutoscaler: { path: "./charts/cluster-autoscaler" },
  },
});

new ModelWorkload(
  "edge-chat",
  {
    cluster: {
      clusterName: "edge",
      kubeconfig,
      identity: "pod-identity",
      pools: [
        {
          name: "spot-24g",
          capacityType: "spot",
          fallback: false,
          instanceTypes: ["g5.xlarge", "g6.xlarge"],
          gpusPerNode: 1,
          slicesPerGpu: 4,
          gpuMemoryGiBPerGpu: 24,
          gpuMemoryMiBPerSlice: 6144,
          minNodes: 0,
          maxNodes: 8,
          nodeGroupName: "gpufleet-spot-24g",
          asgNames: ["eks-gpufleet-spot-24g-1a2b"],
        },
      ],
    },
    image: "ghcr.io/acme/chat-worker:1.4.2",
    gpuMemoryGiB: 5,
    profile: { secondsPerRequest: 1.5, modelLoadSeconds: 25, sloSeconds: 5, minReplicas: 0, maxReplicas: 8 },
    queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/edge-chat",
    dlqUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/edge-chat-dlq",
    region: "us-east-1",
  },
  // ScaledObjects wait for KEDA's CRDs; pods for the PriorityClasses.
  { dependsOn: [addons] },
);
// snippet-end
