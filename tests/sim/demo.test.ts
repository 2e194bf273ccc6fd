import { describe, expect, it } from "vitest";
import {
  burstFactor,
  coldStartScenario,
  DEMO_ENDPOINTS,
  dailyShape,
  demoScenario,
  drawBursts,
  perMinuteCounts,
  type RateShape,
  stepCounts,
} from "../../sim/demo";
import { validateScenario } from "../../sim/scenario";

function countsOf(scenario: ReturnType<typeof demoScenario>, endpoint: string): number[] {
  const trace = scenario.endpoints.find((e) => e.name === endpoint)?.trace;
  if (trace?.kind !== "per-minute") throw new Error(`${endpoint} has no per-minute trace`);
  return trace.counts;
}

function meanOver(counts: number[], fromHour: number, toHour: number): number {
  const picked = counts.filter((_, m) => {
    const hour = (m % 1440) / 60;
    return hour >= fromHour && hour < toHour;
  });
  return picked.reduce((a, b) => a + b, 0) / picked.length;
}

const flat: RateShape = {
  peakRps: 2,
  floor: 0.25,
  peaks: [{ hour: 12, widthHours: 3, weight: 1 }],
  dayLevels: [1],
  bursts: { perDay: 0, factor: [2, 2], minutes: [10, 10], shape: "plateau" },
  noise: 0,
};

describe("demo scenario", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(demoScenario({ seed: 7 })).toEqual(demoScenario({ seed: 7 }));
    expect(countsOf(demoScenario({ seed: 7 }), "chat-7b")).not.toEqual(countsOf(demoScenario({ seed: 8 }), "chat-7b"));
  });

  it("is a valid scenario: three endpoints on two spot g5 pools and an on-demand fallback, two days", () => {
    const scenario = validateScenario(demoScenario());

    expect(scenario.endpoints.map((e) => e.name)).toEqual(["chat-7b", "embed-bge", "image-sd"]);
    expect(scenario.pools.map((p) => [p.name, p.capacityType, p.fallback])).toEqual([
      ["g5-xlarge-spot", "spot", false],
      ["g5-2xlarge-spot", "spot", false],
      ["g5-on-demand", "on-demand", true],
    ]);
    expect(scenario.durationSeconds).toBe(2 * 86400);
    for (const e of scenario.endpoints) {
      expect(e.pools).toEqual(["g5-xlarge-spot", "g5-2xlarge-spot", "g5-on-demand"]);
      expect(countsOf(scenario, e.name)).toHaveLength(2 * 1440);
    }
  });

  it("gives each endpoint its daily cycle: chat busy in office hours, images in the evening", () => {
    const scenario = demoScenario();
    const chat = countsOf(scenario, "chat-7b");
    const image = countsOf(scenario, "image-sd");

    expect(meanOver(chat, 14, 16)).toBeGreaterThan(3 * meanOver(chat, 2, 5));
    expect(meanOver(image, 19, 22)).toBeGreaterThan(3 * meanOver(image, 6, 9));
  });

  it("has bursts well above the daily cycle, for every endpoint", () => {
    const scenario = demoScenario();

    for (const e of DEMO_ENDPOINTS) {
      const counts = countsOf(scenario, e.name);
      const cycle = (m: number) =>
        e.traffic.peakRps *
        60 *
        (e.traffic.dayLevels[Math.floor(m / 1440)] ?? 1) *
        dailyShape(e.traffic, (m % 1440) / 60);
      const surge = Math.max(...counts.map((c, m) => c / cycle(m)));
      expect(surge, e.name).toBeGreaterThan(1.4);
    }
  });

  it("puts bursts where the endpoint is busy", () => {
    const e = DEMO_ENDPOINTS[0] as (typeof DEMO_ENDPOINTS)[number];
    const bursts = drawBursts({ ...e.traffic.bursts, perDay: 20 }, 10 * 1440, 3, (h) => dailyShape(e.traffic, h));
    const hours = bursts.map((b) => (b.startMinute % 1440) / 60);

    const daytime = hours.filter((h) => h >= 8 && h < 18).length;
    expect(daytime / hours.length).toBeGreaterThan(0.7);
  });

  it("scales every endpoint's rate with `scale`", () => {
    const base = countsOf(demoScenario({ scale: 1 }), "embed-bge");
    const double = countsOf(demoScenario({ scale: 2 }), "embed-bge");
    const total = (c: number[]) => c.reduce((a, b) => a + b, 0);

    expect(total(double) / total(base)).toBeCloseTo(2, 2);
  });

  it("refuses a scale or a length it cannot generate", () => {
    expect(() => demoScenario({ scale: 0 })).toThrow("demo scale (0) must be a positive number");
    expect(() => demoScenario({ days: 1.5 })).toThrow("demo days (1.5) must be a whole number between 1 and 14");
  });
});

