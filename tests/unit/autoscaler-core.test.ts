import { describe, expect, it } from "vitest";
import { DEFAULT_AUTOSCALER_SETTINGS, decideReplicas, normalQuantile } from "../../functions/autoscaler/core";
import { replicaThroughput } from "../../functions/autoscaler/core/capacity";
import type { EndpointInput } from "../../functions/autoscaler/core/types";
import { TIME_SLICE_OVERHEAD } from "../../functions/contract";
import { endpoint, flat, MINUTE, NOW, PROFILE, queue, series } from "./autoscaler-fixtures";

function decide(...endpoints: ReturnType<typeof endpoint>[]) {
  return decideReplicas({ nowMs: NOW, endpoints });
}

/** As decide, with the age read without lag and a 10 s shortest drain: the drain arithmetic in plain numbers. */
function decideUnlagged(...endpoints: ReturnType<typeof endpoint>[]) {
  return decideReplicas({ nowMs: NOW, endpoints }, { metricLagSeconds: 0, minDrainSeconds: 10 });
}

describe("decideReplicas", () => {
  it("plans steady load at the upper quantile, at full replica throughput", () => {
    // 120 req/min, Poisson sigma sqrt(120) ~ 10.95, z(0.75) ~ 0.674 -> peak ~ 127.4 req/min = 2.12 req/s.
    // One replica (one GPU, concurrency 4, 2 s/request) serves 2 req/s (maxUtilization 1) -> 2 replicas.
    const [decision] = decide(endpoint());

    expect(decision?.replicas).toBe(2);
    expect(decision?.held).toBe(false);
    expect(decision?.detail?.forecastPerMinute).toBeCloseTo(120 + normalQuantile(0.75) * Math.sqrt(120), 6);
    expect(decision?.detail?.horizonMinutes).toBe(6); // 240 s lead + 40 s load + 60 s tick
  });

  it("returns one decision per endpoint, in input order", () => {
    const names = decide(endpoint({ name: "b" }), endpoint({ name: "a" }), endpoint({ name: "c" })).map((d) => d.name);

    expect(names).toEqual(["b", "a", "c"]);
  });

  it("accounts for time-slicing: k busy replicas share (1 - overhead) of a GPU", () => {
    expect(replicaThroughput(PROFILE, 1)).toBe(2);
    expect(replicaThroughput(PROFILE, 4)).toBeCloseTo((2 * (1 - TIME_SLICE_OVERHEAD)) / 4, 12);

    const [whole] = decide(endpoint({ slicesPerGpu: 1 }));
    const [sliced] = decide(endpoint({ slicesPerGpu: 4 }));
    // 2.12 req/s / 0.475 = 4.5 -> 5 replicas of a quarter GPU each.
    expect(sliced?.replicas).toBe(5);
    expect(sliced?.replicas).toBeGreaterThan(whole?.replicas ?? 0);
  });

  it("adds the replicas that drain the visible backlog within the SLO", () => {
    // 300 visible, oldest 0 s: drain in 30 s = 10 req/s. The backlog grew within a minute, so at least
    // 5 req/s arrive now (not 2 as the arrivals metric says): forecast 2.12 + 3 + 10 = 15.12 / 2 = 7.56 -> 8.
    const [decision] = decideUnlagged(endpoint({ queue: queue({ visible: 300 }) }));

    expect(decision?.replicas).toBe(8);
    expect(decision?.detail?.queueRatePerMinute).toBe(300);
    // Floor: 5 req/s arriving + 10 req/s drain at full throughput = 7.5 -> 8 replicas.
    expect(decision?.detail?.backlogReplicas).toBe(8);
  });

  it("drains faster when the oldest message has used most of its SLO", () => {
    const [fresh] = decideUnlagged(endpoint({ queue: queue({ visible: 60, oldestMessageAgeSeconds: 0 }) }));
    const [old] = decideUnlagged(endpoint({ queue: queue({ visible: 60, oldestMessageAgeSeconds: 25 }) }));

    expect(fresh?.detail?.backlogReplicas).toBe(2); // (2 + 60/30) / 2
    expect(old?.detail?.backlogReplicas).toBe(4); // 5 s of SLO left, drained within minDrainSeconds 10: (2 + 60/10) / 2
  });

  it("never decides fewer replicas than the in-flight messages occupy", () => {
    const [decision] = decide(endpoint({ arrivals: series(flat(0)), queue: queue({ inFlight: 40 }) }));

    expect(decision?.replicas).toBe(10); // 40 in flight / concurrency 4
  });

  it("scales up at once on a burst in the last minutes", () => {
    const [steady] = decide(endpoint());
    const [burst] = decide(endpoint({ arrivals: series([...flat(120, 57), 600, 600, 600]) }));

    expect(burst?.replicas).toBeGreaterThanOrEqual(6); // 600 req/min = 10 req/s / 1.7
    expect(burst?.replicas).toBeGreaterThan(steady?.replicas ?? 0);
  });

  it("extrapolates a rising trend over the lead time, but not a falling one", () => {
    const rising = Array.from({ length: 60 }, (_, i) => 60 + 10 * i); // +10 req/min every minute
    const falling = [...rising].reverse();
    const [up] = decide(endpoint({ arrivals: series(rising) }));
    const [down] = decide(endpoint({ arrivals: series(falling) }));

    expect(up?.detail?.forecastPerMinute).toBeGreaterThan(650 + 10 * 6);
    expect(down?.detail?.forecastPerMinute).toBeGreaterThanOrEqual(60 + 10 * 1); // at least the burst level
    expect(down?.reasons.join(" ")).toContain("trend +0");
  });

  it("anticipates yesterday's ramp that starts within the horizon", () => {
    // Two days: 100 req/min, except a daily surge to 500 req/min from 12:03 to 12:30.
    const minutes = 2 * 1440 + 60;
    const start = NOW - minutes * MINUTE;
    const values = Array.from({ length: minutes }, (_, i) => {
      const minuteOfDay = Math.floor((start + i * MINUTE - Date.UTC(2024, 0, 1)) / MINUTE) % 1440;
      return minuteOfDay >= 12 * 60 + 3 && minuteOfDay < 12 * 60 + 30 ? 500 : 100;
    });
    const [seasonal] = decide(endpoint({ arrivals: { startMs: start, values } }));
    const [short] = decide(endpoint({ arrivals: series(values.slice(-120)) }));

    expect(seasonal?.detail?.forecastPerMinute).toBeGreaterThan(500);
    expect(seasonal?.reasons.join(" ")).toContain("from 2 days");
    expect(short?.detail?.forecastPerMinute).toBeLessThan(200);
  });

  it("weighs the same weekday more once a week of history exists", () => {
    // A surge on Mondays only (NOW is a Monday): 8 days of history.
    const minutes = 8 * 1440 + 60;
    const start = NOW - minutes * MINUTE;
    const values = Array.from({ length: minutes }, (_, i) => {
      const t = new Date(start + i * MINUTE);
      const surge = t.getUTCDay() === 1 && t.getUTCHours() === 12 && t.getUTCMinutes() >= 3 && t.getUTCMinutes() < 30;
      return surge ? 800 : 100;
    });
    const [decision] = decide(endpoint({ arrivals: { startMs: start, values } }));

    // Mean growth: (700 * 3 + 0 * 6) / 9 = 233 on top of 100.
    expect(decision?.detail?.forecastPerMinute).toBeGreaterThan(333);
  });

  it("clamps to maxReplicas and minReplicas", () => {
    const [capped] = decide(endpoint({ profile: { ...PROFILE, maxReplicas: 3 }, queue: queue({ visible: 10_000 }) }));
    const [floored] = decide(endpoint({ profile: { ...PROFILE, minReplicas: 5 }, arrivals: series(flat(0)) }));

    expect(capped?.replicas).toBe(3);
    expect(capped?.reasons).toContain("capped at maxReplicas 3");
    expect(floored?.replicas).toBe(5);
    expect(floored?.reasons).toContain("raised to minReplicas 5");
  });

  it("scales to zero when allowed and nothing arrives", () => {
    const [decision] = decide(endpoint({ profile: { ...PROFILE, minReplicas: 0 }, arrivals: series(flat(0)) }));

    expect(decision?.replicas).toBe(0);
  });
});

