/**
 * The rebalancer Lambda: SQS batches of EC2/Auto Scaling events and the one-minute tick of
 * EventBridge Scheduler. Module scope holds what lives as long as the container: clients,
 * logger, metrics and configuration; a bad environment or configuration file fails the
 * cold start, naming the cause.
 */

import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { functionLogger } from "../kit/log";
import { healthMetrics } from "../kit/metrics";
import { createHandler, SDK_RETRY } from "./app";
import { autoScalingGroupControl } from "./autoscaling";
import { ec2InstanceDirectory } from "./ec2";
import { loadRuntimeConfig, parseEnv } from "./settings";
import { dynamoStateStore } from "./state-store";

const SERVICE = "gpufleet-rebalancer";
const env = parseEnv(process.env);

export const handler = createHandler({
  loaded: loadRuntimeConfig(env),
  directory: ec2InstanceDirectory(new EC2Client(SDK_RETRY)),
  groups: autoScalingGroupControl(new AutoScalingClient(SDK_RETRY)),
  store: dynamoStateStore(new DynamoDBClient(SDK_RETRY), env.TABLE_NAME),
  log: functionLogger(SERVICE),
  metrics: healthMetrics(SERVICE),
  clock: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
