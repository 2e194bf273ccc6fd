import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { capture } from "../support/capture";
import { tempFile } from "./fixtures/scenarios";

/** A per-minute trace of `rows` rows written line by line (a few MB at most). */
function rateRows(rows: string[]): string {
  return tempFile("rate.csv", `minute,count\n${rows.join("\n")}\n`);
}

function requestRows(rows: string[]): string {
  return tempFile("requests.csv", `TIMESTAMP,ContextTokens,GeneratedTokens\n${rows.join("\n")}\n`);
}

/** A 5 MB file without a line break: it must fail on the first 4 KB, not read on. */
function noNewline(): string {
  const path = tempFile("one-line.csv", "");
  writeFileSync(path, `minute,count${"9".repeat(5_000_000)}`);
  return path;
}

const ESC = "\u001b";

// Each case: the command line (after "bench"), then a pattern the one-line message must match.
const CASES: [string, () => string[], RegExp][] = [
  [
    "--peak-rps 1e6",
    () => ["--trace", rateRows(["0,1"]), "--peak-rps", "1e6"],
    /--peak-rps \("1e6"\) must be a number above 0 and at most 100000/,
  ],
  ["--peak-rps 1e9", () => ["--trace", rateRows(["0,1"]), "--peak-rps", "1e9"], /--peak-rps \("1e9"\) must be/],
  [
    "--peak-rps -1",
    () => ["--trace", rateRows(["0,1"]), "--peak-rps", "-1"],
    /--peak-rps \(-1\) must be a number above 0/,
  ],
  [
    "a minute index of 1e8",
    () => ["--trace", rateRows(["0,1", "100000000,5"])],
    /rate\.csv:3: minute \(100000000\) must be at most 527039/,
  ],
  [
    "a minute index of 1e12",
    () => ["--trace", rateRows(["1000000000000,5"])],
    /rate\.csv:2: minute \(1000000000000\) must be at most/,
  ],
  [
    "a count of 1e12",
    () => ["--trace", rateRows(["0,1000000000000"])],
    /rate\.csv:2: count \(1000000000000\) must be at most 10000000/,
  ],
  [
    "a year of minutes at a huge rate",
    () => ["--trace", rateRows(Array.from({ length: 3000 }, (_, m) => `${m},10000000`))],
    /more than the 20000000 a simulation replays/,
  ],
  [
    "a trace spanning 53 years",
    () => ["--trace", requestRows(["1970-01-01 00:00:00,10,10", "2023-01-01 00:00:00,10,10"])],
    /requests\.csv:3: TIMESTAMP \("2023-01-01 00:00:00"\) is more than 366 days from the earliest/,
  ],
  ["a file with no line break", () => ["--trace", noNewline()], /one-line\.csv:1: line is longer than 4096 characters/],
  [
    "2023-02-30 25:61:61",
    () => ["--trace", requestRows(["2023-02-30 25:61:61,10,10"])],
    /requests\.csv:2: TIMESTAMP \("2023-02-30 25:61:61"\) is not a valid date and time/,
  ],
  [
    "2023-02-29 (not a leap year)",
    () => ["--trace", requestRows(["2023-02-29 10:00:00,10,10"])],
    /is not a valid date and time/,
  ],
  [
    "tokens of 1e308",
    () => ["--trace", requestRows(["2023-01-01 00:00:00,1e308,10"])],
    /ContextTokens \(1e\+308\) must be at most 10000000/,
  ],
  [
    "a service time over a day",
    () => ["--trace", requestRows(["2023-01-01 00:00:00,10,9000000"])],
    /request 1 takes 225000\.055 s from its tokens/,
  ],
  [
    "a file name with terminal escapes",
    () => ["--trace", `/nonexistent-${ESC}[31mred${ESC}]0;title\u0007.csv`],
    /nonexistent-\\x1b\[31mred\\x1b\]0;title\\x07\.csv: \(file\) cannot be read \(ENOENT\)/,
  ],
  [
    "a cell with terminal escapes",
    () => ["--trace", rateRows([`0,${ESC}[2J`])],
    /count \("\\u001b\[2J"\) is not a number/,
  ],
  [
    "a policy name with terminal escapes",
    () => ["--trace", "x.csv", "--policies", `${ESC}[2J`],
    /--policies \("\\u001b\[2J"\) names no policy/,
  ],
  ["--seeds 0", () => ["--trace", "x.csv", "--seeds", "0"], /--seeds \(0\) must be a whole number from 1 to 100/],
  [
    "--slo-on nonsense",
    () => ["--trace", "x.csv", "--slo-on", "both"],
    /--slo-on \("both"\) must be "wait" or "latency"/,
  ],
];

describe("gpufleet bench on hostile input", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(CASES)(
    "fails fast with exit code 2 and its own message: %s",
    async (_name, args, message) => {
      const io = capture();

      const code = await main(["bench", ...args(), "--no-search", "--workers", "1"]);

      expect(code).toBe(2);
      const err = io.err();
      expect(err).toMatch(message);
      expect(err.startsWith("gpufleet bench: ")).toBe(true);
      // One line, short, nothing a terminal would interpret.
      expect(err.trim().split("\n")).toHaveLength(1);
      expect(err.length).toBeLessThan(400);
      expect(err).not.toContain(ESC);
      expect(io.out()).toBe("");
    },
    60_000,
  );

  it("takes a negative number as the option's value in simulate too", async () => {
    const io = capture();

    expect(await main(["simulate", "--demo", "--peak-rps", "-1"])).toBe(2);
    expect(io.err()).toBe("gpufleet simulate: --peak-rps (-1) must be a positive number\n");
  });
});
