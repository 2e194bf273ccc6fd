import { Logger } from "@aws-lambda-powertools/logger";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { autoScalingGroupControl, type GroupControl } from "./autoscaling";
import { autoScalingInstanceDirectory, type InstanceDirectory } from "./instances";
import { type BatchResult, handleRecords, handleTick, type ServiceDeps } from "./service";
import { type LoadedConfig, loadRuntimeConfig, parseEnv } from "./settings";
import { dynamoStateStore, type StateStore } from "./state-store";

// The logger lives at module scope. Clients and configuration are created once per
// container, on the first invocation (so a bad environment fails that invocation with a
// message naming the variable, rather than the module import), then reused.
const logger = new Logger({ serviceName: "gpufleet-rebalancer" });

// Adaptive retry: exponential backoff with jitter on throttling, plus client-side rate
// limiting once throttles are seen, which is what keeps a storm under the API limits.
const retry = { maxAttempts: 6, retryMode: "adaptive" as const };

interface Runtime {
  loaded: LoadedConfig;
  directory: InstanceDirectory;
  groups: GroupControl;
  store: StateStore;
}

let runtime: Runtime | undefined;

function init(): Runtime {
  const env = parseEnv(process.env);
  // One Auto Scaling client answers both questions: which group an instance is in, and the groups' sizes.
  const autoScaling = new AutoScalingClient(retry);
  return {
    loaded: loadRuntimeConfig(env, __dirname),
    directory: autoScalingInstanceDirectory(autoScaling),
    groups: autoScalingGroupControl(autoScaling),
    store: dynamoStateStore(new DynamoDBClient(retry), env.TABLE_NAME),
  };
}

function deps(context: Context | undefined): ServiceDeps {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  runtime ??= init();
  return {
    ...runtime,
    log: {
      info: (message, extra) => logger.info(message, extra ?? {}),
      warn: (message, extra) => logger.warn(message, extra ?? {}),
      error: (message, extra) => logger.error(message, extra ?? {}),
    },
    emitMetrics: (line) => process.stdout.write(`${line}\n`),
    owner: context?.awsRequestId ?? `local-${process.pid}-${Date.now()}`,
    clock: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    leaseMs: Math.max(10_000, remaining),
    // Leave half the invocation for the work itself.
    leaseWaitMs: Math.max(1_000, Math.floor(remaining / 2) - 5_000),
    claimTtlSeconds: 24 * 3600,
  };
}

function isSqsEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as SQSEvent)?.Records);
}

/** SQS batches (partial batch failures reported) and the one-minute scheduled tick. */
export async function handler(
  event: SQSEvent | ScheduledEvent,
  context?: Context,
): Promise<SQSBatchResponse | { ran: boolean }> {
  if (isSqsEvent(event)) {
    const records = event.Records.map((r) => ({ messageId: r.messageId, body: r.body }));
    const result: BatchResult = await handleRecords(deps(context), records);
    return result;
  }
  return handleTick(deps(context));
}
