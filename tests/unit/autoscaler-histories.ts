/**
 * Generated endpoint histories for checking that the autoscaler core's decisions stay the same
 * when its arithmetic is reorganised: daily and weekly cycles, steps, recurring and one-off
 * bursts, flat and quiet load, gaps and unusable points, short and stale histories, queues
 * from empty to backed up. A fixed-seed generator: the same cases on every run.
 */
import type { AutoscalerSettings, EndpointInput } from "../../functions/autoscaler/core/types";

const MINUTE = 60_000;
/** A Wednesday, 09:17:40 UTC: off the minute, so the current incomplete minute is exercised. */
export const HISTORY_NOW = Date.UTC(2024, 2, 13, 9, 17, 40);

/** The settings each case is decided under: the defaults and variants that change the reserve, backtests and seasons. */
export const HISTORY_SETTINGS: Partial<AutoscalerSettings>[] = [
  {},
  { budgetWindowMinutes: 0 },
  { missBudget: 0.02, budgetWindowMinutes: 300, burstMinutes: 5 },
  { backtestPoints: 0, seasonalMaxDays: 3 },
  { backtestPoints: 20, backtestSpacingMinutes: 7, levelMinutes: 30, quantile: 0.95, noiseMinutes: 90 },
];

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Shape = "diurnal" | "weekly" | "step" | "bursts" | "one-burst" | "flat" | "quiet" | "ramp";
const SHAPES: Shape[] = ["diurnal", "weekly", "step", "bursts", "one-burst", "flat", "quiet", "ramp"];

function rate(shape: Shape, i: number, minutes: number, base: number, random: () => number): number {
  const day = Math.sin((2 * Math.PI * (i % 1440)) / 1440);
  switch (shape) {
    case "diurnal":
      return base * (1 + 0.7 * day) + base * 0.1 * (random() - 0.5);
    case "weekly":
      return base * (Math.floor(i / 1440) % 7 >= 5 ? 0.4 : 1) * (1 + 0.5 * day) + 5 * (random() - 0.5);
    case "step":
      return (i > minutes - 200 ? 6 : 1) * base + 3 * (random() - 0.5);
    case "bursts":
      return base + (i % 97 < 4 ? 8 * base : 0) + base * 0.2 * random();
    case "one-burst":
      return base + (i > minutes - 400 && i < minutes - 380 ? 10 * base : 0) + 2 * random();
    case "flat":
      return base;
    case "quiet":
      return random() < 0.3 ? 1 : 0;
    case "ramp":
      return (base * i) / minutes + 2 * random();
  }
}

/** Unusable points the core must skip: missing minutes, NaN, negative, infinite. */
function damage(v: number, random: () => number, gaps: number): number | null {
  const r = random();
  if (r < gaps) return null;
  if (r < gaps * 1.1) return Number.NaN;
  if (r < gaps * 1.2) return -3;
  if (r < gaps * 1.25) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.round(v));
}

/** `count` endpoints with histories from an hour to 16 days long. */
export function generatedEndpoints(count: number, seed = 7): EndpointInput[] {
  const random = generator(seed);
  const nowMinute = Math.floor(HISTORY_NOW / MINUTE);
  return Array.from({ length: count }, (_, e) => {
    const shape = SHAPES[e % SHAPES.length] as Shape;
    const days = [0.05, 0.5, 1.2, 3, 8, 16][Math.floor(random() * 6)] as number;
    const minutes = Math.max(3, Math.round(days * 1440));
    const gaps = [0, 0.002, 0.05, 0.4][Math.floor(random() * 4)] as number;
    // Most series end with the last complete minute; some a few minutes early, a few stale or running into now.
    const endOffset = [0, 0, 0, 1, 3, 15, -1][Math.floor(random() * 7)] as number;
    const startMs = (nowMinute - endOffset - minutes) * MINUTE;
    const base = 2 + 300 * random();
    const values: (number | null)[] = [];
    for (let i = 0; i < minutes; i++) values.push(damage(rate(shape, i, minutes, base, random), random, gaps));
    const queueKind = Math.floor(random() * 5);
    const queue =
      queueKind === 0
        ? null
        : {
            visible: queueKind === 1 ? 0 : Math.round(400 * random() ** 2),
            inFlight: Math.round(30 * random()),
            oldestMessageAgeSeconds: queueKind === 2 ? 0 : Math.round(200 * random()),
            observedAtMs: HISTORY_NOW - (queueKind === 4 ? 400_000 : 20_000),
          };
    const previous = Math.round(40 * random());
    return {
      name: `${shape}-${e}`,
      profile: {
        secondsPerRequest: 0.2 + 3 * random(),
        concurrencyPerReplica: 1 + Math.floor(8 * random()),
        modelLoadSeconds: 10 + Math.round(200 * random()),
        sloSeconds: [5, 30, 120][Math.floor(random() * 3)] as number,
        minReplicas: Math.floor(3 * random()),
        maxReplicas: 60,
      },
      slicesPerGpu: 1 + (e % 4),
      leadTimeSeconds: Math.round(900 * random()),
      arrivals: { startMs, values },
      queue,
      published:
        e % 3 === 0
          ? []
          : [
              { atMs: HISTORY_NOW - 10 * MINUTE, replicas: previous + 3 },
              { atMs: HISTORY_NOW - 2 * MINUTE, replicas: previous },
            ],
    };
  });
}
