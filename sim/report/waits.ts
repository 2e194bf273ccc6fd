import type { Point } from "./downsample";
import { escapeHtml } from "./escape";
import { formatNumber, linearScale, px, type Scale, zeroBasedTicks } from "./scale";
import { type Box, bottom, linePath, right, svgOpen, xAxis, yAxis } from "./svg";
import type { WaitHistogram } from "./types";

const WIDTH = 960;
const BOX: Box = { left: 64, top: 12, width: 860, height: 280 };
const HEIGHT = bottom(BOX) + 44;

/** The lowest share the y axis shows: one request in a million, so tails stay on the chart. */
const MIN_SHARE = 1e-6;

/**
 * Queue-wait distribution of every policy as a survival curve: for each wait x, the share of
 * requests that waited longer than x, on a log scale so the 1% tail an SLO cares about is as
 * visible as the median. The SLO is the cross of the dashed lines (wait = SLO, share = 1 - target):
 * a policy meets the SLO when its curve passes at or below that cross.
 */
export function waitChart(
  histograms: readonly WaitHistogram[],
  slo: { waitSeconds: number; target: number },
  colorOf: (policy: string) => string,
): string {
  const curves = histograms.map((h) => ({ policy: h.policy, points: survival(h) }));
  // The axis ends where the last request's bucket ends (not at the last, empty, edge), so a
  // histogram reaching out to hours does not squeeze the interesting seconds to the left.
  const maxWait = Math.max(slo.waitSeconds, ...curves.map((c) => c.points[c.points.length - 1]?.x ?? 0));
  const positive = curves.flatMap((c) => c.points.map((p) => p.y)).filter((y) => y > 0);
  const tailShare = Math.max(MIN_SHARE, Math.min(1 - slo.target, ...positive));
  const floorExp = Math.min(-2, Math.floor(Math.log10(tailShare)));
  const floor = 10 ** floorExp;

  const logX = usePseudoLog(histograms);
  const xTicks = logX ? pseudoLogTicks(maxWait) : zeroBasedTicks(maxWait, 8);
  const xMax = Math.max(maxWait, xTicks[xTicks.length - 1] as number);
  const fx = logX ? (w: number) => Math.log10(1 + Math.max(0, w)) : (w: number) => w;
  const lin = linearScale(0, fx(xMax), BOX.left, right(BOX));
  const sx: Scale = (w) => lin(fx(w));
  const logY = linearScale(floorExp, 0, bottom(BOX), BOX.top);
  const sy: Scale = (share) => logY(Math.log10(Math.max(floor, Math.min(1, share))));
  const yTicks = Array.from({ length: -floorExp + 1 }, (_, i) => 10 ** (floorExp + i));

  const sloX = px(sx(slo.waitSeconds));
  const targetY = px(sy(1 - slo.target));
  const parts = [
    svgOpen("waits", WIDTH, HEIGHT, "Queue wait distribution per policy"),
    yAxis(BOX, yTicks, sy, formatShare, "share waiting longer"),
    xAxis(BOX, xTicks, sx, formatNumber, logX ? "queue wait, seconds (log scale)" : "queue wait, seconds"),
    `<line class="marker" x1="${sloX}" x2="${sloX}" y1="${px(BOX.top)}" y2="${px(bottom(BOX))}"/>`,
    `<text class="marker-label" x="${px(sx(slo.waitSeconds) + 4)}" y="${px(BOX.top + 12)}">SLO ${escapeHtml(formatNumber(slo.waitSeconds))} s</text>`,
    `<line class="marker" x1="${px(BOX.left)}" x2="${px(right(BOX))}" y1="${targetY}" y2="${targetY}"/>`,
    `<text class="marker-label" x="${px(right(BOX) - 4)}" y="${px(sy(1 - slo.target) - 4)}" text-anchor="end">${escapeHtml(formatShare(1 - slo.target))} may wait longer</text>`,
  ];
  for (const c of curves) {
    parts.push(
      `<path data-series="${escapeHtml(c.policy)}" class="line" stroke="${escapeHtml(colorOf(c.policy))}" d="${linePath(c.points, sx, sy)}"><title>${escapeHtml(c.policy)}</title></path>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

/**
 * Share of requests that waited at least each bucket edge, assuming waits spread evenly within a
 * bucket (so the curve is drawn straight between edges), up to the edge past the longest wait.
 */
export function survival(h: WaitHistogram): Point[] {
  if (h.edgesSeconds.length !== h.counts.length + 1) {
    throw new Error(
      `wait histogram for policy "${h.policy}": ${h.edgesSeconds.length} edges for ${h.counts.length} counts; edges must be counts + 1`,
    );
  }
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return [];
  const points: Point[] = [{ x: h.edgesSeconds[0] as number, y: 1 }];
  let seen = 0;
  for (let i = 0; i < h.counts.length && seen < total; i++) {
    seen += h.counts[i] as number;
    points.push({ x: h.edgesSeconds[i + 1] as number, y: (total - seen) / total });
  }
  // The curve ends where the last request's bucket ends: nothing waited longer.
  return points;
}

/** Log-like axis when the edges span more than two orders of magnitude (e.g. 0.1 s to 10 min). */
function usePseudoLog(histograms: readonly WaitHistogram[]): boolean {
  const edges = histograms.flatMap((h) => h.edgesSeconds);
  const positive = edges.filter((e) => e > 0);
  if (positive.length === 0) return false;
  return Math.max(...positive) / Math.min(...positive) > 100;
}

/** 0, 1, 2, 5, 10, 20, 50, ... up to the first at or past `max`, thinned to at most ten labels. */
function pseudoLogTicks(max: number): number[] {
  const ticks = [0];
  for (let magnitude = 1; (ticks[ticks.length - 1] as number) < max; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      ticks.push(m * magnitude);
      if (m * magnitude >= max) break;
    }
  }
  if (ticks.length <= 10) return ticks;
  return ticks.filter((t) => t === 0 || /^1/.test(String(t)) || t === ticks[ticks.length - 1]);
}

/** 1, 0.1, 0.01 as 100%, 10%, 1%, and below 0.1% as 1e-4. */
export function formatShare(share: number): string {
  if (share >= 0.001) return `${formatNumber(share * 100)}%`;
  return share.toExponential(0);
}
