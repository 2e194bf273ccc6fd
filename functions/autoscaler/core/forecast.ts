import type { AutoscalerSettings, MinuteSeries } from "./types";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Half-width (minutes) of the moving average that smooths a past day's values before taking their peak. */
const SEASONAL_SMOOTH = 2;

/** The upper-quantile forecast of the arrival rate's peak over the horizon. */
export interface ArrivalForecast {
  ok: true;
  /** Requests per minute: level + growth + z * sigma. */
  peakPerMinute: number;
  /** The current arrival level, requests per minute (the larger of the slow and burst averages). */
  levelPerMinute: number;
  /** Growth the recent trend projects to the end of the horizon (>= 0). */
  trendPerMinute: number;
  /** Growth the same time of earlier days shows over the horizon, weighted mean across days; 0 without history. */
  seasonalPerMinute: number;
  /** Days of history that contributed to the seasonal estimate. */
  seasonalDays: number;
  /** Standard deviation the quantile is taken on, requests per minute. */
  sigmaPerMinute: number;
}

export interface MissingArrivals {
  ok: false;
  reason: string;
}

/** A usable per-minute value: finite and not negative. */
function valueAt(values: readonly (number | null)[], i: number): number | undefined {
  if (i < 0 || i >= values.length) return undefined;
  const v = values[i];
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Mean and count of the usable values in [from, to]. */
function windowMean(values: readonly (number | null)[], from: number, to: number): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i <= to && i < values.length; i++) {
    const v = valueAt(values, i);
    if (v !== undefined) {
      sum += v;
      count++;
    }
  }
  return { mean: count > 0 ? sum / count : 0, count };
}

/** Least-squares slope (per minute) of the usable values in [from, to]; 0 with fewer than three points. */
function slope(values: readonly (number | null)[], from: number, to: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = Math.max(0, from); i <= to; i++) {
    const v = valueAt(values, i);
    if (v === undefined) continue;
    n++;
    sx += i;
    sy += v;
    sxx += i * i;
    sxy += i * v;
  }
  const denominator = n * sxx - sx * sx;
  return n >= 3 && denominator > 0 ? (n * sxy - sx * sy) / denominator : 0;
}

/**
 * Noise from successive differences (von Neumann): sigma^2 = mean((v[i] - v[i-1])^2) / 2.
 * Unlike the plain standard deviation it is not inflated by a trend or a level shift.
 */
function successiveDifferenceSigma(values: readonly (number | null)[], from: number, to: number): number {
  let sum = 0;
  let pairs = 0;
  for (let i = Math.max(1, from + 1); i <= to; i++) {
    const a = valueAt(values, i - 1);
    const b = valueAt(values, i);
    if (a === undefined || b === undefined) continue;
    sum += (b - a) * (b - a);
    pairs++;
  }
  return pairs > 0 ? Math.sqrt(sum / (2 * pairs)) : 0;
}

/**
 * The standard normal quantile for p in (0.5, 1): Abramowitz and Stegun 26.2.23 (error below
 * 4.5e-4), plenty for a planning margin and cheap enough to run per endpoint.
 */
