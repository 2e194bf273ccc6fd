/**
 * What a GPU node leaves for pods, so endpoint CPU/memory requests can be sized to let every
 * time-slice of a node hold a replica. Pure; no lookups.
 *
 * EKS node images reserve resources for the kubelet and the container runtime from the node's
 * size (amazon-eks-ami, nodeadm `internal/kubelet/config.go` for AL2023, the same formula as the
 * AL2 bootstrap.sh and Bottlerocket's `memory_mebibytes_to_reserve`/`cpu_millicores_to_reserve`):
 * - kube-reserved memory = 11 MiB × maxPods + 255 MiB;
 * - kube-reserved CPU = 6% of the first core, 1% of the second, 0.5% of the third and fourth,
 *   0.25% of every core above four;
 * - hard eviction threshold memory.available < 100 MiB (taken from allocatable as well);
 * - no system-reserved by default.
 * maxPods is the VPC CNI's ENI limit for the type (amazon-eks-ami `eni-max-pods.txt`). The
 * memory the kubelet sees is below the nominal size (hypervisor and kernel): 7.5% is taken
 * off, Karpenter's default `vmMemoryOverheadPercent`.
 */

/** vCPUs, nominal memory (GiB) and ENI max pods of one instance type. */
export interface InstanceShape {
  vcpus: number;
  memoryGiB: number;
  maxPods: number;
}

const shape = (vcpus: number, memoryGiB: number, maxPods: number): InstanceShape => ({ vcpus, memoryGiB, maxPods });

/** The GPU instance types of the GPU catalog's families (functions/gpu-catalog.ts), from the EC2 instance type pages. */
export const INSTANCE_SHAPES: Readonly<Record<string, InstanceShape>> = {
  "g4dn.xlarge": shape(4, 16, 29),
  "g4dn.2xlarge": shape(8, 32, 29),
  "g4dn.4xlarge": shape(16, 64, 29),
  "g4dn.8xlarge": shape(32, 128, 58),
  "g4dn.12xlarge": shape(48, 192, 234),
  "g4dn.16xlarge": shape(64, 256, 58),
  "g4dn.metal": shape(96, 384, 737),
  "g5.xlarge": shape(4, 16, 58),
  "g5.2xlarge": shape(8, 32, 58),
  "g5.4xlarge": shape(16, 64, 234),
  "g5.8xlarge": shape(32, 128, 234),
  "g5.12xlarge": shape(48, 192, 737),
  "g5.16xlarge": shape(64, 256, 234),
  "g5.24xlarge": shape(96, 384, 737),
  "g5.48xlarge": shape(192, 768, 345),
  "g6.xlarge": shape(4, 16, 58),
  "g6.2xlarge": shape(8, 32, 58),
  "g6.4xlarge": shape(16, 64, 234),
  "g6.8xlarge": shape(32, 128, 234),
  "g6.12xlarge": shape(48, 192, 234),
  "g6.16xlarge": shape(64, 256, 737),
  "g6.24xlarge": shape(96, 384, 737),
  "g6.48xlarge": shape(192, 768, 737),
  "gr6.4xlarge": shape(16, 128, 234),
  "gr6.8xlarge": shape(32, 256, 234),
  "g6e.xlarge": shape(4, 32, 58),
  "g6e.2xlarge": shape(8, 64, 58),
  "g6e.4xlarge": shape(16, 128, 234),
  "g6e.8xlarge": shape(32, 256, 234),
  "g6e.12xlarge": shape(48, 384, 293),
  "g6e.16xlarge": shape(64, 512, 737),
  "g6e.24xlarge": shape(96, 768, 492),
  "g6e.48xlarge": shape(192, 1536, 737),
  "p3.2xlarge": shape(8, 61, 58),
  "p3.8xlarge": shape(32, 244, 234),
  "p3.16xlarge": shape(64, 488, 234),
  "p3dn.24xlarge": shape(96, 768, 737),
  "p4d.24xlarge": shape(96, 1152, 737),
  "p4de.24xlarge": shape(96, 1152, 737),
  "p5.48xlarge": shape(192, 2048, 100),
  "p5e.48xlarge": shape(192, 2048, 100),
  "p5en.48xlarge": shape(192, 2048, 100),
};

