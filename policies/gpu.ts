import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { GPU_RESOURCE, GPU_TAINT, LABELS } from "../functions/contract";
import { gpuInstance, gpuMemoryMiBPerSlice } from "../functions/gpu-catalog";
import {
  type GpufleetResourceRule,
  type GpufleetStackRule,
  ofType,
  UnknownTolerantChecks,
  validateTypes,
} from "./policy-kit";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  DEPLOYMENT,
  declaredGpuMemoryMiB,
  type GpuContainer,
  gpuContainers,
  k8sName,
  NODE_GROUP,
  type NodeGroupView,
  nodeGroupView,
  path,
  selectedPools,
  toleratesGpuTaint,
} from "./props";

const TAINT_TEXT = `${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`;

export const gpuWorkloadToleratesGpuTaintAndSelectsGpuPool: GpufleetResourceRule = {
  name: "gpu-workload-tolerates-gpu-taint-and-selects-gpu-pool",
  description: `A Deployment that requests ${GPU_RESOURCE} tolerates the GPU taint and pins itself to gpufleet pools with a required node affinity on ${LABELS.pool}.`,
  enforcementLevel: "mandatory",
  validateResource: validateTypes([DEPLOYMENT], (props, args, report) => {
    if (gpuContainers(props).length === 0) {
      return;
    }
    const name = k8sName(props, args.name);
    if (!toleratesGpuTaint(props)) {
      report(`Deployment ${name} requests ${GPU_RESOURCE} but does not tolerate the GPU taint ${TAINT_TEXT}.`);
    }
    if (selectedPools(props).length === 0) {
      report(
        `Deployment ${name} requests ${GPU_RESOURCE} but selects no GPU pool: add a required node affinity (or nodeSelector) on ${LABELS.pool}.`,
      );
    }
  }),
};

/** The GPU node groups of a stack, by the pool label they carry. */
export function nodeGroupsByPool(args: StackValidationArgs): Map<string, NodeGroupView[]> {
  const pools = new Map<string, NodeGroupView[]>();
  const checks = new UnknownTolerantChecks();
  for (const resource of ofType(args, NODE_GROUP)) {
    checks.run(() => {
      const view = nodeGroupView(resource.props, resource.name);
      if (view.pool !== undefined) {
        pools.set(view.pool, [...(pools.get(view.pool) ?? []), view]);
      }
    });
  }
  // A node group whose labels are unknown cannot be placed in a pool: say so rather than guess.
  checks.finish();
  return pools;
}

/** GPU memory one slice offers: the node label, else computed from the instance types. */
function memoryPerSliceMiB(group: NodeGroupView): number | undefined {
  if (group.gpuMemoryPerSliceMiB !== undefined) {
    return group.gpuMemoryPerSliceMiB;
  }
  const slices = group.slicesPerGpu ?? 1;
  const memories = group.instanceTypes.map((t) => gpuInstance(t)?.gpuMemoryGiB);
  if (memories.length === 0 || memories.some((m) => m === undefined)) {
    return undefined;
  }
  return gpuMemoryMiBPerSlice(Math.min(...(memories as number[])), slices);
}

/**
 * `nodeGroupsByPool` as one of a stack rule's checks: an unknown value leaves the map empty
 * and is reported by `checks.finish()`, like any other check's.
 */
export function poolsOrUnknown(args: StackValidationArgs, checks: UnknownTolerantChecks): Map<string, NodeGroupView[]> {
  let pools = new Map<string, NodeGroupView[]>();
  checks.run(() => {
    pools = nodeGroupsByPool(args);
  });
  return pools;
}

/**
 * Runs `check`, as one of `checks`, on every Deployment that requests GPUs, with the
 * stack's GPU node groups by pool and the Deployment's GPU containers.
 */
function checkGpuDeployments(
  args: StackValidationArgs,
  checks: UnknownTolerantChecks,
  check: (deployment: PolicyResource, containers: GpuContainer[], pools: Map<string, NodeGroupView[]>) => void,
): void {
  const pools = poolsOrUnknown(args, checks);
  for (const deployment of ofType(args, DEPLOYMENT)) {
    checks.run(() => {
      const containers = gpuContainers(deployment.props);
      if (containers.length === 0) {
        return;
      }
      check(deployment, containers, pools);
    });
  }
}

