import { costSloChart } from "./cost-slo";
import { escapeHtml } from "./escape";
import { formatElapsed, formatNumber } from "./scale";
import { REPORT_CSS } from "./style";
import { summaryTableHtml } from "./table";
import { TIMELINE_COLORS, timelineChart } from "./timeline";
import type { PolicySeries, ReportData } from "./types";
import { waitChart } from "./waits";

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#7f7f7f"];

/**
 * The whole report as one self-contained HTML document: inline CSS, inline SVG charts, no script
 * and no reference to anything outside the file, so it opens offline and can be attached to a
 * ticket or an e-mail. Pure: the same data gives the same bytes.
 */
export function renderReport(data: ReportData): string {
  const colorOf = policyColors(data);
  const policies = [...new Set(data.summaries.map((s) => s.name))];
  const sections = [
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="lead">Every policy replayed the same arrivals, spot interruptions and lead times.</p>`,
    meta(data, policies),
    `<h2>Summary</h2>`,
    `<p class="how">Cost and GPU-hours over the whole run; "within SLO" is the share of requests ${data.sloOn === "latency" ? "served (wait + service)" : "picked up"} within ${escapeHtml(formatNumber(data.slo.waitSeconds))} s, at each policy's default knobs; "cost at SLO" is the mean over seeds ${escapeHtml(data.seeds.join(", "))} of the cheapest knob setting whose mean attainment reaches ${escapeHtml(formatNumber(data.slo.target * 100))}%, with its 95% confidence interval (the cheapest is in bold)${data.lowerBoundUsd === null ? "" : `; no schedule can cost less than the lower bound, $${escapeHtml(data.lowerBoundUsd.toFixed(2))}`}.</p>`,
    summaryTableHtml(data.summaries, colorOf),
    `<h2>Cost against SLO attainment</h2>`,
    `<p class="how">Each policy's Pareto frontier over the knob settings it was tuned with (mean cost and attainment over the seeds); a ring marks its default setting. Up and to the left is better: the leftmost point on or above the dashed target line is the policy's cost at SLO.</p>`,
    policyLegend(policiesOf(data), colorOf),
    costSloChart(data.costSlo, data.summaries, data.slo.target, colorOf),
    `<h2>Queue wait distribution</h2>`,
    `<p class="how">For each wait on the horizontal axis, the share of requests that waited longer (log scale). A policy meets the SLO when its curve passes at or below the cross of the dashed lines.</p>`,
    policyLegend(
      data.waitHistograms.map((h) => h.policy),
      colorOf,
    ),
    waitChart(data.waitHistograms, data.slo, colorOf),
    `<h2>Demand, replicas and GPUs over time</h2>`,
    `<p class="how">Top: requests per second. Bottom: GPUs running (spot, with on-demand stacked on top) and replicas serving. Each pixel column shows the minimum and maximum of its minutes, so short bursts stay visible on multi-day runs.</p>`,
    timelineLegend(),
    ...timelines(data, colorOf),
    `<h2>Assumptions</h2>`,
    `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`,
  ];
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${REPORT_CSS}</style></head>`,
    `<body><main>${sections.join("\n")}</main></body></html>`,
    "",
  ].join("\n");
}

/**
 * One chart per policy for the whole fleet; when a policy also has per-endpoint series, those
 * go in a closed <details> under it (a click away, no script), so a many-endpoint run does not
 * bury the comparison under dozens of charts.
 */
function timelines(data: ReportData, colorOf: (policy: string) => string): string[] {
  const chart = (s: PolicySeries) => {
    const heading = s.endpoint ? `${s.policy} — ${s.endpoint}` : s.policy;
    return `<h3><span class="swatch" style="background:${escapeHtml(colorOf(s.policy))}"></span>${escapeHtml(heading)}</h3>${timelineChart(s, data.durationSeconds)}`;
  };
  const hasTotal = new Set(data.series.filter((s) => s.endpoint === undefined).map((s) => s.policy));
  const out: string[] = [];
  for (const s of data.series) {
    if (s.endpoint === undefined) {
      out.push(chart(s));
      const parts = data.series.filter((e) => e.policy === s.policy && e.endpoint !== undefined);
      if (parts.length > 0) {
        out.push(
          `<details class="endpoints"><summary>${escapeHtml(s.policy)} by endpoint (${parts.length})</summary>${parts.map(chart).join("")}</details>`,
        );
      }
    } else if (!hasTotal.has(s.policy)) {
      out.push(chart(s));
    }
  }
  return out;
}

function meta(data: ReportData, policies: string[]): string {
  const rows: [string, string][] = [
    ["trace", data.trace],
    ["simulated", formatElapsed(data.durationSeconds)],
    [
      "SLO",
      `queue wait ≤ ${formatNumber(data.slo.waitSeconds)} s for ${formatNumber(data.slo.target * 100)}% of requests`,
    ],
    ["policies", policies.join(", ")],
  ];
  return `<dl class="meta">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

/** Every policy named anywhere in the data, in order of first appearance. */
function policiesOf(data: ReportData): string[] {
  return [
    ...new Set([
      ...data.summaries.map((s) => s.name),
      ...data.costSlo.map((c) => c.policy),
      ...data.waitHistograms.map((h) => h.policy),
      ...data.series.map((s) => s.policy),
    ]),
  ];
}

/** One colour per policy, the same in every chart and the table. */
function policyColors(data: ReportData): (policy: string) => string {
  const colors = new Map(policiesOf(data).map((p, i) => [p, PALETTE[i % PALETTE.length] as string]));
  return (policy) => colors.get(policy) ?? "#7f7f7f";
}

function policyLegend(policies: readonly string[], colorOf: (policy: string) => string): string {
  const items = [...new Set(policies)].map(
    (p) => `<li><span class="swatch" style="background:${escapeHtml(colorOf(p))}"></span>${escapeHtml(p)}</li>`,
  );
  return `<ul class="legend">${items.join("")}</ul>`;
}

function timelineLegend(): string {
  const labels: [keyof typeof TIMELINE_COLORS, string][] = [
    ["demand", "demand, requests/s"],
    ["replicas", "replicas"],
    ["spot-gpus", "spot GPUs"],
    ["on-demand-gpus", "on-demand GPUs"],
  ];
  const items = labels.map(
    ([key, label]) =>
      `<li><span class="swatch" style="background:${TIMELINE_COLORS[key]}"></span>${escapeHtml(label)}</li>`,
  );
  return `<ul class="legend">${items.join("")}</ul>`;
}
