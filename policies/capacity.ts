import { gpuInstance, instanceFamily } from "../functions/gpu-catalog";
import { configOf, type GpufleetResourceRule, validateTypes } from "./policy-kit";
import { NODE_GROUP, nodeGroupView } from "./props";
import { isGpuNodeGroup } from "./spot";

export const DEFAULT_ALLOWED_FAMILIES = ["g4dn", "g5", "g6", "g6e"];

export const gpuCapacityCap: GpufleetResourceRule = {
  name: "gpu-capacity-cap",
  description:
    "A GPU node group stays within the GPUs a pool may reach (maxSize x GPUs per node) and uses only allowed instance families, so a config typo cannot buy a fleet of p5s.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxGpusPerPool: {
        type: "integer",
        minimum: 1,
        default: 64,
        description: "Most GPUs one node group may scale to.",
      },
      allowedInstanceFamilies: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ALLOWED_FAMILIES,
        description: "Instance families GPU node groups may use.",
      },
    },
  },
  validateResource: validateTypes([NODE_GROUP], (props, args, report) => {
    const group = nodeGroupView(props, args.name);
    if (!isGpuNodeGroup(group)) {
      return;
    }
    const { maxGpusPerPool, allowedInstanceFamilies } = configOf(args, {
      maxGpusPerPool: 64,
      allowedInstanceFamilies: DEFAULT_ALLOWED_FAMILIES,
    });
    for (const type of group.instanceTypes) {
      const family = instanceFamily(type);
      if (!allowedInstanceFamilies.includes(family)) {
        report(
          `node group "${group.name}" uses ${type}, whose family ${family} is not allowed (allowed: ${allowedInstanceFamilies.join(", ")}).`,
        );
      } else if (gpuInstance(type) === undefined) {
        report(`node group "${group.name}" uses ${type}, which is not a GPU instance type gpufleet knows.`);
      }
    }
    const perNode = Math.max(0, ...group.instanceTypes.map((t) => gpuInstance(t)?.gpusPerNode ?? 0));
    if (group.maxSize === undefined) {
      report(`node group "${group.name}" sets no scalingConfig.maxSize, so its GPU count has no cap.`);
      return;
    }
    const gpus = group.maxSize * perNode;
    if (gpus > maxGpusPerPool) {
      report(
        `node group "${group.name}" can reach ${gpus} GPUs (maxSize ${group.maxSize} x ${perNode} per node), above the cap of ${maxGpusPerPool} per pool.`,
      );
    }
  }),
};
