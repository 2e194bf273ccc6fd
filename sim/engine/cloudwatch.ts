/**
 * CloudWatch as the autoscaler and KEDA see it: one-minute datapoints that become readable
 * some time after their minute (SQS metrics) or after PutMetricData (the predicted
 * replicas). Per endpoint, minute-indexed arrays; NaN marks a minute without a datapoint.
 */
import type { ScalingConfig } from "../../functions/scaling/index";

export interface EndpointMetrics {
  /** ApproximateAgeOfOldestMessage, Maximum per minute. */
  ageMax: Float64Array;
  /** PredictedReplicas, Maximum per minute, and when its latest datapoint was put. */
  predicted: Float64Array;
  predictedAt: Float64Array;
}

export function newEndpointMetrics(minutes: number): EndpointMetrics {
  return {
    ageMax: new Float64Array(minutes).fill(Number.NaN),
    predicted: new Float64Array(minutes).fill(Number.NaN),
    predictedAt: new Float64Array(minutes).fill(Number.NaN),
  };
}

function bucket(values: Float64Array, t: number): number {
  return Math.min(values.length - 1, Math.max(0, Math.floor(t / 60)));
}

/** Records a sample of the oldest message's age. */
export function recordAge(m: EndpointMetrics, now: number, ageSeconds: number): void {
  const b = bucket(m.ageMax, now);
  const v = m.ageMax[b] as number;
  if (Number.isNaN(v) || ageSeconds > v) m.ageMax[b] = ageSeconds;
}

/** PutMetricData of one predicted-replicas value at `now`. */
export function putPredicted(m: EndpointMetrics, now: number, value: number): void {
  const b = bucket(m.predicted, now);
  const v = m.predicted[b] as number;
  m.predicted[b] = Number.isNaN(v) ? value : Math.max(v, value);
  m.predictedAt[b] = now;
}

/** The newest minute whose SQS datapoint is readable at `now` (exclusive end of the readable minutes). */
export function readableMinutes(now: number, lagSeconds: number): number {
  return Math.max(0, Math.floor((now - lagSeconds) / 60 + 1e-9));
}

/** The latest readable ApproximateAgeOfOldestMessage, or undefined when none is readable. */
export function latestAge(m: EndpointMetrics, now: number, lagSeconds: number): number | undefined {
  const end = Math.min(m.ageMax.length, readableMinutes(now, lagSeconds));
  for (let b = end - 1; b >= Math.max(0, end - 10); b--) {
    const v = m.ageMax[b] as number;
    if (!Number.isNaN(v)) return v;
  }
  return undefined;
}

/**
 * What KEDA's aws-cloudwatch trigger reads: the newest datapoint in the query window that
 * CloudWatch already serves; no datapoint reads as 0 (ignoreNullValues).
 */
export function readPredicted(
  m: EndpointMetrics,
  now: number,
  q: ScalingConfig["predicted"],
  visibleSeconds: number,
): number {
  const end = now - q.metricEndTimeOffsetSeconds;
  const from = Math.max(0, Math.ceil((end - q.metricCollectionTimeSeconds) / 60 - 1e-9));
  for (let b = Math.min(m.predicted.length - 1, Math.floor(end / 60)); b >= from; b--) {
    const at = m.predictedAt[b] as number;
    if (!Number.isNaN(at) && at + visibleSeconds <= now + 1e-9 && b * 60 < end) return m.predicted[b] as number;
  }
  return 0;
}

/** The autoscaler's own published values it reads back (the last `minutes` minutes). */
export function readPublished(
  m: EndpointMetrics,
  now: number,
  minutes: number,
  visibleSeconds: number,
  startMs: number,
): { atMs: number; replicas: number }[] {
  const out: { atMs: number; replicas: number }[] = [];
  const last = Math.min(m.predicted.length - 1, Math.floor(now / 60));
  for (let b = Math.max(0, last - minutes); b <= last; b++) {
    const at = m.predictedAt[b] as number;
    if (!Number.isNaN(at) && at + visibleSeconds <= now + 1e-9)
      out.push({ atMs: startMs + b * 60_000, replicas: m.predicted[b] as number });
  }
  return out;
}
