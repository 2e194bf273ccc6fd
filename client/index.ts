/**
 * The client half of an endpoint's request path: send a request to its queue, wait for its
 * result, or watch a streamed answer's parts arrive. Built on the endpoint's outputs
 * (queue URL, results URI, region), from a stack output or plain values.
 */
import { randomUUID } from "node:crypto";
import { GetObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  isValidRequestId,
  parseResultsUri,
  partKey,
  REQUEST_ID_ATTRIBUTE,
  type RequestResult,
  type ResultPart,
  type ResultsLocation,
  resultKey,
} from "../functions/contract";
import { ConfigError } from "../functions/problems";

/** What a client needs to know about an endpoint: ModelEndpoint's `client` output carries exactly this. */
export interface EndpointRef {
  queueUrl: string;
  /** `s3://bucket/prefix/` */
  resultsUri: string;
  /** The queue's region; defaults to the SDK's (AWS_REGION). */
  region?: string;
}

export { ConfigError, type Problem } from "../functions/problems";

/**
 * A request that got no answer in time. Not a ConfigError: the input was fine and the same
 * call may succeed later (the model is slow, the queue is backed up), which is why
 * `gpufleet invoke` exits 3 on it and 2 on invalid input. Bad endpoint values, results URIs,
 * dedup ids and payloads throw the one ConfigError.
 */
export class ClientError extends Error {
  override name = "ClientError";
}

export interface SubmitOptions {
  /**
   * Request id to use instead of a fresh one. Submitting again with the same id overwrites the
   * same result, so a retried submit cannot produce two results.
   */
  dedupId?: string;
}

export interface WaitOptions {
  /** Give up after this many seconds. @default 300 */
  timeoutSeconds?: number;
  /** First poll interval; doubles up to 2 s while nothing changes. @default 200 */
  pollMillis?: number;
}

export interface ClientDeps {
  sqs?: SQSClient;
  s3?: S3Client;
}

/** Reads an endpoint from a stack output (ModelEndpoint's `client`) or any object with the same fields. */
export function endpointFromOutputs(outputs: Record<string, unknown>): EndpointRef {
  const source = (typeof outputs.client === "object" && outputs.client !== null ? outputs.client : outputs) as Record<
    string,
    unknown
  >;
  const { queueUrl, resultsUri, region } = source;
  if (typeof queueUrl === "string" && typeof resultsUri === "string") {
    return { queueUrl, resultsUri, ...(typeof region === "string" ? { region } : {}) };
  }
  const rule = "must be a string (ModelEndpoint's `client` output has it)";
  throw new ConfigError(
    "endpoint outputs",
    Object.entries({ queueUrl, resultsUri })
      .filter(([, value]) => typeof value !== "string")
      .map(([field, value]) => ({ field, value, rule })),
  );
}

export class EndpointClient {
  private readonly sqs: SQSClient;
  private readonly s3: S3Client;
  private readonly results: ResultsLocation;

  constructor(
    readonly endpoint: EndpointRef,
    deps: ClientDeps = {},
  ) {
    this.results = parseResultsUri(endpoint.resultsUri);
    const region = endpoint.region ? { region: endpoint.region } : {};
    this.sqs = deps.sqs ?? new SQSClient(region);
    this.s3 = deps.s3 ?? new S3Client(region);
  }

  /** Sends one request; returns its id. A string payload is sent as is, anything else as JSON. */
  async submit(payload: unknown, options: SubmitOptions = {}): Promise<string> {
    const requestId = options.dedupId ?? randomUUID();
    if (!isValidRequestId(requestId)) {
      throw new ConfigError("request", [
        { field: "dedupId", value: requestId, rule: "must be 1 to 128 letters, digits, '-', '_' or '.'" },
      ]);
    }
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    if (body === undefined) {
      throw new ConfigError("request", [{ field: "payload", rule: "must be a string or a JSON value" }]);
    }
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.endpoint.queueUrl,
        MessageBody: body,
        MessageAttributes: { [REQUEST_ID_ATTRIBUTE]: { DataType: "String", StringValue: requestId } },
      }),
    );
    return requestId;
  }

  /** Waits for a request's final result (succeeded or failed). Throws ClientError when none comes in time. */
  async result(requestId: string, options: WaitOptions = {}): Promise<RequestResult> {
    const poll = poller(options);
    for (;;) {
      const found = await this.read<RequestResult>(resultKey(this.results, requestId));
      if (found) return found;
      if (!(await poll.wait()))
        throw new ClientError(`no result for request ${requestId} within ${poll.timeoutSeconds} s`);
    }
  }

  /**
   * The parts of a streamed answer, in order, as they are published; ends once the final
   * result is written and every part was yielded. An answer that was not streamed yields none.
   */
  async *stream(requestId: string, options: WaitOptions = {}): AsyncGenerator<ResultPart> {
    const poll = poller(options);
    let next = 1;
    for (;;) {
      const part = await this.read<ResultPart>(partKey(this.results, requestId, next));
      if (part) {
        next++;
        poll.progress();
        yield part;
        continue;
      }
      const final = await this.read<RequestResult>(resultKey(this.results, requestId));
      if (final && next > final.parts) return;
      if (!(await poll.wait()))
        throw new ClientError(`request ${requestId} did not finish streaming within ${poll.timeoutSeconds} s`);
    }
  }

  /** An object's JSON, or undefined while it does not exist (403 too: without s3:ListBucket S3 hides absence). */
  private async read<T>(key: string): Promise<T | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.results.bucket, Key: key }));
      return JSON.parse((await out.Body?.transformToString()) ?? "null") as T;
    } catch (error) {
      if (
        error instanceof S3ServiceException &&
        (error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 403 || error.$metadata.httpStatusCode === 404)
      )
        return undefined;
      throw error;
    }
  }
}

/** A client for one endpoint. */
export function connect(endpoint: EndpointRef, deps: ClientDeps = {}): EndpointClient {
  return new EndpointClient(endpoint, deps);
}

/** Sends one request to an endpoint; returns its id. */
export function submit(endpoint: EndpointRef, payload: unknown, options: SubmitOptions = {}): Promise<string> {
  return connect(endpoint).submit(payload, options);
}

function poller(options: WaitOptions) {
  const timeoutSeconds = options.timeoutSeconds ?? 300;
  const first = options.pollMillis ?? 200;
  const deadline = Date.now() + timeoutSeconds * 1000;
  let interval = first;
  return {
    timeoutSeconds,
    progress() {
      interval = first;
    },
    /** Sleeps before the next poll; false once the deadline has passed. */
    async wait(): Promise<boolean> {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(interval, left)));
      interval = Math.min(2000, interval * 2);
      return true;
    },
  };
}
