/**
 * The autoscaler Lambda, invoked every minute by EventBridge Scheduler. Module scope holds
 * what lives as long as the container: clients, logger, configuration and arrival history.
 */

import { Logger } from "@aws-lambda-powertools/logger";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createHandler, loadFleetConfig, SDK_RETRY } from "./app";
import { parseEnv } from "./env";
import { ArrivalHistory } from "./history";

const env = parseEnv(process.env);
const config = loadFleetConfig(env);
const logger = new Logger({ serviceName: "gpufleet-autoscaler" });

export const handler = createHandler(
  {
    cloudwatch: new CloudWatchClient(SDK_RETRY),
    sqs: new SQSClient(SDK_RETRY),
    logger,
    emit: (line) => process.stdout.write(`${line}\n`),
    now: () => Date.now(),
    history: new ArrivalHistory(env.HISTORY_DAYS * 1440 + 60),
  },
  config,
  env,
);
