/** Maps a data value to a pixel coordinate. */
export type Scale = (value: number) => number;

/** A straight map of [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0;
  if (span === 0) return () => r0;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * The smallest "round" step (1, 2, 2.5 or 5 times a power of ten) that divides `span` into at
 * most `maxTicks` intervals, so axis labels read 0, 50, 100 rather than 0, 47.3, 94.6.
 */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5]) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

/** Ticks from 0 to the first round value at or above `max` (at least 1, so an all-zero series still gets an axis). */
export function zeroBasedTicks(max: number, maxTicks = 5): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const step = niceStep(top, maxTicks);
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => roundTo(i * step, step));
}

/** Elapsed-time steps an axis may use, in seconds: from a minute to a week. */
const TIME_STEPS = [60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Ticks on an elapsed-time axis, at most `maxTicks` intervals, on whole minutes, hours or days. */
export function timeTicks(durationSeconds: number, maxTicks = 8): number[] {
  const step = TIME_STEPS.find((s) => durationSeconds / s <= maxTicks) ?? niceStep(durationSeconds, maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= durationSeconds + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/**
 * Elapsed time since the start of the run: `0h`, `30m`, `6h`, `1d 6h`. The run's start is not a
 * wall-clock time (a trace's minute 0 may be any hour), so the axis does not pretend it is.
 */
export function formatElapsed(seconds: number): string {
  const total = Math.round(seconds / 60);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0 || (days === 0 && minutes === 0)) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  return parts.join(" ");
}

/** A compact axis or table number: 1.5k, 12, 0.25. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim((value / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${trim((value / 1e3).toFixed(0))}k`;
  if (abs >= 1e3) return `${trim((value / 1e3).toFixed(1))}k`;
  if (abs >= 100 || abs === 0) return value.toFixed(0);
  if (abs >= 10) return trim(value.toFixed(1));
  if (abs >= 0.01) return trim(value.toFixed(2));
  return value.toPrecision(1);
}

/** Rounds to the precision of `step`, so 0.1 * 3 labels as 0.3. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(decimals));
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** Pixel coordinates with one decimal: enough for a screen, and it keeps multi-day SVG paths short. */
export function px(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
