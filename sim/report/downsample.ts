export interface Point {
  x: number;
  y: number;
}

/**
 * Reduces a series to at most two points per bucket of equal x-width: the bucket's minimum and
 * maximum, in the order they occur. With one bucket per pixel column the drawn line is the same
 * envelope the full series would draw, so a 10-minute burst in a week of per-minute data still
 * shows at full height (averaging would flatten it), and the SVG stays a few thousand points long.
 * Points whose x or y is not finite are gaps in the data and are dropped.
 */
export function downsampleMinMax(xs: readonly number[], ys: readonly number[], buckets: number): Point[] {
  if (xs.length !== ys.length) {
    throw new Error(`downsampleMinMax: ${xs.length} x values but ${ys.length} y values`);
  }
  const points: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) points.push({ x, y });
  }
  const n = Math.max(1, Math.floor(buckets));
  if (points.length <= 2 * n) return points;

  const first = (points[0] as Point).x;
  // Unsorted or constant x would give a zero or negative span: everything then falls in one bucket.
  const span = Math.max((points[points.length - 1] as Point).x - first, Number.MIN_VALUE);

  const out: Point[] = [];
  let bucket = -1;
  let lo: Point | undefined;
  let hi: Point | undefined;
  let loIndex = 0;
  let hiIndex = 0;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (loIndex < hiIndex) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    const b = Math.max(0, Math.min(n - 1, Math.floor(((p.x - first) / span) * n)));
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = p;
      hi = p;
      loIndex = i;
      hiIndex = i;
      continue;
    }
    if (lo && p.y < lo.y) {
      lo = p;
      loIndex = i;
    }
    if (hi && p.y > hi.y) {
      hi = p;
      hiIndex = i;
    }
  }
  flush();
  return out;
}
