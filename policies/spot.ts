import { LABELS } from "../functions/contract";
import { gpuInstance } from "../functions/gpu-catalog";
import { poolsOrUnknown } from "./gpu";
import {
  configOf,
  type GpufleetResourceRule,
  type GpufleetStackRule,
  ofType,
  UnknownTolerantChecks,
  validateTypes,
} from "./policy-kit";
import {
  DEPLOYMENT,
  gpuContainers,
  k8sName,
  NODE_GROUP,
  type NodeGroupView,
  nodeGroupView,
  selectedPools,
} from "./props";

/** A node group that runs GPU workloads: it carries the GPU taint, a pool label or a GPU instance type. */
export function isGpuNodeGroup(group: NodeGroupView): boolean {
  return group.tainted || group.pool !== undefined || group.instanceTypes.some((t) => gpuInstance(t) !== undefined);
}

function gpuModels(instanceTypes: string[]): Set<string> {
  return new Set(instanceTypes.map((t) => gpuInstance(t)?.gpuModel ?? `unknown (${t})`));
}

export const spotPoolDiversified: GpufleetResourceRule = {
  name: "spot-pool-diversified",
  description:
    "A spot GPU node group lists several instance types with the same GPUs (count and memory per GPU), so a shortage of one spot pool does not empty it and every node offers the same slices and memory.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minInstanceTypes: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest instance types a spot GPU node group may list.",
      },
    },
  },
  validateResource: validateTypes([NODE_GROUP], (props, args, report) => {
    const group = nodeGroupView(props, args.name);
    if (group.capacityType !== "SPOT" || !isGpuNodeGroup(group)) {
      return;
    }
    const { minInstanceTypes } = configOf(args, { minInstanceTypes: 2 });
    const types = group.instanceTypes;
    if (types.length < minInstanceTypes) {
      report(
        `spot node group "${group.name}" lists ${types.length} instance type(s) (${types.join(", ") || "none"}); list at least ${minInstanceTypes} with the same GPUs.`,
      );
    }
    // Slices are per GPU and share its memory: a different model with the same memory and count
    // (g5.xlarge A10G, g6.xlarge L4) offers the same slices; different memory does not.
    const gpus = (t: string) => {
      const info = gpuInstance(t);
      return info ? `${info.gpusPerNode} × ${info.gpuMemoryGiB} GiB` : "unknown";
    };
    if (new Set(types.map(gpus)).size > 1) {
      const detail = types.map((t) => `${t}: ${gpus(t)}`).join(", ");
      report(`spot node group "${group.name}" mixes GPUs (${detail}); list instance types with the same GPUs.`);
    }
  }),
};

export const spotHasOnDemandFallback: GpufleetStackRule = {
  name: "spot-has-on-demand-fallback",
  description:
    "Every spot GPU node group has an on-demand node group of the same GPU model to fall back to, and every workload that may run on spot may also run on on-demand capacity.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const checks = new UnknownTolerantChecks();
    const groups: { view: NodeGroupView; urn: string }[] = [];
    for (const resource of ofType(args, NODE_GROUP)) {
      checks.run(() => {
        const view = nodeGroupView(resource.props, resource.name);
        if (isGpuNodeGroup(view)) {
          groups.push({ view, urn: resource.urn });
        }
      });
    }
    const onDemand = groups.filter((g) => g.view.capacityType === "ON_DEMAND" && (g.view.maxSize ?? 0) > 0);
    for (const spot of groups.filter((g) => g.view.capacityType === "SPOT")) {
      const models = gpuModels(spot.view.instanceTypes);
      const covered = onDemand.some((od) => [...gpuModels(od.view.instanceTypes)].some((m) => models.has(m)));
      if (!covered) {
        report(
          `spot node group "${spot.view.name}" (${[...models].join(", ")}) has no on-demand fallback: add an ON_DEMAND node group of the same GPU model with maxSize > 0.`,
          spot.urn,
        );
      }
    }
    const pools = poolsOrUnknown(args, checks);
    for (const deployment of ofType(args, DEPLOYMENT)) {
      checks.run(() => {
        const props = deployment.props;
        const selected = selectedPools(props);
        if (gpuContainers(props).length === 0 || selected.length === 0) {
          return;
        }
        const reachable = selected.flatMap((pool) => pools.get(pool) ?? []);
        const spotOnly = reachable.length > 0 && reachable.every((g) => g.capacityType === "SPOT");
        if (spotOnly) {
          report(
            `Deployment ${k8sName(props, deployment.name)} may only run on spot pools (${selected.join(", ")}): add an on-demand pool to its ${LABELS.pool} node affinity so it keeps serving while spot is unavailable.`,
            deployment.urn,
          );
        }
      });
    }
    checks.finish();
  },
};
