import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { downsampleMinMax } from "../../sim/report/downsample";

describe("downsampleMinMax", () => {
  it("returns a short series unchanged", () => {
    const xs = [0, 60, 120];
    const ys = [1, 5, 2];

    const points = downsampleMinMax(xs, ys, 10);

    expect(points).toEqual([
      { x: 0, y: 1 },
      { x: 60, y: 5 },
      { x: 120, y: 2 },
    ]);
  });

  it("keeps a one-minute spike in a week of minutes at full height", () => {
    const minutes = 7 * 1440;
    const xs = Array.from({ length: minutes }, (_, i) => i * 60);
    const ys = xs.map((_, i) => (i === 5000 ? 100 : 1));

    const points = downsampleMinMax(xs, ys, 800);

    expect(points.length).toBeLessThanOrEqual(1600);
    expect(Math.max(...points.map((p) => p.y))).toBe(100);
    expect(points).toContainEqual({ x: 5000 * 60, y: 100 });
  });

  it("drops points whose value is not finite", () => {
    const points = downsampleMinMax([0, 1, 2], [1, Number.NaN, 3], 10);

    expect(points).toEqual([
      { x: 0, y: 1 },
      { x: 2, y: 3 },
    ]);
  });

  it("refuses x and y of different lengths", () => {
    expect(() => downsampleMinMax([0, 1], [1], 10)).toThrow("downsampleMinMax: 2 x values but 1 y values");
  });

  it("keeps every bucket's min and max, at most two points per bucket, in x order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        (ys, buckets) => {
          const xs = ys.map((_, i) => i);
          const points = downsampleMinMax(xs, ys, buckets);

          expect(points.length).toBeLessThanOrEqual(2 * buckets);
          for (let i = 1; i < points.length; i++) {
            expect((points[i]?.x ?? 0) > (points[i - 1]?.x ?? 0)).toBe(true);
          }
          expect(Math.max(...points.map((p) => p.y))).toBe(Math.max(...ys));
          expect(Math.min(...points.map((p) => p.y))).toBe(Math.min(...ys));
          for (const p of points) expect(ys[p.x]).toBe(p.y);
        },
      ),
    );
  });
});
