import { describe, expect, it } from "vitest";
import { validateScenario } from "../../sim/scenario";
import { parseTraceFile } from "../../sim/trace/parse";
import { buildWorkload } from "../../sim/workload";
import { pool, profile, tempFile } from "./fixtures/scenarios";

const AZURE_HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

describe("trace files", () => {
  it("reads the per-request format: seconds from the first request, tokens per request", () => {
    const path = tempFile(
      "trace.csv",
      `${AZURE_HEADER}\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17:04.0319600,3180,8\r\n2023-11-16 18:18:03.9799600,110,27`,
    );

    const trace = parseTraceFile(path);

    expect(trace.kind).toBe("requests");
    if (trace.kind !== "requests") return;
    expect(Array.from(trace.arrivals)).toEqual([0, expect.closeTo(0.052, 6), expect.closeTo(60, 6)]);
    expect(Array.from(trace.contextTokens)).toEqual([4808, 3180, 110]);
    expect(Array.from(trace.generatedTokens)).toEqual([10, 8, 27]);
    expect(trace.startMs).toBe(Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96);
  });

  it("reads the per-minute format, with missing minutes as 0", () => {
    const path = tempFile("rate.csv", "minute,count\n0,5\n2,7\n");

    const trace = parseTraceFile(path);

    expect(trace.kind).toBe("per-minute");
    if (trace.kind === "per-minute") expect(Array.from(trace.counts)).toEqual([5, 0, 7]);
  });

  it.each([
    [
      "a token count that is not a number",
      `${AZURE_HEADER}\n2023-11-16 18:17:03.9,1,2\n2023-11-16 18:17:04.0,abc,2\n`,
      ["trace.csv:3", 'ContextTokens ("abc") is not a number'],
    ],
    [
      "a bad timestamp",
      `${AZURE_HEADER}\nyesterday,1,2\n`,
      ["trace.csv:2", 'TIMESTAMP ("yesterday") is not a date like 2023-11-16 18:17:03.9799600'],
    ],
    [
      "too few columns",
      `${AZURE_HEADER}\n2023-11-16 18:17:03.9,1\n`,
      ["trace.csv:2", "columns (2) must be at least 3"],
    ],
    ["a negative count", "minute,count\n0,1\n1,-4\n", ["trace.csv:3", "count (-4) must not be negative"]],
    ["a repeated minute", "minute,count\n0,1\n0,4\n", ["trace.csv:3", "minute (0) appears twice"]],
    ["a fractional minute", "minute,count\n0.5,1\n", ["trace.csv:2", "minute (0.5) must be a whole number"]],
    [
      "an unknown header",
      "time,requests\n0,1\n",
      ["trace.csv:1", 'header ("time,requests") is neither TIMESTAMP,ContextTokens,GeneratedTokens nor minute,count'],
    ],
    ["an empty file", "", ["trace.csv:1", "header is missing: the file is empty"]],
  ])("rejects %s naming file and line", (_, text, [where, problem]) => {
    const path = tempFile("trace.csv", text);

    expect(() => parseTraceFile(path)).toThrow(`invalid ${path.slice(0, -"trace.csv".length)}${where}:\n${problem}`);
  });

  it("names a file that cannot be read", () => {
    expect(() => parseTraceFile("/nonexistent/trace.csv")).toThrow(
      "invalid /nonexistent/trace.csv:\n(file) cannot be read (ENOENT)",
    );
  });

  it("spreads a per-minute trace within each minute and scales its busiest minute to --peak-rps", () => {
    const path = tempFile("rate.csv", "minute,count\n0,100\n1,50\n2,0\n");
    const scenario = {
      name: "s",
      endpoints: [{ name: "m", profile: profile(), pools: ["od"], trace: { kind: "file" as const, path, peakRps: 2 } }],
      pools: [pool()],
    };

    const w = buildWorkload(scenario, 7);

    expect(Array.from(w.endpoints[0]?.perMinute ?? [])).toEqual([120, 60, 0]);
    const t = Array.from(w.time);
    expect(t.every((x, i) => i === 0 || x >= (t[i - 1] as number))).toBe(true);
    expect(t.filter((x) => x < 60)).toHaveLength(120);
  });

  it("costs a request from its tokens with the documented default model", () => {
    const path = tempFile("trace.csv", `${AZURE_HEADER}\n2023-11-16 18:17:00.0,2000,40\n2023-11-16 18:17:01.0,0,0\n`);
    const scenario = {
      name: "s",
      endpoints: [{ name: "m", profile: profile(), pools: ["od"], trace: { kind: "file" as const, path } }],
      pools: [pool()],
    };

    const w = buildWorkload(scenario, 1);

    // 0.05 s + 2000 x 0.0005 s + 40 x 0.025 s = 2.05 s; an empty request costs the base 0.05 s.
    expect(Array.from(w.work)).toEqual([expect.closeTo(2.05, 9), expect.closeTo(0.05, 9)]);
    expect(w.endpoints[0]?.profile.secondsPerRequest).toBeCloseTo(1.05, 9);
  });
});

const valid = () => ({
  name: "s",
  endpoints: [{ name: "m", profile: profile(), pools: ["od"], trace: { kind: "per-minute", counts: [1] } }],
  pools: [pool()],
});
type Doc = ReturnType<typeof valid>;
const pool0 = (s: Doc) => s.pools[0] as Doc["pools"][number];
const endpoint0 = (s: Doc) => s.endpoints[0] as Doc["endpoints"][number];

describe("scenario validation", () => {
  it("accepts a valid scenario", () => {
    expect(validateScenario(valid()).name).toBe("s");
  });

  it.each([
    [
      "a slice count out of range",
      (s: Doc) => (pool0(s).slicesPerGpu = 64),
      "pools[0].slicesPerGpu (64) must be at most 48",
    ],
    [
      "an unknown pool",
      (s: Doc) => (endpoint0(s).pools = ["gpu"]),
      'endpoints[0].pools[0] ("gpu") names no pool of the scenario',
    ],
    [
      "a fractional concurrency",
      (s: Doc) => (endpoint0(s).profile.concurrencyPerReplica = 1.5),
      "endpoints[0].profile.concurrencyPerReplica (1.5) must be a whole number",
    ],
    [
      "a zero SLO",
      (s: Doc) => (endpoint0(s).profile.sloSeconds = 0),
      "endpoints[0].profile.sloSeconds (0) must be greater than 0",
    ],
    ["a duplicate pool", (s: Doc) => s.pools.push(pool()), 'pools[1].name ("od") is already used by pools[0]'],
    ["min above max", (s: Doc) => (pool0(s).minNodes = 500), "pools[0].minNodes (500) must not exceed maxNodes (200)"],
    [
      "a misspelt lifecycle delay",
      (s: Doc) => Object.assign(s, { lifecycle: { nodeBootSecond: 60 } }),
      "lifecycle.nodeBootSecond is not a known setting: did you mean nodeBootSeconds?",
    ],
    [
      "a negative lifecycle delay",
      (s: Doc) => Object.assign(s, { lifecycle: { imagePullSeconds: -5 } }),
      "lifecycle.imagePullSeconds (-5) must be at least 0",
    ],
    [
      "a misspelt spot setting",
      (s: Doc) => Object.assign(pool0(s), { spot: { burstPerDay: 2 } }),
      "pools[0].spot.burstPerDay is not a known setting: did you mean burstsPerDay?",
    ],
  ])("rejects %s naming field and value", (_, change, message) => {
    const doc = valid();
    change(doc);

    expect(() => validateScenario(doc, "s.yaml")).toThrow(`invalid s.yaml:\n${message}`);
  });
});
