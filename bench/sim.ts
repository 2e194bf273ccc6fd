/**
 * Simulator speed targets (BENCHMARKS.md): one 7-day run of one endpoint at an average of
 * 10 requests/s under 15 s; a full comparison (every policy, 27 settings x 5 seeds, on
 * worker threads) of 3 days at a peak of 20 requests/s under 10 minutes on 2 cores.
 * Run: npx tsx bench/sim.ts [--settings N --seeds N] (fewer to time a part of the full bench)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_LIFECYCLE } from "../sim/constants";
import { runPolicy } from "../sim/engine/run";
import { runComparison, scenarioFromTrace } from "../sim/index";
import { POLICIES } from "../sim/policies/index";
import { DEFAULT_KNOBS, DEFAULT_SEEDS, DEFAULT_SETTINGS } from "../sim/sweep";
import { buildWorkload } from "../sim/workload";

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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { settings: { type: "string" }, seeds: { type: "string" } } });
  const settings = Number(values.settings ?? DEFAULT_SETTINGS);
  const seeds = Number(values.seeds ?? DEFAULT_SEEDS);
  const dir = mkdtempSync(join(tmpdir(), "gpufleet-bench-"));
  try {
    const week = join(dir, "week.csv");
    writeFileSync(week, diurnalCsv(7));
    // Scale the week so its average is 10 requests/s: peak/avg of the envelope is known after one pass.
    const probe = buildWorkload(scenarioFromTrace({ trace: week, peakRps: 20 }), 1);
    const avg = meanRate(probe.endpoints[0]?.perMinute ?? new Float64Array(), probe.durationSeconds);
    const peakRps = (20 * 10) / avg;
    const t0 = performance.now();
    const workload = buildWorkload(scenarioFromTrace({ trace: week, peakRps }), 1);
    const built = performance.now();
    const result = runPolicy(workload, POLICIES.reactive as (typeof POLICIES)[string], {
      seed: 1,
      knobs: DEFAULT_KNOBS,
      lifecycle: DEFAULT_LIFECYCLE,
      releaseOnSigterm: true,
      detail: true,
    });
    const ran = performance.now();
    const requests = workload.time.length;
    console.log(
      `7 days, one endpoint, ${(requests / workload.durationSeconds).toFixed(2)} req/s average (${requests} requests): ` +
        `trace ${((built - t0) / 1000).toFixed(1)} s, reactive run ${((ran - built) / 1000).toFixed(1)} s ` +
        `(${(((ran - built) * 1000) / requests).toFixed(2)} µs/request), lost ${result.lostRequests}`,
    );

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
    const t2 = performance.now();
    console.log(
      `bench, 3 days at peak 20 req/s, ${settings} settings x ${seeds} seeds: ${runs} jobs in ${((t2 - t1) / 1000).toFixed(1)} s`,
    );
    for (const s of report.summaries) {
      console.log(
        `  ${s.name.padEnd(18)} cost $${s.costUsd.toFixed(2)}  SLO ${(s.sloAttainment * 100).toFixed(2)}%  cost at SLO ${s.costAtSloUsd === null ? "n/a" : `$${s.costAtSloUsd.toFixed(2)}`}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
