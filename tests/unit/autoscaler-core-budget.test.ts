import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUTOSCALER_SETTINGS, decideReplicas } from "../../functions/autoscaler/core";
import { surpriseReserve } from "../../functions/autoscaler/core/budget";
import type { AutoscalerSettings } from "../../functions/autoscaler/core/types";
import { endpoint, NOW, series } from "./autoscaler-fixtures";

const S = DEFAULT_AUTOSCALER_SETTINGS;
const REACH = 10;
const SLO = 30;

/** The definition, minute by minute: each minute's surprise over the burst mean `reach` minutes before. */
function surprises(values: (number | null)[], last: number, reach: number, slo: number, s: AutoscalerSettings) {
  const out: { t: number; need: number; requests: number }[] = [];
  let total = 0;
  for (let t = Math.max(0, last - s.budgetWindowMinutes + 1); t <= last; t++) {
    const a = values[t];
    if (typeof a !== "number") continue;
    total += a;
    const ref = values
      .slice(Math.max(0, t - reach - s.burstMinutes + 1), Math.max(0, t - reach + 1))
      .filter((v): v is number => typeof v === "number");
    if (ref.length === 0) continue;
    const mean = ref.reduce((x, y) => x + y, 0) / ref.length;
    if (a - mean > mean * Math.min(1, slo / 60)) out.push({ t, need: a - mean, requests: a });
  }
  return { out, total };
}

/** The reserve by exhaustive search: the smallest candidate that fits the budget, capped by the second episode. */
function reference(values: (number | null)[], last: number, reach: number, slo: number, s: AutoscalerSettings) {
  const { out, total } = surprises(values, last, reach, slo, s);
  const uncovered = (r: number) => out.filter((x) => x.need > r).reduce((a, x) => a + x.requests, 0);
  const candidates = [0, ...out.map((x) => x.need)].sort((a, b) => a - b);
  const budgeted = candidates.find((r) => uncovered(r) <= s.missBudget * total) ?? 0;
  const peaks: number[] = [];
  out.forEach((x, i) => {
    if (i > 0 && (out[i - 1]?.t ?? -2) === x.t - 1) peaks[peaks.length - 1] = Math.max(peaks.at(-1) ?? 0, x.need);
    else peaks.push(x.need);
  });
  peaks.sort((a, b) => b - a);
  return { reserve: Math.min(budgeted, peaks[1] ?? 0), uncovered, total };
}

/** Flat load with spikes of the given heights (one minute each) at the given minutes. */
function spiky(minutes: number, base: number, spikes: [at: number, height: number][]): number[] {
  const values = Array.from({ length: minutes }, () => base);
  for (const [at, height] of spikes) values[at] = base + height;
  return values;
}

