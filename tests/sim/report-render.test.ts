import { describe, expect, it } from "vitest";
import { renderReport, renderSummaryTable } from "../../sim/report";
import type { PolicySummary, ReportData } from "../../sim/report/types";
import { survival } from "../../sim/report/waits";
import { POLICIES, reportFixture } from "./fixtures/report-data";

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

/** The `d` attribute of the path drawing `series` in the n-th chart of `kind`. */
function pathOf(html: string, kind: string, series: string, n = 0): string {
  const charts = html.split(`data-chart="${kind}"`).slice(1);
  const chart = charts[n] ?? "";
  const match = new RegExp(`data-series="${series}"[^>]* d="([^"]*)"`).exec(chart.slice(0, chart.indexOf("</svg>")));
  return match?.[1] ?? "";
}

describe("renderReport", () => {
  it("draws one timeline per series, one queue-wait chart and one cost-vs-SLO chart", () => {
    const data = reportFixture();

    const html = renderReport(data);

    expect(count(html, 'data-chart="timeline"')).toBe(POLICIES.length);
    expect(count(html, 'data-chart="waits"')).toBe(1);
    expect(count(html, 'data-chart="cost-slo"')).toBe(1);
    for (const series of ["demand", "replicas", "spot-gpus", "on-demand-gpus"]) {
      expect(count(html, `data-series="${series}"`)).toBe(POLICIES.length);
    }
    for (const policy of POLICIES) {
      // One curve in the wait chart, one group in the cost chart.
      expect(count(html, `data-series="${policy}"`)).toBe(2);
      expect(html).toContain(`<tr data-policy="${policy}">`);
    }
  });

  it("puts per-endpoint timelines in a closed section under their policy's fleet-wide chart", () => {
    const data = reportFixture({ policies: ["gpufleet", "reactive"], endpoints: ["chat", "embed"], minutes: 60 });

    const html = renderReport(data);

    expect(count(html, 'data-chart="timeline"')).toBe(6);
    expect(count(html, '<details class="endpoints">')).toBe(2);
    expect(html).toContain("<summary>gpufleet by endpoint (2)</summary>");
    const gpufleet = html.indexOf("<summary>gpufleet by endpoint");
    expect(html.indexOf("gpufleet — chat")).toBeGreaterThan(gpufleet);
    expect(html.indexOf("gpufleet — chat")).toBeLessThan(html.indexOf("<summary>reactive by endpoint"));
  });

  it("draws per-endpoint series directly when a policy has no fleet-wide one", () => {
    const data = reportFixture({ policies: ["gpufleet"], endpoints: ["chat"], minutes: 60 });
    data.series = data.series.filter((s) => s.endpoint !== undefined);

    const html = renderReport(data);

    expect(count(html, 'data-chart="timeline"')).toBe(1);
    expect(html).not.toContain("<details");
  });

  it("references nothing outside the file: no script, link, image, URL or import", () => {
    const html = renderReport(reportFixture());

    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.startsWith("<!doctype html>")).toBe(true);
  });

  it("escapes every string that comes from the data", () => {
    const data = reportFixture({ policies: [`<b>"evil"</b> & 'co'`, "reactive"], title: "<script>alert(1)</script>" });
    data.trace = `trace"><img src=x onerror=alert(1)>.csv`;
    data.notes = ["<i>price</i> & more"];

    const html = renderReport(data);

    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<i>");
    expect(html).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
    expect(html).toContain("trace&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv");
    expect(html).toContain('data-series="&lt;b&gt;&quot;evil&quot;&lt;/b&gt; &amp; &#39;co&#39;"');
    expect(html).toContain("<li>&lt;i&gt;price&lt;/i&gt; &amp; more</li>");
  });

  it("downsamples a week of minutes to at most two points per pixel column and keeps the burst peak", () => {
    const data = reportFixture({ minutes: 7 * 1440, policies: ["gpufleet"] });

    const html = renderReport(data);

    const demand = pathOf(html, "timeline", "demand");
    const points = demand.match(/[ML][\d.]+ [\d.]+/g) ?? [];
    expect(points.length).toBeGreaterThan(800);
    expect(points.length).toBeLessThanOrEqual(2 * 880);
    // The burst's peak is drawn at its height on the 0..60 requests/s axis (y = 112 at 0, y = 12 at 60).
    const peak = Math.max(...(data.series[0]?.demandRps ?? []));
    expect(peak).toBeGreaterThan(45);
    const ys = points.map((p) => Number(p.split(" ")[1]));
    expect(Math.min(...ys)).toBeCloseTo(112 - (100 * peak) / 60, 1);
  });

  it("gives the same bytes for the same data", () => {
    expect(renderReport(reportFixture())).toBe(renderReport(reportFixture()));
  });

  it("refuses a series whose arrays differ in length, naming the field", () => {
    const data = reportFixture({ minutes: 10, policies: ["gpufleet"] });
    (data.series[0] as ReportData["series"][number]).replicas.pop();

    expect(() => renderReport(data)).toThrow(
      'series for policy "gpufleet": replicas has 9 values but tSeconds has 10; they must be equal',
    );
  });

  it("refuses a wait histogram whose edges do not bound its counts", () => {
    const data = reportFixture({ minutes: 10, policies: ["gpufleet"] });
    data.waitHistograms = [{ policy: "gpufleet", edgesSeconds: [0, 1, 2], counts: [1, 2, 3] }];

    expect(() => renderReport(data)).toThrow(
      'wait histogram for policy "gpufleet": 3 edges for 3 counts; edges must be counts + 1',
    );
  });

  it("renders empty data without failing: no series, no histograms, no search points", () => {
    const data: ReportData = {
      title: "empty",
      trace: "none",
      durationSeconds: 0,
      slo: { waitSeconds: 10, target: 0.99 },
      sloOn: "wait",
      seeds: [1],
      lowerBoundUsd: null,
      summaries: [],
      series: [],
      waitHistograms: [],
      costSlo: [],
      notes: [],
    };

    const html = renderReport(data);

    expect(count(html, 'data-chart="timeline"')).toBe(0);
    expect(count(html, 'data-chart="waits"')).toBe(1);
    expect(html).not.toContain("NaN");
    expect(html).not.toContain("Infinity");
  });

  it("never writes NaN or Infinity into the SVG for all-zero series", () => {
    const data = reportFixture({ minutes: 60, policies: ["idle"] });
    const s = data.series[0] as ReportData["series"][number];
    s.demandRps = s.demandRps.map(() => 0);
    s.replicas = s.replicas.map(() => 0);
    s.spotGpus = s.spotGpus.map(() => 0);
    s.onDemandGpus = s.onDemandGpus.map(() => 0);

    const html = renderReport(data);

    expect(html).not.toContain("NaN");
    expect(html).not.toContain("Infinity");
  });
});

