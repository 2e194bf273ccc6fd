import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { parseSimulateArgs, scenarioFor } from "../../cli/simulate";
import { ConfigError } from "../../functions/problems";
import { DEMO_ENDPOINTS } from "../../sim/demo";
import { capture } from "../support/capture";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("gpufleet simulate: arguments", () => {
  it("reads the demo with every option", () => {
    const args = parseSimulateArgs([
      "--demo",
      "--peak-rps",
      "8",
      "--slo-seconds",
      "5",
      "--slo-target",
      "0.95",
      "--seed",
      "42",
      "--out",
      "reports/demo.html",
    ]);

    expect(args).toEqual({
      input: { kind: "demo" },
      peakRps: 8,
      sloSeconds: 5,
      sloTarget: 0.95,
      seed: 42,
      seeds: 1,
      settings: 9,
      out: "reports/demo.html",
    });
  });

  it("models a cluster that runs the scale-in packer when asked", () => {
    const args = parseSimulateArgs(["--demo", "--scale-in-packer"]);
    if (args === "help") throw new Error("unexpected --help");

    expect(scenarioFor(args).scenario.scaleInPacker).toBe(true);
    expect(scenarioFor({ ...args, scaleInPacker: undefined }).scenario.scaleInPacker).toBeUndefined();
  });

  it("defaults the seed to 1, one seed, 9 settings and the report to report.html", () => {
    expect(parseSimulateArgs(["--trace", "t.csv"])).toEqual({
      input: { kind: "trace", path: "t.csv" },
      seed: 1,
      seeds: 1,
      settings: 9,
      out: "report.html",
    });
  });

  it.each([
    [[], "--trace, --scenario or --demo is required (see gpufleet simulate --help)"],
    [
      ["--demo", "--trace", "t.csv"],
      "--trace, --scenario and --demo exclude each other: give one (see gpufleet simulate --help)",
    ],
    [["--demo", "--peak-rps", "0"], "--peak-rps (0) must be a positive number"],
    [["--demo", "--slo-seconds", "soon"], '--slo-seconds ("soon") must be a positive number'],
    [["--demo", "--slo-target", "99"], "--slo-target (99) must be a number between 0 and 1, e.g. 0.99"],
    [["--demo", "--seed=-3"], "--seed (-3) must be a whole number between 0 and 4294967295"],
    [["--demo", "--bogus"], "--bogus is not an option (see gpufleet simulate --help)"],
    [["--demo", "extra"], 'argument ("extra") is not expected (see gpufleet simulate --help)'],
    [["--trace", "t.csv", "--cold-start"], "--cold-start applies to --demo only"],
    [
      ["--scenario", "s.yaml", "--peak-rps", "3"],
      "--peak-rps applies to --trace and --demo; a scenario file sets peakRps on each trace",
    ],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(`invalid options:\n${message}`);
  });

  it("answers --help through the gpufleet command with exit code 0", async () => {
    const io = capture();

    expect(await main(["simulate", "--help"])).toBe(0);

    expect(io.out()).toContain("Usage: gpufleet simulate (--trace FILE | --scenario FILE | --demo) [options]");
  });

  it("exits 2 with one line naming the problem for a bad option", async () => {
    const io = capture();

    expect(await main(["simulate", "--demo", "--seed", "x"])).toBe(2);

    expect(io.err()).toBe('gpufleet simulate: --seed ("x") must be a whole number between 0 and 4294967295\n');
  });
});

describe("gpufleet simulate: scenarios", () => {
  it("builds the demo from the seed, scaled so the chat endpoint peaks at --peak-rps", () => {
    const base = scenarioFor({ input: { kind: "demo" }, seed: 5, seeds: 1, settings: 9, out: "r.html" });
    const chatPeak = DEMO_ENDPOINTS[0]?.traffic.peakRps ?? 0;
    const doubled = scenarioFor({
      input: { kind: "demo" },
      seed: 5,
      seeds: 1,
      settings: 9,
      peakRps: 2 * chatPeak,
      out: "r.html",
    });
    const total = (s: typeof base) =>
      s.scenario.endpoints.reduce(
        (sum, e) => sum + (e.trace.kind === "per-minute" ? e.trace.counts.reduce((a, b) => a + b, 0) : 0),
        0,
      );

    expect(base.scenario.name).toBe("built-in demo (3 endpoints, 2 days, seed 5)");
    expect(base.title).toBe("gpufleet demo: built-in demo (3 endpoints, 2 days, seed 5)");
    expect(base.notes).toHaveLength(3);
    expect(total(doubled) / total(base)).toBeCloseTo(2, 2);
  });

  it("builds the cold-start demo with --cold-start: nothing kept warm, a step after half an hour", () => {
    const args = parseSimulateArgs(["--demo", "--cold-start"]);
    if (args === "help") throw new Error("unexpected help");

    const { scenario } = scenarioFor(args);

    expect(args.input).toEqual({ kind: "demo", coldStart: true });
    expect(scenario.name).toBe("built-in demo, cold start (3 endpoints, 3 hours, seed 1)");
    expect(scenario.durationSeconds).toBe(3 * 3600);
    for (const e of scenario.endpoints) {
      expect(e.profile.minReplicas).toBe(0);
      const counts = e.trace.kind === "per-minute" ? e.trace.counts : [];
      expect(counts.slice(0, 30).every((c) => c === 0)).toBe(true);
      expect(counts.slice(30).every((c) => c > 0)).toBe(true);
    }
  });

  it("refuses a bad scenario file with a ConfigError naming file, field and rule", () => {
    const dir = mkdtempSync(join(tmpdir(), "gpufleet-simulate-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\nendpoints: []\npools: []\n");
    try {
      expect(() =>
        scenarioFor({ input: { kind: "scenario", path: file }, seed: 1, seeds: 1, settings: 9, out: "r.html" }),
      ).toThrow(ConfigError);
      expect(() =>
        scenarioFor({ input: { kind: "scenario", path: file }, seed: 1, seeds: 1, settings: 9, out: "r.html" }),
      ).toThrow(`invalid ${file}:\nendpoints ([]) must not be empty\npools ([]) must not be empty`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs a per-minute trace as the one-endpoint default scenario", () => {
    const { scenario } = scenarioFor({
      input: { kind: "trace", path: "trace.csv" },
      seed: 1,
      seeds: 1,
      settings: 9,
      peakRps: 12,
      sloSeconds: 4,
      out: "r.html",
    });

    expect(scenario.endpoints).toHaveLength(1);
    expect(scenario.endpoints[0]?.trace).toEqual({ kind: "file", path: "trace.csv", peakRps: 12 });
    expect(scenario.endpoints[0]?.profile.sloSeconds).toBe(4);
  });
});
