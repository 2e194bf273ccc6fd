import { downsampleMinMax, type Point } from "./downsample";
import { escapeHtml } from "./escape";
import { formatElapsed, formatNumber, linearScale, timeTicks, zeroBasedTicks } from "./scale";
import { type Box, bandPath, bottom, linePath, svgOpen, xAxis, yAxis } from "./svg";
import type { PolicySeries } from "./types";

/** The series every timeline chart draws, in drawing order; `data-series` carries these names. */
export const TIMELINE_SERIES = ["spot-gpus", "on-demand-gpus", "replicas", "demand"] as const;

export const TIMELINE_COLORS: Record<(typeof TIMELINE_SERIES)[number], string> = {
  "spot-gpus": "#8fd3b6",
  "on-demand-gpus": "#f4b183",
  replicas: "#6a3d9a",
  demand: "#1f4e79",
};

const WIDTH = 960;
const DEMAND: Box = { left: 64, top: 12, width: 880, height: 100 };
const CAPACITY: Box = { left: 64, top: 140, width: 880, height: 170 };
const HEIGHT = bottom(CAPACITY) + 26;

/**
 * Demand (requests/s, top panel) over replicas and GPUs (bottom panel: spot and on-demand GPUs
 * stacked, replicas as a line) for one policy, on one elapsed-time axis. Every series is
 * downsampled to one min/max pair per pixel column, so a week of minutes draws as crisply as an hour.
 */
export function timelineChart(series: PolicySeries, durationSeconds: number): string {
  checkLengths(series);
  const t = series.tSeconds;
  const lastT = t.length > 0 ? (t[t.length - 1] as number) : 0;
  const duration = Math.max(durationSeconds, lastT, 60);
  const buckets = CAPACITY.width;
  const totalGpus = series.spotGpus.map((s, i) => s + (series.onDemandGpus[i] ?? 0));

  const demand = downsampleMinMax(t, series.demandRps, buckets);
  const replicas = downsampleMinMax(t, series.replicas, buckets);
  const spot = downsampleMinMax(t, series.spotGpus, buckets);
  const total = downsampleMinMax(t, totalGpus, buckets);

  const sx = linearScale(0, duration, DEMAND.left, DEMAND.left + DEMAND.width);
  const demandTicks = zeroBasedTicks(maxY(demand), 4);
  const sDemand = linearScale(0, demandTicks[demandTicks.length - 1] as number, bottom(DEMAND), DEMAND.top);
  const capacityTicks = zeroBasedTicks(Math.max(maxY(replicas), maxY(total)), 5);
  const sCap = linearScale(0, capacityTicks[capacityTicks.length - 1] as number, bottom(CAPACITY), CAPACITY.top);
  const baseline =
    spot.length > 0
      ? [
          { x: (spot[0] as Point).x, y: 0 },
          { x: (spot[spot.length - 1] as Point).x, y: 0 },
        ]
      : [];
  const ticks = timeTicks(duration);
  const label = series.endpoint ? `${series.policy}, endpoint ${series.endpoint}` : series.policy;

  return [
    svgOpen(
      "timeline",
      WIDTH,
      HEIGHT,
      `Demand, replicas and GPUs over time: ${label}`,
      ` data-policy="${escapeHtml(series.policy)}"`,
    ),
    yAxis(DEMAND, demandTicks, sDemand, formatNumber, "requests/s"),
    yAxis(CAPACITY, capacityTicks, sCap, formatNumber, "replicas, GPUs"),
    `<path data-series="spot-gpus" class="area" fill="${TIMELINE_COLORS["spot-gpus"]}" d="${bandPath(spot, baseline, sx, sCap)}"><title>spot GPUs</title></path>`,
    `<path data-series="on-demand-gpus" class="area" fill="${TIMELINE_COLORS["on-demand-gpus"]}" d="${bandPath(total, spot, sx, sCap)}"><title>on-demand GPUs (stacked on spot)</title></path>`,
    `<path data-series="replicas" class="line" stroke="${TIMELINE_COLORS.replicas}" d="${linePath(replicas, sx, sCap)}"><title>replicas</title></path>`,
    `<path data-series="demand" class="line" stroke="${TIMELINE_COLORS.demand}" d="${linePath(demand, sx, sDemand)}"><title>demand, requests/s</title></path>`,
    xAxis(DEMAND, [], sx, formatElapsed),
    xAxis(CAPACITY, ticks, sx, formatElapsed),
    "</svg>",
  ].join("");
}

function maxY(points: readonly Point[]): number {
  let max = 0;
  for (const p of points) if (p.y > max) max = p.y;
  return max;
}

/** Series of different lengths would silently misalign in time: refuse them, naming the field. */
function checkLengths(series: PolicySeries): void {
  const n = series.tSeconds.length;
  for (const field of ["demandRps", "replicas", "spotGpus", "onDemandGpus", "backlog"] as const) {
    const len = series[field].length;
    if (len !== n) {
      throw new Error(
        `series for policy "${series.policy}": ${field} has ${len} values but tSeconds has ${n}; they must be equal`,
      );
    }
  }
}
