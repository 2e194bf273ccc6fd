/**
 * The autoscaler Lambda, invoked every minute by EventBridge Scheduler. Module scope holds
 * what lives as long as the container: clients, logger, metrics, configuration and arrival
 * history; a bad environment or configuration file fails the cold start, naming the cause.
 */

import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SQSClient } from "@aws-sdk/client-sqs";
import { functionLogger } from "../kit/log";
import { healthMetrics } from "../kit/metrics";
import { createHandler, loadFleetConfig, SDK_RETRY } from "./app";
import { parseEnv } from "./env";
import { ArrivalHistory } from "./history";

const SERVICE = "gpufleet-autoscaler";
const env = parseEnv(process.env);
const config = loadFleetConfig(env);

export const handler = createHandler(
  {
    cloudwatch: new CloudWatchClient(SDK_RETRY),
    sqs: new SQSClient(SDK_RETRY),
    logger: functionLogger(SERVICE),
    metrics: healthMetrics(SERVICE),
    now: () => Date.now(),
    history: new ArrivalHistory(env.HISTORY_DAYS * 1440 + 60),
  },
  config,
  env,
);
