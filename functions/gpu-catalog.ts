/**
 * GPU model, memory per GPU and GPUs per node of the EC2 GPU instance types gpufleet knows
 * (EC2 accelerated-computing instance pages), and the per-slice memory formula. One table
 * for the components, the policy pack and the stack config: they must agree on what a
 * node offers. A pool may override memory and count only for a family missing here.
 */

export interface GpuFamily {
  /** The GPU model: instance types in one pool must share it. */
  gpuModel: string;
  /** Memory of one GPU, GiB. */
  gpuMemoryGiB: number;
  /** GPUs per node by instance size; sizes not listed have no GPU figure here. */
  gpusBySize: Readonly<Record<string, number>>;
}

const oneGpu = (sizes: string[]): Record<string, number> => Object.fromEntries(sizes.map((s) => [s, 1]));
const G_SIZES = {
  ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
  "12xlarge": 4,
  "24xlarge": 4,
  "48xlarge": 8,
};

export const GPU_FAMILIES: Readonly<Record<string, GpuFamily>> = {
  g4dn: {
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 16,
    gpusBySize: { ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]), "12xlarge": 4, metal: 8 },
  },
  g5: { gpuModel: "NVIDIA A10G", gpuMemoryGiB: 24, gpusBySize: G_SIZES },
  g6: { gpuModel: "NVIDIA L4", gpuMemoryGiB: 24, gpusBySize: G_SIZES },
  gr6: { gpuModel: "NVIDIA L4", gpuMemoryGiB: 24, gpusBySize: oneGpu(["4xlarge", "8xlarge"]) },
  g6e: { gpuModel: "NVIDIA L40S", gpuMemoryGiB: 48, gpusBySize: G_SIZES },
  p3: { gpuModel: "NVIDIA V100 16GB", gpuMemoryGiB: 16, gpusBySize: { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 } },
  p3dn: { gpuModel: "NVIDIA V100 32GB", gpuMemoryGiB: 32, gpusBySize: { "24xlarge": 8 } },
  p4d: { gpuModel: "NVIDIA A100 40GB", gpuMemoryGiB: 40, gpusBySize: { "24xlarge": 8 } },
  p4de: { gpuModel: "NVIDIA A100 80GB", gpuMemoryGiB: 80, gpusBySize: { "24xlarge": 8 } },
  p5: { gpuModel: "NVIDIA H100", gpuMemoryGiB: 80, gpusBySize: { "48xlarge": 8 } },
  // p5e and p5en carry the same eight H200s (p5en adds faster networking): one model.
  p5e: { gpuModel: "NVIDIA H200", gpuMemoryGiB: 141, gpusBySize: { "48xlarge": 8 } },
  p5en: { gpuModel: "NVIDIA H200", gpuMemoryGiB: 141, gpusBySize: { "48xlarge": 8 } },
};

/** What gpufleet knows about one instance type: undefined fields are unknown. */
export interface InstanceGpuInfo {
  family: string;
  size: string;
  gpuModel?: string;
  gpuMemoryGiB?: number;
  gpusPerNode?: number;
}

/** `g5` for `g5.12xlarge`. */
export function instanceFamily(instanceType: string): string {
  const dot = instanceType.indexOf(".");
  return dot < 0 ? instanceType : instanceType.slice(0, dot);
}

/** Splits "g5.12xlarge" into family and size and looks both up. */
export function instanceGpuInfo(instanceType: string): InstanceGpuInfo {
  const family = instanceFamily(instanceType);
  const size = instanceType.length > family.length ? instanceType.slice(family.length + 1) : "";
  const known = Object.hasOwn(GPU_FAMILIES, family) ? GPU_FAMILIES[family] : undefined;
  if (!known) return { family, size };
  const info: InstanceGpuInfo = { family, size, gpuModel: known.gpuModel, gpuMemoryGiB: known.gpuMemoryGiB };
  if (Object.hasOwn(known.gpusBySize, size)) info.gpusPerNode = known.gpusBySize[size];
  return info;
}

/** A fully known GPU instance type (model, memory and GPU count), or undefined. */
export interface GpuInstanceFacts {
  gpuModel: string;
  gpuMemoryGiB: number;
  gpusPerNode: number;
}

export function gpuInstance(instanceType: string): GpuInstanceFacts | undefined {
  const info = instanceGpuInfo(instanceType);
  if (info.gpuModel === undefined || info.gpuMemoryGiB === undefined || info.gpusPerNode === undefined) {
    return undefined;
  }
  return { gpuModel: info.gpuModel, gpuMemoryGiB: info.gpuMemoryGiB, gpusPerNode: info.gpusPerNode };
}

/** GPU memory one time-slice may count on, MiB, rounded down: slices share the GPU's memory with no isolation. */
export function gpuMemoryMiBPerSlice(gpuMemoryGiB: number, slicesPerGpu: number): number {
  return Math.floor((gpuMemoryGiB * 1024) / slicesPerGpu);
}
