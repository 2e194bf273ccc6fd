/**
 * `gpufleet bench`: replays a trace (or a scenario) through every policy and prints the
 * cost and SLO figures, as JSON with --json (stdout carries only the JSON; progress goes to
 * stderr) or as a table.
 */
import { DEFAULT_SLO_TARGET } from "../sim/constants";
import {
  type ComparisonOptions,
  loadScenarioFile,
  POLICY_NAMES,
  type PolicyName,
  runComparison,
  scenarioFromTrace,
} from "../sim/index";
import { LIMITS } from "../sim/limits";
import type { PolicySummary, ReportData } from "../sim/report/types";
import type { Scenario } from "../sim/scenario";
import { DEFAULT_SEEDS, DEFAULT_SETTINGS, overlaps } from "../sim/sweep";
import { printable } from "../sim/text";
import { type Command, optionValue, parseOptions, usageError } from "./command";

const HELP = `Usage: gpufleet bench (--trace FILE | --scenario FILE [--trace FILE]) [options]

Replays requests through the gpufleet policy, its ablations and the baselines
(reactive, predictive-hourly, static-peak, foresight), tunes each over the same
sweep of knob settings and seeds, and reports cost, GPU-hours, spot share, SLO
attainment, waits, the cost at the SLO target with its 95% confidence interval,
the cost/SLO frontier and a lower bound on any schedule's cost.

Options:
  --trace FILE          per-request CSV (TIMESTAMP,ContextTokens,GeneratedTokens)
                        or per-minute CSV (minute,count); with --scenario it
                        replaces the trace file of every endpoint
  --scenario FILE       JSON or YAML scenario: several endpoints and pools
  --peak-rps N          scale a per-minute trace so its busiest minute is N req/s
  --slo-seconds S       SLO for every endpoint (default 10, or the scenario's)
  --slo-on WHAT         what the SLO bounds: wait (queue wait, default) or
                        latency (wait + service)
  --slo-target P        share of requests within the SLO, 0..1 (default ${DEFAULT_SLO_TARGET})
  --seed N              first seed of arrivals and spot events (default 1)
  --seeds N             seeds per knob setting (default ${DEFAULT_SEEDS})
  --settings N          knob settings per policy (default ${DEFAULT_SETTINGS})
  --workers N           worker threads (default: one per core)
  --start-minute N      skip the trace's first N minutes
  --minutes N           use N minutes of the trace
  --policies LIST       comma-separated subset of ${POLICY_NAMES.join(",")}
  --scale-in-packer     the cluster runs GpuCluster's scale-in packer (every policy
                        alike; a scenario's scaleInPacker otherwise, default off)
  --no-search           run each policy once at its defaults (no sweep, no bound)
  --json                print the JSON document only
  -h, --help            show this help
`;

/** Options that take a value: a value starting with "-" (a negative number) is still theirs. */
const VALUE_OPTIONS = new Set([
  "--trace",
  "--scenario",
  "--peak-rps",
  "--slo-seconds",
  "--slo-on",
  "--slo-target",
  "--seed",
  "--seeds",
  "--settings",
  "--workers",
  "--start-minute",
  "--minutes",
  "--policies",
]);

