/**
 * The growth models a forecast chooses from, and the choice: each model predicts how far the
 * arrival rate's peak over the horizon rises above the current level; the model whose
 * forecasts of the recent past missed least (pinball loss at the forecast quantile) is used.
 */
import { slope, valueAt, windowMean, windowMedian, windowPeak } from "./series";
import type { AutoscalerSettings } from "./types";

const DAY_MINUTES = 1440;
/** Half-width (minutes) of the moving average that smooths a past day's values before taking their peak. */
const SEASONAL_SMOOTH = 2;

/**
 * - level: the rate stays where it is (flat or spiky load);
 * - trend: the recent slope goes on, rising only;
 * - daily: what the same window did yesterday, relative to its level then;
 * - seasonal: the same over up to seasonalMaxDays, whole weeks weighing more;
 * - recent-peak: the highest minute of the last peakMemoryMinutes comes again (bursts that recur);
 * - combined: the larger of trend and seasonal (the safe choice while there is no track record).
 */
export type ForecastModel = "level" | "trend" | "daily" | "seasonal" | "recent-peak" | "combined";
export const FORECAST_MODELS: readonly ForecastModel[] = [
  "level",
  "trend",
  "daily",
  "seasonal",
  "recent-peak",
  "combined",
];

/** The current arrival level: the larger of the slow window's median and the burst window's mean. */
export function level(
  values: readonly (number | null)[],
  end: number,
  s: AutoscalerSettings,
): { value: number; count: number } {
  const slow = windowMedian(values, end - s.levelMinutes + 1, end);
  const burst = windowMean(values, end - s.burstMinutes + 1, end);
  return { value: Math.max(slow.median, burst.count > 0 ? burst.mean : 0), count: slow.count };
}

interface Seasonal {
  growth: number;
  spread: number;
  days: number;
}

/**
 * Prefix sums of the usable values of one stretch of the history, for O(1) window means. One
 * stretch per day of lag covers every window the forecast and its backtests read on that day,
 * so the seasonal models cost O(days * horizon) per forecast, not O(history).
 */
export interface Stretch {
  from: number;
  sums: Float64Array;
  counts: Int32Array;
}

export function stretch(values: readonly (number | null)[], from: number, to: number): Stretch {
  const start = Math.max(0, from);
  const length = Math.max(0, Math.min(to, values.length - 1) - start + 1);
  const sums = new Float64Array(length + 1);
  const counts = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    const v = valueAt(values, start + i);
    sums[i + 1] = (sums[i] as number) + (v ?? 0);
    counts[i + 1] = (counts[i] as number) + (v === undefined ? 0 : 1);
  }
  return { from: start, sums, counts };
}

/** Mean and count of the usable values in [a, b], within the stretch. */
function stretchMean(st: Stretch, a: number, b: number): { mean: number; count: number } {
  const lo = Math.max(0, a - st.from);
  const hi = Math.min(st.sums.length - 1, b - st.from + 1);
  if (hi <= lo) return { mean: 0, count: 0 };
  const count = (st.counts[hi] as number) - (st.counts[lo] as number);
  return { mean: count > 0 ? ((st.sums[hi] as number) - (st.sums[lo] as number)) / count : 0, count };
}

/** The stretches for lags 1..maxDays that every window of a forecast at `last` and its backtests read. */
export function seasonalStretches(
  values: readonly (number | null)[],
  last: number,
  gap: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): Stretch[] {
  const earliest = last - gap - horizonMinutes - Math.max(0, s.backtestPoints - 1) * s.backtestSpacingMinutes;
  const from = earliest - Math.max(s.levelMinutes, s.burstMinutes) - SEASONAL_SMOOTH;
  const to = last + gap + horizonMinutes + SEASONAL_SMOOTH;
  const stretches: Stretch[] = [];
  for (let d = 1; d <= s.seasonalMaxDays; d++) {
    if (to - d * DAY_MINUTES < 0) break;
    stretches.push(stretch(values, from - d * DAY_MINUTES, to - d * DAY_MINUTES));
  }
  return stretches;
}

/**
 * Growth over the horizon seen at the same time on earlier days: for each lag d (days) up to
 * maxDays, the peak of the smoothed values over [now, now + horizon] d days ago minus the
 * level then (the larger of the slow and burst means). Lags of whole weeks weigh more once a
 * week of history exists. `stretches[d - 1]` covers lag d's windows.
 */
