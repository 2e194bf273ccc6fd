/**
 * `gpufleet worker`: the queue-worker sidecar. Takes requests from an endpoint's queue,
 * forwards them to a model server on localhost and writes their results to S3.
 */
import { SIDECAR_ENV, WORKER_ENV } from "../functions/contract";
import { parseWorkerConfig, WORKER_DEFAULTS, WORKER_FLAGS, type WorkerFlags } from "../worker/config";
import { runWorker } from "../worker/main";
import { type Command, parseOptions } from "./command";

const HELP = `Usage: gpufleet worker --model-url URL [options]

Runs the worker contract for a model server that only speaks HTTP: long-polls the
endpoint's SQS queue, forwards each request to the model, writes the result to
S3 (<results>/<request id>/result.json, streamed parts beside it), then deletes
the message. 4xx answers are recorded as failed results; 5xx, 408, 429 and
timeouts are retried via the queue's visibility timeout, then the DLQ. SIGTERM
releases what cannot finish within the shutdown budget. Logs are JSON lines.

Every option falls back to the environment variable in brackets (a ModelEndpoint
in sidecar mode sets them all).

Options:
  --model-url URL              model server, e.g. http://127.0.0.1:8080 [${SIDECAR_ENV.modelUrl}]
  --queue-url URL              request queue [${WORKER_ENV.queueUrl}]
  --results-uri s3://B/P/      results location [${WORKER_ENV.resultsUri}]
  --protocol P                 json (POST /invocations, health /ping), openai
                               (/v1/chat/completions, /health) or kserve
                               (/v2/models/NAME/infer, /v2/health/ready); default ${WORKER_DEFAULTS.protocol} [${SIDECAR_ENV.protocol}]
  --invoke-path PATH           override the protocol's request path [${SIDECAR_ENV.invokePath}]
  --health-path PATH           override the protocol's health path [${SIDECAR_ENV.healthPath}]
  --model-name NAME            model name for kserve [${SIDECAR_ENV.modelName}]
  --concurrency N              requests in flight at once; default ${WORKER_DEFAULTS.concurrency} [${WORKER_ENV.concurrency}]
  --visibility-timeout S       the queue's visibility timeout; default ${WORKER_DEFAULTS.visibilityTimeoutSeconds} [${WORKER_ENV.visibilityTimeoutSeconds}]
  --max-processing-seconds S   model call timeout; default the visibility timeout [${WORKER_ENV.maxProcessingSeconds}]
  --shutdown-seconds S         budget after SIGTERM; default ${WORKER_DEFAULTS.shutdownSeconds} [${WORKER_ENV.shutdownSeconds}]
  --health-port N              port of /healthz and /readyz (0 = any free); default ${WORKER_DEFAULTS.healthPort} [${SIDECAR_ENV.healthPort}]
  --stream-flush-ms N          gather streamed events this long per part; default ${WORKER_DEFAULTS.streamFlushMillis} [${SIDECAR_ENV.streamFlushMillis}]
  -h, --help                   show this help

AWS region, credentials and AWS_ENDPOINT_URL are read as the AWS SDK reads them.
`;

const stringOptions = Object.fromEntries(Object.keys(WORKER_FLAGS).map((name) => [name, { type: "string" as const }]));

export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseOptions("worker", {
    args: argv,
    options: { ...stringOptions, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help" as const;
  const { help: _help, ...flags } = values;
  return parseWorkerConfig(env, flags as WorkerFlags);
}

export const workerCommand: Command = {
  name: "worker",
  summary: "queue-worker sidecar: SQS requests to a model server over HTTP, results to S3",
  async run(argv) {
    const config = parseWorkerArgs(argv, process.env);
    if (config === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    return runWorker(config);
  },
};
