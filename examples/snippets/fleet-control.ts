/** docs/autoscaler.md and docs/rebalancer.md: FleetControl over a cluster's endpoints. */
import * as aws from "@pulumi/aws";
import { GpuCluster, ModelEndpoint } from "gpufleet";

const cluster = new GpuCluster("predict", {
  newCluster: { endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] } },
  pools: [
    {
      name: "g5-spot",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      minNodes: 0,
      maxNodes: 8,
      slicesPerGpu: 4,
    },
    {
      name: "g5-od",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      minNodes: 0,
      maxNodes: 4,
      slicesPerGpu: 4,
    },
  ],
});
const profile = { secondsPerRequest: 1, concurrencyPerReplica: 2, modelLoadSeconds: 30, sloSeconds: 10 };
const chat = new ModelEndpoint("predict-chat", { cluster, image: "ghcr.io/acme/chat:1", gpuMemoryGiB: 5, profile });
const embed = new ModelEndpoint("predict-embed", { cluster, image: "ghcr.io/acme/embed:1", gpuMemoryGiB: 2, profile });
const topic = new aws.sns.Topic("predict-oncall");

// snippet-start
import { FleetControl } from "gpufleet";

new FleetControl("fleet", {
  clusterName: cluster.clusterName,
  endpoints: [chat, embed], // ModelEndpoints (or any FleetEndpoint)
  pools: cluster.pools, // GpuPoolInfo[]
  leadTimeSeconds: 360, // every pool…
  leadTimeSecondsByPool: { "g5-od": 300 }, // …but these
  autoscalerSettings: { headroom: 1.1 }, // 10% above the calibrated default
  alarmActions: [topic.arn],
  tags: { team: "ml-platform", "cost-center": "inference" }, // on every taggable child
});
// snippet-end
