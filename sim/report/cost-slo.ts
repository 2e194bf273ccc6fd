import type { Point } from "./downsample";
import { escapeHtml } from "./escape";
import { formatNumber, linearScale, px, type Scale, zeroBasedTicks } from "./scale";
import { type Box, bottom, linePath, right, svgOpen, xAxis, yAxis } from "./svg";
import type { CostSloCurve, PolicySummary } from "./types";

const WIDTH = 960;
const BOX: Box = { left: 64, top: 12, width: 860, height: 280 };
const HEIGHT = bottom(BOX) + 44;

/** The most nines the axis tells apart: 99.99%. Better attainment draws on the top line. */
const MAX_NINES = 4;

/** SLO attainment as "nines": 90% -> 1, 99% -> 2, 99.9% -> 3. Equal steps for each tenfold cut in misses. */
export function nines(attainment: number): number {
  const miss = Math.max(10 ** -MAX_NINES, 1 - Math.min(1, Math.max(0, attainment)));
  return Math.min(MAX_NINES, -Math.log10(miss));
}

/**
 * Cost against SLO attainment for each policy: its Pareto frontier over the knob settings it
 * was tuned with (means over the seeds), joined from cheapest to dearest, and a ring on its
 * default setting. Up and to the left is better; the cheapest frontier point on or above the
 * dashed target line is the policy's cost at SLO.
 */
export function costSloChart(
  curves: readonly CostSloCurve[],
  summaries: readonly PolicySummary[],
  target: number,
  colorOf: (policy: string) => string,
): string {
  const policies = [...new Set([...summaries.map((s) => s.name), ...curves.map((c) => c.policy)])];
  const all = [
    ...curves.flatMap((c) => c.points),
    ...summaries.map((s) => ({ costUsd: s.costUsd, sloAttainment: s.sloAttainment })),
  ].filter((p) => Number.isFinite(p.costUsd) && Number.isFinite(p.sloAttainment));

  const xTicks = zeroBasedTicks(Math.max(0, ...all.map((p) => p.costUsd)), 8);
  const sx = linearScale(0, xTicks[xTicks.length - 1] as number, BOX.left, right(BOX));
  const top = Math.min(
    MAX_NINES,
    Math.max(nines(target) + 1, Math.ceil(Math.max(0, ...all.map((p) => nines(p.sloAttainment))))),
  );
  const ny = linearScale(0, top, bottom(BOX), BOX.top);
  const sy: Scale = (attainment) => ny(nines(attainment));
  const yTicks = [0, 0.5, 0.9, 0.99, 0.999, 0.9999].filter((a) => nines(a) <= top + 1e-9);
  const targetY = px(sy(target));

  const parts = [
    svgOpen("cost-slo", WIDTH, HEIGHT, "Cost against SLO attainment per policy"),
    yAxis(BOX, yTicks, sy, (a) => `${formatNumber(a * 100)}%`, "SLO attainment"),
    xAxis(BOX, xTicks, sx, (v) => `$${formatNumber(v)}`, "cost over the run, USD"),
    `<line class="marker" x1="${px(BOX.left)}" x2="${px(right(BOX))}" y1="${targetY}" y2="${targetY}"/>`,
    `<text class="marker-label" x="${px(right(BOX) - 4)}" y="${px(sy(target) - 4)}" text-anchor="end">target ${escapeHtml(formatNumber(target * 100))}%</text>`,
  ];
  for (const policy of policies) {
    const color = escapeHtml(colorOf(policy));
    const name = escapeHtml(policy);
    const points = curves
      .filter((c) => c.policy === policy)
      .flatMap((c) => c.points)
      .filter((p) => Number.isFinite(p.costUsd) && Number.isFinite(p.sloAttainment))
      .sort((a, b) => a.costUsd - b.costUsd);
    const line: Point[] = points.map((p) => ({ x: p.costUsd, y: p.sloAttainment }));
    const group = [
      `<g data-series="${name}">`,
      `<path class="line thin" stroke="${color}" d="${linePath(line, sx, sy)}"/>`,
    ];
    for (const p of points) {
      group.push(
        `<circle cx="${px(sx(p.costUsd))}" cy="${px(sy(p.sloAttainment))}" r="3.5" fill="${color}">` +
          `<title>${name}: knob ${escapeHtml(formatNumber(p.knob))}, $${escapeHtml(p.costUsd.toFixed(2))}, ${escapeHtml(percent(p.sloAttainment))} within SLO</title></circle>`,
      );
    }
    const summary = summaries.find((s) => s.name === policy);
    if (summary && Number.isFinite(summary.costUsd) && Number.isFinite(summary.sloAttainment)) {
      group.push(
        `<circle class="as-run" cx="${px(sx(summary.costUsd))}" cy="${px(sy(summary.sloAttainment))}" r="7" stroke="${color}">` +
          `<title>${name} as run: $${escapeHtml(summary.costUsd.toFixed(2))}, ${escapeHtml(percent(summary.sloAttainment))} within SLO</title></circle>`,
      );
    }
    group.push("</g>");
    parts.push(group.join(""));
  }
  parts.push("</svg>");
  return parts.join("");
}

/** A share as a percentage that never rounds up to a target it missed: 0.98996 prints 98.99%, not 99.00%. */
export function percent(share: number): string {
  if (!Number.isFinite(share)) return String(share);
  return `${(Math.floor(share * 10000 + 1e-7) / 100).toFixed(2)}%`;
}