describe("hysteresis", () => {
  const published = (...values: number[]) =>
    values.map((replicas, i) => ({ atMs: NOW - (values.length - i) * MINUTE, replicas }));

  it("keeps the previous value inside the deadband", () => {
    const [decision] = decide(endpoint({ published: published(2, 2) })); // forecast 2
    const [within] = decide(
      // 2200 + 0.674 * sqrt(2200) = 2231.6 req/min = 37.2 req/s at 2 req/s each: forecast 19 of 20.
      endpoint({ arrivals: series(flat(2200)), published: published(20, 20) }),
    );

    expect(decision?.replicas).toBe(2);
    expect(within?.detail?.forecastReplicas).toBe(19);
    expect(within?.replicas).toBe(20);
  });

  it("limits a scale-down to a quarter of the previous value per tick", () => {
    const [decision] = decide(endpoint({ published: published(20, 20, 20, 20, 20, 20) }));

    expect(decision?.replicas).toBe(15);
    expect(decision?.reasons).toContain("scale-down from 20 to 2 limited to 15 this tick (step 25%)");
  });

  it("does not scale down within the delay after a rise", () => {
    const [decision] = decide(endpoint({ published: published(10, 20) }));

    expect(decision?.replicas).toBe(20);
    expect(decision?.reasons).toContain("kept 20: scaled up 60 s ago, no scale-down within 300 s");
  });

  it("scales up without delay", () => {
    const [decision] = decideUnlagged(endpoint({ queue: queue({ visible: 300 }), published: published(2, 2) }));

    expect(decision?.replicas).toBe(8);
  });

  it("ignores published values stamped after now", () => {
    const [decision] = decide(endpoint({ published: [{ atMs: NOW + MINUTE, replicas: 40 }] }));

    expect(decision?.replicas).toBe(2);
  });
});

