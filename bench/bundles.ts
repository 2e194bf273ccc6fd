/**
 * Lambda bundle benchmark (not a test): builds dist/lambda afresh and reports each bundle's
 * size and its cold load, the time a fresh Node.js process takes to require it (what a
 * Lambda cold start adds on top of the runtime's own start), as wall time and as the CPU time
 * the process spent (which a busy machine inflates far less). Targets: at most 500 KB and
 * under 150 ms per bundle.
 * Run: npx tsx bench/bundles.ts
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FLEET_CONFIG_FILE, type FleetConfig } from "../functions/autoscaler/config";
import { RUNTIME_CONFIG_FILE, type RuntimeConfig } from "../functions/rebalancer/settings";
import { buildFunctions } from "../scripts/build-functions";

const RUNS = 9;
const MAX_BYTES = 500 * 1000;
const MAX_COLD_LOAD_MS = 150;

const pool = (name: string, capacityType: "spot" | "on-demand") => ({
  name,
  capacityType,
  fallback: capacityType === "on-demand",
  instanceTypes: ["g5.xlarge"],
  gpusPerNode: 1,
  slicesPerGpu: 4,
  minNodes: 0,
  maxNodes: 4,
  asgNames: [`eks-${name}`],
});

/**
 * The configuration file each handler reads at its cold start, beside the bundle, and its
 * environment: the handlers parse both at module load, so the require is the real cold start.
 */
const SIDE_FILES: Record<string, { file: string; content: string; env: Record<string, string> }> = {
  autoscaler: {
    file: FLEET_CONFIG_FILE,
    content: JSON.stringify({ version: 1, endpoints: [] } satisfies FleetConfig),
    env: {},
  },
  rebalancer: {
    file: RUNTIME_CONFIG_FILE,
    content: JSON.stringify({
      clusterName: "bench",
      accountId: "123456789012",
      region: "us-east-1",
      pools: [pool("spot", "spot"), pool("od", "on-demand")],
    } satisfies RuntimeConfig),
    env: { TABLE_NAME: "bench" },
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median wall and CPU time of `require(index.js)` in a fresh process, run RUNS times. */
function coldLoadMs(name: string, bundle: string): { wall: number; cpu: number } {
  const dir = mkdtempSync(join(tmpdir(), `gpufleet-bench-${name}-`));
  try {
    copyFileSync(bundle, join(dir, "index.js"));
    const side = SIDE_FILES[name];
    if (side) writeFileSync(join(dir, side.file), side.content);
    const script = `const t=process.hrtime.bigint(),c=process.cpuUsage();require(${JSON.stringify(join(dir, "index.js"))});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([Number(process.hrtime.bigint()-t)/1e6,(u.user+u.system)/1e3]));`;
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const out = execFileSync(process.execPath, ["-e", script], {
        // The SDK warns on stderr when the local Node.js is older than the Lambda runtime; not part of the figure.
        stdio: ["ignore", "pipe", "ignore"],
        env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", LAMBDA_TASK_ROOT: dir, ...side?.env },
      });
      const [wall, cpu] = JSON.parse(out.toString()) as [number, number];
      walls.push(wall);
      cpus.push(cpu);
    }
    return { wall: median(walls), cpu: median(cpus) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`Lambda bundles (node ${process.version}, cold load = median of ${RUNS} fresh processes)`);
  const built = await buildFunctions();
  let failed = false;
  for (const b of built) {
    const load = coldLoadMs(b.name, b.path);
    // Judged on CPU time: on a shared machine the wall time is mostly waiting for a core.
    const ok = b.bytes <= MAX_BYTES && load.cpu < MAX_COLD_LOAD_MS;
    failed ||= !ok;
    console.log(
      `  ${b.name.padEnd(11)} ${(b.bytes / 1000).toFixed(1).padStart(7)} KB (${(b.gzipBytes / 1000).toFixed(1)} KB gzip)  cold load ${load.wall.toFixed(1).padStart(6)} ms (CPU ${load.cpu.toFixed(1)} ms)  ${ok ? "within" : "OVER"} target (≤ ${MAX_BYTES / 1000} KB, < ${MAX_COLD_LOAD_MS} ms)`,
    );
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
