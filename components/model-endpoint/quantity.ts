/**
 * Kubernetes resource quantities as endpoint requests use them: CPU in cores or millicores
 * ("2", "0.5", "900m"), memory in bytes with a binary or decimal suffix ("8Gi", "3500Mi", "4G").
 * Anything else is refused rather than guessed.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTOR: Record<string, number> = {
  "": 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Millicores of a CPU quantity; undefined when it is not one. */
export function cpuMillis(quantity: string): number | undefined {
  const m = CPU.exec(quantity);
  if (!m) return undefined;
  const value = Number(m[1]);
  return m[2] === "m" ? value : value * 1000;
}

/** MiB of a memory quantity; undefined when it is not one. */
export function memoryMiB(quantity: string): number | undefined {
  const m = MEMORY.exec(quantity);
  if (!m) return undefined;
  return (Number(m[1]) * (MEMORY_FACTOR[m[2] ?? ""] ?? 1)) / 1024 ** 2;
}
