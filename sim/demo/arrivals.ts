import { poisson, seededRandom } from "./random";

/** A daily traffic peak: a bell around `hour` (0–24, may wrap midnight) of `width` hours. */
export interface DailyPeak {
  hour: number;
  /** Standard deviation of the bell, hours. */
  widthHours: number;
  /** Height relative to the endpoint's peak rate (the largest peak is usually 1). */
  weight: number;
}

/** Short surges on top of the daily cycle: launches, batch jobs, a post going viral. */
export interface BurstModel {
  /** Expected bursts per day (Poisson). */
  perDay: number;
  /** A burst multiplies the rate by a factor drawn uniformly from this range. */
  factor: [number, number];
  /** Burst length, minutes, drawn uniformly from this range. */
  minutes: [number, number];
  /**
   * "spike": sudden rise then exponential decay (a launch, a link shared widely);
   * "plateau": flat for its length (a batch job).
   */
  shape: "spike" | "plateau";
}

export interface RateShape {
  /** Requests per second at the top of the busiest daily peak, before bursts and noise. */
  peakRps: number;
  /** Rate at the quietest hour, relative to peakRps. */
  floor: number;
  peaks: DailyPeak[];
  /** Day-to-day level: day d is scaled by dayLevels[d % length] (e.g. a quieter second day). */
  dayLevels: number[];
  bursts: BurstModel;
  /** Minute-to-minute noise: the rate is multiplied by 1 +/- up to this, uniformly. */
  noise: number;
}

/** A burst as drawn: which minute it starts and how it shapes the rate. */
export interface Burst {
  startMinute: number;
  minutes: number;
  factor: number;
  shape: BurstModel["shape"];
}

/** Rate of the daily cycle at `hourOfDay`, relative to peakRps (before day level, bursts, noise). */
export function dailyShape(shape: Pick<RateShape, "floor" | "peaks">, hourOfDay: number): number {
  let bells = 0;
  for (const peak of shape.peaks) {
    // Distance around the clock, so a peak at 23:00 also lifts 01:00.
    const raw = Math.abs(hourOfDay - peak.hour) % 24;
    const d = Math.min(raw, 24 - raw);
    bells += peak.weight * Math.exp(-0.5 * (d / peak.widthHours) ** 2);
  }
  return shape.floor + (1 - shape.floor) * Math.min(1, bells);
}

/**
 * The bursts of a run, drawn from the seed: a Poisson count per day, uniform factor and length,
 * and a start time drawn in proportion to `activity(hourOfDay)` (0..1): launches and viral posts
 * happen while people are about, so by default bursts follow the daily cycle.
 */
export function drawBursts(
  model: BurstModel,
  minutes: number,
  seed: number,
  activity: (hourOfDay: number) => number = () => 1,
): Burst[] {
  const random = seededRandom(seed);
  const bursts: Burst[] = [];
  const days = Math.ceil(minutes / 1440);
  for (let day = 0; day < days; day++) {
    const count = poisson(model.perDay, random);
    for (let i = 0; i < count; i++) {
      // Rejection sampling on the activity curve; capped so a curve that is almost zero still ends.
      let minuteOfDay = Math.floor(random() * 1440);
      for (let tries = 0; tries < 100 && random() > activity(minuteOfDay / 60); tries++) {
        minuteOfDay = Math.floor(random() * 1440);
      }
      const startMinute = day * 1440 + minuteOfDay;
      const length = Math.round(uniform(model.minutes, random));
      const factor = uniform(model.factor, random);
      if (startMinute < minutes) bursts.push({ startMinute, minutes: Math.max(1, length), factor, shape: model.shape });
    }
  }
  return bursts.sort((a, b) => a.startMinute - b.startMinute);
}

/** How much a burst multiplies the rate `offset` minutes after it started (1 outside it). */
export function burstFactor(burst: Burst, offset: number): number {
  if (offset < 0 || offset >= burst.minutes) return 1;
  if (burst.shape === "plateau") return burst.factor;
  // A spike reaches its height within two minutes and decays to a twentieth of it by its end.
  const rise = Math.min(1, (offset + 1) / 2);
  const decay = Math.exp((-3 * offset) / burst.minutes);
  return 1 + (burst.factor - 1) * rise * decay;
}

/**
 * Requests arriving in each minute of a run: the daily cycle times the day's level, times the
 * strongest burst in progress, with minute-to-minute noise, rounded to whole requests. Pure and
 * deterministic for a seed; the simulator spreads each minute's requests within the minute.
 */
export function perMinuteCounts(shape: RateShape, minutes: number, seed: number): number[] {
  const bursts = drawBursts(shape.bursts, minutes, seed, (hour) => dailyShape(shape, hour));
  const noise = seededRandom(seed ^ 0x5bd1e995);
  const counts = new Array<number>(minutes);
  let active: Burst[] = [];
  let next = 0;
  for (let m = 0; m < minutes; m++) {
    while (next < bursts.length && (bursts[next] as Burst).startMinute <= m) active.push(bursts[next++] as Burst);
    active = active.filter((b) => m < b.startMinute + b.minutes);
    const level = shape.dayLevels[Math.floor(m / 1440) % shape.dayLevels.length] ?? 1;
    let rate = shape.peakRps * level * dailyShape(shape, (m % 1440) / 60);
    // Overlapping bursts do not compound: the strongest one sets the rate.
    let surge = 1;
    for (const b of active) surge = Math.max(surge, burstFactor(b, m - b.startMinute));
    rate *= surge;
    rate *= 1 + shape.noise * (2 * noise() - 1);
    counts[m] = Math.max(0, Math.round(rate * 60));
  }
  return counts;
}

function uniform([lo, hi]: [number, number], random: () => number): number {
  return lo + (hi - lo) * random();
}
