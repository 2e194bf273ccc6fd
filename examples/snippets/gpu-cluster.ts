/** docs/gpu-cluster.md: a new cluster with a spot pool and its on-demand fallback. */
// snippet-start
import { GpuCluster } from "gpufleet";

const cluster = new GpuCluster("fleet", {
  newCluster: {
    version: "1.32",
    endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] },
    adminArns: ["arn:aws:iam::123456789012:role/platform-admin"],
  },
  pools: [
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
      minNodes: 1,
      maxNodes: 8,
      slicesPerGpu: 4,
    },
  ],
  addons: {
    // An internal mirror for one chart; the others come from their pinned public repositories.
    charts: { keda: { repository: "https://charts.internal.example.com/keda" } },
  },
});

export const kubeconfig = cluster.kubeconfig; // secret
// snippet-end