describe("missing or stale inputs", () => {
  const lastPublished = [{ atMs: NOW - MINUTE, replicas: 9 }];

  const cases: [string, Partial<EndpointInput>, string][] = [
    ["no arrivals at all", { arrivals: series([]) }, "arrivals missing: no datapoint in the last 600 s"],
    [
      "arrivals stopped 20 minutes ago",
      { arrivals: { startMs: NOW - 80 * MINUTE, values: flat(120) } },
      "arrivals stale: newest datapoint 1200 s old (limit 600 s)",
    ],
    [
      "arrivals only as null",
      { arrivals: series([...flat(120, 40), ...Array.from({ length: 20 }, () => null)]) },
      "arrivals missing: no datapoint in the last 600 s",
    ],
    [
      "arrivals too sparse",
      { arrivals: series([...flat(120, 50), null, null, null, null, null, null, null, null, 5, 5]) },
      "arrivals sparse: 2 datapoints in the last 10 minutes (need 3)",
    ],
    ["queue not read", { queue: null }, "queue attributes missing"],
    [
      "queue read long ago",
      { queue: queue({ observedAtMs: NOW - 5 * MINUTE }) },
      "queue attributes stale: read 300 s ago (limit 180 s)",
    ],
  ];
  it.each(cases)("%s: holds the last published value and says why", (_, over, why) => {
    const [decision] = decide(endpoint({ arrivals: series(flat(0)), ...over, published: lastPublished }));

    expect(decision?.held).toBe(true);
    expect(decision?.replicas).toBe(9);
    expect(decision?.reasons.join("; ")).toContain(why);
  });

  it("still scales up on the inputs that are there", () => {
    const [decision] = decideUnlagged(
      endpoint({ arrivals: series([]), queue: queue({ visible: 600 }), published: lastPublished }),
    );

    expect(decision?.held).toBe(true);
    // Drain 600 / 30 s = 20 req/s, plus the 10 req/s the backlog grew by within a minute: 30 / 2 req/s per replica.
    expect(decision?.replicas).toBe(15);
    expect(decision?.reasons[1]).toBe(
      "raised 9 (last published value) to 15 on the inputs that are there (arrivals missing: no datapoint in the last 600 s)",
    );
  });

  it("falls back to minReplicas when nothing was ever published", () => {
    const [decision] = decide(
      endpoint({ queue: null, profile: { ...PROFILE, minReplicas: 2 }, arrivals: series(flat(0)) }),
    );

    expect(decision?.replicas).toBe(2);
    expect(decision?.reasons.at(-1)).toBe("holding 2 (minReplicas, nothing published yet): queue attributes missing");
  });

  it("holds an endpoint whose profile cannot be computed with, and decides the others", () => {
    const decisions = decide(
      endpoint({ name: "bad", profile: { ...PROFILE, secondsPerRequest: 0 }, published: lastPublished }),
      endpoint({ name: "good" }),
    );

    expect(decisions.map((d) => [d.name, d.replicas, d.held])).toEqual([
      ["bad", 9, true],
      ["good", 2, false],
    ]);
    expect(decisions[0]?.reasons).toEqual(["holding 9: secondsPerRequest (0) must be greater than 0"]);
  });

  it("ignores negative and non-finite datapoints", () => {
    const [clean] = decide(endpoint());
    const [dirty] = decide(endpoint({ arrivals: series([...flat(120, 55), -5, Number.NaN, 120, 120, 120]) }));

    expect(dirty?.replicas).toBe(clean?.replicas);
  });
});

describe("settings", () => {
  it("has a headroom of 1 by default", () => {
    expect(DEFAULT_AUTOSCALER_SETTINGS.headroom).toBe(1);
  });

  it.each([
    [{ headroom: 0 }, "settings.headroom (0) must be greater than 0 and at most 100"],
    [{ quantile: 1 }, "settings.quantile (1) must be between 0.5 and 1 (exclusive)"],
    [{ maxUtilization: 1.5 }, "settings.maxUtilization (1.5) must be greater than 0 and at most 1"],
    [{ levelMinutes: 2.5 }, "settings.levelMinutes (2.5) must be a whole number between 1 and 240"],
    [{ headroom: Number.NaN }, "settings.headroom (.nan) must be greater than 0 and at most 100"],
  ])("rejects %o", (settings, message) => {
    expect(() => decideReplicas({ nowMs: NOW, endpoints: [endpoint()] }, settings)).toThrow(
      `invalid autoscaler settings:\n${message}`,
    );
  });

  it("rejects an unknown setting by name", () => {
    expect(() =>
      decideReplicas({ nowMs: NOW, endpoints: [] }, { headroon: 2 } as unknown as Record<string, number>),
    ).toThrow("invalid autoscaler settings:\nsettings.headroon is not a known setting: did you mean headroom?");
  });

  it("takes more replicas with a larger headroom", () => {
    const [base] = decideReplicas({ nowMs: NOW, endpoints: [endpoint()] });
    const [more] = decideReplicas({ nowMs: NOW, endpoints: [endpoint()] }, { headroom: 2 });

    expect(more?.replicas).toBe(3); // 2.30 * 2 / 1.7 = 2.7
    expect(more?.replicas).toBeGreaterThan(base?.replicas ?? 0);
  });
});
