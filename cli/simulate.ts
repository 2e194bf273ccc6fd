import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { coldStartScenario, DEMO_ENDPOINTS, demoNotes, demoScenario } from "../sim/demo";
import { type ComparisonProgress, runComparison, type Scenario, scenarioFromTrace } from "../sim/index";
import { LIMITS } from "../sim/limits";
import { renderReport, renderSummaryTable } from "../sim/report";
import { loadScenarioFile } from "../sim/scenario";
import { printable } from "../sim/text";
import { joinNegativeValues } from "./bench";
import { type Command, optionValue, parseOptions, usageError } from "./command";

/** A report is a quick look: fewer seeds and settings than `gpufleet bench`. */
const SIMULATE_SEEDS = 1;
const SIMULATE_SETTINGS = 9;

const HELP = `Usage: gpufleet simulate (--trace FILE | --scenario FILE | --demo) [options]

Replays request arrivals through every scaling policy (gpufleet, reactive,
predictive-hourly, static-peak, foresight and gpufleet's ablations), tunes each
over a sweep of knob settings, prints the summary table and writes a
self-contained HTML report (inline charts, opens offline).

Input (exactly one):
  --trace FILE        a CSV trace: per request (TIMESTAMP,ContextTokens,GeneratedTokens)
                      or per minute (minute,count); one endpoint on g5 spot + on-demand
  --scenario FILE     a JSON or YAML scenario: several endpoints and GPU pools
  --demo              the built-in demo: 3 endpoints (7B chat LLM, embeddings, image
                      model) on two spot g5 pools and an on-demand fallback, 2 days
  --demo --cold-start the demo's cold start: nothing running, quiet for 30 minutes,
                      then every endpoint at its peak, 3 hours

Options:
  --peak-rps N        requests/s of the busiest minute: scales a per-minute --trace;
                      with --demo, the chat endpoint's peak (the others scale alike)
  --slo-seconds S     longest acceptable queue wait, for every endpoint
  --slo-target P      share of requests that must meet it, 0..1 (default 0.99)
  --seed N            seed of arrivals, spot events and demo traffic (default 1)
  --seeds N           seeds per knob setting (default ${SIMULATE_SEEDS}; gpufleet bench runs 5)
  --settings N        knob settings per policy (default ${SIMULATE_SETTINGS})
  --scale-in-packer   the cluster runs GpuCluster's scale-in packer (every policy
                      alike; a scenario's scaleInPacker otherwise, default off)
  --out FILE          where to write the report (default report.html)
  -h, --help          show this help
`;

/** What `gpufleet simulate` was asked to do, checked before any work starts. */
export interface SimulateArgs {
  input: { kind: "trace"; path: string } | { kind: "scenario"; path: string } | { kind: "demo"; coldStart?: true };
  peakRps?: number;
  sloSeconds?: number;
  sloTarget?: number;
  seed: number;
  seeds: number;
  settings: number;
  out: string;
  /** The cluster runs GpuCluster's scale-in packer, whatever the scenario says. */
  scaleInPacker?: true;
}

/** Parses and checks the command line; throws a ConfigError naming the bad option and value. */
export function parseSimulateArgs(argv: string[]): SimulateArgs | "help" {
  const v = parse(argv).values;
  if (v.help) return "help";
  const inputs = [v.trace !== undefined, v.scenario !== undefined, v.demo === true].filter(Boolean).length;
  if (inputs !== 1) {
    throw usageError(
      inputs === 0
        ? { field: "--trace, --scenario or --demo", rule: "is required (see gpufleet simulate --help)" }
        : {
            field: "--trace, --scenario and --demo",
            rule: "exclude each other: give one (see gpufleet simulate --help)",
          },
    );
  }
  const input: SimulateArgs["input"] =
    v.trace !== undefined
      ? { kind: "trace", path: v.trace }
      : v.scenario !== undefined
        ? { kind: "scenario", path: v.scenario }
        : v["cold-start"]
          ? { kind: "demo", coldStart: true }
          : { kind: "demo" };
  if (v["cold-start"] && input.kind !== "demo")
    throw usageError({ field: "--cold-start", rule: "applies to --demo only" });
  const args: SimulateArgs = {
    input,
    seed: v.seed === undefined ? 1 : integer("--seed", v.seed),
    seeds: v.seeds === undefined ? SIMULATE_SEEDS : count("--seeds", v.seeds, 100),
    settings: v.settings === undefined ? SIMULATE_SETTINGS : count("--settings", v.settings, 200),
    out: v.out ?? "report.html",
  };
  if (v["scale-in-packer"]) args.scaleInPacker = true;
  if (v["peak-rps"] !== undefined) {
    if (input.kind === "scenario") {
      throw usageError({
        field: "--peak-rps",
        rule: "applies to --trace and --demo; a scenario file sets peakRps on each trace",
      });
    }
    args.peakRps = positive("--peak-rps", v["peak-rps"]);
    if (args.peakRps > LIMITS.peakRps)
      throw usageError({
        field: "--peak-rps",
        value: optionValue(v["peak-rps"]),
        rule: `must be at most ${LIMITS.peakRps}`,
      });
  }
  if (v["slo-seconds"] !== undefined) args.sloSeconds = positive("--slo-seconds", v["slo-seconds"]);
  if (v["slo-target"] !== undefined) {
    const target = Number(v["slo-target"]);
    if (!(target > 0 && target < 1)) {
      throw usageError({
        field: "--slo-target",
        value: optionValue(v["slo-target"]),
        rule: "must be a number between 0 and 1, e.g. 0.99",
      });
    }
    args.sloTarget = target;
  }
  return args;
}

