/**
 * The rebalancer Lambda: SQS batches of EC2/Auto Scaling events and the one-minute tick of
 * EventBridge Scheduler. Module scope holds what lives as long as the container: clients,
 * logger, metrics and configuration; a bad environment or configuration file fails the
 * cold start, naming the cause.
 */

import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { functionLogger } from "../kit/log";
import { healthMetrics } from "../kit/metrics";
import { createHandler, SDK_RETRY } from "./app";
import { autoScalingGroupControl } from "./autoscaling";
import { autoScalingInstanceDirectory } from "./instances";
import { loadRuntimeConfig, parseEnv } from "./settings";
import { dynamoStateStore } from "./state-store";

const SERVICE = "gpufleet-rebalancer";
const env = parseEnv(process.env);

// One Auto Scaling client answers both questions: which group an instance is in, and the groups' sizes.
const autoScaling = new AutoScalingClient(SDK_RETRY);

export const handler = createHandler({
  loaded: loadRuntimeConfig(env),
  directory: autoScalingInstanceDirectory(autoScaling),
  groups: autoScalingGroupControl(autoScaling),
  store: dynamoStateStore(new DynamoDBClient(SDK_RETRY), env.TABLE_NAME),
  log: functionLogger(SERVICE),
  metrics: healthMetrics(SERVICE),
  clock: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
