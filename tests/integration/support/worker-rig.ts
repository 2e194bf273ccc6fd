/**
 * The end-to-end rig for the worker sidecar: the bundled sidecar as a child process, queues
 * with a DLQ and a results bucket on the AWS API peer, and helpers that wait with deadlines.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { bundleImageProgram } from "../../../worker/bundle";

/** Bundles the sidecar once; returns the path of the JS file the container image would run. */
export async function buildWorkerBundle(): Promise<string> {
  const { code } = await bundleImageProgram("worker");
  const file = join(mkdtempSync(join(tmpdir(), "gpufleet-worker-")), "worker.js");
  writeFileSync(file, code);
  return file;
}

export interface LogLine {
  msg: string;
  requestId?: string;
  requestIds?: string[];
  [field: string]: unknown;
}

/** A running sidecar: its parsed JSON log lines, and its exit. */
export class WorkerProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private stderr = "";
  private readonly child: ChildProcess;

  constructor(bundle: string, args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [bundle, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let partial = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const all = text.split("\n");
      partial = all.pop() ?? "";
      for (const line of all) if (line.trim() !== "") this.lines.push(JSON.parse(line) as LogLine);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Request ids with this log message. */
  ids(msg: string): string[] {
    return this.lines.flatMap((l) => (l.msg !== msg ? [] : (l.requestIds ?? (l.requestId ? [l.requestId] : []))));
  }

  /** Ids received and neither completed, retried nor released yet. */
  inFlight(): string[] {
    const open = new Set<string>();
    for (const l of this.lines) {
      if (l.msg === "received" && l.requestId) open.add(l.requestId);
      else if (l.msg === "completed" || l.msg === "model failed; the request will be retried") {
        if (l.requestId) open.delete(l.requestId);
      } else if (l.msg === "released") for (const id of l.requestIds ?? []) open.delete(id);
    }
    return [...open];
  }

  describe(): string {
    return `stderr: ${this.stderr}\nlast log lines: ${this.lines
      .slice(-10)
      .map((l) => JSON.stringify(l))
      .join("\n")}`;
  }
}

export interface Endpoint {
  queueUrl: string;
  dlqUrl: string;
  bucket: string;
  resultsUri: string;
}

/** A request queue with a DLQ after `maxReceiveCount` receives, and a results bucket. */
export async function createEndpoint(
  sqs: SQSClient,
  s3: S3Client,
  name: string,
  opts: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<Endpoint> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))
  ).Attributes?.QueueArn;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(opts.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: opts.maxReceiveCount }),
      },
    }),
  );
  const bucket = `${name}-results`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    queueUrl: queue.QueueUrl as string,
    dlqUrl: dlq.QueueUrl as string,
    bucket,
    resultsUri: `s3://${bucket}/${name}/`,
  };
}

/** Environment of a sidecar as a ModelEndpoint would set it, for one endpoint and model. */
export function workerEnv(
  endpoint: Endpoint,
  modelUrl: string,
  settings: {
    concurrency: number;
    visibilityTimeoutSeconds: number;
    maxProcessingSeconds: number;
    shutdownSeconds: number;
  },
): Record<string, string> {
  return {
    GPUFLEET_QUEUE_URL: endpoint.queueUrl,
    GPUFLEET_DLQ_URL: endpoint.dlqUrl,
    GPUFLEET_RESULTS_URI: endpoint.resultsUri,
    GPUFLEET_MODEL_URL: modelUrl,
    GPUFLEET_CONCURRENCY: String(settings.concurrency),
    GPUFLEET_VISIBILITY_TIMEOUT_SECONDS: String(settings.visibilityTimeoutSeconds),
    GPUFLEET_MAX_PROCESSING_SECONDS: String(settings.maxProcessingSeconds),
    GPUFLEET_SHUTDOWN_SECONDS: String(settings.shutdownSeconds),
    GPUFLEET_WORKER_HEALTH_PORT: "0",
    GPUFLEET_STREAM_FLUSH_MS: "100",
  };
}

/** Every key under a prefix. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

export async function queueCounts(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(a.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Polls `check` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
