import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUTOSCALER_SETTINGS, decideReplicas, resolveSettings } from "../../functions/autoscaler/core";
import { replicaThroughput } from "../../functions/autoscaler/core/capacity";
import {
  chooseModel,
  FORECAST_MODELS,
  modelGrowths as growthsWithStretches,
  level,
  seasonalStretches,
} from "../../functions/autoscaler/core/models";
import { oldestAgeNow, queueRatePerMinute } from "../../functions/autoscaler/core/nowcast";
import { windowMedian } from "../../functions/autoscaler/core/series";
import { endpoint, flat, NOW, PROFILE, queue, series } from "./autoscaler-fixtures";

const S = DEFAULT_AUTOSCALER_SETTINGS;

/** Every model's growth for a forecast after minute `last` of the window starting at `now`. */
function modelGrowths(values: (number | null)[], now: number, last: number, horizon: number, s = S) {
  return growthsWithStretches(values, seasonalStretches(values, last, now - last, horizon, s), now, last, horizon, s);
}

function choose(values: (number | null)[], now: number, last: number, horizon: number, s = S) {
  const stretches = seasonalStretches(values, last, now - last, horizon, s);
  return chooseModel(values, stretches, now, last, horizon, s);
}
const DAY = 1440;

function decideOne(e: ReturnType<typeof endpoint>, settings = {}) {
  const [decision] = decideReplicas({ nowMs: NOW, endpoints: [e] }, settings);
  if (!decision) throw new Error("no decision");
  return decision;
}

/** Days of a daily cycle (peak mid-afternoon), ending with the last complete minute before now. */
function daily(days: number, base: number, amplitude: number, shiftMinutes = 0): number[] {
  return Array.from({ length: days * DAY }, (_, i) =>
    Math.round(base + amplitude * Math.sin((2 * Math.PI * (i - shiftMinutes)) / DAY)),
  );
}

describe("queueRatePerMinute: the arrival rate the queue shows now", () => {
  const throughput = replicaThroughput(PROFILE, 1); // 2 req/s per replica, concurrency 4
  const cases: [string, Parameters<typeof queue>[0], number, number][] = [
    ["empty queue", {}, 120, 0],
    ["in flight only: the busy replicas' rate", { inFlight: 8 }, 120, 2 * 2 * 60],
    ["backlog with no age yet: grew within the lag", { visible: 240 }, 120, (240 / 120) * 60],
    ["backlog without lag: at least a minute", { visible: 240 }, 0, 240],
    ["old backlog: grew over its age", { visible: 600, oldestMessageAgeSeconds: 480 }, 120, 60],
    ["both", { visible: 120, inFlight: 4, oldestMessageAgeSeconds: 0 }, 120, 2 * 60 + 60],
  ];
  it.each(cases)("%s", (_, q, lag, expected) => {
    expect(queueRatePerMinute(queue(q), PROFILE, throughput, lag)).toBeCloseTo(expected, 9);
  });

  it("ages a queued message by the metric's lag, an empty queue not at all", () => {
    expect(oldestAgeNow(queue({ visible: 1, oldestMessageAgeSeconds: 30 }), 120)).toBe(150);
    expect(oldestAgeNow(queue({ visible: 0, oldestMessageAgeSeconds: 30 }), 120)).toBe(0);
  });

  it("is monotone in the backlog and zero only for an idle queue", () => {
    fc.assert(
      fc.property(
        fc.nat(5000),
        fc.nat(500),
        fc.nat(900),
        fc.nat(2000),
        fc.nat(200),
        fc.nat(600),
        (visible, inFlight, age, moreVisible, moreInFlight, lag) => {
          const base = queueRatePerMinute(queue({ visible, inFlight, oldestMessageAgeSeconds: age }), PROFILE, 2, lag);
          const more = queueRatePerMinute(
            queue({ visible: visible + moreVisible, inFlight: inFlight + moreInFlight, oldestMessageAgeSeconds: age }),
            PROFILE,
            2,
            lag,
          );
          expect(more).toBeGreaterThanOrEqual(base);
          expect(base === 0).toBe(visible === 0 && inFlight === 0);
        },
      ),
    );
  });
});

describe("bursts and steps the arrivals metric has not seen", () => {
  it("catches a 10x step from the backlog within one tick", () => {
    // The metric still says 120 req/min; the queue holds 2,400 messages that piled up within the lag.
    const quiet = decideOne(endpoint());
    const step = decideOne(endpoint({ queue: queue({ visible: 2400, inFlight: 8 }) }));

    expect(step.detail?.queueRatePerMinute).toBeCloseTo(2 * 2 * 60 + (2400 / 120) * 60, 9);
    expect(step.replicas).toBeGreaterThanOrEqual(5 * (quiet.replicas ?? 0));
    expect(step.reasons.join("; ")).toContain("raised");
  });

  it("keeps nothing for a burst that is over: the level forgets a 3-minute burst once it ends", () => {
    const burstOver = [...flat(120, 50), 1200, 1200, 1200, 120, 120, 120, 120, 120, 120, 120];
    const decision = decideOne(endpoint({ arrivals: series(burstOver) }));
    const steady = decideOne(endpoint());

    expect(level(burstOver, burstOver.length - 1, S).value).toBe(120);
    expect(decision.replicas).toBe(steady.replicas);
  });

  it("still reacts to a burst in progress through the burst average", () => {
    const burst = [...flat(120, 57), 1200, 1200, 1200];
    expect(level(burst, burst.length - 1, S).value).toBe(1200);
  });
});

