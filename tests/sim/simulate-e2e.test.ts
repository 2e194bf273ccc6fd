import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
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
  rmSync(dir, { recursive: true, force: true });
});

describe("gpufleet simulate, end to end", () => {
  it("simulates a small per-minute trace, prints the table and writes a report that renders", async () => {
    // Two hours of a per-minute trace with a step in the middle: small enough to run in seconds.
    const trace = join(dir, "step.csv");
    const rows = Array.from({ length: 120 }, (_, m) => `${m},${m < 60 ? 60 : 240}`);
    writeFileSync(trace, `minute,count\n${rows.join("\n")}\n`);
    const out = join(dir, "nested", "report.html");
    const stdout: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);

    const code = await main(["simulate", "--trace", trace, "--peak-rps", "4", "--seed", "3", "--out", out]);
    vi.restoreAllMocks();

    expect(code).toBe(0);
    const printed = stdout.join("");
    for (const policy of POLICY_NAMES) expect(printed).toMatch(new RegExp(`^${policy} `, "m"));
    expect(printed).toContain(`report: ${out}`);
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