/** Joins `--option -1` into `--option=-1`, so a negative value gets this command's message, not the parser's. */
export function joinNegativeValues(argv: string[], valueOptions: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (valueOptions.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function numberOption(name: string, value: string | undefined, rule: (n: number) => boolean, ruleText: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !rule(n))
    throw usageError({ field: `--${name}`, value: optionValue(value), rule: `must be ${ruleText}` });
  return n;
}

export function parseBenchArgs(argv: string[]): { options: ComparisonOptions; json: boolean } | "help" {
  const { values } = parseOptions("bench", {
    args: joinNegativeValues(argv, VALUE_OPTIONS),
    options: {
      trace: { type: "string" },
      scenario: { type: "string" },
      "peak-rps": { type: "string" },
      "slo-seconds": { type: "string" },
      "slo-on": { type: "string" },
      "slo-target": { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      settings: { type: "string" },
      workers: { type: "string" },
      "start-minute": { type: "string" },
      minutes: { type: "string" },
      policies: { type: "string" },
      "no-search": { type: "boolean" },
      "scale-in-packer": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const trace = values.trace as string | undefined;
  const scenarioFile = values.scenario as string | undefined;
  if (trace === undefined && scenarioFile === undefined) {
    throw usageError({ field: "--trace or --scenario", rule: "is required (see gpufleet bench --help)" });
  }
  const positive = (n: number) => n > 0;
  const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
  const peakRps = numberOption(
    "peak-rps",
    values["peak-rps"] as string,
    (n) => n > 0 && n <= LIMITS.peakRps,
    `a number above 0 and at most ${LIMITS.peakRps}`,
  );
  const sloSeconds = numberOption("slo-seconds", values["slo-seconds"] as string, positive, "a number above 0");
  const sloTarget = numberOption(
    "slo-target",
    values["slo-target"] as string,
    (n) => n > 0 && n <= 1,
    "above 0 and at most 1",
  );
  const seed = numberOption("seed", values.seed as string, whole, "a whole number between 0 and 4294967295");
  const seeds = numberOption(
    "seeds",
    values.seeds as string,
    (n) => Number.isInteger(n) && n >= 1 && n <= 100,
    "a whole number from 1 to 100",
  );
  const settings = numberOption(
    "settings",
    values.settings as string,
    (n) => Number.isInteger(n) && n >= 1 && n <= 200,
    "a whole number from 1 to 200",
  );
  const workers = numberOption(
    "workers",
    values.workers as string,
    (n) => Number.isInteger(n) && n >= 1 && n <= 64,
    "a whole number from 1 to 64",
  );
  const sloOn = values["slo-on"] as string | undefined;
  if (sloOn !== undefined && sloOn !== "wait" && sloOn !== "latency")
    throw usageError({ field: "--slo-on", value: sloOn, rule: 'must be "wait" or "latency"' });
  const startMinute = numberOption("start-minute", values["start-minute"] as string, whole, "a whole number >= 0");
  const minutes = numberOption("minutes", values.minutes as string, (n) => whole(n) && n > 0, "a whole number above 0");
  let policies: PolicyName[] | undefined;
  if (typeof values.policies === "string") {
    policies = values.policies.split(",").map((p) => p.trim()) as PolicyName[];
    for (const p of policies) {
      if (!(POLICY_NAMES as readonly string[]).includes(p))
        throw usageError({
          field: "--policies",
          value: p,
          rule: `names no policy (known: ${POLICY_NAMES.join(", ")})`,
        });
    }
  }
  let scenario: ComparisonOptions["scenario"];
  if (scenarioFile !== undefined) {
    if (peakRps !== undefined || startMinute !== undefined || minutes !== undefined)
      throw usageError({
        field: "--peak-rps, --start-minute and --minutes",
        rule: "go with --trace; a scenario sets them per endpoint",
      });
    scenario = loadScenarioFile(scenarioFile);
    if (trace !== undefined) scenario = withTrace(scenario, trace);
  } else {
    scenario = scenarioFromTrace({ trace: trace as string, peakRps, sloSeconds, startMinute, minutes });
  }
  if (values["scale-in-packer"]) scenario = { ...scenario, scaleInPacker: true };
  const options: ComparisonOptions = { scenario, costAtSlo: !values["no-search"] };
  if (seed !== undefined) options.seed = seed;
  if (sloTarget !== undefined) options.sloTarget = sloTarget;
  if (sloSeconds !== undefined) options.sloSeconds = sloSeconds;
  if (policies) options.policies = policies;
  if (seeds !== undefined) options.seeds = seeds;
  if (settings !== undefined) options.settings = settings;
  if (workers !== undefined) options.workers = workers;
  if (sloOn !== undefined) options.sloOn = sloOn;
  return { options, json: values.json === true };
}

/** The scenario with every endpoint's trace file replaced (a benchmark scenario run on a given trace). */
export function withTrace(scenario: Scenario, path: string): Scenario {
  return {
    ...scenario,
    endpoints: scenario.endpoints.map((e) => (e.trace.kind === "file" ? { ...e, trace: { ...e.trace, path } } : e)),
  };
}

/** The `--json` document: exactly the fields the benchmark promises. */
export function benchJson(report: ReportData): object {
  return {
    trace: report.trace,
    slo: { waitSeconds: report.slo.waitSeconds, target: report.slo.target, on: report.sloOn },
    seeds: report.seeds,
    lowerBoundUsd: report.lowerBoundUsd,
    policies: report.summaries.map((s) => ({
      name: s.name,
      costUsd: s.costUsd,
      gpuHours: s.gpuHours,
      spotShare: s.spotShare,
      sloAttainment: s.sloAttainment,
      p99WaitSeconds: s.p99WaitSeconds,
      p99LatencySeconds: s.p99LatencySeconds,
      lostRequests: s.lostRequests,
      deadLettered: s.deadLettered,
      costAtSloUsd: s.costAtSloUsd,
      costAtSloCi95: s.costAtSloCi95,
      tunedKnobs: s.tunedKnobs,
      frontier: s.frontier,
    })),
  };
}

/** How a policy's cost at SLO compares with gpufleet's: a difference whose intervals overlap is a tie. */
export function versusGpufleet(s: PolicySummary, gpufleet: PolicySummary | undefined): string {
  if (s.name === "gpufleet" || !gpufleet?.costAtSloCi95) return "";
  if (!s.costAtSloCi95) return "misses SLO";
  if (overlaps(s.costAtSloCi95, gpufleet.costAtSloCi95)) return "tie";
  return s.costAtSloCi95[0] > gpufleet.costAtSloCi95[1] ? "dearer" : "cheaper";
}

/** The readable summary table (also used by `gpufleet simulate`). */
export function summaryTable(summaries: PolicySummary[]): string {
  const header = [
    "policy",
    "cost $",
    "GPU-h",
    "spot",
    "SLO",
    "p50 wait",
    "p99 wait",
    "lost",
    "interrupts",
    "cost@SLO $",
    "95% CI",
    "vs gpufleet",
  ];
  const gpufleet = summaries.find((s) => s.name === "gpufleet");
  const rows = summaries.map((s) => [
    printable(s.name),
    s.costUsd.toFixed(2),
    s.gpuHours.toFixed(1),
    `${(s.spotShare * 100).toFixed(0)}%`,
    `${(s.sloAttainment * 100).toFixed(2)}%`,
    `${s.p50WaitSeconds.toFixed(1)} s`,
    `${s.p99WaitSeconds.toFixed(1)} s`,
    String(s.lostRequests),
    String(s.interruptions),
    s.costAtSloUsd === null ? "unreachable" : s.costAtSloUsd.toFixed(2),
    s.costAtSloCi95 ? `${s.costAtSloCi95[0].toFixed(2)}–${s.costAtSloCi95[1].toFixed(2)}` : "",
    versusGpufleet(s, gpufleet),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export const bench: Command = {
  name: "bench",
  summary: "replay a trace through gpufleet and the baselines; print cost and SLO figures",
  async run(argv) {
    const parsed = parseBenchArgs(argv);
    if (parsed === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    const report: ReportData = await runComparison(parsed.options, (p) => {
      process.stderr.write(`[${p.done}/${p.total}] ${p.message}\n`);
    });
    if (parsed.json) {
      process.stdout.write(`${JSON.stringify(benchJson(report), null, 2)}\n`);
    } else {
      const s = report.slo;
      const bound =
        report.lowerBoundUsd === null
          ? ""
          : `\nlower bound on any schedule's cost at the SLO target: $${report.lowerBoundUsd.toFixed(2)}\n`;
      process.stdout.write(
        `${printable(report.trace)}: ${(report.durationSeconds / 3600).toFixed(1)} h, seeds ${report.seeds.join(", ")}, SLO ${s.waitSeconds} s ${report.sloOn === "latency" ? "latency" : "queue wait"} for ${(s.target * 100).toFixed(1)}% of requests\n\n${summaryTable(report.summaries)}\n${bound}`,
      );
    }
    return 0;
  },
};
