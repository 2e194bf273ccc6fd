/**
 * Simulator speed targets (BENCHMARKS.md, "Simulator speed"): one 7-day run of one endpoint
 * at an average of 10 requests/s under 15 s; a full comparison (every policy, 27 settings x
 * 5 seeds, on worker threads) of 3 days at a peak of 20 requests/s under 10 minutes on 2
 * cores. Prints both times against their targets, then the full comparison's results.
 * Run: npx tsx bench/sim.ts [--settings N --seeds N] [--json FILE]
 * (fewer settings or seeds time a part of the full bench; --json keeps the comparison's
 * `gpufleet bench --json` document)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchJson, summaryTable } from "../cli/bench";
import { DEFAULT_LIFECYCLE, DEFAULT_SLO_TARGET } from "../sim/constants";
import { runComparison, scenarioFromTrace } from "../sim/index";
import { loadBundled } from "../sim/parallel/bundled.cjs";
import type { JobContext } from "../sim/parallel/job";
import { DEFAULT_KNOBS, DEFAULT_SEEDS, DEFAULT_SETTINGS } from "../sim/sweep";
import { buildWorkload } from "../sim/workload";

const WEEK_TARGET_SECONDS = 15;
const FULL_BENCH_TARGET_SECONDS = 600;

/** A diurnal per-minute envelope (peak mid-afternoon, trough at night) with a few bursts. */
function diurnalCsv(days: number): string {
  const lines = ["minute,count"];
  for (let m = 0; m < days * 1440; m++) {
    const hour = (m % 1440) / 60;
    const base = 0.55 + 0.45 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const burst = m % 997 < 6 ? 1.5 : 1;
    lines.push(`${m},${Math.round(1000 * base * burst)}`);
  }
  return `${lines.join("\n")}\n`;
}

function meanRate(counts: Float64Array, durationSeconds: number): number {
  let n = 0;
  for (const c of counts) n += c;
  return n / durationSeconds;
}

function verdict(seconds: number, target: number): string {
  return `${seconds.toFixed(1)} s (target under ${target} s: ${seconds < target ? "met" : "NOT met"})`;
}

/** One 7-day run of reactive at its defaults, run as a worker thread runs it (the bundled engine). */
function timeWeek(dir: string): void {
  const week = join(dir, "week.csv");
  writeFileSync(week, diurnalCsv(7));
  // Scale the week so its average is 10 requests/s: peak/avg of the envelope is known after one pass.
  const probe = buildWorkload(scenarioFromTrace({ trace: week, peakRps: 20 }), 1);
  const avg = meanRate(probe.endpoints[0]?.perMinute ?? new Float64Array(), probe.durationSeconds);
  const scenario = scenarioFromTrace({ trace: week, peakRps: (20 * 10) / avg });
  const { jobRunner } = loadBundled(
    join(__dirname, "..", "sim", "parallel", "job.ts"),
  ) as typeof import("../sim/parallel/job");
  const ctx: JobContext = {
    scenario,
    lifecycle: DEFAULT_LIFECYCLE,
    releaseOnSigterm: true,
    sloOnLatency: false,
    target: DEFAULT_SLO_TARGET,
  };
  const t0 = performance.now();
  const result = jobRunner(ctx)({
    kind: "run",
    id: 0,
    policy: "reactive",
    knobs: DEFAULT_KNOBS,
    seed: 1,
    detail: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (!("run" in result)) throw new Error("the 7-day job returned no run");
  const requests = buildWorkload(scenario, 1).time.length;
  console.log(
    `7 days, one endpoint, 10 req/s average (${requests} requests), reactive at its defaults, arrivals built and run: ${verdict(seconds, WEEK_TARGET_SECONDS)}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { settings: { type: "string" }, seeds: { type: "string" }, json: { type: "string" } },
  });
  const settings = Number(values.settings ?? DEFAULT_SETTINGS);
  const seeds = Number(values.seeds ?? DEFAULT_SEEDS);
  const dir = mkdtempSync(join(tmpdir(), "gpufleet-bench-"));
  try {
    timeWeek(dir);

    const three = join(dir, "three-days.csv");
    writeFileSync(three, diurnalCsv(3));
    const t1 = performance.now();
    let runs = 0;
    const report = await runComparison(
      { scenario: scenarioFromTrace({ trace: three, peakRps: 20 }), settings, seeds },
      () => {
        runs++;
      },
    );
    const seconds = (performance.now() - t1) / 1000;
    const full = settings >= DEFAULT_SETTINGS && seeds >= DEFAULT_SEEDS;
    console.log(
      `bench, 3 days at peak 20 req/s, every policy, ${settings} settings x ${seeds} seeds, ${runs} jobs: ` +
        (full ? verdict(seconds, FULL_BENCH_TARGET_SECONDS) : `${seconds.toFixed(1)} s (a part of the full bench)`),
    );
    console.log(
      `\n${summaryTable(report.summaries)}\nlower bound: ${report.lowerBoundUsd === null ? "n/a" : `$${report.lowerBoundUsd.toFixed(2)}`}`,
    );
    if (values.json) writeFileSync(values.json, `${JSON.stringify(benchJson(report), null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
