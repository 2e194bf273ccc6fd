/** docs/gpu-cluster.md: adjusting node groups and Helm releases before they are created. */
import * as pulumi from "@pulumi/pulumi";
import { GpuCluster, type GpuClusterArgs } from "gpufleet";

const newCluster: GpuClusterArgs["newCluster"] = {
  endpointAccess: { publicAccessCidrs: ["203.0.113.0/24"] },
};
const pools: GpuClusterArgs["pools"] = [
  { name: "spot-24g", capacityType: "spot", instanceTypes: ["g5.xlarge", "g6.xlarge"], minNodes: 0, maxNodes: 4 },
  {
    name: "ondemand-a10g",
    capacityType: "on-demand",
    fallback: true,
    instanceTypes: ["g5.xlarge"],
    minNodes: 0,
    maxNodes: 2,
  },
];

// snippet-start
new GpuCluster(
  "tuned",
  { newCluster, pools },
  {
    transform: {
      nodeGroup: (args) => ({ ...args, tags: { ...args.tags, team: "ml" } }),
      helmRelease: (args, release) =>
        release === "keda"
          ? {
              ...args,
              values: pulumi
                .output(args.values ?? {})
                .apply((v) => ({ ...v, resources: { limits: { memory: "1Gi" } } })),
            }
          : args,
    },
  },
);
// snippet-end