describe("surpriseReserve: the miss budget spent on the largest surprises", () => {
  it("needs no reserve for noise the queue absorbs within the SLO", () => {
    const values = Array.from({ length: 1440 }, (_, i) => 100 + ((i * 37) % 11) - 5);
    expect(surpriseReserve(values, values.length - 1, REACH, SLO, S).reservePerMinute).toBe(0);
  });

  it("covers every spike but the largest ones, whose requests fit the budget", () => {
    // 1,440 minutes of 100 plus spikes: 144,000 + spikes requests; a 1% budget is about 1,450 requests.
    const values = spiky(1440, 100, [
      [200, 300],
      [500, 400],
      [800, 1200],
      [1100, 1300],
    ]);
    const r = surpriseReserve(values, 1439, REACH, SLO, { ...S, missBudget: 0.01 });
    // The 1,300 and 1,200 spikes (1,400 + 1,300 requests) do not both fit; the largest alone does.
    expect(r.reservePerMinute).toBe(1200);
    expect(r.uncoveredMinutes).toBe(1);
    expect(r.uncoveredShare).toBeCloseTo(1400 / values.reduce((a, b) => a + b, 0), 12);
  });

  it("covers a step that comes back, whose requests no budget pays for", () => {
    const values = Array.from({ length: 1440 }, (_, i) => (i % 720 >= 300 && i % 720 < 390 ? 1000 : 100));
    const r = surpriseReserve(values, 1439, REACH, SLO, S);
    expect(r.reservePerMinute).toBe(900);
  });

  it("keeps nothing for a burst that happened once, forgets surprises older than the window, and can be off", () => {
    const once = spiky(3000, 100, [[100, 1000]]);
    const twice = spiky(3000, 100, [
      [100, 1000],
      [400, 800],
    ]);
    const none = { ...S, missBudget: 0 };
    expect(surpriseReserve(once, 1000, REACH, SLO, none).reservePerMinute).toBe(0);
    expect(surpriseReserve(twice, 1000, REACH, SLO, none).reservePerMinute).toBe(800);
    expect(surpriseReserve(twice, 2999, REACH, SLO, none).reservePerMinute).toBe(0);
    expect(surpriseReserve(twice, 1000, REACH, SLO, { ...none, budgetWindowMinutes: 0 }).reservePerMinute).toBe(0);
  });

  it("matches the definition: the smallest reserve whose uncovered minutes fit the budget, one episode not a pattern", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null, freq: 10 }), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (values, reach, slo, missBudget, window) => {
          const s = { ...S, missBudget, budgetWindowMinutes: window };
          const last = values.length - 1;
          const r = surpriseReserve(values, last, reach, slo, s);
          const expected = reference(values, last, reach, slo, s);
          expect(r.reservePerMinute).toBeCloseTo(expected.reserve, 6);
          const share = expected.total > 0 ? expected.uncovered(r.reservePerMinute) / expected.total : 0;
          expect(r.uncoveredShare).toBeCloseTo(share, 9);
        },
      ),
    );
  });

  it("never holds more with a larger budget", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (values, a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          const at = (missBudget: number) =>
            surpriseReserve(values, values.length - 1, REACH, SLO, { ...S, missBudget }).reservePerMinute;
          expect(at(high)).toBeLessThanOrEqual(at(low));
        },
      ),
    );
  });
});

describe("decideReplicas with the surprise reserve", () => {
  // A day of 120 per minute with a 1,200-per-minute step of 30 minutes twice, ending at NOW.
  const day = Array.from({ length: 1440 }, (_, i) => (i % 720 >= 200 && i % 720 < 230 ? 1200 : 120));

  it("holds capacity for a step that came back, and says why", () => {
    const [withReserve] = decideReplicas({ nowMs: NOW, endpoints: [endpoint({ arrivals: series(day) })] });
    const [uniform] = decideReplicas(
      { nowMs: NOW, endpoints: [endpoint({ arrivals: series(day) })] },
      { budgetWindowMinutes: 0 },
    );
    expect(withReserve?.detail?.reservePerMinute).toBeCloseTo(1080, 6);
    // 120 + 1,080 requests a minute at 120 per replica, against 2 for the level and its margin.
    expect(withReserve?.replicas).toBe(10);
    expect(uniform?.replicas).toBe(2);
    expect(withReserve?.reasons.join(" ")).toMatch(/reserve 1080 for past surprises/);
    expect(uniform?.detail?.reservePerMinute).toBe(0);
  });

  it("rejects a miss budget outside [0, 0.5] and a window that is not whole minutes, by name", () => {
    expect(() => decideReplicas({ nowMs: NOW, endpoints: [] }, { missBudget: 0.6 })).toThrow(
      /settings\.missBudget \(0\.6\) must be between 0 and 0\.5/,
    );
    expect(() => decideReplicas({ nowMs: NOW, endpoints: [] }, { budgetWindowMinutes: 1.5 })).toThrow(
      /settings\.budgetWindowMinutes \(1\.5\) must be a whole number between 0 and 10080/,
    );
  });
});
