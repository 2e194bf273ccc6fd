import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileOf } from "../../sim/engine/select";

/** What the engine computed before selection: the sorted array's ceil(q n) - 1th value. */
function bySorting(values: Float32Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

describe("quantile by selection", () => {
  it("gives the sorted array's value at every quantile, repeated values included", () => {
    const value = fc.oneof(fc.float({ noNaN: true, min: 0, max: 1e6 }), fc.constantFrom(0, 1, 10));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (list, q) => {
        const values = Float32Array.from(list);
        const before = values.slice();
        expect(quantileOf(values, q)).toBe(bySorting(values, q));
        expect(values).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it("handles a million equal values and sorted input without degrading", () => {
    const equal = new Float32Array(1_000_000).fill(3);
    expect(quantileOf(equal, 0.99)).toBe(3);
    const ascending = Float32Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(quantileOf(ascending, 0.99)).toBe(989_999);
    expect(quantileOf(new Float32Array(0), 0.99)).toBe(0);
  });
});
