import { surpriseReserve } from "./budget";
import { chooseModel, type ForecastModel, level, modelGrowths, seasonalStretches } from "./models";
import { successiveDifferenceSigma, valueAt } from "./series";
import type { AutoscalerSettings, MinuteSeries } from "./types";

const MINUTE_MS = 60_000;

/** The upper-quantile forecast of the arrival rate's peak over the horizon. */
export interface ArrivalForecast {
  ok: true;
  /** Requests per minute: level + the larger of growth + z * sigma and the surprise reserve. */
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
  /** The growth model used: the one whose recent forecasts missed least. */
  model: ForecastModel;
  /** Past forecasts the model was chosen on (0: too little history, the combined model). */
  backtests: number;
  /** Held above the level for past surprises the miss budget does not pay for (budget.ts). */
  reservePerMinute: number;
  /** Minutes of the budget window the reserve leaves uncovered, and their share of its requests. */
  uncoveredMinutes: number;
  uncoveredShare: number;
}

export interface MissingArrivals {
  ok: false;
  reason: string;
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

/**
 * Forecasts the peak arrival rate over [now, now + horizonMinutes] at the settings' quantile.
 *
 * peak = level + max(growth + z * sqrt(max(noise^2, level) + seasonal spread^2), reserve)
 *
 * - The level is the larger of a slow and a burst average, so a burst raises it at once.
 * - Only a rising trend is extrapolated (capped): scaling down on a falling trend is the
 *   hysteresis's business, and the horizon starts now, when today's demand still has to be served.
 * - The noise floor is Poisson's (variance = mean) so quiet endpoints keep a margin.
 * - The reserve covers every surprise of the budget window but those the miss budget pays
 *   for (budget.ts); it already includes the growth within a lead time, so it replaces the
 *   forecast's growth and margin when larger rather than adding to them.
 * - The current minute (incomplete) and anything after it are ignored.
 */
export function forecastArrivals(
  series: MinuteSeries,
  nowMs: number,
  horizonMinutes: number,
  sloSeconds: number,
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

  const stretches = seasonalStretches(values, last, now - last, horizonMinutes, s);
  const growths = modelGrowths(values, stretches, now, last, horizonMinutes, s);
  const choice = chooseModel(values, stretches, now, last, horizonMinutes, s);
  const seasonal = growths.seasonal;
  const usesSeasons = choice.model === "seasonal" || choice.model === "combined" || choice.model === "daily";
  const spread = usesSeasons ? seasonal.spread : 0;
  const noise = successiveDifferenceSigma(values, last - s.noiseMinutes + 1, last);
  const sigma = Math.sqrt(Math.max(noise * noise, current.value) + spread * spread);
  const growth = growths.growth[choice.model];
  const reserve = surpriseReserve(values, last, now - last + horizonMinutes, sloSeconds, s);
  return {
    ok: true,
    peakPerMinute: current.value + Math.max(growth + normalQuantile(s.quantile) * sigma, reserve.reservePerMinute),
    levelPerMinute: current.value,
    trendPerMinute: growths.growth.trend,
    seasonalPerMinute: seasonal.growth,
    seasonalDays: seasonal.days,
    model: choice.model,
    backtests: choice.backtests,
    sigmaPerMinute: sigma,
    reservePerMinute: reserve.reservePerMinute,
    uncoveredMinutes: reserve.uncoveredMinutes,
    uncoveredShare: reserve.uncoveredShare,
  };
}
