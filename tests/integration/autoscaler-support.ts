import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { CreateQueueCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { FleetConfig, FleetConfigEndpoint } from "../../functions/autoscaler/config";
import { PREDICTED_REPLICAS_METRIC } from "../../functions/contract";
import type { LogSink } from "../../functions/kit/log";

export const MINUTE = 60_000;

export const PROFILE: FleetConfigEndpoint["profile"] = {
  secondsPerRequest: 2,
  concurrencyPerReplica: 4,
  modelLoadSeconds: 40,
  sloSeconds: 30,
  minReplicas: 1,
  maxReplicas: 50,
};

export async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!created.QueueUrl) throw new Error(`no URL for ${name}`);
  return created.QueueUrl;
}

export async function sendMessages(sqs: SQSClient, queueUrl: string, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 10) {
    const n = Math.min(10, count - sent);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: `{"n":${sent + i}}` })),
      }),
    );
  }
}

/** Seeds the queue's NumberOfMessagesSent: `perMinute` for each of the `minutes` complete minutes before now. */
export async function seedArrivals(
  cloudwatch: CloudWatchClient,
  queueName: string,
  nowMs: number,
  minutes: number,
  perMinute: number,
): Promise<void> {
  const lastMinute = Math.floor(nowMs / MINUTE) * MINUTE - MINUTE;
  const data: MetricDatum[] = Array.from({ length: minutes }, (_, i) => ({
    MetricName: "NumberOfMessagesSent",
    Dimensions: [{ Name: "QueueName", Value: queueName }],
    Timestamp: new Date(lastMinute - i * MINUTE),
    Value: perMinute,
    Unit: "Count",
  }));
  for (let i = 0; i < data.length; i += 1000) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: "AWS/SQS", MetricData: data.slice(i, i + 1000) }));
  }
}

/** The PredictedReplicas values published for an endpoint in the last `minutes` minutes, oldest first. */
export async function readPredicted(
  cloudwatch: CloudWatchClient,
  endpoint: string,
  nowMs: number,
  minutes = 10,
): Promise<number[]> {
  const answer = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(nowMs - minutes * MINUTE),
      EndTime: new Date(nowMs + MINUTE),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [
        {
          Id: "p",
          MetricStat: {
            Metric: {
              Namespace: PREDICTED_REPLICAS_METRIC.namespace,
              MetricName: PREDICTED_REPLICAS_METRIC.metricName,
              Dimensions: [{ Name: PREDICTED_REPLICAS_METRIC.dimensionName, Value: endpoint }],
            },
            Period: 60,
            Stat: "Maximum",
          },
        },
      ],
    }),
  );
  return answer.MetricDataResults?.[0]?.Values ?? [];
}

export function fleetConfig(endpoints: FleetConfigEndpoint[]): FleetConfig {
  return { version: 1, endpoints };
}

export function writeFleetConfig(config: FleetConfig): string {
  const dir = mkdtempSync(join(tmpdir(), "gpufleet-autoscaler-"));
  const path = join(dir, "fleet.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** Records the handler's log lines instead of printing them. */
export function recordingLogger(): LogSink & {
  lines: { level: string; message: string; extra: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, extra = {}) => lines.push({ level: "info", message, extra }),
    warn: (message, extra = {}) => lines.push({ level: "warn", message, extra }),
    error: (message, extra = {}) => lines.push({ level: "error", message, extra }),
  };
}