describe("windowMedian", () => {
  const cases: [string, (number | null)[], number, number][] = [
    ["odd count", [5, 1, 3], 3, 3],
    ["even count", [4, 1, 3, 2], 2.5, 4],
    ["skips nulls and negatives", [null, 7, -1, 1, 3], 3, 3],
    ["empty", [null], 0, 0],
  ];
  it.each(cases)("%s", (_, values, median, count) => {
    expect(windowMedian(values, 0, values.length - 1)).toEqual({ median, count });
  });
});

describe("forecast model choice from recent error", { timeout: 120_000 }, () => {
  const horizon = 6;

  it("uses the combined model while there is no track record", () => {
    const values = flat(120, 15);
    expect(choose(values, 15, 14, horizon)).toEqual({ model: "combined", backtests: 0 });
  });

  it("on flat noisy load plans growth within the noise, whatever model wins", () => {
    const values = Array.from({ length: 2 * DAY }, (_, i) => 500 + ((i * 7919) % 41) - 20);
    const now = values.length;
    const g = modelGrowths(values, now, now - 1, horizon);
    const choice = choose(values, now, now - 1, horizon);
    expect(choice.backtests).toBe(S.backtestPoints);
    expect(g.growth[choice.model]).toBeLessThanOrEqual(40);
  });

  it("chooses a seasonal model on a clean daily cycle", () => {
    const values = daily(3, 600, 400);
    const now = values.length - DAY / 2; // the morning rise, one and a half days of history... and more behind
    const cut = values.slice(0, now);
    const choice = choose(cut, now, now - 1, horizon);
    expect(["daily", "seasonal", "combined", "trend"]).toContain(choice.model);
    expect(choice.model).not.toBe("level");
    expect(choice.backtests).toBe(S.backtestPoints);
  });

  it("prefers yesterday over older weeks after the pattern shifted", () => {
    // Eight days on one phase, then two days three hours later: the weekly lag points at the old phase.
    const before = daily(8, 600, 400);
    const after = daily(2, 600, 400, 180).map((v, i) => v + 0 * i);
    const values = [...before, ...after];
    const now = 9 * DAY + 12 * 60; // midday of the shifted second day
    const cut = values.slice(0, now);
    const choice = choose(cut, now, now - 1, horizon);
    expect(choice.model).not.toBe("seasonal");
  });

  it("expects bursts that keep recurring: the recent peak", () => {
    // A 3-minute burst to 1,000 every 17 minutes on a base of 100: the level forecasts keep missing it.
    const values = Array.from({ length: DAY }, (_, i) => (i % 17 < 3 ? 1000 : 100));
    const now = values.length - 5; // just after a burst: the level is back at the base
    const cut = values.slice(0, now);
    expect(choose(cut, now, now - 1, horizon).model).toBe("recent-peak");
  });

  it("is unchanged by scaling the history (the loss ranks models, not magnitudes)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 40, maxLength: 400 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 500 }),
        (values, factor, add) => {
          const now = values.length;
          const scaled = values.map((v) => v * factor + add);
          const a = choose(values, now, now - 1, horizon);
          const b = choose(scaled, now, now - 1, horizon);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it("gives every model a growth of at least 0", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 10, maxLength: 3000 }), (values) => {
        const now = values.length;
        const g = modelGrowths(values, now, now - 1, horizon);
        for (const m of FORECAST_MODELS) expect(g.growth[m]).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("reports the chosen model in the decision", () => {
    // Every model forecasts flat load exactly: a tie keeps the combined model.
    const decision = decideOne(endpoint({ arrivals: series(flat(120, 600)) }));
    expect(decision.detail?.model).toBe("combined");
    expect(decision.reasons.join("; ")).toMatch(/model combined on 8 past forecasts/);
  });

  it("checks the new settings", () => {
    expect(() => resolveSettings({ peakMemoryMinutes: 0 })).toThrow(
      "settings.peakMemoryMinutes (0) must be a whole number between 1 and 1440",
    );
    expect(() => resolveSettings({ backtestPoints: 49 })).toThrow(
      "settings.backtestPoints (49) must be a whole number between 0 and 48",
    );
    expect(() => resolveSettings({ backtestSpacingMinutes: 0 })).toThrow("settings.backtestSpacingMinutes (0)");
    expect(() => resolveSettings({ metricLagSeconds: -1 })).toThrow(
      "settings.metricLagSeconds (-1) must be between 0 and 900",
    );
  });
});
