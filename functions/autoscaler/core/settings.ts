import type { AutoscalerSettings } from "./types";

/** A setting or input the autoscaler cannot work with. Messages quote the field, the value and the rule. */
export class AutoscalerConfigError extends Error {
  override name = "AutoscalerConfigError";
}

/**
 * Defaults, with why:
 * - quantile 0.75 and maxUtilization 1: the forecast is already the peak of the horizon
 *   (the larger of a slow and a burst level, plus the growth of the trend or of earlier
 *   days), the replica throughput already assumes every slice of the GPU busy, and the
 *   backlog floor catches what queues anyway. Stacking a 95% quantile and an 85% cap on
 *   top planned about a third more than needed. Calibrated in the simulator on synthetic
 *   diurnal traces with bursts (docs/autoscaler.md): at headroom 1 these meet a 99% SLO at
 *   close to the cheapest cost that meets it.
 * - level 10 min / burst 3 min: the larger of a slow and a fast average reacts to bursts
 *   at once but forgets them slowly.
 * - arrivalsStaleSeconds 600: SQS publishes one-minute metrics that can arrive minutes late;
 *   ten minutes without any datapoint means the metric (or the queue) is gone.
 * - scale-down: 10% deadband, at most a quarter per tick, not within 5 minutes of a rise
 *   (the HPA's own 300 s stabilisation comes on top, on the reactive side).
 */
export const DEFAULT_AUTOSCALER_SETTINGS: AutoscalerSettings = Object.freeze({
  headroom: 1,
  quantile: 0.75,
  maxUtilization: 1,
  levelMinutes: 10,
  burstMinutes: 3,
  noiseMinutes: 30,
  trendCapMinutes: 30,
  seasonalMaxDays: 14,
  weeklyWeight: 3,
  peakMemoryMinutes: 60,
  backtestPoints: 8,
  backtestSpacingMinutes: 30,
  metricLagSeconds: 120,
  arrivalsStaleSeconds: 600,
  queueStaleSeconds: 180,
  minLevelPoints: 3,
  tickSeconds: 60,
  minDrainSeconds: 10,
  scaleDownTolerance: 0.1,
  scaleDownStep: 0.25,
  scaleDownDelaySeconds: 300,
});

type Rule = [key: keyof AutoscalerSettings, ok: (v: number) => boolean, rule: string];

const RULES: Rule[] = [
  ["headroom", (v) => v > 0, "must be greater than 0"],
  ["quantile", (v) => v > 0.5 && v < 1, "must be between 0.5 and 1 (exclusive)"],
  ["maxUtilization", (v) => v > 0 && v <= 1, "must be greater than 0 and at most 1"],
  ["levelMinutes", (v) => Number.isInteger(v) && v >= 1, "must be an integer of at least 1"],
  ["burstMinutes", (v) => Number.isInteger(v) && v >= 1, "must be an integer of at least 1"],
  ["noiseMinutes", (v) => Number.isInteger(v) && v >= 2, "must be an integer of at least 2"],
  ["trendCapMinutes", (v) => v >= 0, "must be at least 0"],
  ["seasonalMaxDays", (v) => Number.isInteger(v) && v >= 0 && v <= 60, "must be an integer between 0 and 60"],
  ["weeklyWeight", (v) => v >= 1, "must be at least 1"],
  ["peakMemoryMinutes", (v) => Number.isInteger(v) && v >= 1 && v <= 1440, "must be an integer between 1 and 1440"],
  ["backtestPoints", (v) => Number.isInteger(v) && v >= 0 && v <= 48, "must be an integer between 0 and 48"],
  ["backtestSpacingMinutes", (v) => Number.isInteger(v) && v >= 1, "must be an integer of at least 1"],
  ["metricLagSeconds", (v) => v >= 0 && v <= 900, "must be between 0 and 900"],
  ["arrivalsStaleSeconds", (v) => v > 0, "must be greater than 0"],
  ["queueStaleSeconds", (v) => v > 0, "must be greater than 0"],
  ["minLevelPoints", (v) => Number.isInteger(v) && v >= 1, "must be an integer of at least 1"],
  ["tickSeconds", (v) => v > 0, "must be greater than 0"],
  ["minDrainSeconds", (v) => v > 0, "must be greater than 0"],
  ["scaleDownTolerance", (v) => v >= 0 && v < 1, "must be at least 0 and below 1"],
  ["scaleDownStep", (v) => v > 0 && v <= 1, "must be greater than 0 and at most 1"],
  ["scaleDownDelaySeconds", (v) => v >= 0, "must be at least 0"],
];

/** Merges overrides onto the defaults and checks every value; throws AutoscalerConfigError on the first bad one. */
export function resolveSettings(overrides: Partial<AutoscalerSettings> = {}): AutoscalerSettings {
  const settings: AutoscalerSettings = { ...DEFAULT_AUTOSCALER_SETTINGS };
  for (const [key, value] of Object.entries(overrides) as [keyof AutoscalerSettings, unknown][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_AUTOSCALER_SETTINGS)) {
      throw new AutoscalerConfigError(
        `settings.${String(key)} is not a setting (known: ${Object.keys(DEFAULT_AUTOSCALER_SETTINGS).join(", ")})`,
      );
    }
    settings[key] = value as number;
  }
  for (const [key, ok, rule] of RULES) {
    const value = settings[key];
    if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
      throw new AutoscalerConfigError(`settings.${key} (${String(value)}) ${rule}`);
    }
  }
  return settings;
}
