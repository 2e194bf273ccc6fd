import type { Point } from "./downsample";
import { escapeHtml } from "./escape";
import { px, type Scale } from "./scale";

/** The plotting area of a chart panel, in pixels inside its SVG. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function bottom(box: Box): number {
  return box.top + box.height;
}

export function right(box: Box): number {
  return box.left + box.width;
}

/** An SVG path through the points ("M x y L x y ..."); empty when there are none. */
export function linePath(points: readonly Point[], sx: Scale, sy: Scale): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${px(sx(p.x))} ${px(sy(p.y))}`).join("");
}

/**
 * A closed path filling the region between two lines: along `upper` left to right, then back
 * along `lower` right to left. Both may have their own x positions (each downsampled on its own).
 */
export function bandPath(upper: readonly Point[], lower: readonly Point[], sx: Scale, sy: Scale): string {
  if (upper.length === 0) return "";
  const back = [...lower].reverse();
  return `${linePath(upper, sx, sy)}${back.map((p) => `L${px(sx(p.x))} ${px(sy(p.y))}`).join("")}Z`;
}

/** Horizontal grid lines with labels on the left, and the axis title rotated along it. */
export function yAxis(box: Box, ticks: readonly number[], sy: Scale, format: (v: number) => string, title: string) {
  const lines = ticks.map((t) => {
    const y = px(sy(t));
    return (
      `<line class="grid" x1="${px(box.left)}" x2="${px(right(box))}" y1="${y}" y2="${y}"/>` +
      `<text class="tick" x="${px(box.left - 6)}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(format(t))}</text>`
    );
  });
  const cx = px(box.left - 44);
  const cy = px(box.top + box.height / 2);
  lines.push(
    `<text class="axis-title" x="${cx}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${cx} ${cy})">${escapeHtml(title)}</text>`,
  );
  return lines.join("");
}

/** Tick marks and labels under the box, and an optional axis title below them. */
export function xAxis(box: Box, ticks: readonly number[], sx: Scale, format: (v: number) => string, title?: string) {
  const y = bottom(box);
  const parts = [`<line class="axis" x1="${px(box.left)}" x2="${px(right(box))}" y1="${px(y)}" y2="${px(y)}"/>`];
  for (const t of ticks) {
    const x = px(sx(t));
    parts.push(
      `<line class="axis" x1="${x}" x2="${x}" y1="${px(y)}" y2="${px(y + 4)}"/>` +
        `<text class="tick" x="${x}" y="${px(y + 16)}" text-anchor="middle">${escapeHtml(format(t))}</text>`,
    );
  }
  if (title) {
    parts.push(
      `<text class="axis-title" x="${px(box.left + box.width / 2)}" y="${px(y + 34)}" text-anchor="middle">${escapeHtml(title)}</text>`,
    );
  }
  return parts.join("");
}

/** Opening tag of a chart: fixed drawing size, scaled to the page width by CSS (viewBox). */
export function svgOpen(kind: string, width: number, height: number, label: string, extra = ""): string {
  return (
    `<svg class="chart" data-chart="${escapeHtml(kind)}"${extra} viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}">`
  );
}
