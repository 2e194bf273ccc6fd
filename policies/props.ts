import { GPU_RESOURCE, GPU_TAINT, LABELS } from "../functions/contract";
import type { Props } from "./policy-kit";

/**
 * Safe readers for resource props. Props are whatever the program passed (or nothing), so
 * every reader tolerates a missing or mistyped field and answers "absent" instead of throwing.
 * Reading an unknown value still throws the engine's UnknownValueError, by design.
 */

export function asObject(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Numbers, and numeric strings (Kubernetes quantities and labels are strings). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

export function asStringArray(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === "string");
}

/** Walks a path of object keys; undefined as soon as one is missing. */
export function path(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const obj = asObject(current);
    if (!obj) {
      return undefined;
    }
    current = obj[key];
  }
  return current;
}

// ---- Kubernetes workloads ----------------------------------------------------------------

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** `namespace/name` of a Kubernetes object, falling back to the Pulumi resource name. */
export function k8sName(props: Props, resourceName: string): string {
  const name = asString(path(props, "metadata", "name")) ?? resourceName;
  const namespace = asString(path(props, "metadata", "namespace")) ?? "default";
  return `${namespace}/${name}`;
}

export function podSpec(deployment: Props): Props | undefined {
  return asObject(path(deployment, "spec", "template", "spec"));
}

export interface GpuContainer {
  name: string;
  /** The `nvidia.com/gpu` limit (or request when no limit is given), as written. */
  gpus: number | undefined;
  raw: unknown;
}

/** Containers that ask for the GPU resource, in limits or requests. */
export function gpuContainers(deployment: Props): GpuContainer[] {
  const spec = podSpec(deployment);
  const containers = [...asArray(spec?.containers), ...asArray(spec?.initContainers)];
  const found: GpuContainer[] = [];
  for (const [index, container] of containers.entries()) {
    const resources = asObject(path(container, "resources"));
    const limit = path(resources, "limits", GPU_RESOURCE);
    const request = path(resources, "requests", GPU_RESOURCE);
    const raw = limit ?? request;
    if (raw === undefined || raw === null) {
      continue;
    }
    found.push({
      name: asString(path(container, "name")) ?? `#${index}`,
      gpus: asNumber(raw),
      raw,
    });
  }
  return found;
}

/** The pools a pod is pinned to: a required node affinity or a nodeSelector on the pool label. */
export function selectedPools(deployment: Props): string[] {
  const spec = podSpec(deployment);
  const pools = new Set<string>();
  const selector = asString(path(spec, "nodeSelector", LABELS.pool));
  if (selector) {
    pools.add(selector);
  }
  const terms = asArray(
    path(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"),
  );
  for (const term of terms) {
    for (const expression of asArray(path(term, "matchExpressions"))) {
      if (asString(path(expression, "key")) === LABELS.pool && asString(path(expression, "operator")) === "In") {
        for (const value of asStringArray(path(expression, "values"))) {
          pools.add(value);
        }
      }
    }
  }
  return [...pools];
}

/** True when one toleration lets the pod onto nodes with the GPU taint. */
export function toleratesGpuTaint(deployment: Props): boolean {
  return asArray(podSpec(deployment)?.tolerations).some((toleration) => {
    const key = asString(path(toleration, "key"));
    const operator = asString(path(toleration, "operator")) ?? "Equal";
    const effect = asString(path(toleration, "effect"));
    const effectMatches = effect === undefined || effect === "" || effect === GPU_TAINT.effect;
    if (operator === "Exists") {
      return (key === undefined || key === "" || key === GPU_TAINT.key) && effectMatches;
    }
    return key === GPU_TAINT.key && asString(path(toleration, "value")) === GPU_TAINT.value && effectMatches;
  });
}

/** The GPU memory a replica declares (pod template annotation, else the Deployment's own). */
export function declaredGpuMemoryMiB(deployment: Props): number | undefined {
  return (
    asNumber(path(deployment, "spec", "template", "metadata", "annotations", LABELS.gpuMemoryMiB)) ??
    asNumber(path(deployment, "metadata", "annotations", LABELS.gpuMemoryMiB))
  );
}

// ---- EKS node groups ------------------------------------------------------------------------

export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

export interface NodeGroupView {
  /** The node group's name (its `nodeGroupName`, else the Pulumi resource name). */
  name: string;
  pool: string | undefined;
  capacityType: "SPOT" | "ON_DEMAND";
  instanceTypes: string[];
  maxSize: number | undefined;
  slicesPerGpu: number | undefined;
  gpuMemoryPerSliceMiB: number | undefined;
  tainted: boolean;
}

export function nodeGroupView(props: Props, resourceName: string): NodeGroupView {
  const labels = asObject(props.labels);
  const taints = asArray(props.taints);
  return {
    name: asString(props.nodeGroupName) ?? resourceName,
    pool: asString(labels?.[LABELS.pool]),
    // EKS's default when capacityType is omitted is ON_DEMAND.
    capacityType: asString(props.capacityType) === "SPOT" ? "SPOT" : "ON_DEMAND",
    instanceTypes: asStringArray(props.instanceTypes),
    maxSize: asNumber(path(props, "scalingConfig", "maxSize")),
    slicesPerGpu: asNumber(labels?.[LABELS.slicesPerGpu]),
    gpuMemoryPerSliceMiB: asNumber(labels?.[LABELS.gpuMemoryPerSliceMiB]),
    tainted: taints.some((t) => asString(path(t, "key")) === GPU_TAINT.key),
  };
}
