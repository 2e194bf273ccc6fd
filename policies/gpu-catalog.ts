/**
 * GPU facts of the EC2 instance types a GPU pool may use (AWS EC2 accelerated-computing
 * instance pages). Rules use it to count GPUs and to tell GPU models apart; an instance type
 * missing here is reported, not guessed.
 */
export interface GpuInstanceFacts {
  gpuModel: string;
  gpus: number;
  gpuMemoryGiBPerGpu: number;
}

const family = (
  model: string,
  memoryGiB: number,
  sizes: Record<string, number>,
  name: string,
): [string, GpuInstanceFacts][] =>
  Object.entries(sizes).map(([size, gpus]) => [
    `${name}.${size}`,
    { gpuModel: model, gpus, gpuMemoryGiBPerGpu: memoryGiB },
  ]);

const G_SIZES = {
  xlarge: 1,
  "2xlarge": 1,
  "4xlarge": 1,
  "8xlarge": 1,
  "16xlarge": 1,
  "12xlarge": 4,
  "24xlarge": 4,
  "48xlarge": 8,
};

export const GPU_INSTANCES: ReadonlyMap<string, GpuInstanceFacts> = new Map([
  ...family(
    "T4",
    16,
    { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, metal: 8 },
    "g4dn",
  ),
  ...family("A10G", 24, G_SIZES, "g5"),
  ...family("L4", 24, G_SIZES, "g6"),
  ...family("L40S", 48, G_SIZES, "g6e"),
  ...family("V100", 16, { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 }, "p3"),
  ...family("A100", 40, { "24xlarge": 8 }, "p4d"),
  ...family("A100-80GB", 80, { "24xlarge": 8 }, "p4de"),
  ...family("H100", 80, { "48xlarge": 8 }, "p5"),
  ...family("H200", 141, { "48xlarge": 8 }, "p5en"),
]);

/** `g5` for `g5.12xlarge`. */
export function instanceFamily(instanceType: string): string {
  return instanceType.split(".")[0] ?? instanceType;
}