describe("renderSummaryTable", () => {
  const row = (over: Partial<PolicySummary>): PolicySummary => ({
    name: "gpufleet",
    costUsd: 123.456,
    gpuHours: 98.76,
    spotShare: 0.834,
    sloAttainment: 0.99512,
    p50WaitSeconds: 0.42,
    p99WaitSeconds: 8.05,
    p99LatencySeconds: 9.2,
    lostRequests: 0,
    deadLettered: 0,
    interruptions: 4,
    costAtSloUsd: 119.9,
    costAtSloCi95: null,
    tunedKnobs: null,
    frontier: [],
    ...over,
  });

  it("aligns one row per policy under the headers", () => {
    const table = renderSummaryTable([
      row({ costAtSloCi95: [117.5, 122.3] }),
      row({ name: "static-peak", costUsd: 1500, costAtSloUsd: null }),
    ]);

    expect(table).toBe(
      [
        "policy        cost $  GPU-h  spot  within SLO  p50 wait s  p99 wait s  lost  interruptions  cost at SLO $         95% CI",
        "gpufleet      123.46   98.8   83%      99.51%         0.4         8.1     0              4         119.90  117.50–122.30",
        "static-peak  1500.00   98.8   83%      99.51%         0.4         8.1     0              4    unreachable",
      ].join("\n"),
    );
  });

  it("never rounds an attainment up to a target it missed", () => {
    const table = renderSummaryTable([row({ sloAttainment: 0.98996 })]);

    expect(table).toContain("98.99%");
    expect(table).not.toContain("99.00%");
  });

  it("keeps control characters in a policy name out of the terminal", () => {
    const table = renderSummaryTable([row({ name: "bad\u001b[31mname\nx" })]);

    expect(table).not.toContain("\u001b");
    expect(table.split("\n")).toHaveLength(2);
  });
});

describe("survival curve of a wait histogram", () => {
  it("is the share waiting longer than each edge, and stops after the last request", () => {
    const points = survival({ policy: "p", edgesSeconds: [0, 1, 10, 100, 1000], counts: [6, 3, 1, 0] });

    expect(points).toEqual([
      { x: 0, y: 1 },
      { x: 1, y: 0.4 },
      { x: 10, y: 0.1 },
      { x: 100, y: 0 },
    ]);
  });

  it("is empty when no request was counted", () => {
    expect(survival({ policy: "p", edgesSeconds: [0, 1], counts: [0] })).toEqual([]);
  });
});
