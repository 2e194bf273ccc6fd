/** Window statistics over per-minute values, skipping unusable points (null, NaN, negative). */

/** A usable per-minute value: finite and not negative. */
export function valueAt(values: readonly (number | null)[], i: number): number | undefined {
  const v = usable(values, i);
  return v >= 0 ? v : undefined;
}

/**
 * valueAt for hot loops: the usable value or -1, never undefined, so the loops that read every
 * minute of a window stay on numbers.
 */
export function usable(values: readonly (number | null)[], i: number): number {
  const v = i >= 0 && i < values.length ? values[i] : null;
  return typeof v === "number" && v >= 0 && v < Number.POSITIVE_INFINITY ? v : -1;
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
    const v = usable(values, i);
    if (v >= 0) {
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
  const window: number[] = [];
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = usable(values, i);
    if (v >= 0) window.push(v);
  }
  return { median: medianInPlace(window), count: window.length };
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
  let peak = -1;
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = usable(values, i);
    if (v > peak) peak = v;
  }
  return peak >= 0 ? peak : undefined;
}

/** Least-squares slope (per minute) of the usable values in [from, to]; 0 with fewer than three points. */
export function slope(values: readonly (number | null)[], from: number, to: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = Math.max(0, from); i <= to; i++) {
    const v = usable(values, i);
    if (v < 0) continue;
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
    const a = usable(values, i - 1);
    const b = usable(values, i);
    if (a >= 0 && b >= 0) differences.push(Math.abs(b - a));
  }
  return medianInPlace(differences) / (0.6745 * Math.SQRT2);
}