/** Share of nominal memory the kubelet does not see (Karpenter's default VM overhead). */
export const VM_MEMORY_OVERHEAD = 0.075;
export const EVICTION_HARD_MIB = 100;
/**
 * Left for the per-node agents every GPU node runs besides the endpoints (aws-node, kube-proxy,
 * the Pod Identity agent, the device plugin): their requests come out of the same allocatable.
 */
export const NODE_AGENTS_RESERVE = { cpuMillis: 300, memoryMiB: 512 } as const;

/** kube-reserved CPU, millicores, for a node with `vcpus` cores. */
export function kubeReservedCpuMillis(vcpus: number): number {
  const steps: [cores: number, percent: number][] = [
    [1, 6],
    [1, 1],
    [2, 0.5],
    [Number.POSITIVE_INFINITY, 0.25],
  ];
  let left = vcpus;
  let millis = 0;
  for (const [cores, percent] of steps) {
    const used = Math.min(left, cores);
    millis += used * 1000 * (percent / 100);
    left -= used;
    if (left <= 0) break;
  }
  return Math.ceil(millis);
}

/** kube-reserved memory, MiB, for a node allowed `maxPods` pods. */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** CPU and memory a node leaves for pods, with the per-node agents' share taken off. */
export interface NodeAllocatable {
  cpuMillis: number;
  memoryMiB: number;
}

/** What one instance type leaves for endpoint pods; undefined for a type not in the table. */
export function allocatableFor(instanceType: string): NodeAllocatable | undefined {
  const s = INSTANCE_SHAPES[instanceType];
  if (!s) return undefined;
  const capacityMiB = Math.floor(s.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD));
  return {
    cpuMillis: s.vcpus * 1000 - kubeReservedCpuMillis(s.vcpus) - NODE_AGENTS_RESERVE.cpuMillis,
    memoryMiB: capacityMiB - kubeReservedMemoryMiB(s.maxPods) - EVICTION_HARD_MIB - NODE_AGENTS_RESERVE.memoryMiB,
  };
}

/** A pool as the request sizing needs it. */
export interface SlicedPool {
  instanceTypes: readonly string[];
  gpusPerNode: number;
  slicesPerGpu: number;
}

/** One replica's fair share of a pool's smallest node, and where it comes from. */
export interface SliceShare {
  /** The instance type with the least to give (the one every request must fit). */
  instanceType: string;
  /** Replicas one node holds: GPUs × slices per GPU. */
  replicasPerNode: number;
  node: NodeAllocatable;
  cpuMillis: number;
  memoryMiB: number;
}

/**
 * The CPU and memory one slice of the pool may request so that every slice of its smallest
 * node can hold a replica; undefined when an instance type is not in the table.
 */
export function sliceShare(pool: SlicedPool): SliceShare | undefined {
  const nodes: { instanceType: string; node: NodeAllocatable }[] = [];
  for (const instanceType of pool.instanceTypes) {
    const node = allocatableFor(instanceType);
    if (!node) return undefined;
    nodes.push({ instanceType, node });
  }
  const first = nodes[0];
  if (!first) return undefined;
  const cpuMillis = Math.min(...nodes.map((n) => n.node.cpuMillis));
  const memoryMiB = Math.min(...nodes.map((n) => n.node.memoryMiB));
  const smallest = nodes.find((n) => n.node.memoryMiB === memoryMiB) ?? first;
  const replicasPerNode = Math.max(1, pool.gpusPerNode * pool.slicesPerGpu);
  return {
    instanceType: smallest.instanceType,
    replicasPerNode,
    node: { cpuMillis, memoryMiB },
    cpuMillis: Math.floor(cpuMillis / replicasPerNode),
    memoryMiB: Math.floor(memoryMiB / replicasPerNode),
  };
}
