/**
 * The sidecar's settings: the worker-contract environment, the sidecar's own variables, and
 * command-line flags that override both. Pure: a bad value fails here, naming where it came from.
 */
import { parseResultsUri, type ResultsLocation, SIDECAR_ENV, WORKER_ENV } from "../functions/contract";
import { defaultRoutes, MODEL_PROTOCOLS, type ModelProtocol, type ModelRoutes } from "./decide";

export class WorkerConfigError extends Error {
  override name = "WorkerConfigError";
}

export interface WorkerConfig {
  queueUrl: string;
  results: ResultsLocation;
  modelUrl: string;
  protocol: ModelProtocol;
  routes: ModelRoutes;
  concurrency: number;
  visibilityTimeoutSeconds: number;
  maxProcessingSeconds: number;
  shutdownSeconds: number;
  healthPort: number;
  streamFlushMillis: number;
}

/** Command-line flags, by the same names `gpufleet worker --help` lists. */
export type WorkerFlags = Partial<Record<WorkerFlagName, string>>;
export const WORKER_FLAGS = {
  "queue-url": WORKER_ENV.queueUrl,
  "results-uri": WORKER_ENV.resultsUri,
  "model-url": SIDECAR_ENV.modelUrl,
  protocol: SIDECAR_ENV.protocol,
  "invoke-path": SIDECAR_ENV.invokePath,
  "health-path": SIDECAR_ENV.healthPath,
  "model-name": SIDECAR_ENV.modelName,
  concurrency: WORKER_ENV.concurrency,
  "visibility-timeout": WORKER_ENV.visibilityTimeoutSeconds,
  "max-processing-seconds": WORKER_ENV.maxProcessingSeconds,
  "shutdown-seconds": WORKER_ENV.shutdownSeconds,
  "health-port": SIDECAR_ENV.healthPort,
  "stream-flush-ms": SIDECAR_ENV.streamFlushMillis,
} as const;
export type WorkerFlagName = keyof typeof WORKER_FLAGS;

export const WORKER_DEFAULTS = {
  protocol: "json" as ModelProtocol,
  concurrency: 1,
  visibilityTimeoutSeconds: 30,
  shutdownSeconds: 30,
  healthPort: 8081,
  streamFlushMillis: 500,
} as const;

export function parseWorkerConfig(env: NodeJS.ProcessEnv, flags: WorkerFlags): WorkerConfig {
  const read = (flag: WorkerFlagName): { value: string; source: string } | undefined => {
    const fromFlag = flags[flag];
    if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag}` };
    const name = WORKER_FLAGS[flag];
    const fromEnv = env[name];
    return fromEnv !== undefined && fromEnv !== "" ? { value: fromEnv, source: name } : undefined;
  };
  const required = (flag: WorkerFlagName): string => {
    const got = read(flag);
    if (!got) throw new WorkerConfigError(`missing --${flag} (or ${WORKER_FLAGS[flag]})`);
    return got.value;
  };
  const integer = (flag: WorkerFlagName, fallback: number | undefined, min: number, max: number): number => {
    const got = read(flag);
    if (!got) {
      if (fallback === undefined) throw new WorkerConfigError(`missing --${flag} (or ${WORKER_FLAGS[flag]})`);
      return fallback;
    }
    const n = Number(got.value);
    if (got.value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new WorkerConfigError(
        `${got.source} (${JSON.stringify(got.value)}) must be an integer from ${min} to ${max}`,
      );
    return n;
  };
  const path = (flag: WorkerFlagName, fallback: string): string => {
    const got = read(flag);
    if (!got) return fallback;
    if (!got.value.startsWith("/"))
      throw new WorkerConfigError(`${got.source} (${JSON.stringify(got.value)}) must start with '/'`);
    return got.value;
  };

  const queueUrl = required("queue-url");
  if (!/^https?:\/\/\S+$/.test(queueUrl))
    throw new WorkerConfigError(`queue URL (${JSON.stringify(queueUrl)}) must be an http(s) URL`);
  const resultsUri = read("results-uri") ?? resultsFromParts(env);
  if (!resultsUri) throw new WorkerConfigError(`missing --results-uri (or ${WORKER_ENV.resultsUri})`);
  let results: ResultsLocation;
  try {
    results = parseResultsUri(resultsUri.value);
  } catch (error) {
    throw new WorkerConfigError(`${resultsUri.source}: ${(error as Error).message}`);
  }

  const modelUrl = required("model-url").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(modelUrl))
    throw new WorkerConfigError(`model URL (${JSON.stringify(modelUrl)}) must be http(s)://host:port with no path`);

  const protocolRaw = read("protocol");
  const protocol = (protocolRaw?.value ?? WORKER_DEFAULTS.protocol) as ModelProtocol;
  if (!MODEL_PROTOCOLS.includes(protocol))
    throw new WorkerConfigError(
      `${protocolRaw?.source} (${JSON.stringify(protocolRaw?.value)}) must be one of ${MODEL_PROTOCOLS.join(", ")}`,
    );
  const modelName = read("model-name")?.value;
  if (protocol === "kserve" && !modelName && !read("invoke-path"))
    throw new WorkerConfigError(
      `protocol kserve needs --model-name (or ${SIDECAR_ENV.modelName}) for /v2/models/<name>/infer`,
    );
  const routes = defaultRoutes(protocol, modelName);

  const visibilityTimeoutSeconds = integer("visibility-timeout", WORKER_DEFAULTS.visibilityTimeoutSeconds, 1, 43_200);
  const maxProcessingSeconds = integer("max-processing-seconds", visibilityTimeoutSeconds, 1, 43_200);
  return {
    queueUrl,
    results,
    modelUrl,
    protocol,
    routes: { invokePath: path("invoke-path", routes.invokePath), healthPath: path("health-path", routes.healthPath) },
    concurrency: integer("concurrency", WORKER_DEFAULTS.concurrency, 1, 1000),
    visibilityTimeoutSeconds,
    maxProcessingSeconds,
    shutdownSeconds: integer("shutdown-seconds", WORKER_DEFAULTS.shutdownSeconds, 1, 3600),
    healthPort: integer("health-port", WORKER_DEFAULTS.healthPort, 0, 65_535),
    streamFlushMillis: integer("stream-flush-ms", WORKER_DEFAULTS.streamFlushMillis, 0, 60_000),
  };
}

/** A ModelEndpoint sets the URI; bucket and prefix alone are accepted too. */
function resultsFromParts(env: NodeJS.ProcessEnv): { value: string; source: string } | undefined {
  const bucket = env[WORKER_ENV.resultsBucket];
  if (!bucket) return undefined;
  return { value: `s3://${bucket}/${env[WORKER_ENV.resultsPrefix] ?? ""}`, source: WORKER_ENV.resultsBucket };
}
