/**
 * One autoscaler tick: read (CloudWatch, SQS), decide (the pure core), write (PutMetricData),
 * log one line per endpoint and the tick's health as embedded metrics. Every failure is
 * confined to the endpoints it touches: they are held by the core, the others go on.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { PREDICTED_REPLICAS_METRIC } from "../contract";
import type { LogSink } from "../kit/log";
import type { HealthMetrics } from "../kit/metrics";
import { publishMetric, readMinuteSeries, type SeriesQuery, type SeriesResult } from "./cloudwatch";
import type { FleetConfig } from "./config";
import { decideReplicas } from "./core";
import type { EndpointInput, PublishedReplicas } from "./core/types";
import type { ArrivalHistory } from "./history";
import { readQueueDepths } from "./sqs";

const MINUTE_MS = 60_000;
/** Minutes re-read every tick: SQS datapoints can land a few minutes late. */
export const REFRESH_MINUTES = 15;
/** Minutes of the published metric and of the oldest-message age read back. */
export const RECENT_MINUTES = 30;

export interface TickDeps {
  cloudwatch: CloudWatchClient;
  sqs: SQSClient;
  logger: LogSink;
  /** The tick's own health, as embedded-metric log lines. */
  metrics: HealthMetrics;
  now: () => number;
  history: ArrivalHistory;
}

export interface TickOptions {
  historyDays: number;
  queueConcurrency: number;
}

export interface TickSummary {
  endpoints: number;
  held: number;
  published: number;
  publishFailed: number;
  queueReadErrors: number;
  metricReadErrors: number;
}

function sqsQuery(metricName: string, queueName: string, stat: SeriesQuery["stat"]): SeriesQuery {
  return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, stat };
}

function latest(result: SeriesResult | undefined): number | undefined {
  if (!result?.ok) return undefined;
  const values = result.series.values;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (typeof v === "number") return v;
  }
  return undefined;
}

function publishedPoints(result: SeriesResult | undefined): PublishedReplicas[] {
  if (!result?.ok) return [];
  const { startMs, values } = result.series;
  const points: PublishedReplicas[] = [];
  values.forEach((v, i) => {
    if (typeof v === "number") points.push({ atMs: startMs + i * MINUTE_MS, replicas: v });
  });
  return points;
}

/** Reads arrivals: full history for queues the container has not seen, the last minutes for the others. */
async function readArrivals(deps: TickDeps, queueNames: string[], endMs: number, historyDays: number) {
  const errors = new Map<string, string>();
  const historyMinutes = Math.max(historyDays * 1440, 2 * REFRESH_MINUTES);
  const groups = [
    { names: queueNames.filter((q) => !deps.history.has(q)), minutes: historyMinutes },
    { names: queueNames.filter((q) => deps.history.has(q)), minutes: REFRESH_MINUTES },
  ];
  await Promise.all(
    groups.map(async ({ names, minutes }) => {
      if (names.length === 0) return;
      const queries = names.map((q) => sqsQuery("NumberOfMessagesSent", q, "Sum"));
      const results = await readMinuteSeries(deps.cloudwatch, queries, endMs - minutes * MINUTE_MS, endMs);
      results.forEach((r, i) => {
        const name = names[i] as string;
        if (r.ok) deps.history.merge(name, r.series);
        else {
          errors.set(name, r.error);
          deps.history.forget(name);
        }
      });
    }),
  );
  return errors;
}