export function normalQuantile(p: number): number {
  const t = Math.sqrt(-2 * Math.log(1 - p));
  return (
    t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
}

/** The larger of the slow and the burst average ending at `end`, with the slow window's datapoint count. */
function level(
  values: readonly (number | null)[],
  end: number,
  s: AutoscalerSettings,
): { value: number; count: number } {
  const slow = windowMean(values, end - s.levelMinutes + 1, end);
  const burst = windowMean(values, end - s.burstMinutes + 1, end);
  return { value: Math.max(slow.mean, burst.count > 0 ? burst.mean : 0), count: slow.count };
}

/**
 * Growth over the horizon seen at the same time on earlier days: for each lag d (days), the
 * peak of the smoothed values over [now, now + horizon] d days ago minus the level then.
 * Lags of whole weeks weigh more once a week of history exists (weekday/weekend cycles).
 * Cost: O(days * (horizon + level window)), independent of the history's length.
 */
function seasonalGrowth(
  values: readonly (number | null)[],
  now: number,
  last: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): { growth: number; spread: number; days: number } {
  const deltas: number[] = [];
  const lags: number[] = [];
  for (let d = 1; d <= s.seasonalMaxDays; d++) {
    const shift = d * DAY_MINUTES;
    if (last - shift - s.levelMinutes + 1 < 0) break;
    const then = level(values, last - shift, s);
    if (then.count < s.minLevelPoints) continue;
    let peak = Number.NEGATIVE_INFINITY;
    for (let k = 0; k <= horizonMinutes; k++) {
      const t = now + k - shift;
      const smoothed = windowMean(values, t - SEASONAL_SMOOTH, t + SEASONAL_SMOOTH);
      if (smoothed.count > 0 && smoothed.mean > peak) peak = smoothed.mean;
    }
    if (peak === Number.NEGATIVE_INFINITY) continue;
    deltas.push(peak - then.value);
    lags.push(d);
  }
  if (deltas.length === 0) return { growth: 0, spread: 0, days: 0 };
  const weekly = (lags[lags.length - 1] ?? 0) >= 7;
  let weightSum = 0;
  let sum = 0;
  for (let i = 0; i < deltas.length; i++) {
    const w = weekly && (lags[i] ?? 0) % 7 === 0 ? s.weeklyWeight : 1;
    weightSum += w;
    sum += w * (deltas[i] ?? 0);
  }
  const mean = sum / weightSum;
  let variance = 0;
  for (let i = 0; i < deltas.length; i++) {
    const w = weekly && (lags[i] ?? 0) % 7 === 0 ? s.weeklyWeight : 1;
    variance += w * ((deltas[i] ?? 0) - mean) ** 2;
  }
  return { growth: mean, spread: deltas.length > 1 ? Math.sqrt(variance / weightSum) : 0, days: deltas.length };
}

/**
 * Forecasts the peak arrival rate over [now, now + horizonMinutes] at the settings' quantile.
 *
 * peak = level + max(0, trend growth, seasonal growth) + z * sqrt(max(noise^2, level) + seasonal spread^2)
 *
 * - The level is the larger of a slow and a burst average, so a burst raises it at once.
 * - Only a rising trend is extrapolated (capped): scaling down on a falling trend is the
 *   hysteresis's business, and the horizon starts now, when today's demand still has to be served.
 * - The noise floor is Poisson's (variance = mean) so quiet endpoints keep a margin.
 * - The current minute (incomplete) and anything after it are ignored.
 */
export function forecastArrivals(
  series: MinuteSeries,
  nowMs: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): ArrivalForecast | MissingArrivals {
  const { values } = series;
  if (!Number.isFinite(series.startMs)) return { ok: false, reason: "arrivals have no start time" };
  const now = Math.floor((nowMs - series.startMs) / MINUTE_MS);
  const staleMinutes = Math.ceil(s.arrivalsStaleSeconds / 60);
  let last = Math.min(values.length, now) - 1;
  const oldestAllowed = now - 1 - staleMinutes;
  while (last >= 0 && last >= oldestAllowed && valueAt(values, last) === undefined) last--;
  if (last < 0 || valueAt(values, last) === undefined) {
    return { ok: false, reason: `arrivals missing: no datapoint in the last ${s.arrivalsStaleSeconds} s` };
  }
  const ageSeconds = (nowMs - (series.startMs + (last + 1) * MINUTE_MS)) / 1000;
  if (ageSeconds > s.arrivalsStaleSeconds) {
    return {
      ok: false,
      reason: `arrivals stale: newest datapoint ${Math.round(ageSeconds)} s old (limit ${s.arrivalsStaleSeconds} s)`,
    };
  }
  const current = level(values, last, s);
  if (current.count < s.minLevelPoints) {
    return {
      ok: false,
      reason: `arrivals sparse: ${current.count} datapoints in the last ${s.levelMinutes} minutes (need ${s.minLevelPoints})`,
    };
  }

  // The slow average sits at the middle of its window; project from there to the horizon's end.
  const trendReach = Math.min(now - last + horizonMinutes + (s.levelMinutes - 1) / 2, s.trendCapMinutes);
  const trend = Math.max(0, slope(values, last - s.levelMinutes + 1, last)) * trendReach;
  const seasonal = seasonalGrowth(values, now, last, horizonMinutes, s);
  const noise = successiveDifferenceSigma(values, last - s.noiseMinutes + 1, last);
  const sigma = Math.sqrt(Math.max(noise * noise, current.value) + seasonal.spread * seasonal.spread);
  const growth = Math.max(0, trend, seasonal.growth);
  return {
    ok: true,
    peakPerMinute: current.value + growth + normalQuantile(s.quantile) * sigma,
    levelPerMinute: current.value,
    trendPerMinute: trend,
    seasonalPerMinute: seasonal.growth,
    seasonalDays: seasonal.days,
    sigmaPerMinute: sigma,
  };
}
