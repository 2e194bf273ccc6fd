/**
 * Quantiles of a run's latencies without sorting them: a sweep run needs only the p99, and
 * sorting millions of values was a tenth of the run. Quickselect with Hoare's partition
 * (both scans stop on values equal to the pivot, so repeated values split evenly) and a
 * median-of-three pivot (sorted input splits in halves).
 */

/** The value at `sorted[index]` had `values` been sorted ascending; reorders `values`. */
export function selectInPlace(values: Float32Array, index: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const a = values[lo] as number;
    const b = values[lo + ((hi - lo) >> 1)] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const v = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = v;
      }
    }
    // Now values[lo..j] <= pivot <= values[i..hi], and anything between equals the pivot.
    if (index <= j) hi = j;
    else if (index >= i) lo = i;
    else return values[index] as number;
  }
  return values[index] as number;
}

/** Where a sorted array of `length` values holds its q-quantile: `ceil(q n) - 1`, within the array. */
export function quantileIndex(length: number, q: number): number {
  return Math.min(length - 1, Math.max(0, Math.ceil(q * length) - 1));
}

/** The q-quantile as a sorted array's `quantileIndex`th value (0 for none); leaves `values` as it was. */
export function quantileOf(values: Float32Array, q: number): number {
  if (values.length === 0) return 0;
  return selectInPlace(values.slice(), quantileIndex(values.length, q));
}