export async function runTick(deps: TickDeps, config: FleetConfig, options: TickOptions): Promise<TickSummary> {
  const started = deps.now();
  // The current minute is incomplete: read up to its start.
  const endMs = Math.floor(started / MINUTE_MS) * MINUTE_MS;
  const endpoints = config.endpoints;
  const queueNames = endpoints.map((e) => e.queueName);
  const recentQueries: SeriesQuery[] = [
    ...endpoints.map((e) => ({
      namespace: PREDICTED_REPLICAS_METRIC.namespace,
      metricName: PREDICTED_REPLICAS_METRIC.metricName,
      dimensions: { [PREDICTED_REPLICAS_METRIC.dimensionName]: e.name },
      stat: "Maximum" as const,
    })),
    ...endpoints.map((e) => sqsQuery("ApproximateAgeOfOldestMessage", e.queueName, "Maximum")),
  ];
  const [arrivalErrors, recent, depths] = await Promise.all([
    readArrivals(deps, queueNames, endMs, options.historyDays),
    // Up to the end of the current minute: a value published earlier in this minute is complete.
    readMinuteSeries(deps.cloudwatch, recentQueries, endMs - RECENT_MINUTES * MINUTE_MS, endMs + MINUTE_MS),
    readQueueDepths(
      deps.sqs,
      endpoints.map((e) => e.queueUrl),
      options.queueConcurrency,
      deps.now,
    ),
  ]);

  const inputs: EndpointInput[] = endpoints.map((e, i) => {
    const depth = depths[i];
    const age = latest(recent[endpoints.length + i]);
    return {
      name: e.name,
      profile: e.profile,
      slicesPerGpu: e.slicesPerGpu,
      leadTimeSeconds: e.leadTimeSeconds,
      arrivals: deps.history.get(e.queueName) ?? { startMs: endMs, values: [] },
      // Without the age metric (e.g. an idle queue) the backlog is planned as if just queued.
      queue: depth?.ok ? { ...depth.depth, oldestMessageAgeSeconds: age ?? 0 } : null,
      published: publishedPoints(recent[i]),
    };
  });
  const nowMs = deps.now();
  const decisions = decideReplicas({ nowMs, endpoints: inputs }, config.settings);

  const outcome = await publishMetric(
    deps.cloudwatch,
    PREDICTED_REPLICAS_METRIC.namespace,
    PREDICTED_REPLICAS_METRIC.metricName,
    decisions.map((d) => ({
      dimensions: { [PREDICTED_REPLICAS_METRIC.dimensionName]: d.name },
      value: d.replicas,
      timestampMs: nowMs,
    })),
  );

  const summary: TickSummary = {
    endpoints: endpoints.length,
    held: decisions.filter((d) => d.held).length,
    published: outcome.published,
    publishFailed: outcome.failed,
    queueReadErrors: depths.filter((d) => !d.ok).length,
    metricReadErrors: arrivalErrors.size + recent.filter((r) => !r.ok).length,
  };
  decisions.forEach((d, i) => {
    const e = endpoints[i];
    const depth = depths[i];
    const recentPublished = recent[i];
    const errors = {
      ...(e && arrivalErrors.has(e.queueName) ? { arrivalsError: arrivalErrors.get(e.queueName) } : {}),
      ...(depth && !depth.ok ? { queueError: depth.error } : {}),
      ...(recentPublished && !recentPublished.ok ? { publishedReadError: recentPublished.error } : {}),
    };
    deps.logger.info("decision", {
      endpoint: d.name,
      replicas: d.replicas,
      held: d.held,
      reasons: d.reasons,
      ...d.detail,
      ...errors,
    });
  });
  if (outcome.failed > 0) deps.logger.error("publish failed", { failed: outcome.failed, errors: outcome.errors });

  deps.metrics.publish(
    {
      Endpoints: { value: summary.endpoints, unit: "Count" },
      HeldEndpoints: { value: summary.held, unit: "Count" },
      PublishErrors: { value: summary.publishFailed, unit: "Count" },
      QueueReadErrors: { value: summary.queueReadErrors, unit: "Count" },
      MetricReadErrors: { value: summary.metricReadErrors, unit: "Count" },
      TickDuration: { value: deps.now() - started, unit: "Milliseconds" },
    },
    nowMs,
  );
  // Nothing reached KEDA: fail the invocation so the error alarm and the dead-letter queue see it.
  if (endpoints.length > 0 && outcome.published === 0) {
    throw new Error(`no predicted replicas were published: ${outcome.errors.join("; ")}`);
  }
  return summary;
}
