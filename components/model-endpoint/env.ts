/**
 * The worker contract: the environment variables every model container of a ModelEndpoint
 * gets. docs/model-endpoint.md says what the worker must do with them.
 */
export const WORKER_ENV = {
  /** URL of the request queue to receive from. */
  queueUrl: "GPUFLEET_QUEUE_URL",
  /** URL of the dead-letter queue (requests that failed maxReceiveCount times end up there). */
  dlqUrl: "GPUFLEET_DLQ_URL",
  /** The endpoint's name. */
  endpointName: "GPUFLEET_ENDPOINT",
  /** AWS region of the queue (read by the AWS SDKs as well). */
  region: "AWS_REGION",
  /** Seconds a received message stays hidden; extend it before it runs out on long work. */
  visibilityTimeoutSeconds: "GPUFLEET_VISIBILITY_TIMEOUT_SECONDS",
  /** The longest one request is expected to take, seconds. */
  maxProcessingSeconds: "GPUFLEET_MAX_PROCESSING_SECONDS",
  /** Requests to work on at once. */
  concurrency: "GPUFLEET_CONCURRENCY",
  /** Seconds between SIGTERM and SIGKILL: the budget to finish or release in-flight messages. */
  shutdownSeconds: "GPUFLEET_SHUTDOWN_SECONDS",
  /** Results location as an s3:// URI (set only when the endpoint has one). */
  resultsUri: "GPUFLEET_RESULTS_URI",
  /** Results bucket name (set only when the endpoint has one). */
  resultsBucket: "GPUFLEET_RESULTS_BUCKET",
  /** Results key prefix (set only when the endpoint has one). */
  resultsPrefix: "GPUFLEET_RESULTS_PREFIX",
} as const;

/** Whether a user-supplied variable would override part of the contract. */
export function isReservedEnvName(name: string): boolean {
  return name.startsWith("GPUFLEET_") || (Object.values(WORKER_ENV) as string[]).includes(name);
}