describe("cold-start demo", () => {
  it("is a valid scenario, deterministic for a seed, with every pool and endpoint starting from zero", () => {
    const scenario = validateScenario(coldStartScenario({ seed: 3 }));

    expect(coldStartScenario({ seed: 3 })).toEqual(scenario);
    expect(scenario.pools.every((p) => p.minNodes === 0)).toBe(true);
    expect(scenario.endpoints.every((e) => e.profile.minReplicas === 0)).toBe(true);
  });

  it("steps from nothing to the peak rate at the quiet period's end", () => {
    const counts = stepCounts(2, 10, 4, 0, 1);

    expect(counts).toEqual([0, 0, 0, 0, 120, 120, 120, 120, 120, 120]);
  });
});

describe("demo arrivals", () => {
  it("without bursts or noise, each minute is the daily shape at that hour times the peak", () => {
    const counts = perMinuteCounts(flat, 1440, 1);

    expect(counts[720]).toBe(120);
    expect(counts[0]).toBe(Math.round(2 * 60 * dailyShape(flat, 0)));
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(Math.floor(0.25 * 120));
  });

  it("measures a peak's distance around the clock, so a late peak also lifts the small hours", () => {
    const shape = { floor: 0, peaks: [{ hour: 23.5, widthHours: 1, weight: 1 }] };

    expect(dailyShape(shape, 0.5)).toBeCloseTo(dailyShape(shape, 22.5), 12);
    expect(dailyShape(shape, 23.5)).toBe(1);
  });

  it("draws bursts inside the run, in order, with the model's factors and lengths", () => {
    const bursts = drawBursts({ perDay: 5, factor: [2, 3], minutes: [10, 20], shape: "spike" }, 3 * 1440, 42);

    expect(bursts.length).toBeGreaterThan(0);
    for (const [i, b] of bursts.entries()) {
      expect(b.startMinute).toBeGreaterThanOrEqual(i === 0 ? 0 : (bursts[i - 1]?.startMinute ?? 0));
      expect(b.startMinute).toBeLessThan(3 * 1440);
      expect(b.factor).toBeGreaterThanOrEqual(2);
      expect(b.factor).toBeLessThanOrEqual(3);
      expect(b.minutes).toBeGreaterThanOrEqual(10);
      expect(b.minutes).toBeLessThanOrEqual(20);
    }
  });

  it("shapes a plateau flat and a spike rising then decaying, and is 1 outside the burst", () => {
    const plateau = { startMinute: 0, minutes: 30, factor: 3, shape: "plateau" as const };
    const spike = { ...plateau, shape: "spike" as const };

    expect([0, 15, 29].map((m) => burstFactor(plateau, m))).toEqual([3, 3, 3]);
    expect(burstFactor(plateau, 30)).toBe(1);
    expect(burstFactor(spike, -1)).toBe(1);
    expect(burstFactor(spike, 1)).toBeGreaterThan(burstFactor(spike, 0));
    expect(burstFactor(spike, 20)).toBeLessThan(burstFactor(spike, 2));
    expect(burstFactor(spike, 29)).toBeGreaterThan(1);
  });
});
