/** docs/rebalancer.md: the rebalancer's tunables through FleetControl. */
import { FleetControl, GpuCluster, ModelEndpoint } from "gpufleet";

const cluster = new GpuCluster("rebalance", {
  newCluster: { endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] } },
  pools: [
    {
      name: "spot",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 8,
      slicesPerGpu: 4,
    },
    { name: "od", capacityType: "on-demand", fallback: true, instanceTypes: ["g5.xlarge"], minNodes: 0, maxNodes: 4 },
  ],
});
const chat = new ModelEndpoint("rebalance-chat", {
  cluster,
  image: "ghcr.io/acme/chat:1",
  gpuMemoryGiB: 5,
  profile: { secondsPerRequest: 1, modelLoadSeconds: 30, sloSeconds: 10 },
});

// snippet-start
new FleetControl("rebalanced", {
  clusterName: cluster.clusterName,
  endpoints: [chat],
  pools: cluster.pools,
  rebalancer: { tunables: { stableSeconds: 900 } },
  tags: { team: "ml-platform", "cost-center": "inference" },
});
// snippet-end
