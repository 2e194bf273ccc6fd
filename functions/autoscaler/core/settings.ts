import { type Problem, throwIfProblems, unknownKeyProblem } from "../../problems";
import type { AutoscalerSettings } from "./types";

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
 * - missBudget 0.005 over a day: the reserve leaves half of a 99% SLO's allowance to the
 *   surprises it skips; the other half absorbs forecast error and the drain of a backlog.
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
  missBudget: 0.005,
  budgetWindowMinutes: 1440,
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

/** Every setting is bounded: the forecast's cost per endpoint grows with the windows and days it reads. */
const RULES: Rule[] = [
  ["headroom", (v) => v > 0 && v <= 100, "must be greater than 0 and at most 100"],
  ["quantile", (v) => v > 0.5 && v < 1, "must be between 0.5 and 1 (exclusive)"],
  ["maxUtilization", (v) => v > 0 && v <= 1, "must be greater than 0 and at most 1"],
  ["levelMinutes", (v) => Number.isInteger(v) && v >= 1 && v <= 240, "must be a whole number between 1 and 240"],
  ["burstMinutes", (v) => Number.isInteger(v) && v >= 1 && v <= 240, "must be a whole number between 1 and 240"],
  ["noiseMinutes", (v) => Number.isInteger(v) && v >= 2 && v <= 1440, "must be a whole number between 2 and 1440"],
  ["trendCapMinutes", (v) => v >= 0 && v <= 1440, "must be between 0 and 1440"],
  ["seasonalMaxDays", (v) => Number.isInteger(v) && v >= 0 && v <= 60, "must be a whole number between 0 and 60"],
  ["weeklyWeight", (v) => v >= 1 && v <= 100, "must be between 1 and 100"],
  ["peakMemoryMinutes", (v) => Number.isInteger(v) && v >= 1 && v <= 1440, "must be a whole number between 1 and 1440"],
  ["missBudget", (v) => v >= 0 && v <= 0.5, "must be between 0 and 0.5"],
  [
    "budgetWindowMinutes",
    (v) => Number.isInteger(v) && v >= 0 && v <= 10_080,
    "must be a whole number between 0 and 10080",
  ],
  ["backtestPoints", (v) => Number.isInteger(v) && v >= 0 && v <= 48, "must be a whole number between 0 and 48"],
  [
    "backtestSpacingMinutes",
    (v) => Number.isInteger(v) && v >= 1 && v <= 1440,
    "must be a whole number between 1 and 1440",
  ],
  ["metricLagSeconds", (v) => v >= 0 && v <= 900, "must be between 0 and 900"],
  ["arrivalsStaleSeconds", (v) => v > 0 && v <= 86_400, "must be greater than 0 and at most 86400"],
  ["queueStaleSeconds", (v) => v > 0 && v <= 86_400, "must be greater than 0 and at most 86400"],
  ["minLevelPoints", (v) => Number.isInteger(v) && v >= 1 && v <= 240, "must be a whole number between 1 and 240"],
  ["tickSeconds", (v) => v > 0 && v <= 3600, "must be greater than 0 and at most 3600"],
  ["minDrainSeconds", (v) => v > 0 && v <= 3600, "must be greater than 0 and at most 3600"],
  ["scaleDownTolerance", (v) => v >= 0 && v < 1, "must be at least 0 and below 1"],
  ["scaleDownStep", (v) => v > 0 && v <= 1, "must be greater than 0 and at most 1"],
  ["scaleDownDelaySeconds", (v) => v >= 0 && v <= 86_400, "must be between 0 and 86400"],
];

/** Every problem of settings overrides, fields under `prefix` ("settings"). */
export function settingsProblems(overrides: Partial<AutoscalerSettings> = {}, prefix = "settings"): Problem[] {
  const problems: Problem[] = [];
  const known = Object.keys(DEFAULT_AUTOSCALER_SETTINGS);
  const settings: Record<string, unknown> = { ...DEFAULT_AUTOSCALER_SETTINGS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_AUTOSCALER_SETTINGS, key)) {
      problems.push(unknownKeyProblem(`${prefix}.${key}`, key, known));
      continue;
    }
    settings[key] = value;
  }
  for (const [key, ok, rule] of RULES) {
    const value = settings[key];
    if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
      problems.push({ field: `${prefix}.${key}`, value, rule });
    }
  }
  return problems;
}

/** Merges overrides onto the defaults and checks every value; throws a ConfigError listing every bad one. */
export function resolveSettings(overrides: Partial<AutoscalerSettings> = {}): AutoscalerSettings {
  throwIfProblems("autoscaler settings", settingsProblems(overrides));
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_AUTOSCALER_SETTINGS, ...defined };
}