export const gpuSliceMemoryFits: GpufleetStackRule = {
  name: "gpu-slice-memory-fits",
  description:
    "Time-slicing gives no memory isolation: every GPU workload declares the GPU memory a replica needs, and it fits in one slice of every pool it may run on.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const checks = new UnknownTolerantChecks();
    checkGpuDeployments(args, checks, (deployment, _containers, pools) => {
      const props = deployment.props;
      const name = k8sName(props, deployment.name);
      const needed = declaredGpuMemoryMiB(props);
      if (needed === undefined) {
        report(
          `Deployment ${name} requests ${GPU_RESOURCE} but declares no GPU memory: set the pod template annotation ${LABELS.gpuMemoryMiB}.`,
          deployment.urn,
        );
        return;
      }
      // A stack with no GPU node group at all holds only the Kubernetes half (the node groups
      // live in another stack or were made by hand): there is nothing here to check against.
      if (pools.size === 0) return;
      for (const pool of selectedPools(props)) {
        const groups = pools.get(pool) ?? [];
        if (groups.length === 0) {
          report(
            `Deployment ${name} selects pool "${pool}" but no node group carries ${LABELS.pool}=${pool}.`,
            deployment.urn,
          );
        }
        for (const group of groups) {
          const offered = memoryPerSliceMiB(group);
          if (offered === undefined) {
            report(
              `Deployment ${name} may run on node group "${group.name}" whose slice memory is unknown: label it ${LABELS.gpuMemoryPerSliceMiB}.`,
              deployment.urn,
            );
          } else if (needed > offered) {
            report(
              `Deployment ${name} needs ${needed} MiB of GPU memory per replica but a slice of pool "${pool}" (node group "${group.name}") offers ${offered} MiB.`,
              deployment.urn,
            );
          }
        }
      }
    });
    checks.finish();
  },
};

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** The time-slicing configs of an NVIDIA device plugin release: name -> parsed config. */
function devicePluginConfigs(props: Record<string, unknown>): [string, unknown][] {
  const map = asObject(path(props, "values", "config", "map"));
  if (!map) {
    return [];
  }
  return Object.keys(map).map((key): [string, unknown] => {
    const value = map[key];
    if (typeof value !== "string") {
      return [key, value];
    }
    try {
      return [key, parseYaml(value)];
    } catch {
      return [key, undefined];
    }
  });
}

export const gpuRequestIsOneSlice: GpufleetStackRule = {
  name: "gpu-request-is-one-slice",
  description: `On time-sliced pools a replica requests exactly one ${GPU_RESOURCE} slice, and the device plugin refuses requests for more (failRequestsGreaterThanOne).`,
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const checks = new UnknownTolerantChecks();
    checkGpuDeployments(args, checks, (deployment, containers, pools) => {
      const props = deployment.props;
      const sliced = selectedPools(props).flatMap((pool) =>
        (pools.get(pool) ?? []).filter((g) => (g.slicesPerGpu ?? 1) > 1).map((g) => ({ pool, group: g })),
      );
      const first = sliced[0];
      if (!first) {
        return;
      }
      for (const container of containers) {
        if (container.gpus !== 1) {
          report(
            `Deployment ${k8sName(props, deployment.name)} container "${container.name}" requests ${JSON.stringify(container.raw)} ${GPU_RESOURCE} on time-sliced pool "${first.pool}" (${first.group.slicesPerGpu} slices per GPU): request exactly 1 slice.`,
            deployment.urn,
          );
        }
      }
    });
    for (const release of ofType(args, HELM_RELEASE)) {
      checks.run(() => {
        const chart = asString(release.props.chart) ?? "";
        if (!chart.includes("nvidia-device-plugin")) {
          return;
        }
        const releaseName = asString(release.props.name) ?? release.name;
        for (const [key, config] of devicePluginConfigs(release.props)) {
          const timeSlicing = path(config, "sharing", "timeSlicing");
          const replicas = asArray(path(timeSlicing, "resources"))
            .filter((r) => asString(path(r, "name")) === GPU_RESOURCE)
            .map((r) => asNumber(path(r, "replicas")) ?? 1);
          const slices = Math.max(1, ...replicas);
          if (slices > 1 && path(timeSlicing, "failRequestsGreaterThanOne") !== true) {
            report(
              `device plugin Release "${releaseName}" config "${key}" splits ${GPU_RESOURCE} into ${slices} slices without failRequestsGreaterThanOne: true, so one pod could take several slices and more memory than its pool allows.`,
              release.urn,
            );
          }
        }
      });
    }
    checks.finish();
  },
};
