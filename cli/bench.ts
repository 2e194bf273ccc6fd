/**
 * `gpufleet bench`: replays a trace (or a scenario) through every policy and prints the
 * cost and SLO figures, as JSON with --json (stdout carries only the JSON; progress goes to
 * stderr) or as a table.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SLO_TARGET } from "../sim/constants";
import {
  type ComparisonOptions,
  loadScenarioFile,
  POLICY_NAMES,
  type PolicyName,
  runComparison,
  ScenarioError,
  scenarioFromTrace,
} from "../sim/index";
import { CoreMissingError } from "../sim/policies/cores";
import type { PolicySummary, ReportData } from "../sim/report/types";
import { type Command, UsageError } from "./command";

const HELP = `Usage: gpufleet bench (--trace FILE | --scenario FILE) [options]

Replays requests through the gpufleet policy and the baselines (reactive,
predictive-hourly, static-peak, oracle) and reports cost, GPU-hours, spot share,
SLO attainment, queue waits and the cheapest cost that reaches the SLO target.

Options:
  --trace FILE          per-request CSV (TIMESTAMP,ContextTokens,GeneratedTokens)
                        or per-minute CSV (minute,count)
  --scenario FILE       JSON or YAML scenario: several endpoints and pools
  --peak-rps N          scale a per-minute trace so its busiest minute is N req/s
  --slo-seconds S       queue-wait SLO for every endpoint (default 10, or the scenario's)
  --slo-target P        share of requests within the SLO, 0..1 (default ${DEFAULT_SLO_TARGET})
  --seed N              seed of arrivals within minutes and spot events (default 1)
  --start-minute N      skip the trace's first N minutes
  --minutes N           use N minutes of the trace
  --policies LIST       comma-separated subset of ${POLICY_NAMES.join(",")}
  --no-search           skip the cost-at-SLO search (costAtSloUsd is null)
  --json                print the JSON document only
  -h, --help            show this help
`;

function numberOption(name: string, value: string | undefined, rule: (n: number) => boolean, ruleText: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !rule(n))
    throw new UsageError(`--${name} (${value}) must be ${ruleText}`);
  return n;
}

export function parseBenchArgs(argv: string[]): { options: ComparisonOptions; json: boolean } | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        trace: { type: "string" },
        scenario: { type: "string" },
        "peak-rps": { type: "string" },
        "slo-seconds": { type: "string" },
        "slo-target": { type: "string" },
        seed: { type: "string" },
        "start-minute": { type: "string" },
        minutes: { type: "string" },
        policies: { type: "string" },
        "no-search": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const trace = values.trace as string | undefined;
  const scenarioFile = values.scenario as string | undefined;
  if ((trace === undefined) === (scenarioFile === undefined))
    throw new UsageError("give exactly one of --trace FILE or --scenario FILE");
  const positive = (n: number) => n > 0;
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  const peakRps = numberOption("peak-rps", values["peak-rps"] as string, positive, "a number above 0");
  const sloSeconds = numberOption("slo-seconds", values["slo-seconds"] as string, positive, "a number above 0");
  const sloTarget = numberOption(
    "slo-target",
    values["slo-target"] as string,
    (n) => n > 0 && n <= 1,
    "above 0 and at most 1",
  );
  const seed = numberOption("seed", values.seed as string, whole, "a whole number >= 0");
  const startMinute = numberOption("start-minute", values["start-minute"] as string, whole, "a whole number >= 0");
  const minutes = numberOption("minutes", values.minutes as string, (n) => whole(n) && n > 0, "a whole number above 0");
  let policies: PolicyName[] | undefined;
  if (typeof values.policies === "string") {
    policies = values.policies.split(",").map((p) => p.trim()) as PolicyName[];
    for (const p of policies) {
      if (!(POLICY_NAMES as readonly string[]).includes(p))
        throw new UsageError(`--policies: unknown policy '${p}' (known: ${POLICY_NAMES.join(", ")})`);
    }
  }
  let scenario: ComparisonOptions["scenario"];
  if (scenarioFile !== undefined) {
    if (peakRps !== undefined || startMinute !== undefined || minutes !== undefined)
      throw new UsageError(
        "--peak-rps, --start-minute and --minutes go with --trace; a scenario sets them per endpoint",
      );
    scenario = loadScenarioFile(scenarioFile);
  } else {
    scenario = scenarioFromTrace({ trace: trace as string, peakRps, sloSeconds, startMinute, minutes });
  }
  const options: ComparisonOptions = { scenario, costAtSlo: !values["no-search"] };
  if (seed !== undefined) options.seed = seed;
  if (sloTarget !== undefined) options.sloTarget = sloTarget;
  if (sloSeconds !== undefined) options.sloSeconds = sloSeconds;
  if (policies) options.policies = policies;
  return { options, json: values.json === true };
}

/** The `--json` document: exactly the fields the benchmark promises. */
export function benchJson(report: ReportData): object {
  return {
    trace: report.trace,
    slo: { waitSeconds: report.slo.waitSeconds, target: report.slo.target },
    policies: report.summaries.map((s) => ({
      name: s.name,
      costUsd: s.costUsd,
      gpuHours: s.gpuHours,
      spotShare: s.spotShare,
      sloAttainment: s.sloAttainment,
      p99WaitSeconds: s.p99WaitSeconds,
      lostRequests: s.lostRequests,
      costAtSloUsd: s.costAtSloUsd,
    })),
  };
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
  ];
  const rows = summaries.map((s) => [
    s.name,
    s.costUsd.toFixed(2),
    s.gpuHours.toFixed(1),
    `${(s.spotShare * 100).toFixed(0)}%`,
    `${(s.sloAttainment * 100).toFixed(2)}%`,
    `${s.p50WaitSeconds.toFixed(1)} s`,
    `${s.p99WaitSeconds.toFixed(1)} s`,
    String(s.lostRequests),
    String(s.interruptions),
    s.costAtSloUsd === null ? "unreachable" : s.costAtSloUsd.toFixed(2),
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
    let report: ReportData;
    let parsed: ReturnType<typeof parseBenchArgs>;
    try {
      parsed = parseBenchArgs(argv);
      if (parsed === "help") {
        process.stdout.write(HELP);
        return 0;
      }
      report = await runComparison(parsed.options, (p) => {
        process.stderr.write(`[${p.done}/${p.total}] ${p.message}\n`);
      });
    } catch (error) {
      if (error instanceof ScenarioError) throw new UsageError(error.message);
      if (error instanceof CoreMissingError) {
        process.stderr.write(`gpufleet bench: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    if (parsed.json) {
      process.stdout.write(`${JSON.stringify(benchJson(report), null, 2)}\n`);
    } else {
      const s = report.slo;
      process.stdout.write(
        `${report.trace}: ${(report.durationSeconds / 3600).toFixed(1)} h, SLO ${s.waitSeconds} s queue wait for ${(s.target * 100).toFixed(1)}% of requests\n\n${summaryTable(report.summaries)}\n`,
      );
    }
    return 0;
  },
};