export function seasonalGrowth(
  stretches: readonly Stretch[],
  now: number,
  last: number,
  horizonMinutes: number,
  maxDays: number,
  s: AutoscalerSettings,
): Seasonal {
  const deltas: number[] = [];
  const lags: number[] = [];
  for (let d = 1; d <= maxDays && d <= stretches.length; d++) {
    const shift = d * DAY_MINUTES;
    if (last - shift - s.levelMinutes + 1 < 0) break;
    const st = stretches[d - 1] as Stretch;
    const slow = stretchMean(st, last - shift - s.levelMinutes + 1, last - shift);
    if (slow.count < s.minLevelPoints) continue;
    const burst = stretchMean(st, last - shift - s.burstMinutes + 1, last - shift);
    const then = Math.max(slow.mean, burst.count > 0 ? burst.mean : 0);
    let peak = Number.NEGATIVE_INFINITY;
    for (let k = 0; k <= horizonMinutes; k++) {
      const t = now + k - shift;
      const smoothed = stretchMean(st, t - SEASONAL_SMOOTH, t + SEASONAL_SMOOTH);
      if (smoothed.count > 0 && smoothed.mean > peak) peak = smoothed.mean;
    }
    if (peak === Number.NEGATIVE_INFINITY) continue;
    deltas.push(peak - then);
    lags.push(d);
  }
  if (deltas.length === 0) return { growth: 0, spread: 0, days: 0 };
  const weekly = (lags[lags.length - 1] ?? 0) >= 7;
  const weight = (i: number) => (weekly && (lags[i] ?? 0) % 7 === 0 ? s.weeklyWeight : 1);
  let weightSum = 0;
  let sum = 0;
  for (let i = 0; i < deltas.length; i++) {
    weightSum += weight(i);
    sum += weight(i) * (deltas[i] ?? 0);
  }
  const mean = sum / weightSum;
  let variance = 0;
  for (let i = 0; i < deltas.length; i++) variance += weight(i) * ((deltas[i] ?? 0) - mean) ** 2;
  return { growth: mean, spread: deltas.length > 1 ? Math.sqrt(variance / weightSum) : 0, days: deltas.length };
}

/** Every model's growth (>= 0) of a forecast made after minute `last` for the window starting at `now`. */
export interface ModelGrowths {
  level: number;
  /** Level at `last`, requests per minute. */
  levelValue: number;
  growth: Record<ForecastModel, number>;
  seasonal: Seasonal;
}

export function modelGrowths(
  values: readonly (number | null)[],
  stretches: readonly Stretch[],
  now: number,
  last: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): ModelGrowths {
  const current = level(values, last, s);
  // The slow window's middle is its reference point; project from there to the horizon's end.
  const trendReach = Math.min(now - last + horizonMinutes + (s.levelMinutes - 1) / 2, s.trendCapMinutes);
  const trend = Math.max(0, slope(values, last - s.levelMinutes + 1, last)) * trendReach;
  const seasonal = seasonalGrowth(stretches, now, last, horizonMinutes, s.seasonalMaxDays, s);
  const daily = Math.max(0, seasonalGrowth(stretches, now, last, horizonMinutes, 1, s).growth);
  const seasonalUp = Math.max(0, seasonal.growth);
  const recentPeak = Math.max(0, (windowPeak(values, last - s.peakMemoryMinutes + 1, last) ?? 0) - current.value);
  return {
    level: current.count,
    levelValue: current.value,
    growth: {
      level: 0,
      trend,
      daily,
      seasonal: seasonalUp,
      "recent-peak": recentPeak,
      combined: Math.max(trend, seasonalUp),
    },
    seasonal,
  };
}

/** Loss of forecasting `forecast` when `actual` came: under-forecasts weigh q, over-forecasts 1 - q. */
function pinball(actual: number, forecast: number, q: number): number {
  const e = actual - forecast;
  return e >= 0 ? q * e : (q - 1) * e;
}

/** The chosen model and how many past forecasts it was judged on (0: no track record, the default model). */
export interface ModelChoice {
  model: ForecastModel;
  backtests: number;
}

/**
 * Chooses the model whose forecasts at backtestPoints earlier decisions, backtestSpacingMinutes
 * apart, missed the peak that followed each least. Only windows that are complete by `last`
 * count. A model must beat the combined one clearly (not by rounding) to replace it.
 */
export function chooseModel(
  values: readonly (number | null)[],
  stretches: readonly Stretch[],
  now: number,
  last: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): ModelChoice {
  const gap = now - last;
  const loss: Record<ForecastModel, number> = {
    level: 0,
    trend: 0,
    daily: 0,
    seasonal: 0,
    "recent-peak": 0,
    combined: 0,
  };
  let backtests = 0;
  for (let k = 0; k < s.backtestPoints; k++) {
    const pastLast = last - gap - horizonMinutes - k * s.backtestSpacingMinutes;
    if (pastLast - s.levelMinutes + 1 < 0) break;
    if (valueAt(values, pastLast) === undefined) continue;
    const pastNow = pastLast + gap;
    const actual = windowPeak(values, pastNow, pastNow + horizonMinutes);
    if (actual === undefined) continue;
    const past = modelGrowths(values, stretches, pastNow, pastLast, horizonMinutes, s);
    if (past.level < s.minLevelPoints) continue;
    for (const m of FORECAST_MODELS) loss[m] += pinball(actual, past.levelValue + past.growth[m], s.quantile);
    backtests++;
  }
  if (backtests === 0) return { model: "combined", backtests };
  let best: ForecastModel = "combined";
  for (const m of FORECAST_MODELS) {
    if (loss[m] < loss[best] - 1e-6 * Math.max(1, loss[best])) best = m;
  }
  return { model: best, backtests };
}