function parse(argv: string[]) {
  return parseOptions("simulate", {
    args: joinNegativeValues(argv, VALUE_OPTIONS),
    allowPositionals: false,
    strict: true,
    options: {
      trace: { type: "string" },
      scenario: { type: "string" },
      demo: { type: "boolean" },
      "cold-start": { type: "boolean" },
      "peak-rps": { type: "string" },
      "slo-seconds": { type: "string" },
      "slo-target": { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      settings: { type: "string" },
      out: { type: "string" },
      "scale-in-packer": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

const VALUE_OPTIONS = new Set([
  "--trace",
  "--scenario",
  "--peak-rps",
  "--slo-seconds",
  "--slo-target",
  "--seed",
  "--seeds",
  "--settings",
  "--out",
]);

function positive(option: string, text: string): number {
  const value = Number(text);
  if (!(text.trim() !== "" && Number.isFinite(value) && value > 0))
    throw usageError({ field: option, value: optionValue(text), rule: "must be a positive number" });
  return value;
}

function count(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 1 && value <= max))
    throw usageError({ field: option, value: optionValue(text), rule: `must be a whole number from 1 to ${max}` });
  return value;
}

function integer(option: string, text: string): number {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) {
    throw usageError({
      field: option,
      value: optionValue(text),
      rule: "must be a whole number between 0 and 4294967295",
    });
  }
  return value;
}

/** The scenario to run and the notes that describe where it came from. */
export function scenarioFor(args: SimulateArgs): { scenario: Scenario; notes: string[]; title?: string } {
  const chosen = inputScenario(args);
  return args.scaleInPacker ? { ...chosen, scenario: { ...chosen.scenario, scaleInPacker: true } } : chosen;
}

function inputScenario(args: SimulateArgs): { scenario: Scenario; notes: string[]; title?: string } {
  const { input } = args;
  if (input.kind === "demo") {
    const chatPeak = DEMO_ENDPOINTS[0]?.traffic.peakRps ?? 1;
    const scale = args.peakRps === undefined ? 1 : args.peakRps / chatPeak;
    const scenario = input.coldStart
      ? coldStartScenario({ seed: args.seed, scale })
      : demoScenario({ seed: args.seed, scale });
    return { scenario, notes: demoNotes(), title: `gpufleet demo: ${scenario.name}` };
  }
  if (input.kind === "scenario") return { scenario: loadScenarioFile(input.path), notes: [] };
  const options: Parameters<typeof scenarioFromTrace>[0] = { trace: input.path };
  if (args.peakRps !== undefined) options.peakRps = args.peakRps;
  if (args.sloSeconds !== undefined) options.sloSeconds = args.sloSeconds;
  return { scenario: scenarioFromTrace(options), notes: [] };
}

/**
 * One progress line per second at most: rewritten in place on a terminal, appended when stderr
 * is a file or a pipe (CI logs), so long runs show they are alive without flooding the log.
 */
function progressPrinter(stream: NodeJS.WriteStream): { update(p: ComparisonProgress): void; end(): void } {
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 1000 && p.done < p.total) return;
      last = now;
      const line = `simulate: ${p.done}/${p.total} runs, ${p.policy}: ${p.message}`;
      if (stream.isTTY) {
        stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd((stream.columns ?? 100) - 1)}`);
        shown = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    end() {
      if (shown) stream.write("\n");
    },
  };
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "replay a trace or scenario through every policy and write an HTML report",
  async run(argv) {
    const args = parseSimulateArgs(argv);
    if (args === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    const { scenario, notes, title } = scenarioFor(args);
    const progress = progressPrinter(process.stderr);
    const options: Parameters<typeof runComparison>[0] = {
      scenario,
      seed: args.seed,
      seeds: args.seeds,
      settings: args.settings,
    };
    if (args.sloSeconds !== undefined) options.sloSeconds = args.sloSeconds;
    if (args.sloTarget !== undefined) options.sloTarget = args.sloTarget;
    if (title !== undefined) options.title = title;
    let data: Awaited<ReturnType<typeof runComparison>>;
    try {
      data = await runComparison(options, (p) => progress.update(p));
    } finally {
      progress.end();
    }
    const report = { ...data, notes: [...notes, ...data.notes] };
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderReport(report));
    process.stdout.write(`${renderSummaryTable(report.summaries)}\n\nreport: ${printable(out)}\n`);
    const lost = report.summaries.filter((s) => s.lostRequests > 0);
    if (lost.length > 0) {
      process.stderr.write(
        `simulate: warning: requests lost under ${lost.map((s) => `${s.name} (${s.lostRequests})`).join(", ")} at default knobs\n`,
      );
    }
    return 0;
  },
};
