import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../sim/report";
import { chromiumPath, launchChromium } from "./fixtures/chromium";
import { POLICIES, reportFixture } from "./fixtures/report-data";

/** What the page reports about each chart once Chromium has laid it out. */
interface ChartLayout {
  kind: string;
  width: number;
  height: number;
  /** data-series names, and each one's drawn size (path length or bounding box). */
  series: { name: string; length: number; width: number; height: number }[];
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), "gpufleet-report-"));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the HTML report in headless Chromium", () => {
  it("lays out every chart with a visible size and the expected series, fetching nothing", async () => {
    const file = join(dir, "report.html");
    writeFileSync(file, renderReport(reportFixture({ endpoints: ["chat"] })));
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });

    await page.goto(`file://${file}`);
    // Per-endpoint charts sit in closed <details>: open them, as a reader would, to lay them out.
    for (const summary of await page.$$("details.endpoints > summary")) await summary.click();
    const charts: ChartLayout[] = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          kind: svg.getAttribute("data-chart") ?? "",
          width: box.width,
          height: box.height,
          series: [...svg.querySelectorAll("[data-series]")].map((el) => {
            const b = el.getBoundingClientRect();
            // A series is a <path>, or a <g> of a path and markers; the tsconfig has no DOM types, hence the shape.
            type Measurable = { getTotalLength?: () => number };
            const path = (el.tagName === "path" ? el : el.querySelector("path")) as unknown as Measurable | null;
            return {
              name: el.getAttribute("data-series") ?? "",
              length: path?.getTotalLength ? path.getTotalLength() : 0,
              width: b.width,
              height: b.height,
            };
          }),
        };
      }),
    );
    await page.close();

    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    expect(charts.map((c) => c.kind)).toEqual([
      "cost-slo",
      "waits",
      ...POLICIES.flatMap(() => ["timeline", "timeline"]),
    ]);
    for (const chart of charts) {
      expect(chart.width, chart.kind).toBeGreaterThan(500);
      expect(chart.height, chart.kind).toBeGreaterThan(200);
    }
    const [cost, waits, ...timelines] = charts as [ChartLayout, ChartLayout, ...ChartLayout[]];
    expect(cost.series.map((s) => s.name)).toEqual(POLICIES);
    expect(waits.series.map((s) => s.name)).toEqual(POLICIES);
    for (const s of [...cost.series, ...waits.series]) {
      expect(s.length, s.name).toBeGreaterThan(50);
    }
    for (const timeline of timelines) {
      expect(timeline.series.map((s) => s.name)).toEqual(["spot-gpus", "on-demand-gpus", "replicas", "demand"]);
      for (const s of timeline.series) {
        // Lines and areas span the whole run: nearly the plot's 880 px of width.
        expect(s.width, s.name).toBeGreaterThan(400);
        expect(s.length, s.name).toBeGreaterThan(880);
      }
    }
  });
});

describe("finding Chromium", () => {
  it("fails with the install command when no browser is there", () => {
    expect(() => chromiumPath({}, ["/nonexistent/chromium"])).toThrow(
      "headless Chromium not found at /nonexistent/chromium. Install it with `sudo apt-get install chromium` " +
        "(Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.",
    );
  });

  it("uses CHROMIUM_PATH when set, and fails when it names no file", () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath }, [])).toBe(process.execPath);
    expect(() => chromiumPath({ CHROMIUM_PATH: "/nonexistent/chrome" }, [])).toThrow(
      "CHROMIUM_PATH (/nonexistent/chrome) does not exist. Install it with",
    );
  });
});
