/**
 * The growth models a forecast chooses from, and the choice: each model predicts how far the
 * arrival rate's peak over the horizon rises above the current level; the model whose
 * forecasts of the recent past missed least (pinball loss at the forecast quantile) is used.
 */
import { slope, usable, valueAt, windowMean, windowMedian, windowPeak } from "./series";
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
 * Prefix sums of the usable values of one stretch of the history per day of lag, for O(1)
 * window means. Lag d's stretch covers every window the forecast and its backtests read d days
 * back, so the seasonal models cost O(days * horizon) per forecast, not O(history). All lags
 * share two arrays (one allocation each, not two per day): lag d's prefix sums sit at
 * [offsets[d - 1], offsets[d]), the first of them 0, and start at minute starts[d - 1].
 */
export interface Stretches {
  /** Lags covered: 1..days. */
  days: number;
  starts: Int32Array;
  offsets: Int32Array;
  sums: Float64Array;
  counts: Int32Array;
}

/** The stretches for lags 1..maxDays that every window of a forecast at `last` and its backtests read. */
export function seasonalStretches(
  values: readonly (number | null)[],
  last: number,
  gap: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): Stretches {
  const earliest = last - gap - horizonMinutes - Math.max(0, s.backtestPoints - 1) * s.backtestSpacingMinutes;
  const from = earliest - Math.max(s.levelMinutes, s.burstMinutes) - SEASONAL_SMOOTH;
  const to = last + gap + horizonMinutes + SEASONAL_SMOOTH;
  let days = 0;
  while (days < s.seasonalMaxDays && to - (days + 1) * DAY_MINUTES >= 0) days++;
  const starts = new Int32Array(days);
  const offsets = new Int32Array(days + 1);
  for (let d = 1; d <= days; d++) {
    const start = Math.max(0, from - d * DAY_MINUTES);
    const length = Math.max(0, Math.min(to - d * DAY_MINUTES, values.length - 1) - start + 1);
    starts[d - 1] = start;
    offsets[d] = (offsets[d - 1] as number) + length + 1;
  }
  const sums = new Float64Array(offsets[days] as number);
  const counts = new Int32Array(offsets[days] as number);
  for (let d = 1; d <= days; d++) {
    const start = starts[d - 1] as number;
    const base = offsets[d - 1] as number;
    const length = (offsets[d] as number) - base - 1;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const v = usable(values, start + i);
      if (v >= 0) {
        sum += v;
        count++;
      }
      sums[base + i + 1] = sum;
      counts[base + i + 1] = count;
    }
  }
  return { days, starts, offsets, sums, counts };
}

/**
 * One lag's stretch as index bounds into the shared arrays: its prefix sums are [first, final],
 * and minute m's usable values up to and including m end at index m + origin + 1.
 */
interface Lag {
  first: number;
  final: number;
  origin: number;
}

function lagOf(st: Stretches, d: number): Lag {
  const first = st.offsets[d - 1] as number;
  return { first, final: (st.offsets[d] as number) - 1, origin: first - (st.starts[d - 1] as number) };
}

/** Usable values of the lag's minutes [a, b], clamped to its stretch. */
function windowCount(st: Stretches, lag: Lag, a: number, b: number): number {
  const lo = Math.max(lag.first, a + lag.origin);
  const hi = Math.min(lag.final, b + lag.origin + 1);
  return hi <= lo ? 0 : (st.counts[hi] as number) - (st.counts[lo] as number);
}

/** Mean of the lag's usable values in [a, b]; NaN when there is none (a number, not an object per window). */
function windowAverage(st: Stretches, lag: Lag, a: number, b: number): number {
  const lo = Math.max(lag.first, a + lag.origin);
  const hi = Math.min(lag.final, b + lag.origin + 1);
  const count = hi <= lo ? 0 : (st.counts[hi] as number) - (st.counts[lo] as number);
  return count > 0 ? ((st.sums[hi] as number) - (st.sums[lo] as number)) / count : Number.NaN;
}

/**
 * A lag's weight in the seasonal mean: whole weeks weigh more once a week of history exists.
 * A module function, not a closure per call: the forecast and each backtest call seasonalGrowth.
 */
function lagWeight(lag: number, weekly: boolean, s: AutoscalerSettings): number {
  return weekly && lag % 7 === 0 ? s.weeklyWeight : 1;
}

/**
 * Growth over the horizon seen at the same time on earlier days: for each lag d (days) up to
 * seasonalMaxDays, the peak of the smoothed values over [now, now + horizon] d days ago minus
 * the level then (the larger of the slow and burst means). Lags of whole weeks weigh more once
 * a week of history exists. The daily model is the same with one day: lag 1's delta alone,
 * read off the same pass.
 */
export function seasonalGrowth(
  st: Stretches,
  now: number,
  last: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): Seasonal & { daily: number } {
  const deltas: number[] = [];
  const lags: number[] = [];
  for (let d = 1; d <= s.seasonalMaxDays && d <= st.days; d++) {
    const shift = d * DAY_MINUTES;
    if (last - shift - s.levelMinutes + 1 < 0) break;
    const lag = lagOf(st, d);
    if (windowCount(st, lag, last - shift - s.levelMinutes + 1, last - shift) < s.minLevelPoints) continue;
    const slow = windowAverage(st, lag, last - shift - s.levelMinutes + 1, last - shift);
    const burst = windowAverage(st, lag, last - shift - s.burstMinutes + 1, last - shift);
    const then = Math.max(slow, Number.isNaN(burst) ? 0 : burst);
    let peak = Number.NEGATIVE_INFINITY;
    for (let k = 0; k <= horizonMinutes; k++) {
      const t = now + k - shift;
      const smoothed = windowAverage(st, lag, t - SEASONAL_SMOOTH, t + SEASONAL_SMOOTH);
      if (smoothed > peak) peak = smoothed; // NaN (no usable value) is never a peak
    }
    if (peak === Number.NEGATIVE_INFINITY) continue;
    deltas.push(peak - then);
    lags.push(d);
  }
  if (deltas.length === 0) return { growth: 0, spread: 0, days: 0, daily: 0 };
  const daily = lags[0] === 1 ? Math.max(0, deltas[0] as number) : 0;
  const weekly = (lags[lags.length - 1] ?? 0) >= 7;
  let weightSum = 0;
  let sum = 0;
  for (let i = 0; i < deltas.length; i++) {
    weightSum += lagWeight(lags[i] ?? 0, weekly, s);
    sum += lagWeight(lags[i] ?? 0, weekly, s) * (deltas[i] ?? 0);
  }
  const mean = sum / weightSum;
  let variance = 0;
  for (let i = 0; i < deltas.length; i++)
    variance += lagWeight(lags[i] ?? 0, weekly, s) * ((deltas[i] ?? 0) - mean) ** 2;
  return {
    growth: mean,
    spread: deltas.length > 1 ? Math.sqrt(variance / weightSum) : 0,
    days: deltas.length,
    daily,
  };
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
  stretches: Stretches,
  now: number,
  last: number,
  horizonMinutes: number,
  s: AutoscalerSettings,
): ModelGrowths {
  const current = level(values, last, s);
  // The slow window's middle is its reference point; project from there to the horizon's end.
  const trendReach = Math.min(now - last + horizonMinutes + (s.levelMinutes - 1) / 2, s.trendCapMinutes);
  const trend = Math.max(0, slope(values, last - s.levelMinutes + 1, last)) * trendReach;
  const { daily, ...seasonal } = seasonalGrowth(stretches, now, last, horizonMinutes, s);
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
  stretches: Stretches,
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
