import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY_NAMES } from "../../sim/index";
import { launchChromium } from "./fixtures/chromium";

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), "gpufleet-simulate-"));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("gpufleet simulate, end to end", () => {
  it("simulates a small per-minute trace, prints the table and writes a report that renders", async () => {
    // Two hours of a per-minute trace with a step in the middle: small enough to run in seconds.
    const trace = join(dir, "step.csv");
    const rows = Array.from({ length: 120 }, (_, m) => `${m},${m < 60 ? 60 : 240}`);
    writeFileSync(trace, `minute,count\n${rows.join("\n")}\n`);
    const out = join(dir, "nested", "report.html");

    // The installed command, as a user runs it: a failure rejects with the exit code and stderr.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["bin/gpufleet.cjs", "simulate", "--trace", trace, "--peak-rps", "4", "--seed", "3", "--out", out],
      { cwd: join(__dirname, "..", ".."), maxBuffer: 16 * 1024 * 1024 },
    );

    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^policy +cost \$/);
    expect(lines.slice(1, 1 + POLICY_NAMES.length).map((l) => l.split(" ")[0])).toEqual([...POLICY_NAMES]);
    expect(lines[lines.length - 1]).toBe(`report: ${out}`);
    expect(stderr).toContain("simulate: ");
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/https?:/i);

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${out}`);
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => ({
        kind: svg.getAttribute("data-chart") ?? "",
        width: svg.getBoundingClientRect().width,
        height: svg.getBoundingClientRect().height,
        series: svg.querySelectorAll("[data-series]").length,
      })),
    );
    await page.close();
    const waits = charts.find((c) => c.kind === "waits");
    const cost = charts.find((c) => c.kind === "cost-slo");
    const timelines = charts.filter((c) => c.kind === "timeline");
    expect(waits?.series).toBe(POLICY_NAMES.length);
    expect(cost?.series).toBe(POLICY_NAMES.length);
    expect(timelines.length).toBeGreaterThanOrEqual(POLICY_NAMES.length);
    for (const t of timelines) expect(t.series).toBe(4);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(500);
      expect(c.height).toBeGreaterThan(200);
    }
  });
});
