/**
 * The predictive autoscaler's decision: pure, deterministic, no clock and no AWS import.
 * The Lambda handler and the simulator both call decideReplicas.
 */

import { formatProblem } from "../../problems";
import { PROFILE_LIMITS, profileProblems } from "../../profile";
import { backlogReplicas, drainSeconds, forecastReplicas, replicaThroughput } from "./capacity";
import { forecastArrivals } from "./forecast";
import { dampScaleDown, readPublished } from "./hysteresis";
import { oldestAgeNow, queueRatePerMinute } from "./nowcast";
import { resolveSettings } from "./settings";
import type {
  AutoscalerInput,
  AutoscalerSettings,
  DecisionDetail,
  EndpointInput,
  QueueSnapshot,
  ReplicaDecision,
} from "./types";

export { normalQuantile } from "./forecast";
export { FORECAST_MODELS, type ForecastModel } from "./models";
export { DEFAULT_AUTOSCALER_SETTINGS, resolveSettings, settingsProblems } from "./settings";
export type * from "./types";

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The furthest the lead time may reach: an hour from decision to a schedulable node. */
export const MAX_LEAD_TIME_SECONDS = 3600;

/**
 * The longest horizon planned over: lead time and model load at their bounds, plus the
 * longest tick. The forecast's cost per endpoint grows with the horizon, so it stays
 * bounded whatever the input.
 */
export const MAX_HORIZON_MINUTES = Math.ceil((MAX_LEAD_TIME_SECONDS + PROFILE_LIMITS.modelLoadSeconds.max + 3600) / 60);

/** A profile the arithmetic can use; otherwise the reason why not. */
function profileProblem(e: EndpointInput): string | undefined {
  const problem = profileProblems(e.profile)[0];
  if (problem) return formatProblem(problem);
  if (!Number.isInteger(e.slicesPerGpu) || e.slicesPerGpu < 1 || e.slicesPerGpu > 48) {
    return formatProblem({
      field: "slicesPerGpu",
      value: e.slicesPerGpu,
      rule: "must be a whole number between 1 and 48",
    });
  }
  const lead = e.leadTimeSeconds;
  if (typeof lead !== "number" || !Number.isFinite(lead) || lead < 0 || lead > MAX_LEAD_TIME_SECONDS) {
    return formatProblem({
      field: "leadTimeSeconds",
      value: lead,
      rule: `must be between 0 and ${MAX_LEAD_TIME_SECONDS}`,
    });
  }
  return undefined;
}

/** The queue snapshot when it is usable and fresh; otherwise the reason why not. */
function freshQueue(queue: QueueSnapshot | null, nowMs: number, s: AutoscalerSettings): QueueSnapshot | string {
  if (queue === null) return "queue attributes missing";
  const numbers = [queue.visible, queue.inFlight, queue.oldestMessageAgeSeconds, queue.observedAtMs];
  if (!numbers.every((n) => Number.isFinite(n)) || queue.visible < 0 || queue.inFlight < 0) {
    return "queue attributes malformed";
  }
  const ageSeconds = (nowMs - queue.observedAtMs) / 1000;
  if (ageSeconds > s.queueStaleSeconds) {
    return `queue attributes stale: read ${Math.round(ageSeconds)} s ago (limit ${s.queueStaleSeconds} s)`;
  }
  return { ...queue, oldestMessageAgeSeconds: Math.max(0, queue.oldestMessageAgeSeconds) };
}

