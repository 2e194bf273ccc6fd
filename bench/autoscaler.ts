/**
 * Autoscaler benchmark (not a test): one tick's decision time for 500 endpoints with 14 days
 * of per-minute history, on the core bundled by esbuild as the Lambda runs it (run in place
 * by tsx, every call into another module would be a getter call the Lambda never makes). The
 * bundle's size and cold load: bench/bundles.ts.
 * Run: npx tsx bench/autoscaler.ts
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { AutoscalerSettings, EndpointInput } from "../functions/autoscaler/core/types";
import { loadBundled } from "../sim/parallel/bundled.cjs";

const { decideReplicas } = loadBundled(
  join(__dirname, "..", "functions", "autoscaler", "core", "index.ts"),
) as typeof import("../functions/autoscaler/core");

const ENDPOINTS = 500;
const DAYS = 14;
const RUNS = 9;
const MINUTE = 60_000;
const NOW = Date.UTC(2024, 0, 15, 12, 0, 30);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Daily and weekly cycles with noise from a fixed-seed generator: the same input every run. */
function fleet(): EndpointInput[] {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const minutes = DAYS * 1440;
  const startMs = Math.floor(NOW / MINUTE) * MINUTE - minutes * MINUTE;
  return Array.from({ length: ENDPOINTS }, (_, e) => {
    const base = 20 + 400 * random();
    const values = new Array<number | null>(minutes);
    for (let i = 0; i < minutes; i++) {
      const day = Math.sin((2 * Math.PI * (i % 1440)) / 1440);
      const weekend = Math.floor(i / 1440) % 7 >= 5 ? 0.5 : 1;
      values[i] =
        random() < 0.001 ? null : Math.max(0, Math.round(base * weekend * (1 + 0.6 * day) + 10 * (random() - 0.5)));
    }
    return {
      name: `model-${e}`,
      profile: {
        secondsPerRequest: 0.5 + 3 * random(),
        concurrencyPerReplica: 4,
        modelLoadSeconds: 40,
        sloSeconds: 30,
        minReplicas: 1,
        maxReplicas: 200,
      },
      slicesPerGpu: 1 + (e % 4),
      leadTimeSeconds: 360,
      arrivals: { startMs, values },
      queue: { visible: Math.round(50 * random()), inFlight: 8, oldestMessageAgeSeconds: 5, observedAtMs: NOW },
      published: [{ atMs: NOW - MINUTE, replicas: 10 }],
    };
  });
}

interface Times {
  median: number;
  min: number;
  max: number;
  /** Median CPU time of the process (user + system): on a shared machine, waiting for a core inflates the wall time, not this. */
  cpuMedian: number;
}

/** Runs of the settings variants interleaved, so a load that comes and goes weighs on each alike. */
function decideTimes(variants: Partial<AutoscalerSettings>[]): Times[] {
  const endpoints = fleet();
  for (const settings of variants) decideReplicas({ nowMs: NOW, endpoints }, settings); // warm-up: JIT
  const times: number[][] = variants.map(() => []);
  const cpu: number[][] = variants.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    variants.forEach((settings, v) => {
      const usage = process.cpuUsage();
      const t = performance.now();
      decideReplicas({ nowMs: NOW, endpoints }, settings);
      times[v]?.push(performance.now() - t);
      const used = process.cpuUsage(usage);
      cpu[v]?.push((used.user + used.system) / 1000);
    });
  }
  return times.map((ts, v) => ({
    median: median(ts),
    min: Math.min(...ts),
    max: Math.max(...ts),
    cpuMedian: median(cpu[v] ?? []),
  }));
}

async function main(): Promise<void> {
  const [decide, uniform] = decideTimes([{}, { budgetWindowMinutes: 0 }]);
  console.log(`autoscaler benchmark (node ${process.version}, ${RUNS} runs, median)`);
  for (const [label, t] of [
    ["decide", decide],
    ["decide without the surprise reserve (budgetWindowMinutes 0)", uniform],
  ] as const) {
    if (!t) continue;
    console.log(
      `  ${label}, ${ENDPOINTS} endpoints x ${DAYS} days of minutes: ${t.median.toFixed(1)} ms (min ${t.min.toFixed(1)}, max ${t.max.toFixed(1)}; CPU ${t.cpuMedian.toFixed(1)} ms)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
