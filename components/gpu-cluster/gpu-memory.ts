/**
 * GPU model, memory per GPU and GPUs per node of the common EC2 GPU instance families.
 * Figures are from the EC2 accelerated-computing instance pages; a pool can override both
 * (`gpuMemoryGiB`, `gpusPerNode`) for a family not listed here.
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

export const GPU_FAMILIES: Readonly<Record<string, GpuFamily>> = {
  g4dn: {
    gpuModel: "NVIDIA T4",
    gpuMemoryGiB: 16,
    gpusBySize: { ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]), "12xlarge": 4, metal: 8 },
  },
  g5: {
    gpuModel: "NVIDIA A10G",
    gpuMemoryGiB: 24,
    gpusBySize: {
      ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
      "12xlarge": 4,
      "24xlarge": 4,
      "48xlarge": 8,
    },
  },
  g6: {
    gpuModel: "NVIDIA L4",
    gpuMemoryGiB: 24,
    gpusBySize: {
      ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
      "12xlarge": 4,
      "24xlarge": 4,
      "48xlarge": 8,
    },
  },
  gr6: { gpuModel: "NVIDIA L4", gpuMemoryGiB: 24, gpusBySize: oneGpu(["4xlarge", "8xlarge"]) },
  g6e: {
    gpuModel: "NVIDIA L40S",
    gpuMemoryGiB: 48,
    gpusBySize: {
      ...oneGpu(["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
      "12xlarge": 4,
      "24xlarge": 4,
      "48xlarge": 8,
    },
  },
  p3: { gpuModel: "NVIDIA V100 16GB", gpuMemoryGiB: 16, gpusBySize: { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 } },
  p3dn: { gpuModel: "NVIDIA V100 32GB", gpuMemoryGiB: 32, gpusBySize: { "24xlarge": 8 } },
  p4d: { gpuModel: "NVIDIA A100 40GB", gpuMemoryGiB: 40, gpusBySize: { "24xlarge": 8 } },
  p4de: { gpuModel: "NVIDIA A100 80GB", gpuMemoryGiB: 80, gpusBySize: { "24xlarge": 8 } },
  p5: { gpuModel: "NVIDIA H100", gpuMemoryGiB: 80, gpusBySize: { "48xlarge": 8 } },
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

/** Splits "g5.12xlarge" into family and size and looks both up. */
export function instanceGpuInfo(instanceType: string): InstanceGpuInfo {
  const dot = instanceType.indexOf(".");
  const family = dot < 0 ? instanceType : instanceType.slice(0, dot);
  const size = dot < 0 ? "" : instanceType.slice(dot + 1);
  const known = GPU_FAMILIES[family];
  if (!known) return { family, size };
  return {
    family,
    size,
    gpuModel: known.gpuModel,
    gpuMemoryGiB: known.gpuMemoryGiB,
    gpusPerNode: known.gpusBySize[size],
  };
}

/** GPU memory one time-slice may count on, MiB, rounded down: slices share the GPU's memory with no isolation. */
export function gpuMemoryMiBPerSlice(gpuMemoryGiB: number, slicesPerGpu: number): number {
  return Math.floor((gpuMemoryGiB * 1024) / slicesPerGpu);
}