function decideOne(e: EndpointInput, nowMs: number, s: AutoscalerSettings): ReplicaDecision {
  const reasons: string[] = [];
  const history = readPublished(e.published, nowMs);
  const invalid = profileProblem(e);
  if (invalid) {
    // Nothing to compute with: hold what was published, inside whatever bounds make sense.
    const min = Number.isFinite(e.profile.minReplicas) ? Math.max(0, Math.ceil(e.profile.minReplicas)) : 0;
    const replicas = history.previous ?? min;
    return { name: e.name, replicas, held: true, reasons: [`holding ${replicas}: ${invalid}`] };
  }
  const min = Math.ceil(e.profile.minReplicas);
  const max = Math.max(min, Math.floor(e.profile.maxReplicas));
  const horizonMinutes = Math.min(
    MAX_HORIZON_MINUTES,
    Math.ceil((e.leadTimeSeconds + e.profile.modelLoadSeconds + s.tickSeconds) / 60),
  );
  const throughput = replicaThroughput(e.profile, e.slicesPerGpu);
  const detail: DecisionDetail = { horizonMinutes, replicaThroughputPerSecond: throughput };
  if (history.previous !== undefined) detail.previousReplicas = history.previous;

  const forecast = forecastArrivals(e.arrivals, nowMs, horizonMinutes, e.profile.sloSeconds, s);
  const queue = freshQueue(e.queue, nowMs, s);

  // What the queue shows now lifts the level: a step or burst the lagged arrivals metric has not seen.
  const planned =
    typeof queue === "string"
      ? undefined
      : { ...queue, oldestMessageAgeSeconds: oldestAgeNow(queue, s.metricLagSeconds) };
  const queueRate =
    typeof queue === "string" ? 0 : queueRatePerMinute(queue, e.profile, throughput, s.metricLagSeconds);
  const level = Math.max(forecast.ok ? forecast.levelPerMinute : 0, queueRate);
  const lift = forecast.ok ? Math.max(0, queueRate - forecast.levelPerMinute) : 0;

  let drainRate = 0;
  if (planned) {
    detail.queueRatePerMinute = queueRate;
    detail.backlogReplicas = backlogReplicas(planned, level, e.profile, throughput, s.minDrainSeconds);
    const drain = drainSeconds(planned, e.profile.sloSeconds, s.minDrainSeconds);
    drainRate = planned.visible / drain;
    reasons.push(
      `backlog ${planned.visible} visible + ${planned.inFlight} in flight, oldest ~${Math.round(planned.oldestMessageAgeSeconds)} s now: ` +
        `${detail.backlogReplicas} replicas drain it within ${Math.round(drain)} s; the queue shows ${round(queueRate)} req/min arriving`,
    );
  }
  if (forecast.ok) {
    detail.forecastPerMinute = forecast.peakPerMinute + lift;
    detail.model = forecast.model;
    detail.reservePerMinute = forecast.reservePerMinute;
    detail.forecastReplicas = forecastReplicas(
      detail.forecastPerMinute,
      drainRate,
      throughput,
      s.headroom,
      s.maxUtilization,
    );
    const seasonal =
      forecast.seasonalDays > 0
        ? `, seasonal +${round(forecast.seasonalPerMinute)} from ${forecast.seasonalDays} days`
        : "";
    const raised = lift > 0 ? `, raised ${round(lift)} to the rate the queue shows` : "";
    const reserve =
      forecast.reservePerMinute > 0
        ? `, reserve ${round(forecast.reservePerMinute)} for past surprises, ${forecast.uncoveredMinutes} minutes (${round(forecast.uncoveredShare * 100)}% of requests) left to the miss budget`
        : "";
    reasons.push(
      `forecast p${round(s.quantile * 100)} peak ${round(detail.forecastPerMinute)} req/min over ${horizonMinutes} min ` +
        `(model ${forecast.model} on ${forecast.backtests} past forecasts, level ${round(forecast.levelPerMinute)}, ` +
        `trend +${round(forecast.trendPerMinute)}${seasonal}, sigma ${round(forecast.sigmaPerMinute)}${reserve}${raised})`,
      `${detail.forecastReplicas} replicas at ${round(throughput * 60)} req/min each (${e.slicesPerGpu} slices per GPU, headroom ${s.headroom})`,
    );
  }

  const backlogNeed = detail.backlogReplicas ?? 0;
  let replicas: number;
  let held = false;
  if (forecast.ok && typeof queue !== "string") {
    const damped = dampScaleDown(detail.forecastReplicas ?? 0, history, nowMs, s);
    if (damped.reason) reasons.push(damped.reason);
    replicas = damped.replicas;
    if (backlogNeed > replicas) {
      reasons.push(`raised to ${backlogNeed}: the current backlog needs it`);
      replicas = backlogNeed;
    }
  } else {
    // Missing or stale inputs: never scale down; scale up only on what is known.
    held = true;
    const missing = [forecast.ok ? undefined : forecast.reason, typeof queue === "string" ? queue : undefined]
      .filter((r): r is string => r !== undefined)
      .join("; ");
    const base = history.previous ?? min;
    replicas = Math.max(base, backlogNeed, detail.forecastReplicas ?? 0);
    const source = history.previous !== undefined ? "last published value" : "minReplicas, nothing published yet";
    reasons.push(
      replicas > base
        ? `raised ${base} (${source}) to ${replicas} on the inputs that are there (${missing})`
        : `holding ${replicas} (${source}): ${missing}`,
    );
  }
  if (replicas < min) {
    reasons.push(`raised to minReplicas ${min}`);
    replicas = min;
  }
  if (replicas > max) {
    reasons.push(`capped at maxReplicas ${max}`);
    replicas = max;
  }
  return { name: e.name, replicas, held, reasons, detail };
}

/**
 * Decides each endpoint's predicted replicas: one decision per input endpoint, in order.
 * Throws a ConfigError for invalid settings; bad or missing data of one endpoint
 * only holds that endpoint.
 */
export function decideReplicas(input: AutoscalerInput, settings: Partial<AutoscalerSettings> = {}): ReplicaDecision[] {
  const s = resolveSettings(settings);
  return input.endpoints.map((e) => decideOne(e, input.nowMs, s));
}
