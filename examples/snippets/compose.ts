/** README: the components composed in another stack. */
// snippet-start
import { FleetControl, GpuCluster, ModelEndpoint } from "gpufleet";

const cluster = new GpuCluster("ml", {
  newCluster: { clusterName: "ml", endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] } },
  pools: [
    // One size across two families with 24 GiB GPUs (A10G, L4): spot capacity from two pools.
    {
      name: "spot-24g",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 12,
      slicesPerGpu: 4,
    },
    {
      name: "ondemand-a10g",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      minNodes: 0,
      maxNodes: 4,
      slicesPerGpu: 4,
    },
  ],
});

// Queue "gpufleet-ml-chat" (the cluster's queueNamePrefix), scaled by KEDA through a role that
// only the cluster's KEDA operator (cluster.kedaOperatorRoleArn) may assume.
const chat = new ModelEndpoint("chat", {
  cluster,
  image: "ghcr.io/acme/chat-worker:1.4.2",
  gpuMemoryGiB: 5.5,
  profile: { secondsPerRequest: 1.5, concurrencyPerReplica: 4, modelLoadSeconds: 25, sloSeconds: 5, maxReplicas: 12 },
});

new FleetControl("ml-control", { clusterName: cluster.clusterName, endpoints: [chat], pools: cluster.pools });

export const chatQueueUrl = chat.queueUrl;
// snippet-end
