/** Window statistics over per-minute values, skipping unusable points (null, NaN, negative). */

/** A usable per-minute value: finite and not negative. */
export function valueAt(values: readonly (number | null)[], i: number): number | undefined {
  if (i < 0 || i >= values.length) return undefined;
  const v = values[i];
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Mean and count of the usable values in [from, to]. */
export function windowMean(
  values: readonly (number | null)[],
  from: number,
  to: number,
): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = valueAt(values, i);
    if (v !== undefined) {
      sum += v;
      count++;
    }
  }
  return { mean: count > 0 ? sum / count : 0, count };
}

/**
 * Median and count of the usable values in [from, to]. A burst of a few minutes moves a
 * mean for the whole window but not the median, so a level taken from it forgets the burst
 * as soon as the burst is over.
 */
export function windowMedian(
  values: readonly (number | null)[],
  from: number,
  to: number,
): { median: number; count: number } {
  const usable: number[] = [];
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = valueAt(values, i);
    if (v !== undefined) usable.push(v);
  }
  return { median: medianInPlace(usable), count: usable.length };
}

/**
 * The median of xs, 0 when empty; reorders xs. Insertion sort: the windows are tens of
 * values, where it beats Array.prototype.sort's comparator calls.
 */
function medianInPlace(xs: number[]): number {
  const n = xs.length;
  if (n === 0) return 0;
  for (let i = 1; i < n; i++) {
    const x = xs[i] as number;
    let j = i - 1;
    while (j >= 0 && (xs[j] as number) > x) {
      xs[j + 1] = xs[j] as number;
      j--;
    }
    xs[j + 1] = x;
  }
  const mid = n >> 1;
  return n % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/** The largest usable value in [from, to]; undefined when there is none. */
export function windowPeak(values: readonly (number | null)[], from: number, to: number): number | undefined {
  let peak: number | undefined;
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = valueAt(values, i);
    if (v !== undefined && (peak === undefined || v > peak)) peak = v;
  }
  return peak;
}

/** Least-squares slope (per minute) of the usable values in [from, to]; 0 with fewer than three points. */
export function slope(values: readonly (number | null)[], from: number, to: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = Math.max(0, from); i <= to; i++) {
    const v = valueAt(values, i);
    if (v === undefined) continue;
    n++;
    sx += i;
    sy += v;
    sxx += i * i;
    sxy += i * v;
  }
  const denominator = n * sxx - sx * sx;
  return n >= 3 && denominator > 0 ? (n * sxy - sx * sy) / denominator : 0;
}

/**
 * Noise from successive differences, robustly: sigma = median(|v[i] - v[i-1]|) / (0.6745 * sqrt(2)),
 * the normal-consistent scale of the differences. Unlike the plain standard deviation it is not
 * inflated by a trend or a level shift, and unlike their mean square not by a burst: a burst
 * that is over leaves no margin behind (bursts are caught from the queue instead).
 */
export function successiveDifferenceSigma(values: readonly (number | null)[], from: number, to: number): number {
  const differences: number[] = [];
  for (let i = Math.max(1, from + 1); i <= to; i++) {
    const a = valueAt(values, i - 1);
    const b = valueAt(values, i);
    if (a !== undefined && b !== undefined) differences.push(Math.abs(b - a));
  }
  return medianInPlace(differences) / (0.6745 * Math.SQRT2);
}
