/**
 * Quantiles of a run's latencies without sorting them: a sweep run needs only the p99, and
 * sorting millions of values was a tenth of the run. Quickselect with a three-way partition
 * (ties in one pass, no quadratic case on repeated values) and a median-of-three pivot.
 */

/** The value at `sorted[index]` had `values` been sorted ascending; reorders `values`. */
export function selectInPlace(values: Float32Array, index: number): number {
  let lo = 0;
  let hi = values.length - 1;
  for (;;) {
    if (lo >= hi) return values[lo] as number;
    const mid = lo + ((hi - lo) >> 1);
    const a = values[lo] as number;
    const b = values[mid] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // values[lo..lt) < pivot, values[lt..i) == pivot, values(gt..hi] > pivot
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i] as number;
      if (v < pivot) {
        values[i++] = values[lt] as number;
        values[lt++] = v;
      } else if (v > pivot) {
        values[i] = values[gt] as number;
        values[gt--] = v;
      } else i++;
    }
    if (index < lt) hi = lt - 1;
    else if (index > gt) lo = gt + 1;
    else return pivot;
  }
}

/** The q-quantile as a sorted array's `ceil(q n) - 1`th value (0 for none); leaves `values` as it was. */
export function quantileOf(values: Float32Array, q: number): number {
  if (values.length === 0) return 0;
  const index = Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1));
  return selectInPlace(values.slice(), index);
}
