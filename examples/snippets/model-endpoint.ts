/** docs/model-endpoint.md: one endpoint on a GpuCluster. */
import { GpuCluster } from "gpufleet";

const cluster = new GpuCluster("serving", {
  newCluster: { endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] } },
  pools: [
    {
      name: "spot-24g",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 8,
      slicesPerGpu: 4,
    },
    {
      name: "ondemand",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      minNodes: 0,
      maxNodes: 4,
      slicesPerGpu: 4,
    },
  ],
});

// snippet-start
import { ModelEndpoint } from "gpufleet";

const assistant = new ModelEndpoint("assistant", {
  cluster, // a GpuCluster, or a ClusterRef built from plain values
  image: "ghcr.io/acme/chat-worker:1.4.2",
  gpuMemoryGiB: 5,
  tier: "critical",
  profile: { secondsPerRequest: 1.5, concurrencyPerReplica: 4, modelLoadSeconds: 25, sloSeconds: 5, maxReplicas: 12 },
  readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
  // cpu and memory default to a per-slice share of the pools' smallest node; set them to ask for less.
});
export const queueUrl = assistant.queueUrl;
// snippet-end
