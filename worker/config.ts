/**
 * The sidecar's settings: the worker-contract environment, the sidecar's own variables, and
 * command-line flags that override both. Pure: bad values fail here, each named by where it came from.
 */
import { parseResultsUri, type ResultsLocation, SIDECAR_ENV, WORKER_ENV } from "../functions/contract";
import { isConfigError, type Problem, throwIfProblems } from "../functions/problems";
import { defaultRoutes, MODEL_PROTOCOLS, type ModelProtocol, type ModelRoutes } from "./decide";

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

/** The subject of the sidecar's ConfigError: its flags and environment together. */
export const WORKER_SETTINGS = "worker settings";

/** The sidecar's settings; one ConfigError lists every bad or missing one, by the flag or variable it came from. */
export function parseWorkerConfig(env: NodeJS.ProcessEnv, flags: WorkerFlags): WorkerConfig {
  const problems: Problem[] = [];
  const read = (flag: WorkerFlagName): { value: string; source: string } | undefined => {
    const fromFlag = flags[flag];
    if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag}` };
    const name = WORKER_FLAGS[flag];
    const fromEnv = env[name];
    return fromEnv !== undefined && fromEnv !== "" ? { value: fromEnv, source: name } : undefined;
  };
  const missing = (flag: WorkerFlagName): void => {
    problems.push({ field: `--${flag} (or ${WORKER_FLAGS[flag]})`, rule: "is required" });
  };
  const required = (flag: WorkerFlagName): string => {
    const got = read(flag);
    if (!got) missing(flag);
    return got?.value ?? "";
  };
  const integer = (flag: WorkerFlagName, fallback: number | undefined, min: number, max: number): number => {
    const got = read(flag);
    if (!got) {
      if (fallback === undefined) missing(flag);
      return fallback ?? min;
    }
    const n = Number(got.value);
    if (got.value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      problems.push({ field: got.source, value: got.value, rule: `must be an integer from ${min} to ${max}` });
      return fallback ?? min;
    }
    return n;
  };
  const path = (flag: WorkerFlagName, fallback: string): string => {
    const got = read(flag);
    if (!got) return fallback;
    if (!got.value.startsWith("/")) problems.push({ field: got.source, value: got.value, rule: "must start with '/'" });
    return got.value;
  };

  const queueUrl = required("queue-url");
  if (queueUrl !== "" && !/^https?:\/\/\S+$/.test(queueUrl)) {
    problems.push({ field: read("queue-url")?.source ?? "queue URL", value: queueUrl, rule: "must be an http(s) URL" });
  }
  const resultsUri = read("results-uri") ?? resultsFromParts(env);
  let results: ResultsLocation = { bucket: "", prefix: "" };
  if (!resultsUri) missing("results-uri");
  else {
    try {
      results = parseResultsUri(resultsUri.value, resultsUri.source);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      problems.push(...error.problems);
    }
  }

  const modelUrl = required("model-url").replace(/\/+$/, "");
  if (modelUrl !== "" && !/^https?:\/\/[^/\s]+$/.test(modelUrl)) {
    problems.push({
      field: read("model-url")?.source ?? "model URL",
      value: modelUrl,
      rule: "must be http(s)://host:port with no path",
    });
  }

  const protocolRaw = read("protocol");
  const protocol = (protocolRaw?.value ?? WORKER_DEFAULTS.protocol) as ModelProtocol;
  if (!MODEL_PROTOCOLS.includes(protocol)) {
    problems.push({
      field: protocolRaw?.source ?? "--protocol",
      value: protocol,
      rule: `must be one of ${MODEL_PROTOCOLS.join(", ")}`,
    });
  }
  const modelName = read("model-name")?.value;
  if (protocol === "kserve" && !modelName && !read("invoke-path")) {
    problems.push({
      field: `--model-name (or ${SIDECAR_ENV.modelName})`,
      rule: "is required by protocol kserve, for /v2/models/<name>/infer",
    });
  }
  const routes = MODEL_PROTOCOLS.includes(protocol)
    ? defaultRoutes(protocol, modelName)
    : defaultRoutes("json", undefined);

  const visibilityTimeoutSeconds = integer("visibility-timeout", WORKER_DEFAULTS.visibilityTimeoutSeconds, 1, 43_200);
  const config: WorkerConfig = {
    queueUrl,
    results,
    modelUrl,
    protocol,
    routes: { invokePath: path("invoke-path", routes.invokePath), healthPath: path("health-path", routes.healthPath) },
    concurrency: integer("concurrency", WORKER_DEFAULTS.concurrency, 1, 1000),
    visibilityTimeoutSeconds,
    maxProcessingSeconds: integer("max-processing-seconds", visibilityTimeoutSeconds, 1, 43_200),
    shutdownSeconds: integer("shutdown-seconds", WORKER_DEFAULTS.shutdownSeconds, 1, 3600),
    healthPort: integer("health-port", WORKER_DEFAULTS.healthPort, 0, 65_535),
    streamFlushMillis: integer("stream-flush-ms", WORKER_DEFAULTS.streamFlushMillis, 0, 60_000),
  };
  throwIfProblems(WORKER_SETTINGS, problems);
  return config;
}

/** A ModelEndpoint sets the URI; bucket and prefix alone are accepted too. */
function resultsFromParts(env: NodeJS.ProcessEnv): { value: string; source: string } | undefined {
  const bucket = env[WORKER_ENV.resultsBucket];
  if (!bucket) return undefined;
  return { value: `s3://${bucket}/${env[WORKER_ENV.resultsPrefix] ?? ""}`, source: WORKER_ENV.resultsBucket };
}
