/**
 * Spot ablation (BENCHMARKS.md): does the rebalancer's fallback to on-demand and its return
 * to spot save more than it costs? gpufleet at its defaults with the rebalancer off, and on
 * with several return delays (the rebalancer's `stableSeconds`), on the same seeds: the same
 * arrivals and the same spot market per seed, so each variant is compared with "off" seed by
 * seed (paired differences with 95% intervals). Two markets: the benchmark's default and a
 * harsh one (four zone bursts a day, an hour without capacity after each, ten times the
 * independent interruptions).
 *
 * Run: npx tsx bench/spot.ts (--scenario FILE [--trace FILE] | --trace FILE [--peak-rps N --minutes N]) [--seeds N]
 */
import { parseArgs } from "node:util";
import { withTrace } from "../cli/bench";
import { DEFAULT_LIFECYCLE, DEFAULT_SPOT } from "../sim/constants";
import { type RunResult, runPolicy } from "../sim/engine/run";
import { loadScenarioFile, type Scenario, scenarioFromTrace } from "../sim/index";
import { gpufleetPolicy } from "../sim/policies/gpufleet";
import type { PolicyFactory } from "../sim/policies/types";
import { DEFAULT_KNOBS, meanCi95 } from "../sim/sweep";
import { buildWorkload } from "../sim/workload";

const MARKETS = {
  default: DEFAULT_SPOT,
  harsh: { ...DEFAULT_SPOT, burstsPerDay: 4, shortageSeconds: 3600, interruptionsPerNodeMonth: 2 },
};

const VARIANTS: [name: string, factory: PolicyFactory][] = [
  ["off", gpufleetPolicy("gpufleet-no-rebalancer", { prediction: true, rebalancer: false })],
  [
    "return after 120 s",
    gpufleetPolicy("gpufleet", { prediction: true, rebalancer: true, tunables: { stableSeconds: 120 } }),
  ],
  ["return after 600 s (default)", gpufleetPolicy("gpufleet", { prediction: true, rebalancer: true })],
  [
    "return after 1800 s",
    gpufleetPolicy("gpufleet", { prediction: true, rebalancer: true, tunables: { stableSeconds: 1800 } }),
  ],
];

function scenarioOf(values: Record<string, string | undefined>): Scenario {
  if (values.scenario) {
    const scenario = loadScenarioFile(values.scenario);
    return values.trace === undefined ? scenario : withTrace(scenario, values.trace);
  }
  if (!values.trace) throw new Error("--scenario FILE or --trace FILE is required");
  const options: Parameters<typeof scenarioFromTrace>[0] = { trace: values.trace };
  if (values["peak-rps"]) options.peakRps = Number(values["peak-rps"]);
  if (values.minutes) options.minutes = Number(values.minutes);
  return scenarioFromTrace(options);
}

function fmt(ci: { mean: number; ci95: [number, number] }, digits = 2): string {
  return `${ci.mean.toFixed(digits)} [${ci.ci95[0].toFixed(digits)}, ${ci.ci95[1].toFixed(digits)}]`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" },
      trace: { type: "string" },
      "peak-rps": { type: "string" },
      minutes: { type: "string" },
      seeds: { type: "string" },
    },
  });
  const base = scenarioOf(values);
  const seeds = Array.from({ length: Number(values.seeds ?? 5) }, (_, i) => i + 1);
  console.log(`spot ablation: ${base.name}, gpufleet at its defaults, seeds ${seeds.join(", ")}`);
  console.log(
    "market | rebalancer | cost $ | SLO % | lost | on-demand share % | interruptions | cost - off $ | SLO - off (points)",
  );
  for (const [market, spot] of Object.entries(MARKETS)) {
    const scenario: Scenario = {
      ...base,
      pools: base.pools.map((p) => (p.capacityType === "spot" ? { ...p, spot } : p)),
    };
    const runs = new Map<string, RunResult[]>();
    for (const seed of seeds) {
      const w = buildWorkload(scenario, seed);
      for (const [name, factory] of VARIANTS) {
        const run = runPolicy(w, factory, {
          seed,
          knobs: DEFAULT_KNOBS,
          lifecycle: { ...DEFAULT_LIFECYCLE, ...scenario.lifecycle },
          releaseOnSigterm: scenario.releaseOnSigterm ?? true,
          detail: false,
        });
        runs.set(name, [...(runs.get(name) ?? []), run]);
        process.stderr.write(
          `${market} seed ${seed} ${name}: $${run.costUsd.toFixed(2)}, ${(run.sloAttainment * 100).toFixed(2)}%\n`,
        );
      }
    }
    const off = runs.get("off") ?? [];
    for (const [name] of VARIANTS) {
      const r = runs.get(name) ?? [];
      const cost = meanCi95(r.map((x) => x.costUsd));
      const slo = meanCi95(r.map((x) => x.sloAttainment * 100));
      const lost = r.reduce((a, x) => a + x.lostRequests, 0);
      const onDemand = meanCi95(r.map((x) => (1 - x.spotShare) * 100));
      const interruptions = meanCi95(r.map((x) => x.interruptions));
      const dCost = meanCi95(r.map((x, i) => x.costUsd - (off[i]?.costUsd ?? 0)));
      const dSlo = meanCi95(r.map((x, i) => (x.sloAttainment - (off[i]?.sloAttainment ?? 0)) * 100));
      console.log(
        [
          market,
          name,
          fmt(cost),
          fmt(slo),
          lost,
          fmt(onDemand, 1),
          fmt(interruptions, 1),
          fmt(dCost),
          fmt(dSlo, 3),
        ].join(" | "),
      );
    }
  }
}

main();
