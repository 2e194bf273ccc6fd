/**
 * CloudWatch adapter: reads per-minute series with GetMetricData and publishes values with
 * PutMetricData, each batched to the API's limits. Failures are reported per query or per
 * batch, never thrown, so one bad batch holds only the endpoints in it.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { describeError } from "../kit/aws-error";
import { chunks } from "../kit/concurrency";
import type { MinuteSeries } from "./core/types";

/** GetMetricData accepts at most 500 queries per call; datapoints beyond 100,800 come in further pages. */
export const MAX_QUERIES_PER_CALL = 500;
/** PutMetricData accepts at most 1,000 metric data items (and 1 MB) per call; 1,000 small items stay far below 1 MB. */
export const MAX_DATUMS_PER_CALL = 1000;
const MINUTE_MS = 60_000;

export interface SeriesQuery {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: "Sum" | "Maximum" | "Average";
}

export type SeriesResult = { ok: true; series: MinuteSeries } | { ok: false; error: string };

/**
 * Reads one-minute series for [startMs, endMs) (both rounded down to the minute), one result
 * per query in order. Minutes without a datapoint are null.
 */
export async function readMinuteSeries(
  client: CloudWatchClient,
  queries: readonly SeriesQuery[],
  startMs: number,
  endMs: number,
): Promise<SeriesResult[]> {
  const start = Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
  const end = Math.floor(endMs / MINUTE_MS) * MINUTE_MS;
  const length = Math.max(0, (end - start) / MINUTE_MS);
  const results: SeriesResult[] = queries.map(() => ({
    ok: true,
    series: { startMs: start, values: new Array<number | null>(length).fill(null) },
  }));
  if (length === 0) return results;

  const indexed = queries.map((query, index) => ({ query, index }));
  for (const batch of chunks(indexed, MAX_QUERIES_PER_CALL)) {
    const metricQueries: MetricDataQuery[] = batch.map(({ query, index }) => ({
      Id: `q${index}`,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: query.namespace,
          MetricName: query.metricName,
          Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: 60,
        Stat: query.stat,
      },
    }));
    try {
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: metricQueries,
            StartTime: new Date(start),
            EndTime: new Date(end),
            ScanBy: "TimestampAscending",
            NextToken: nextToken,
          }),
        );
        for (const r of page.MetricDataResults ?? []) {
          const index = Number(r.Id?.slice(1));
          const target = results[index];
          if (!target?.ok) continue;
          if (r.StatusCode === "Forbidden" || r.StatusCode === "InternalError") {
            results[index] = {
              ok: false,
              error: `${r.StatusCode}: ${(r.Messages ?? []).map((m) => m.Value).join("; ")}`,
            };
            continue;
          }
          const timestamps = r.Timestamps ?? [];
          const values = r.Values ?? [];
          for (let i = 0; i < timestamps.length; i++) {
            const slot = Math.floor(((timestamps[i]?.getTime() ?? Number.NaN) - start) / MINUTE_MS);
            const value = values[i];
            if (slot >= 0 && slot < length && value !== undefined) target.series.values[slot] = value;
          }
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      const message = describeError(error);
      for (const { index } of batch) results[index] = { ok: false, error: message };
    }
  }
  return results;
}

export interface Datum {
  dimensions: Record<string, string>;
  value: number;
  timestampMs: number;
}

export interface PublishResult {
  published: number;
  failed: number;
  errors: string[];
}

/** Publishes values of one metric, batched; a failed batch is counted and the others still go out. */
export async function publishMetric(
  client: CloudWatchClient,
  namespace: string,
  metricName: string,
  data: readonly Datum[],
): Promise<PublishResult> {
  const outcome: PublishResult = { published: 0, failed: 0, errors: [] };
  for (const batch of chunks(data, MAX_DATUMS_PER_CALL)) {
    const metricData: MetricDatum[] = batch.map((d) => ({
      MetricName: metricName,
      Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Value: d.value,
      Unit: "Count",
      Timestamp: new Date(d.timestampMs),
      StorageResolution: 60,
    }));
    try {
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: metricData }));
      outcome.published += batch.length;
    } catch (error) {
      outcome.failed += batch.length;
      outcome.errors.push(describeError(error));
    }
  }
  return outcome;
}
