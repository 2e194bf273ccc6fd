/**
 * The sidecar's pure decisions: where a protocol's routes are, what a model's answer means
 * for the message, and how long a failed request waits before its retry.
 */

export type ModelProtocol = "json" | "openai" | "kserve";
export const MODEL_PROTOCOLS: readonly ModelProtocol[] = ["json", "openai", "kserve"];

export interface ModelRoutes {
  invokePath: string;
  healthPath: string;
}

/**
 * Default routes: SageMaker's container contract for plain JSON, vLLM's and the OpenAI API's
 * for openai, the KServe v2 (Open Inference Protocol) paths for kserve.
 */
export function defaultRoutes(protocol: ModelProtocol, modelName: string | undefined): ModelRoutes {
  switch (protocol) {
    case "json":
      return { invokePath: "/invocations", healthPath: "/ping" };
    case "openai":
      return { invokePath: "/v1/chat/completions", healthPath: "/health" };
    case "kserve":
      return { invokePath: `/v2/models/${encodeURIComponent(modelName ?? "")}/infer`, healthPath: "/v2/health/ready" };
  }
}

/** How a call to the model ended. */
export type ModelOutcome = { kind: "answered"; status: number } | { kind: "timeout" } | { kind: "unreachable" };

/** What to do with the message. */
export type MessageAction =
  | { action: "record"; status: "succeeded" | "failed" }
  | { action: "retry"; delaySeconds: number; reason: string };

/**
 * 2xx: the result. 4xx: the request itself is wrong, so retrying cannot help; the error is the
 * result. 408 and 429 are the exceptions (the server was busy), retried like 5xx, timeouts and
 * refused connections: the message comes back after a backoff and, after maxReceiveCount
 * receives, SQS moves it to the DLQ.
 */
export function decideMessage(
  outcome: ModelOutcome,
  receiveCount: number,
  visibilityTimeoutSeconds: number,
): MessageAction {
  if (outcome.kind === "answered") {
    const s = outcome.status;
    if (s >= 200 && s < 300) return { action: "record", status: "succeeded" };
    if (s >= 400 && s < 500 && s !== 408 && s !== 429) return { action: "record", status: "failed" };
    return {
      action: "retry",
      delaySeconds: retryDelaySeconds(receiveCount, visibilityTimeoutSeconds),
      reason: `HTTP ${s}`,
    };
  }
  return {
    action: "retry",
    delaySeconds: retryDelaySeconds(receiveCount, visibilityTimeoutSeconds),
    reason: outcome.kind === "timeout" ? "model timed out" : "model unreachable",
  };
}

/**
 * Exponential backoff before a retry (1, 2, 4 … seconds by receive count), never longer than
 * the visibility timeout the queue would apply anyway.
 */
export function retryDelaySeconds(receiveCount: number, visibilityTimeoutSeconds: number): number {
  const exponent = Math.min(16, Math.max(0, receiveCount - 1));
  return Math.min(visibilityTimeoutSeconds, 2 ** exponent);
}

export type StreamFormat = "sse" | "ndjson";

/** Streamed answers: server-sent events (OpenAI-compatible servers) or newline-delimited JSON. */
export function streamFormat(contentType: string | null): StreamFormat | undefined {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "text/event-stream") return "sse";
  if (mediaType === "application/x-ndjson" || mediaType === "application/jsonl" || mediaType === "application/json-seq")
    return "ndjson";
  return undefined;
}

/** A body as the result records it: parsed JSON when it is JSON, else the text. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Whether gathered stream events are due to be published as a part. */
export function partDue(pendingEvents: number, lastPublishMs: number, nowMs: number, flushMs: number): boolean {
  return pendingEvents > 0 && nowMs - lastPublishMs >= flushMs;
}
