/**
 * How every policy is tuned and summarised, the same way for each: a fixed design of knob
 * settings (the policy's own capacity knob, minReplicas and the Cluster Autoscaler's
 * unneeded time), each run over several seeds; the setting with the lowest mean cost whose
 * mean SLO attainment reaches the target is the policy's cost at SLO, reported as a mean
 * with a 95% confidence interval over the seeds; the settings no other setting beats on
 * both cost and attainment form its Pareto frontier.
 */
import type { Knobs } from "./policies/types";

/** Settings per policy in a full bench. */
export const DEFAULT_SETTINGS = 27;
/** Seeds per setting in a full bench. */
export const DEFAULT_SEEDS = 5;
/** The capacity knob's range: below the low end every policy starves, above the high end none gets cheaper. */
const PRIMARY_LOW = 0.25;
const PRIMARY_HIGH = 8;
const MIN_SHARES = [0, 0.25, 0.5];
const UNNEEDED_SECONDS = [300, 600, 900];

/** The knobs a policy runs with when nothing is tuned: its own defaults and the Cluster Autoscaler's. */
export const DEFAULT_KNOBS: Knobs = { primary: 1, minShare: 0, unneededSeconds: 600 };

/**
 * `count` settings spread over the three knobs: the capacity knob on a geometric grid, and
 * each (minReplicas, unneeded time) pair recurring at capacity levels a third of the range apart.
 */
export function sweepDesign(count: number): Knobs[] {
  return Array.from({ length: count }, (_, i) => ({
    primary: count === 1 ? 1 : PRIMARY_LOW * (PRIMARY_HIGH / PRIMARY_LOW) ** (i / (count - 1)),
    minShare: MIN_SHARES[i % MIN_SHARES.length] as number,
    unneededSeconds: UNNEEDED_SECONDS[Math.floor(i / MIN_SHARES.length) % UNNEEDED_SECONDS.length] as number,
  }));
}

/** Two-sided 95% Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and 95% confidence interval of the mean (Student t); one value gives a zero-width interval. */
export function meanCi95(values: readonly number[]): { mean: number; ci95: [number, number] } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const half = (T95[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}

/** Whether two intervals overlap: a difference that is reported as a tie. */
export function overlaps(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

/** One setting's outcome over the seeds. */
export interface SettingOutcome {
  knobs: Knobs;
  costs: number[];
  attainments: number[];
  lost: number[];
}

export interface FrontierPoint {
  /** The policy's capacity knob (headroom, SQS-target divisor, forecast or replica multiplier). */
  knob: number;
  minShare: number;
  unneededSeconds: number;
  /** Means over the seeds. */
  costUsd: number;
  sloAttainment: number;
}

function point(o: SettingOutcome): FrontierPoint {
  return {
    knob: o.knobs.primary,
    minShare: o.knobs.minShare,
    unneededSeconds: o.knobs.unneededSeconds,
    costUsd: meanCi95(o.costs).mean,
    sloAttainment: meanCi95(o.attainments).mean,
  };
}

/** The settings that no other setting matches or beats on both mean cost and mean attainment, cheapest first. */
export function paretoFrontier(outcomes: readonly SettingOutcome[]): FrontierPoint[] {
  const points = outcomes.map(point).sort((a, b) => a.costUsd - b.costUsd || b.sloAttainment - a.sloAttainment);
  const out: FrontierPoint[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.sloAttainment > best) {
      out.push(p);
      best = p.sloAttainment;
    }
  }
  return out;
}

export interface CostAtSlo {
  knobs: Knobs;
  costUsd: number;
  ci95: [number, number];
}

/** The cheapest setting (by mean cost) that loses no request and whose mean attainment reaches the target. */
export function costAtSlo(outcomes: readonly SettingOutcome[], target: number): CostAtSlo | null {
  let best: CostAtSlo | null = null;
  for (const o of outcomes) {
    if (o.lost.some((n) => n > 0) || meanCi95(o.attainments).mean < target) continue;
    const { mean, ci95 } = meanCi95(o.costs);
    if (best === null || mean < best.costUsd) best = { knobs: o.knobs, costUsd: mean, ci95 };
  }
  return best;
}
