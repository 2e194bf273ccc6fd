/**
 * Wires the worker to real clients, its health server and the process's signals. The SDK
 * clients find region, credentials and AWS_ENDPOINT_URL the standard way.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { WorkerConfig } from "./config";
import { startHealthServer } from "./health";
import { jsonLog, type Log } from "./log";
import { QueueWorker } from "./worker";

/** Runs until SIGTERM or SIGINT, then shuts down as the worker contract says; resolves with the exit code. */
export async function runWorker(config: WorkerConfig, log: Log = jsonLog()): Promise<number> {
  const worker = new QueueWorker(config, { sqs: new SQSClient({}), s3: new S3Client({}), log });
  const health = await startHealthServer(config.healthPort, worker);
  const address = health.address();
  log("info", "started", {
    workerId: worker.workerId,
    model: `${config.modelUrl}${config.routes.invokePath}`,
    healthPort: typeof address === "object" && address ? address.port : config.healthPort,
    results: `s3://${config.results.bucket}/${config.results.prefix}`,
  });
  let stopped: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log("info", "signal", { signal });
    stopped ??= worker.stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await worker.run();
    await stopped;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    await new Promise((resolve) => health.close(resolve));
  }
  return 0;
}
